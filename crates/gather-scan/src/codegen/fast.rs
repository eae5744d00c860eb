//! The path-form `const` of a registration, the form that almost every `register!` takes: the
//! scan found it, with no `#[cfg]`, and the registry reaches it by a path. It runs once per
//! registration in a proc-macro build that is not optimized by default, so `register!` builds it
//! from `proc_macro` tokens directly, with as few calls into rustc as possible; the general
//! `registration` builds the same tokens through `proc_macro2`. One builder, generic over the
//! token API ([`Kit`]), serves both, so the two cannot differ.

/// A group delimiter, for either token API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delim {
    /// `( .. )`
    Parenthesis,
    /// `{ .. }`
    Brace,
    /// `[ .. ]`
    Bracket,
    /// An invisible group.
    None,
}

/// The few token operations the builder needs, over `proc_macro` or `proc_macro2`.
pub trait Kit {
    /// A token tree.
    type Tree: Clone;
    /// A token stream.
    type Stream;
    /// An identifier with the call-site span.
    fn ident(name: &str) -> Self::Tree;
    /// A punctuation character; `joint` when it forms one operator with the next (`::`).
    fn punct(c: char, joint: bool) -> Self::Tree;
    /// A group.
    fn group(delim: Delim, inner: Vec<Self::Tree>) -> Self::Tree;
    /// Trees into a stream.
    fn stream(trees: Vec<Self::Tree>) -> Self::Stream;
    /// The character of a punctuation tree.
    fn punct_of(tree: &Self::Tree) -> Option<char>;
    /// Whether the tree is an identifier.
    fn is_ident(tree: &Self::Tree) -> bool;
    /// A group's delimiter, and whether it has a comma at its top level.
    fn group_of(tree: &Self::Tree) -> Option<(Delim, bool)>;
}

/// `register!`'s arguments in the simple shape: a registry path, a comma, a value without `;`
/// (a `;` could end the `const` early and add items of the user's: the general form keeps such
/// a value one expression), an optional trailing comma. Returns the comma's index and the end of
/// the value.
pub fn split<K: Kit>(trees: &[K::Tree]) -> Option<(usize, usize)> {
    let is_comma = |t: &K::Tree| K::punct_of(t) == Some(',');
    let comma = trees.iter().position(is_comma)?;
    let mut value_end = trees.len();
    if value_end > comma + 1 && is_comma(&trees[value_end - 1]) {
        value_end -= 1;
    }
    let registry = &trees[..comma];
    let is_path = registry
        .iter()
        .all(|t| K::is_ident(t) || K::punct_of(t) == Some(':'));
    let semicolon = trees[comma + 1..value_end]
        .iter()
        .any(|t| K::punct_of(t) == Some(';'));
    (!registry.is_empty() && value_end > comma + 1 && is_path && !semicolon)
        .then_some((comma, value_end))
}

