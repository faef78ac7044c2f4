//! Reading the `.eml` files the server writes to its outbox.

use std::path::Path;

#[derive(Debug, Clone)]
pub struct Mail {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Mail {
    pub fn parse(raw: &str) -> Mail {
        let (head, body) = raw.split_once("\r\n\r\n").expect("a blank line ends the headers");
        let headers = head
            .split("\r\n")
            .filter_map(|line| line.split_once(": "))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Mail {
            headers,
            body: body.replace("\r\n", "\n"),
        }
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("mail has no {name} header: {:?}", self.headers))
    }

    /// The first link in the body that starts with `prefix`, minus the prefix,
    /// split on '/'.
    pub fn link_parts(&self, prefix: &str) -> Vec<String> {
        let start = self
            .body
            .find(prefix)
            .unwrap_or_else(|| panic!("no link {prefix} in {}", self.body));
        let rest = &self.body[start + prefix.len()..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest[..end]
            .trim_end_matches('/')
            .split('/')
            .map(str::to_owned)
            .collect()
    }
}

/// Every mail in the folder, oldest first.
pub fn read_outbox(folder: &Path) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| Mail::parse(&std::fs::read_to_string(p).expect("readable mail")))
        .collect()
}
