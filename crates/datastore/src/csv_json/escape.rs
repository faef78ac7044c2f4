//! JSON string escaping, fast for the common case: a record is scanned eight bytes at a
//! time, and fields that are valid UTF-8 with nothing to escape are copied as they are.

/// Whether `b` continues a UTF-8 character (so cannot start a field's text).
pub(super) fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Returns (whether `bytes` is all ASCII, whether no byte of it needs a JSON escape), looking
/// at eight bytes at a time.
#[inline]
pub(super) fn scan_record(bytes: &[u8]) -> (bool, bool) {
    let (words, tail) = bytes.as_chunks::<8>();
    let (mut high, mut escape) = (0_u64, 0_u64);
    for word in words {
        let x = u64::from_le_bytes(*word);
        high |= x;
        // High bit set in some byte iff that byte is < 0x20, == '"' or == '\\' (the usual
        // "has zero byte" trick: borrows only start at a byte that matches).
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        escape |= (x.wrapping_sub(ONES * 0x20) & !x)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash);
    }
    let mut ascii = high & HIGH_BITS == 0;
    let mut clean = escape & HIGH_BITS == 0;
    for &b in tail {
        ascii &= b.is_ascii();
        clean &= ESCAPE[usize::from(b)] == 0;
    }
    (ascii, clean)
}

/// Appends `field` as it is if `plain` (known valid UTF-8 with nothing to escape), else
/// escaped (and lossily decoded unless `valid`).
#[inline(always)]
pub(super) fn push_value(buf: &mut Vec<u8>, field: &[u8], plain: bool, valid: bool) {
    if plain {
        buf.extend_from_slice(field);
    } else {
        push_field(buf, field, valid);
    }
}

/// Appends the escaped text of `field`, replacing invalid UTF-8 unless `valid` says the
/// field is already known to be valid.
#[inline(never)]
fn push_field(buf: &mut Vec<u8>, field: &[u8], valid: bool) {
    if valid || std::str::from_utf8(field).is_ok() {
        push_escaped(buf, field);
    } else {
        push_escaped(buf, String::from_utf8_lossy(field).as_bytes());
    }
}

/// For each byte: 0 if it is written as-is, otherwise the character after the backslash
/// (`u` meaning `\u00XX`).
static ESCAPE: [u8; 256] = {
    let mut table = [0_u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `text` (valid UTF-8) as the inside of a JSON string: `"`, `\` and control
/// characters are escaped; runs of other bytes are copied in one go.
#[inline]
pub(super) fn push_escaped(buf: &mut Vec<u8>, text: &[u8]) {
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        let escape = ESCAPE[usize::from(b)];
        if escape == 0 {
            continue;
        }
        buf.extend_from_slice(&text[start..i]);
        if escape == b'u' {
            buf.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ]);
        } else {
            buf.extend_from_slice(&[b'\\', escape]);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn every_control_character_round_trips() -> TestResult {
        let text: String = (0_u8..0x20)
            .map(char::from)
            .chain("\"\\/\u{7f}é".chars())
            .collect();
        let mut escaped = Vec::new();
        push_escaped(&mut escaped, text.as_bytes());
        let quoted = format!("\"{}\"", String::from_utf8(escaped)?);
        assert_eq!(serde_json::from_str::<String>(&quoted)?, text);
        Ok(())
    }

    #[test]
    fn scan_finds_every_byte_to_escape() {
        for len in 0..20 {
            for pos in 0..len {
                for b in 0_u8..=255 {
                    let mut bytes = vec![b'a'; len];
                    bytes[pos] = b;
                    // Neighbours that could confuse the word-at-a-time arithmetic.
                    if pos + 1 < len {
                        bytes[pos + 1] = 0xFF;
                    }
                    let expected = (
                        bytes.is_ascii(),
                        bytes.iter().all(|&c| ESCAPE[usize::from(c)] == 0),
                    );
                    assert_eq!(scan_record(&bytes), expected, "{bytes:?}");
                }
            }
        }
    }
}
