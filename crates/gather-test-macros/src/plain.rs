//! The common test, read without parsing it: `fn name() { .. }` (or `-> T`), with attributes
//! that are neither `#[ignore]` nor `#[should_panic]`. The attribute runs once per test in a
//! proc-macro build that is not optimized by default, so it does not parse the function's body
//! (syn would, token by token) and hands the item back as it came.

use proc_macro::{Delimiter, Ident, Span, TokenStream, TokenTree};

/// What the attribute needs of a plain test.
pub(crate) struct Plain {
    /// The function's name.
    pub name: Ident,
    /// Whether it declares a return type (`-> T`): then its result is adapted.
    pub returns: bool,
}

/// The plain test that `item` is, or `None` for anything else (which the general path reads with
/// syn, to report what is wrong or to read `#[ignore]` and `#[should_panic]`).
pub(crate) fn read(item: &TokenStream) -> Option<Plain> {
    let mut trees = item.clone().into_iter().peekable();
    // Outer attributes.
    while let Some(TokenTree::Punct(p)) = trees.peek() {
        if p.as_char() != '#' {
            return None;
        }
        trees.next();
        let Some(TokenTree::Group(g)) = trees.next() else {
            return None;
        };
        if g.delimiter() != Delimiter::Bracket {
            return None;
        }
        let first = g.stream().into_iter().next();
        if let Some(TokenTree::Ident(i)) = first {
            let name = i.to_string();
            if name == "ignore" || name == "should_panic" {
                return None;
            }
        }
    }
    // Visibility, then `fn` (no `async`, `const`, `unsafe` or `extern`).
    let mut next = trees.next()?;
    if matches!(&next, TokenTree::Ident(i) if i.to_string() == "pub") {
        next = trees.next()?;
        if let TokenTree::Group(g) = &next
            && g.delimiter() == Delimiter::Parenthesis
        {
            next = trees.next()?;
        }
    }
    if !matches!(&next, TokenTree::Ident(i) if i.to_string() == "fn") {
        return None;
    }
    let Some(TokenTree::Ident(name)) = trees.next() else {
        return None;
    };
    // No generics, no parameters.
    match trees.next()? {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis && g.stream().is_empty() => {
        }
        _ => return None,
    }
    let returns = matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '-');
    // The body is the last tree.
    match trees.last()? {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {}
        _ => return None,
    }
    Some(Plain { name, returns })
}

/// Line and column (1-based) of a span's start, as `line!()` and `column!()` would give them.
pub(crate) fn position(span: Span) -> (u32, u32) {
    (span.line() as u32, span.column() as u32)
}
