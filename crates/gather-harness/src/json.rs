//! JSON strings as libtest writes them.

use core::fmt;

/// `Display`s a string as the inside of a JSON string literal (without the quotes), the way
/// libtest's `--format json` escapes it: `"` and `\` escaped, `\b`, `\f`, `\n`, `\r` and `\t` in
/// their short forms, other control characters and DEL (0x7f, which libtest escapes although
/// JSON does not require it) as `\u00XX`; everything else, non-ASCII included, as it is.
///
/// ```
/// use gather_harness::JsonEscaped;
///
/// let line = format!(r#"{{ "name": "{}" }}"#, JsonEscaped("say \"hi\"\n"));
/// assert_eq!(line, r#"{ "name": "say \"hi\"\n" }"#);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct JsonEscaped<'a>(pub &'a str);

impl fmt::Display for JsonEscaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut start = 0;
        for (i, byte) in text.bytes().enumerate() {
            let short = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\x08' => "\\b",
                b'\t' => "\\t",
                b'\n' => "\\n",
                b'\x0c' => "\\f",
                b'\r' => "\\r",
                0..=0x1f | 0x7f => "",
                _ => continue,
            };
            // `i` is at an ASCII byte, so a character boundary.
            f.write_str(&text[start..i])?;
            if short.is_empty() {
                write!(f, "\\u{byte:04x}")?;
            } else {
                f.write_str(short)?;
            }
            start = i + 1;
        }
        f.write_str(&text[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        JsonEscaped(text).to_string()
    }

    /// Strings with every control character, quotes, backslashes, DEL and non-ASCII text.
    fn tricky() -> Vec<String> {
        let mut strings: Vec<String> = (0u8..0x20).map(|b| char::from(b).to_string()).collect();
        strings.extend(
            [
                "",
                "plain",
                "\"quoted\"",
                "back\\slash\\",
                "\\\"",
                "\x7f",
                "a\x7fb",
                "é",
                "名前",
                "😀 emoji",
                "\u{2028}\u{2029}",
                "\u{80}\u{9f}\u{ff}",
                "mod::test_name",
                "/*</script>*/",
                "tab\tnew\nline\r\n\x08\x0c\x00\x1f end",
            ]
            .map(String::from),
        );
        strings.push((0u8..0x80).map(char::from).collect());
        strings
    }

    #[test]
    fn matches_serde_json_except_del() {
        for text in tricky() {
            let ours = format!("\"{}\"", JsonEscaped(&text));
            // serde_json leaves DEL as it is; libtest (and this) escapes it.
            let serde = serde_json::to_string(&text)
                .unwrap()
                .replace('\x7f', "\\u007f");
            assert_eq!(ours, serde, "{text:?}");
            let back: String = serde_json::from_str(&ours).unwrap();
            assert_eq!(back, text);
        }
    }

    #[test]
    fn escapes_like_libtest() {
        assert_eq!(
            escaped("q\"\\\t tab\n\x01\x7fé\x08\x0c"),
            "q\\\"\\\\\\t tab\\n\\u0001\\u007fé\\b\\f"
        );
    }
}
