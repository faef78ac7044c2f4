//! Django's `EmailValidator`: a dot-atom or quoted local part (of at most 64 octets, as
//! RFC 5321 says and Django does not check), and a domain of labels with a top-level
//! label of at least two characters (or a bracketed IP literal).

/// Django's message for an address that breaks the rules.
pub const INVALID_EMAIL: &str = "Enter a valid email address.";
/// The longest address Django's `EmailField` stores, in characters. [`validate_email`]
/// itself, like Django's validator, only refuses addresses over 320 bytes.
pub const EMAIL_MAX_LENGTH: usize = 254;

/// Messages for an address that breaks the rules (empty when it is fine).
pub fn validate_email(email: &str) -> Vec<String> {
    if is_valid_email(email) {
        Vec::new()
    } else {
        vec![INVALID_EMAIL.to_owned()]
    }
}

fn is_valid_email(email: &str) -> bool {
    if email.is_empty() || email.len() > 320 {
        return false;
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    // RFC 5321 caps the local part at 64 octets (Django does not; mail servers do).
    local.len() <= 64
        && (is_dot_atom(local) || is_quoted_local(local))
        && (is_domain(domain) || is_literal(domain))
}

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c)
}

fn is_dot_atom(local: &str) -> bool {
    !local.is_empty()
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(is_atext))
}

fn is_quoted_local(local: &str) -> bool {
    let Some(inner) = local.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if !chars.next().is_some_and(|e| e.is_ascii() && e != '\0') => return false,
            '\\' => {}
            '"' => return false,
            c if !c.is_ascii() || c.is_ascii_control() => return false,
            _ => {}
        }
    }
    true
}

fn is_domain(domain: &str) -> bool {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let labels: Vec<&str> = domain.split('.').collect();
    let Some((tld, rest)) = labels.split_last() else {
        return false;
    };
    let label_ok = |label: &str| {
        let n = label.chars().count();
        (1..=63).contains(&n)
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let tld_ok = (2..=63).contains(&tld.chars().count())
        && tld.chars().all(|c| c.is_alphanumeric() || c == '-')
        && !tld.ends_with('-');
    !rest.is_empty() && rest.iter().all(|l| label_ok(l)) && tld_ok
}

fn is_literal(domain: &str) -> bool {
    domain
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .is_some_and(|ip| {
            ip.parse::<std::net::Ipv4Addr>().is_ok()
                || ip
                    .strip_prefix("IPv6:")
                    .is_some_and(|v6| v6.parse::<std::net::Ipv6Addr>().is_ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_addresses() {
        for ok in [
            "a@b.co",
            "151250206@smail.nju.edu.cn",
            "first.last+tag@example.com",
            "\"quoted name\"@example.org",
            "x@[127.0.0.1]",
            "user@例子.广告",
        ] {
            assert!(validate_email(ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a@b.c",
            "a..b@example.com",
            "a@-b.com",
            "a b@example.com",
            "a@example..com",
            ".a@example.com",
        ] {
            assert_eq!(validate_email(bad), vec![INVALID_EMAIL], "{bad}");
        }
    }

    #[test]
    fn a_local_part_may_have_64_characters_not_more() {
        let at_most = format!("{}@example.com", "a".repeat(64));
        assert!(validate_email(&at_most).is_empty());
        let longer = format!("{}@example.com", "a".repeat(65));
        assert_eq!(validate_email(&longer), vec![INVALID_EMAIL]);
    }
}
