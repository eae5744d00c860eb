//! Small queries over lexed tokens, shared by the attribute reader and the walker: groups,
//! paths, where an item or statement ends.

use crate::lex::{Kind, Tok, string_value};

/// Joins tokens back into source text that rustc's parser reads the same way.
pub(crate) fn text_of(toks: &[Tok]) -> String {
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(t.text);
    }
    s
}

/// Splits at top-level commas.
pub(crate) fn split_commas<'a>(toks: &'a [Tok<'a>]) -> Vec<&'a [Tok<'a>]> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < toks.len() {
        if toks[i].kind == Kind::Open {
            i = close_of(toks, i) + 1;
            continue;
        }
        if toks[i].is_punct(',') {
            parts.push(&toks[start..i]);
            start = i + 1;
        }
        i += 1;
    }
    if start < toks.len() {
        parts.push(&toks[start..]);
    }
    parts
}

/// The index of the `Close` matching the `Open` at `open` (or the end of `toks`).
pub(crate) fn close_of(toks: &[Tok], open: usize) -> usize {
    (open + toks[open].close as usize).min(toks.len())
}

/// Group contents.
pub(crate) fn group<'a, 'b>(toks: &'b [Tok<'a>], open: usize) -> &'b [Tok<'a>] {
    &toks[open + 1..close_of(toks, open)]
}

/// An identifier as a name: `r#type` names `type` (generated code writes it raw again where it
/// must, see `names::raw_if_keyword`).
pub(crate) fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Parses a path `a::b::c` (with an optional leading `::`) at the start of `toks`; returns the
/// segments and how many tokens it took.
pub(crate) fn parse_path(toks: &[Tok]) -> Option<(Vec<String>, usize)> {
    let mut segs = Vec::new();
    let mut i = 0;
    if toks.first()?.is("::") {
        segs.push(String::new());
        i = 1;
    }
    loop {
        let t = toks.get(i)?;
        if t.kind != Kind::Ident {
            return None;
        }
        segs.push(unraw(t.text).to_owned());
        i += 1;
        match toks.get(i) {
            Some(t) if t.is("::") => i += 1,
            _ => return Some((segs, i)),
        }
    }
}

pub(crate) fn find_punct(toks: &[Tok], from: usize, c: char) -> usize {
    let mut j = from;
    while j < toks.len() {
        if toks[j].is_punct(c) {
            return j;
        }
        if toks[j].kind == Kind::Open {
            j = close_of(toks, j) + 1;
            continue;
        }
        j += 1;
    }
    toks.len()
}

/// The body `{..}` of a `fn`, `impl` or `trait` starting at `i` (None for `fn f();`), and the
/// index after the item.
pub(crate) fn find_body(toks: &[Tok], i: usize) -> (Option<usize>, usize) {
    let mut j = i + 1;
    let mut angle = 0i32;
    while j < toks.len() {
        let t = &toks[j];
        if t.is_punct('<') {
            angle += 1;
        } else if t.is_punct('>') && !toks[j - 1].is_punct('-') && !toks[j - 1].is_punct('=') {
            angle -= 1;
        } else if t.is_punct(';') && angle <= 0 {
            return (None, j + 1);
        } else if t.is_open('{') && angle <= 0 {
            return (Some(j), close_of(toks, j) + 1);
        }
        if t.kind == Kind::Open {
            j = close_of(toks, j) + 1;
            continue;
        }
        j += 1;
    }
    (None, toks.len())
}

/// The end of a `struct`/`enum`/`union`/`type`/`extern` item.
pub(crate) fn skip_item(toks: &[Tok], i: usize) -> usize {
    let mut j = i + 1;
    while j < toks.len() {
        let t = &toks[j];
        if t.is_punct(';') {
            return j + 1;
        }
        if t.is_open('{') {
            // `struct A { .. }` ends here; `struct A(..);` and `where` clauses go on to `;`.
            return close_of(toks, j) + 1;
        }
        if t.kind == Kind::Open {
            j = close_of(toks, j) + 1;
            continue;
        }
        j += 1;
    }
    toks.len()
}

pub(crate) fn skip_macro(toks: &[Tok], i: usize) -> usize {
    let mut j = i + 1;
    while j < toks.len() {
        if toks[j].kind == Kind::Open {
            let mut end = close_of(toks, j) + 1;
            if toks.get(end).is_some_and(|t| t.is_punct(';')) {
                end += 1;
            }
            return end;
        }
        j += 1;
    }
    toks.len()
}

/// Whether a statement starting with these tokens ends at its first top-level block.
pub(crate) fn starts_block_like(toks: &[Tok]) -> bool {
    let first = &toks[0];
    first.is_open('{')
        || [
            "if", "match", "loop", "while", "for", "unsafe", "async", "const",
        ]
        .iter()
        .any(|k| first.is(k))
        || (first.kind == Kind::Lifetime && toks.get(1).is_some_and(|t| t.is_punct(':')))
}

/// Whether a body declares items (which makes it a scope for name resolution).
pub(crate) fn has_items(toks: &[Tok]) -> bool {
    let mut depth_skip = 0usize;
    for (k, t) in toks.iter().enumerate() {
        if k < depth_skip {
            continue;
        }
        if t.kind == Kind::Open {
            depth_skip = close_of(toks, k) + 1;
            continue;
        }
        if t.kind == Kind::Ident
            && [
                "use",
                "mod",
                "static",
                "fn",
                "struct",
                "enum",
                "trait",
                "impl",
                "type",
                "macro_rules",
            ]
            .contains(&t.text)
        {
            return true;
        }
        if t.is("const")
            && toks.get(k + 1).is_some_and(|n| {
                n.kind == Kind::Ident && n.text.chars().next().is_some_and(|c| c.is_uppercase())
            })
        {
            return true;
        }
    }
    false
}

/// The file named by `include!(..)`'s argument: a literal, or `concat!` of literals and `env!`.
pub(crate) fn eval_str(toks: &[Tok]) -> Option<String> {
    match toks {
        [lit] if lit.kind == Kind::Literal => string_value(lit.text),
        [name, bang, open, ..] if bang.is_punct('!') && open.kind == Kind::Open => {
            let args = group(toks, 2);
            match name.text {
                "concat" => split_commas(args).into_iter().map(eval_str).collect(),
                "env" => std::env::var(eval_str(split_commas(args).first()?)?).ok(),
                _ => None,
            }
        }
        _ => None,
    }
}
