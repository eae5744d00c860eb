//! A small Rust lexer: just enough to walk module files fast.
//!
//! The scan runs inside a proc macro, which Cargo builds without optimizations by default; a full
//! parse of every module file with syn cost seconds on large crates. This lexer keeps positions
//! (1-based lines, 0-based columns counted in chars, as rustc's spans) and matches delimiters,
//! which is all the walker needs.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Ident,
    Punct,
    Literal,
    Lifetime,
    Open,
    Close,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub line: u32,
    pub col: u32,
    /// For `Open`: how many tokens further the matching `Close` is (or the end of the file),
    /// so that any sub-slice starting at or before the `Open` can find it.
    pub close: u32,
}

impl Tok<'_> {
    pub fn is(&self, text: &str) -> bool {
        self.text == text && self.kind != Kind::Literal
    }
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.text.len() == 1 && self.text.as_bytes()[0] == c as u8
    }
    pub fn is_open(&self, c: char) -> bool {
        self.kind == Kind::Open && self.text.as_bytes()[0] == c as u8
    }
}

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    line: u32,
    col: u32,
}

impl<'a> Lexer<'a> {
    fn bump(&mut self) {
        let c = self.b[self.i];
        self.i += 1;
        if c == b'\n' {
            self.line += 1;
            self.col = 0;
        } else if c & 0xC0 != 0x80 {
            self.col += 1;
        }
    }

    fn peek(&self, k: usize) -> u8 {
        *self.b.get(self.i + k).unwrap_or(&0)
    }

    fn skip_block_comment(&mut self) {
        // At "/*"; comments nest.
        let mut depth = 0;
        while self.i < self.b.len() {
            if self.peek(0) == b'/' && self.peek(1) == b'*' {
                depth += 1;
                self.bump();
                self.bump();
            } else if self.peek(0) == b'*' && self.peek(1) == b'/' {
                depth -= 1;
                self.bump();
                self.bump();
                if depth == 0 {
                    return;
                }
            } else {
                self.bump();
            }
        }
    }

    fn quoted(&mut self, quote: u8) {
        // At the opening quote.
        self.bump();
        while self.i < self.b.len() {
            let c = self.peek(0);
            if c == b'\\' {
                self.bump();
                if self.i < self.b.len() {
                    self.bump();
                }
            } else if c == quote {
                self.bump();
                return;
            } else {
                self.bump();
            }
        }
    }

    fn raw_string(&mut self) {
        // At the first '#' or '"' after the `r`.
        let mut hashes = 0;
        while self.peek(0) == b'#' {
            hashes += 1;
            self.bump();
        }
        if self.peek(0) != b'"' {
            return;
        }
        self.bump();
        while self.i < self.b.len() {
            if self.peek(0) == b'"' && (1..=hashes).all(|k| self.peek(k) == b'#') {
                for _ in 0..=hashes {
                    self.bump();
                }
                return;
            }
            self.bump();
        }
    }