/// `pub(crate) const NAME: REGISTRY::ALIAS = VALUE;`. A value that is all in parentheses (not a
/// tuple) or braces gets `#[allow(unused_parens, unused_braces)]`: the user wrote them as a macro
/// argument, not as a `const`'s initializer. No other attribute: each costs rustc (a
/// `#[doc(hidden)]` on every constant cost 11% of a 50,000-registration build), a `pub(crate)`
/// item is not in the crate's documentation, and a name starting with `_` is never reported as
/// dead code.
///
/// With `keep_alive`, the `const` is `#[allow(dead_code)]`, which rustc's dead-code analysis
/// takes as a root: an item registered with `#[register_item]` is then never reported as unused
/// because its registry is.
pub fn path_const<K: Kit>(
    registry: &[K::Tree],
    value: Vec<K::Tree>,
    name: &str,
    alias: &str,
    keep_alive: bool,
) -> K::Stream {
    let attribute = |inner: Vec<K::Tree>| [K::punct('#', false), K::group(Delim::Bracket, inner)];
    let mut out: Vec<K::Tree> = Vec::with_capacity(20 + registry.len() + value.len());
    let needs_allow = match &value[..] {
        [only] => matches!(
            K::group_of(only),
            Some((Delim::Brace, _)) | Some((Delim::Parenthesis, false))
        ),
        _ => false,
    };
    let lints: &[&str] = match (keep_alive, needs_allow) {
        (false, false) => &[],
        (true, false) => &["dead_code"],
        (false, true) => &["unused_parens", "unused_braces"],
        (true, true) => &["dead_code", "unused_parens", "unused_braces"],
    };
    if !lints.is_empty() {
        let mut list = Vec::with_capacity(2 * lints.len());
        for (i, lint) in lints.iter().enumerate() {
            if i > 0 {
                list.push(K::punct(',', false));
            }
            list.push(K::ident(lint));
        }
        out.extend(attribute(vec![
            K::ident("allow"),
            K::group(Delim::Parenthesis, list),
        ]));
    }
    out.extend([
        K::ident("pub"),
        K::group(Delim::Parenthesis, vec![K::ident("crate")]),
        K::ident("const"),
        K::ident(name),
        K::punct(':', false),
    ]);
    out.extend(registry.iter().cloned());
    out.extend([K::punct(':', true), K::punct(':', false), K::ident(alias)]);
    out.push(K::punct('=', false));
    out.extend(value);
    out.push(K::punct(';', false));
    K::stream(out)
}

/// `proc_macro`'s tokens: inside a proc macro.
pub enum Macro {}

/// `proc_macro2`'s tokens: the general form, and tests outside a proc macro.
pub enum Wrapper {}

// The two token APIs have the same shape; one implementation, written once for both.
macro_rules! kit {
    ($kit:ident, $api:ident) => {
        impl Kit for $kit {
            type Tree = $api::TokenTree;
            type Stream = $api::TokenStream;
            fn ident(name: &str) -> Self::Tree {
                $api::Ident::new(name, $api::Span::call_site()).into()
            }
            fn punct(c: char, joint: bool) -> Self::Tree {
                let spacing = if joint {
                    $api::Spacing::Joint
                } else {
                    $api::Spacing::Alone
                };
                $api::Punct::new(c, spacing).into()
            }
            fn group(delim: Delim, inner: Vec<Self::Tree>) -> Self::Tree {
                let delim = match delim {
                    Delim::Parenthesis => $api::Delimiter::Parenthesis,
                    Delim::Brace => $api::Delimiter::Brace,
                    Delim::Bracket => $api::Delimiter::Bracket,
                    Delim::None => $api::Delimiter::None,
                };
                $api::Group::new(delim, inner.into_iter().collect()).into()
            }
            fn stream(trees: Vec<Self::Tree>) -> Self::Stream {
                trees.into_iter().collect()
            }
            fn punct_of(tree: &Self::Tree) -> Option<char> {
                match tree {
                    $api::TokenTree::Punct(p) => Some(p.as_char()),
                    _ => None,
                }
            }
            fn is_ident(tree: &Self::Tree) -> bool {
                matches!(tree, $api::TokenTree::Ident(_))
            }
            fn group_of(tree: &Self::Tree) -> Option<(Delim, bool)> {
                let $api::TokenTree::Group(g) = tree else {
                    return None;
                };
                let delim = match g.delimiter() {
                    $api::Delimiter::Parenthesis => Delim::Parenthesis,
                    $api::Delimiter::Brace => Delim::Brace,
                    $api::Delimiter::Bracket => Delim::Bracket,
                    $api::Delimiter::None => Delim::None,
                };
                let comma = g
                    .stream()
                    .into_iter()
                    .any(|t| Self::punct_of(&t) == Some(','));
                Some((delim, comma))
            }
        }
    };
}

kit!(Macro, proc_macro);
kit!(Wrapper, proc_macro2);
