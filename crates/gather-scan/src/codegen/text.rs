//! Generated code written as text, for speed, and turned into tokens in one place.

use proc_macro2::{Span, TokenStream};

use crate::cfg::{Cfg, all_of};

/// Generated text as tokens, parsed by rustc itself where it can (proc_macro2's `parse` runs its
/// own unoptimized lexer first); a predicate the scan kept verbatim may not parse.
pub(crate) fn parse(text: &str) -> syn::Result<TokenStream> {
    let parsed = if proc_macro::is_available() {
        text.parse::<proc_macro::TokenStream>()
            .map(TokenStream::from)
            .map_err(|e| e.to_string())
    } else {
        text.parse::<TokenStream>().map_err(|e| e.to_string())
    };
    parsed
        .map_err(|e| syn::Error::new(Span::call_site(), format!("gather generated `{text}`: {e}")))
}

/// `#[cfg(all(..))] ` for a registration's predicates, or nothing.
pub(crate) fn cfg_attr(cfg: &[Cfg]) -> String {
    all_of(cfg)
        .map(|p| format!("#[cfg({p})] "))
        .unwrap_or_default()
}