    fn ident_tail(&mut self) {
        while self.i < self.b.len() {
            let c = self.peek(0);
            if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                // A continuation byte belongs to the character before it (an identifier may
                // start with a multi-byte character, of which one byte was taken).
                if c >= 0x80
                    && c & 0xC0 != 0x80
                    && !self.src[self.i..]
                        .chars()
                        .next()
                        .is_some_and(is_ident_continue)
                {
                    return;
                }
                self.bump();
            } else {
                return;
            }
        }
    }
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(crate) fn lex(src: &str) -> Vec<Tok<'_>> {
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        i: 0,
        line: 1,
        col: 0,
    };
    let mut toks: Vec<Tok> = Vec::with_capacity(src.len() / 4);
    let mut stack: Vec<usize> = Vec::new();
    // A shebang line (not an inner attribute `#![`).
    if src.starts_with("#!") && !src[2..].trim_start().starts_with('[') {
        while lx.i < lx.b.len() && lx.peek(0) != b'\n' {
            lx.bump();
        }
    }
    while lx.i < lx.b.len() {
        let c = lx.peek(0);
        let (start, line, col) = (lx.i, lx.line, lx.col);
        let kind = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                lx.bump();
                continue;
            }
            b'/' if lx.peek(1) == b'/' => {
                while lx.i < lx.b.len() && lx.peek(0) != b'\n' {
                    lx.bump();
                }
                continue;
            }
            b'/' if lx.peek(1) == b'*' => {
                lx.skip_block_comment();
                continue;
            }
            b'"' => {
                lx.quoted(b'"');
                Kind::Literal
            }
            b'\'' => {
                // A char literal, or a lifetime / label.
                let is_char = lx.peek(1) == b'\\'
                    || (lx.peek(2) == b'\'' && lx.peek(1) != b'\'')
                    || {
                        // multi-byte char: 'é'
                        let rest = &src[lx.i + 1..];
                        let mut it = rest.chars();
                        matches!((it.next(), it.next()), (Some(ch), Some('\'')) if ch.len_utf8() > 1)
                    };
                if is_char {
                    lx.quoted(b'\'');
                    Kind::Literal
                } else {
                    lx.bump();
                    lx.ident_tail();
                    Kind::Lifetime
                }
            }
            b'0'..=b'9' => {
                lx.bump();
                while lx.i < lx.b.len() {
                    let d = lx.peek(0);
                    let exponent_sign = (d == b'+' || d == b'-')
                        && matches!(lx.b[lx.i - 1], b'e' | b'E')
                        && !src[start..lx.i].starts_with("0x");
                    let fraction = d == b'.' && lx.peek(1).is_ascii_digit();
                    if d.is_ascii_alphanumeric() || d == b'_' || fraction || exponent_sign {
                        lx.bump();
                    } else {
                        break;
                    }
                }
                Kind::Literal
            }
            b'(' | b'[' | b'{' => {
                lx.bump();
                stack.push(toks.len());
                Kind::Open
            }
            b')' | b']' | b'}' => {
                lx.bump();
                if let Some(open) = stack.pop() {
                    toks[open].close = (toks.len() - open) as u32;
                }
                Kind::Close
            }
            _ if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                // Prefixed literals: b"..", br"..", r"..", r#".."#, c"..", b'..'; raw idents r#x.
                let next = lx.peek(1);
                if (c == b'b' || c == b'c') && next == b'"' {
                    lx.bump();
                    lx.quoted(b'"');
                    Kind::Literal
                } else if c == b'b' && next == b'\'' {
                    lx.bump();
                    lx.quoted(b'\'');
                    Kind::Literal
                } else if (c == b'b' || c == b'c')
                    && next == b'r'
                    && matches!(lx.peek(2), b'"' | b'#')
                {
                    lx.bump();
                    lx.bump();
                    lx.raw_string();
                    Kind::Literal
                } else if c == b'r'
                    && (next == b'"'
                        || (next == b'#' && lx.peek(2) == b'"')
                        || (next == b'#' && lx.peek(2) == b'#'))
                {
                    lx.bump();
                    lx.raw_string();
                    Kind::Literal
                } else if c == b'r' && next == b'#' {
                    lx.bump();
                    lx.bump();
                    lx.ident_tail();
                    Kind::Ident
                } else if c >= 0x80
                    && !src[lx.i..]
                        .chars()
                        .next()
                        .is_some_and(|ch| ch.is_alphabetic())
                {
                    lx.bump();
                    while lx.i < lx.b.len() && lx.b[lx.i] & 0xC0 == 0x80 {
                        lx.bump();
                    }
                    Kind::Punct
                } else {
                    lx.bump();
                    lx.ident_tail();
                    Kind::Ident
                }
            }
            _ => {
                // `::` is one token for the walker; other punctuation is single characters.
                lx.bump();
                if c == b':' && lx.peek(0) == b':' {
                    lx.bump();
                }
                Kind::Punct
            }
        };
        toks.push(Tok {
            kind,
            text: &src[start..lx.i],
            line,
            col,
            close: 0,
        });
    }
    let end = toks.len();
    for open in stack {
        toks[open].close = (end - open) as u32;
    }
    toks
}

