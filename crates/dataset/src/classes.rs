//! Class order: numeric when every name is an integer, else byte-wise.

use std::collections::{BTreeSet, HashMap};

use crate::error::DatasetError;

/// The distinct `names` in class order; fewer than 2 is an error.
pub(crate) fn ordered<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>, DatasetError> {
    let distinct: BTreeSet<&str> = names.into_iter().collect();
    let mut classes: Vec<String> = distinct.into_iter().map(str::to_owned).collect();
    let numbers: Option<Vec<i128>> = classes.iter().map(|c| c.parse().ok()).collect();
    if let Some(numbers) = numbers {
        // "1" and "01" are equal numbers: the byte order (already there) breaks the tie.
        let mut keyed: Vec<(i128, String)> = numbers.into_iter().zip(classes).collect();
        keyed.sort();
        classes = keyed.into_iter().map(|(_, c)| c).collect();
    }
    if classes.len() < 2 {
        return Err(DatasetError::TooFewClasses { classes });
    }
    Ok(classes)
}

/// Class name -> class id.
pub(crate) fn ids(classes: &[String]) -> HashMap<&str, u32> {
    classes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), u32::try_from(i).unwrap_or(u32::MAX)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(names: &[&str]) -> Vec<String> {
        ordered(names.iter().copied()).expect("at least 2 classes")
    }

    #[test]
    fn integers_sort_numerically() {
        assert_eq!(order(&["10", "2", "1", "2", "-3"]), ["-3", "1", "2", "10"]);
        assert_eq!(order(&["01", "1", "0"]), ["0", "01", "1"]);
    }

    #[test]
    fn anything_else_sorts_by_bytes() {
        assert_eq!(order(&["10", "2", "b", "B", "a"]), ["10", "2", "B", "a", "b"]);
        assert_eq!(
            order(&["virginica", "setosa", "versicolor"]),
            ["setosa", "versicolor", "virginica"]
        );
        assert_eq!(order(&["1.5", "10", "2"]), ["1.5", "10", "2"]);
    }

    #[test]
    fn one_class_is_not_enough() {
        let error = ordered(["cat", "cat"]).expect_err("one class");
        assert_eq!(
            error.to_string(),
            "training needs at least 2 classes, found 1: \"cat\""
        );
        let error = ordered([]).expect_err("no class");
        assert!(error.to_string().starts_with("no picture has a class"), "{error}");
    }
}
