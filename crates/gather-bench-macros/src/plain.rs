//! The common benchmark: no options, no `#[ignore]`, and `fn name(b: &mut Bencher)` or
//! `fn name() -> T`. It is read without syn (gather-scan's `framework::plain_fn`) and handed back
//! as it came: the attribute runs once per benchmark, in a proc-macro build that is not optimized
//! by default. Anything else takes the syn path, which also reports what is wrong. (Its
//! descriptor is built from tokens as the syn path's is: written as text and parsed, it would be
//! a new source file in rustc per benchmark, which measured slower.)

use proc_macro2::{Ident, TokenStream, TokenTree};

use crate::Form;

/// A benchmark in the common shape.
pub(crate) struct Benchmark {
    pub name: Ident,
    pub form: Form,
}

/// The benchmark that `item` is, if it has the common shape.
pub(crate) fn read(item: &TokenStream) -> Option<Benchmark> {
    let f = gather_scan::framework::plain_fn(item, &["ignore"])?;
    let form = match (f.params.is_empty(), f.returns) {
        (true, true) => Form::Short,
        (false, false) if takes_bencher(f.params) => Form::Bencher,
        _ => return None,
    };
    Some(Benchmark { name: f.name, form })
}

/// Whether parameter tokens are `name: &mut Bencher` (the type's path may have segments before
/// `Bencher`).
fn takes_bencher(params: TokenStream) -> bool {
    let trees: Vec<TokenTree> = params.into_iter().collect();
    let punct = |t: &TokenTree, c: char| matches!(t, TokenTree::Punct(p) if p.as_char() == c);
    let [
        TokenTree::Ident(_),
        colon,
        amp,
        TokenTree::Ident(mutable),
        path @ ..,
    ] = &trees[..]
    else {
        return false;
    };
    punct(colon, ':')
        && punct(amp, '&')
        && mutable == "mut"
        && matches!(path.last(), Some(TokenTree::Ident(i)) if i == "Bencher")
        && path
            .iter()
            .all(|t| matches!(t, TokenTree::Ident(_)) || punct(t, ':'))
}