/// The value of a plain or raw string literal's text.
pub(crate) fn string_value(lit: &str) -> Option<String> {
    if let Some(raw) = lit.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = &raw[hashes..];
        return Some(
            inner
                .get(1..inner.len().checked_sub(1 + hashes)?)?
                .to_owned(),
        );
    }
    let inner = lit.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            '0' => out.push('\0'),
            '\n' => {
                while chars.clone().next().is_some_and(char::is_whitespace) {
                    chars.next();
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{Kind, lex, string_value};

    /// Tokens as `kind:text@line:col`, closes left out.
    fn tokens(src: &str) -> Vec<String> {
        lex(src)
            .iter()
            .filter(|t| t.kind != Kind::Close)
            .map(|t| format!("{:?}:{}@{}:{}", t.kind, t.text, t.line, t.col))
            .collect()
    }

    #[test]
    fn tokens_and_positions() {
        let cases: &[(&str, &[&str])] = &[
            (
                "a::b!(1)",
                &[
                    "Ident:a@1:0",
                    "Punct:::@1:1",
                    "Ident:b@1:3",
                    "Punct:!@1:4",
                    "Open:(@1:5",
                    "Literal:1@1:6",
                ],
            ),
            ("// c\n/* d /* nested */ */x", &["Ident:x@2:20"]),
            (
                "r#\"a \" b\"# y",
                &["Literal:r#\"a \" b\"#@1:0", "Ident:y@1:11"],
            ),
            (
                "'a' 'b: x",
                &[
                    "Literal:'a'@1:0",
                    "Lifetime:'b@1:4",
                    "Punct::@1:6",
                    "Ident:x@1:8",
                ],
            ),
            (
                "b\"\\\"\" br\"x\" c\"y\"",
                &[
                    "Literal:b\"\\\"\"@1:0",
                    "Literal:br\"x\"@1:6",
                    "Literal:c\"y\"@1:12",
                ],
            ),
            ("é(ü)", &["Ident:é@1:0", "Open:(@1:1", "Ident:ü@1:2"]),
            ("#!/bin/sh\nx", &["Ident:x@2:0"]),
            (
                "#![no_std]",
                &[
                    "Punct:#@1:0",
                    "Punct:!@1:1",
                    "Open:[@1:2",
                    "Ident:no_std@1:3",
                ],
            ),
            ("r#type", &["Ident:r#type@1:0"]),
            ("\r\nx", &["Ident:x@2:0"]),
        ];
        for (src, expected) in cases {
            assert_eq!(tokens(src), *expected, "{src:?}");
        }
    }

    #[test]
    fn broken_input_ends_without_panic() {
        for src in [
            "\"unterminated",
            "/* open",
            "r##\"raw",
            "(((",
            ")))",
            "'",
            "b'",
            "#[",
            "\u{0}",
            "}{",
        ] {
            let toks = lex(src);
            for (i, t) in toks.iter().enumerate() {
                if t.kind == Kind::Open {
                    assert!(i + t.close as usize <= toks.len(), "{src:?}");
                }
            }
        }
    }

    #[test]
    fn string_values() {
        assert_eq!(string_value("\"a\\nb\"").as_deref(), Some("a\nb"));
        assert_eq!(string_value("r#\"a\"b\"#").as_deref(), Some("a\"b"));
        assert_eq!(string_value("\"a\\\n   b\"").as_deref(), Some("ab"));
        assert_eq!(string_value("\"\\x41\""), None);
        assert_eq!(string_value("12"), None);
        assert_eq!(string_value("r#\""), None);
    }
}
