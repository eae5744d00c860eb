//! The common shape of a framework's function, read without parsing it: `fn name(..) { .. }`
//! (or `-> T`), no generics, not `async`/`const`/`unsafe`/`extern`. A framework's attribute runs
//! once per test or benchmark in a proc-macro build that is not optimized by default, so it
//! should not have syn parse each function's body (token by token) when all it needs is the name
//! and the parameters; anything else goes to its syn path, which also reports what is wrong.

use proc_macro2::{Delimiter, Ident, TokenStream, TokenTree};

/// What a framework needs of a function in the common shape.
pub struct PlainFn {
    /// The function's name.
    pub name: Ident,
    /// The tokens between the parentheses of the parameter list.
    pub params: TokenStream,
    /// Whether it declares a return type (`-> T`).
    pub returns: bool,
}

/// `item` as a [`PlainFn`], or `None` if it has another shape or an outer attribute named in
/// `attributes_read_by_syn` (such as `ignore`, which the framework's syn path reads).
///
/// ```
/// use gather_scan::framework::plain_fn;
///
/// let item: proc_macro2::TokenStream = "#[inline] pub fn adds() -> u8 { 1 + 1 }".parse().unwrap();
/// let plain = plain_fn(&item, &["ignore"]).unwrap();
/// assert_eq!(plain.name.to_string(), "adds");
/// assert!(plain.params.is_empty() && plain.returns);
/// let ignored: proc_macro2::TokenStream = "#[ignore] fn slow() {}".parse().unwrap();
/// assert!(plain_fn(&ignored, &["ignore"]).is_none());
/// ```
pub fn plain_fn(item: &TokenStream, attributes_read_by_syn: &[&str]) -> Option<PlainFn> {
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
        if let Some(TokenTree::Ident(i)) = g.stream().into_iter().next()
            && attributes_read_by_syn.iter().any(|name| i == name)
        {
            return None;
        }
    }
    // Visibility, then `fn` (no `async`, `const`, `unsafe` or `extern`).
    let mut next = trees.next()?;
    if matches!(&next, TokenTree::Ident(i) if i == "pub") {
        next = trees.next()?;
        if let TokenTree::Group(g) = &next
            && g.delimiter() == Delimiter::Parenthesis
        {
            next = trees.next()?;
        }
    }
    if !matches!(&next, TokenTree::Ident(i) if i == "fn") {
        return None;
    }
    let Some(TokenTree::Ident(name)) = trees.next() else {
        return None;
    };
    // No generics: the parameters follow the name.
    let params = match trees.next()? {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => g.stream(),
        _ => return None,
    };
    let returns = matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '-');
    // The body is the last tree.
    match trees.last()? {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {}
        _ => return None,
    }
    Some(PlainFn {
        name,
        params,
        returns,
    })
}

/// Line and column (1-based) of where `name` is written, as `line!()` and `column!()` written
/// there would give them: literals instead of two macros for rustc to expand per test. Only
/// inside a proc macro.
pub fn position(name: &Ident) -> (u32, u32) {
    let span = name.span().unwrap();
    (span.line() as u32, span.column() as u32)
}

/// The file where `name` is written, as `file!()` written there gives it (rustc's `Span::file`,
/// which shows the path as `file!()` does, `--remap-path-prefix` applied): a literal instead of a
/// macro for rustc to expand per test. Only inside a proc macro.
pub fn file(name: &Ident) -> String {
    name.span().unwrap().file()
}
