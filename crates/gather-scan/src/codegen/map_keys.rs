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
            Literal::Number(n) if !number.starts_with(['\'', 't', 'f', 'b']) => {
                Some(Literal::Number(n.checked_neg()?))
            }
            _ => None,
        },
        [one] => single(one),
        _ => None,
    }
}

/// One literal token, read by syn as rustc reads it; a suffix that the key's type cannot have,
/// or a literal that cannot be a key, is not read.
fn single(text: &str) -> Option<Literal> {
    // The common shapes by hand (this runs for every key, in a proc macro that is usually not
    // optimized): a string without escapes, a decimal integer.
    if let Some(body) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'))
        && !body.contains(['\\', '"', '\r'])
    {
        return Some(Literal::Bytes(body.as_bytes().to_vec()));
    }
    if !text.is_empty() && text.len() < 30 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().map(Literal::Number);
    }
    let integer_suffixes = [
        "", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    Some(match syn::parse_str::<syn::Lit>(text).ok()? {
        syn::Lit::Str(s) if s.suffix().is_empty() => Literal::Bytes(s.value().into_bytes()),
        syn::Lit::ByteStr(b) if b.suffix().is_empty() => Literal::Bytes(b.value()),
        syn::Lit::Char(c) if c.suffix().is_empty() => Literal::Number(c.value() as i128),
        syn::Lit::Byte(b) if b.suffix().is_empty() => Literal::Number(b.value() as i128),
        syn::Lit::Bool(b) => Literal::Number(b.value as i128),
        syn::Lit::Int(i) if integer_suffixes.contains(&i.suffix()) => {
            Literal::Number(i.base10_parse().ok()?)
        }
        _ => return None,
    })
}

/// The order in which a map's own registrations are emitted: by literal key (ties, which are
/// duplicates unless their `#[cfg]`s exclude each other, in source order), then those whose key
/// is not a literal, in source order.
/// Returns each one's key, if a literal, in that order.
pub(crate) fn by_literal_key<T>(
    items: &mut Vec<T>,
    key: impl Fn(&T) -> Option<&[String]>,
) -> Vec<Option<Literal>> {
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
    let mut keys = Vec::with_capacity(keyed.len());
    for (k, t) in keyed {
        keys.push(k);
        items.push(t);
    }
    keys
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
            ("\"\\u{41}\"", Some(Bytes(b"A".to_vec()))),
            ("\"a\\\"b\"", Some(Bytes(b"a\"b".to_vec()))),
            ("\"line\r\n\"", Some(Bytes(b"line\n".to_vec()))),
            ("00", Some(Number(0))),
            ("b'a'", Some(Number(97))),
            ("1.5f32", None),
            ("\"a\"x", None),
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
        let keys = by_literal_key(&mut items, |(_, k)| Some(k.as_slice()));
        assert_eq!(keys[0], Some(Literal::Bytes(b"a".to_vec())));
        assert_eq!(keys[5], None);
        let order: Vec<usize> = items.iter().map(|(i, _)| *i).collect();
        assert_eq!(order, [2, 5, 0, 4, 1, 3]);
    }
}
