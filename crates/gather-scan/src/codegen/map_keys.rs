//! A map's literal keys, read from the scan's tokens so that the registry can emit its own
//! registrations already in key order: rustc then only verifies the order, in O(n), instead of
//! sorting (see gather's `__private::map`). A key that is not a literal, or one read wrongly,
//! costs only speed: rustc sorts whatever it is given.

use std::cmp::Ordering;

/// A literal key as the map orders it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Literal {
    /// An integer, `char` or `bool`, as a signed number (integers beyond `i128` are not read).
    Number(i128),
    /// A string or byte string, by bytes.
    Bytes(Vec<u8>),
}

/// The key written as these tokens, if it is a literal.
pub(crate) fn literal(tokens: &[String]) -> Option<Literal> {
    match tokens {
        [minus, number] if minus == "-" => match literal(std::slice::from_ref(number))? {
            Literal::Number(n) if !number.starts_with(['\'', 't', 'f']) => {
                Some(Literal::Number(n.checked_neg()?))
            }
            _ => None,
        },
        [one] => single(one),
        _ => None,
    }
}

fn single(text: &str) -> Option<Literal> {
    match text {
        "true" => return Some(Literal::Number(1)),
        "false" => return Some(Literal::Number(0)),
        _ => {}
    }
    if let Some(body) = text.strip_prefix("b\"").and_then(|t| t.strip_suffix('"')) {
        return unescape(body, true).map(Literal::Bytes);
    }
    if let Some(body) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return unescape(body, false).map(Literal::Bytes);
    }
    if text.starts_with('r') || text.starts_with("br") {
        return raw(text).map(|b| Literal::Bytes(b.as_bytes().to_vec()));
    }
    if let Some(body) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        let bytes = unescape(body, false)?;
        let s = String::from_utf8(bytes).ok()?;
        let mut chars = s.chars();
        let c = chars.next()?;
        return chars.next().is_none().then_some(Literal::Number(c as i128));
    }
    integer(text).map(Literal::Number)
}

/// `r"..."`, `r#"..."#`, `br".."`: the text between the quotes.
fn raw(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("br").or_else(|| text.strip_prefix('r'))?;
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    let body = rest[hashes..].strip_prefix('"')?;
    body.strip_suffix(&"#".repeat(hashes))?.strip_suffix('"')
}

/// An integer literal: decimal, `0x`, `0o`, `0b`, with `_` and a type suffix.
fn integer(text: &str) -> Option<i128> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let (radix, digits) = match clean.get(..2) {
        Some("0x") => (16, &clean[2..]),
        Some("0o") => (8, &clean[2..]),
        Some("0b") => (2, &clean[2..]),
        _ => (10, &clean[..]),
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    let suffix = &digits[end..];
    let suffixes = [
        "", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    if end == 0 || !suffixes.contains(&suffix) {
        return None;
    }
    i128::from_str_radix(&digits[..end], radix).ok()
}

/// The value of a string's body with its escapes; `None` for an escape it does not know (the
/// key is then not sorted here).
fn unescape(body: &str, bytes: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let simple = match chars.next()? {
            'n' => b'\n',
            'r' => b'\r',
            't' => b'\t',
            '\\' => b'\\',
            '0' => 0,
            '\'' => b'\'',
            '"' => b'"',
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                let b = u8::from_str_radix(&hex, 16).ok()?;
                if !bytes && b > 0x7f {
                    return None;
                }
                b
            }
            _ => return None,
        };
        out.push(simple);
    }
    Some(out)
}

/// The order in which a map's own registrations are emitted: by literal key (ties, which are
/// duplicates unless their `#[cfg]`s exclude each other, in source order), then those whose key
/// is not a literal, in source order.
pub(crate) fn by_literal_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> Option<&[String]>) {
    let mut keyed: Vec<(Option<Literal>, T)> = items
        .drain(..)
        .map(|t| (key(&t).and_then(literal), t))
        .collect();
    // A stable sort: ties keep their source order.
    keyed.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    items.extend(keyed.into_iter().map(|(_, t)| t));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Option<Literal> {
        let tokens: Vec<String> = text.split(' ').map(str::to_owned).collect();
        literal(&tokens)
    }

    #[test]
    fn literals_are_read_as_rustc_reads_them() {
        use Literal::*;
        for (text, want) in [
            ("\"square\"", Some(Bytes(b"square".to_vec()))),
            ("\"a\\tb\\x41\"", Some(Bytes(b"a\tbA".to_vec()))),
            ("\"\u{e9}\"", Some(Bytes("\u{e9}".as_bytes().to_vec()))),
            ("b\"\\xff\"", Some(Bytes(vec![0xff]))),
            ("r#\"x\"y\"#", Some(Bytes(b"x\"y".to_vec()))),
            ("br\"z\"", Some(Bytes(b"z".to_vec()))),
            ("404", Some(Number(404))),
            ("1_000u16", Some(Number(1000))),
            ("0xff", Some(Number(255))),
            ("0b101", Some(Number(5))),
            ("- 7", Some(Number(-7))),
            ("'a'", Some(Number(97))),
            ("'\\n'", Some(Number(10))),
            ("true", Some(Number(1))),
            ("- true", None),
            ("\"\\u{41}\"", None),
            ("NAME", None),
            ("1.5", None),
            ("Color :: Red as u8", None),
        ] {
            assert_eq!(key(text), want, "{text}");
        }
    }

    #[test]
    fn literal_keys_come_first_in_order_then_the_others_in_source_order() {
        let mut items: Vec<(usize, Vec<String>)> = ["\"b\"", "X", "\"a\"", "Y", "\"c\"", "\"a\""]
            .iter()
            .enumerate()
            .map(|(i, t)| (i, vec![t.to_string()]))
            .collect();
        by_literal_key(&mut items, |(_, k)| Some(k.as_slice()));
        let order: Vec<usize> = items.iter().map(|(i, _)| *i).collect();
        assert_eq!(order, [2, 5, 0, 4, 1, 3]);
    }
}
