//! Python source for values: literals, comments and file names.

/// A Python float literal (`Debug` prints `1e-8`, `0.01`, `1.0`: all valid Python).
pub(super) fn py_float(v: f64) -> String {
    format!("{v:?}")
}

/// A Python string literal: JSON's escaping is valid Python.
pub(super) fn py_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// `prefix[...]` as Python source, wrapped at 79 columns with four-space indents.
pub(super) fn py_list(prefix: &str, items: &[String]) -> String {
    let literals: Vec<String> = items.iter().map(|s| py_str(s)).collect();
    let one_line = format!("{prefix}[{}]", literals.join(", "));
    if one_line.len() <= 79 {
        return one_line;
    }
    let mut out = format!("{prefix}[\n");
    let mut line = String::new();
    for lit in &literals {
        if !line.is_empty() && 4 + line.len() + lit.len() + 2 > 79 {
            out.push_str(&format!("    {}\n", line.trim_end()));
            line.clear();
        }
        line.push_str(lit);
        line.push_str(", ");
    }
    if !line.is_empty() {
        out.push_str(&format!("    {}\n", line.trim_end()));
    }
    out.push(']');
    out
}

/// Control characters (newlines above all) would end a `#` comment early.
pub(super) fn comment_safe(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A file name made of the model name's letters, digits, `-` and `_`.
pub(super) fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_matches('_');
    if stem.is_empty() {
        "model".to_owned()
    } else {
        stem.to_owned()
    }
}

/// `n` with commas between groups of three digits, for comments.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}
