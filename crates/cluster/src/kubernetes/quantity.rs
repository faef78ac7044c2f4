//! Kubernetes resource quantities (`500m`, `2`, `128Mi`, `1922788Ki`, `1e3`), enough
//! to add up a pod's requests and show them as shares of a node, as `kubectl describe
//! node` does.

/// A quantity in thousandths of its unit (millicores for CPU, millibytes for memory),
/// or `None` when it is not a quantity.
pub fn milli(text: &str) -> Option<u128> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let scale: u128 = match suffix {
        "" => 1000,
        "m" => 1,
        "k" => 1000 * 1000,
        "M" => 1000 * 1000_u128.pow(2),
        "G" => 1000 * 1000_u128.pow(3),
        "T" => 1000 * 1000_u128.pow(4),
        "P" => 1000 * 1000_u128.pow(5),
        "Ki" => 1000 * 1024,
        "Mi" => 1000 * 1024_u128.pow(2),
        "Gi" => 1000 * 1024_u128.pow(3),
        "Ti" => 1000 * 1024_u128.pow(4),
        "Pi" => 1000 * 1024_u128.pow(5),
        exponent => {
            let power: u32 = exponent.strip_prefix(['e', 'E'])?.parse().ok()?;
            1000 * 10_u128.checked_pow(power)?
        }
    };
    let (whole, fraction) = number
        .trim_start_matches('+')
        .split_once('.')
        .unwrap_or((number, ""));
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut value = whole.checked_mul(scale)?;
    let mut place = scale;
    for digit in fraction.chars() {
        place /= 10;
        value += u128::from(digit.to_digit(10)?) * place;
    }
    (!(whole == 0 && fraction.is_empty() && number.is_empty())).then_some(value)
}

/// A CPU amount in millicores, written as Kubernetes writes it: `2`, `500m`.
pub fn cpu(millicores: u128) -> String {
    if millicores.is_multiple_of(1000) {
        (millicores / 1000).to_string()
    } else {
        format!("{millicores}m")
    }
}

/// A memory amount in bytes, written with the largest binary suffix that divides it.
pub fn memory(bytes: u128) -> String {
    if bytes == 0 {
        return "0".to_owned();
    }
    for (suffix, size) in [
        ("Ti", 1_u128 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("Ki", 1 << 10),
    ] {
        if bytes.is_multiple_of(size) {
            return format!("{}{suffix}", bytes / size);
        }
    }
    bytes.to_string()
}

/// `part` as a whole percent of `whole`, rounded down as kubectl does (0 when the
/// whole is unknown).
pub fn percent(part: u128, whole: Option<u128>) -> u64 {
    match whole {
        Some(whole) if whole > 0 => u64::try_from(part * 100 / whole).unwrap_or(u64::MAX),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_read_in_every_notation_kubernetes_writes() {
        assert_eq!(milli("500m"), Some(500));
        assert_eq!(milli("2"), Some(2000));
        assert_eq!(milli("0.5"), Some(500));
        assert_eq!(milli("128Mi"), Some(128 * 1024 * 1024 * 1000));
        assert_eq!(milli("1922788Ki"), Some(1_922_788 * 1024 * 1000));
        assert_eq!(milli("1e3"), Some(1000 * 1000));
        assert_eq!(milli("1.5Gi"), Some(1536 * 1024 * 1024 * 1000));
        assert_eq!(milli("14167048988"), Some(14_167_048_988_000));
        assert_eq!(milli(""), None);
        assert_eq!(milli("ten"), None);
        assert_eq!(milli("5Xi"), None);
    }

    #[test]
    fn amounts_are_written_back_and_shared_as_kubectl_does() {
        assert_eq!(cpu(500), "500m");
        assert_eq!(cpu(2000), "2");
        assert_eq!(memory(128 << 20), "128Mi");
        assert_eq!(memory(4 << 30), "4Gi");
        assert_eq!(memory(1000), "1000");
        assert_eq!(memory(0), "0");
        // 128Mi of 1922788Ki is 6.8%: kubectl shows 6%.
        assert_eq!(percent(128 << 20, Some(1_922_788 << 10)), 6);
        assert_eq!(percent(500, Some(2000)), 25);
        assert_eq!(percent(500, None), 0);
    }
}
