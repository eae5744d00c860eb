//! `tiny_log::info!` and `tiny_log::warn!`: each call is a registration of the crate's message
//! table (the registry that `tiny_log::messages!()` declares with `macro = tiny_log::info`), and
//! writes only that message's index and its arguments' bytes.
use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, LitStr, Token};

struct Call {
    format: LitStr,
    args: Punctuated<Expr, Token![,]>,
}

impl Parse for Call {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let format: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected a format string: `info!(\"temp = {}\", t)`",
            )
        })?;
        let args = if input.is_empty() {
            Punctuated::new()
        } else {
            input.parse::<Token![,]>()?;
            Punctuated::parse_terminated(input)?
        };
        Ok(Call { format, args })
    }
}

/// The number of `{}` in a format string (`{{` and `}}` are literal braces), or what is wrong.
fn placeholders(format: &str) -> Result<usize, &'static str> {
    let mut n = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                chars.next();
            }
            ('{', Some('}')) => {
                chars.next();
                n += 1;
            }
            ('{', _) => {
                return Err(
                    "tiny-log formats only `{}` (no names, positions or specs); write `{{` for a brace",
                );
            }
            ('}', _) => return Err("unmatched `}`: write `}}` for a brace"),
            _ => {}
        }
    }
    Ok(n)
}

fn log(input: TokenStream, level: TokenStream2) -> TokenStream {
    let id = input
        .clone()
        .into_iter()
        .next()
        .and_then(|t| gather_scan::span_id(t.span()));
    let main = gather_scan::framework::require_main(
        &gather_scan::mode(None),
        &["tiny_log", "messages"],
        proc_macro2::Span::call_site(),
        "tiny-log's log calls register into the crate's message table: add `tiny_log::messages!();` at the crate root",
    );
    if let Err(e) = main {
        return e.to_compile_error().into();
    }
    let call = match syn::parse::<Call>(input) {
        Ok(c) => c,
        Err(e) => return e.to_compile_error().into(),
    };
    let wanted = match placeholders(&call.format.value()) {
        Ok(n) => n,
        Err(e) => {
            return syn::Error::new(call.format.span(), e)
                .to_compile_error()
                .into();
        }
    };
    if wanted != call.args.len() {
        let message = format!(
            "the format string has {wanted} `{{}}` but {} argument{} follow",
            call.args.len(),
            if call.args.len() == 1 { "" } else { "s" }
        );
        return syn::Error::new(call.format.span(), message)
            .to_compile_error()
            .into();
    }
    let format = &call.format;
    let message =
        quote!(::tiny_log::Message { level: #level, format: #format, line: ::core::line!() });
    let index = gather_scan::index_registration(
        &quote!(::tiny_log::__gather),
        &quote!(crate::__TINY_LOG_MESSAGES),
        id,
        message,
    );
    // Hygienic: an argument that names a `frame` of the caller's still means the caller's.
    let frame = proc_macro2::Ident::new("frame", proc_macro2::Span::mixed_site());
    let args = call
        .args
        .iter()
        .map(|a| quote_spanned!(syn::spanned::Spanned::span(a)=> #frame.arg(&(#a));));
    quote!({
        let mut #frame = ::tiny_log::Frame::new(#index);
        #(#args)*
        #frame.send();
    })
    .into()
}

/// `info!("format with {}", args..)`: logs at level info.
#[proc_macro]
pub fn info(input: TokenStream) -> TokenStream {
    log(input, quote!(::tiny_log::Level::Info))
}

/// `warn!("format with {}", args..)`: logs at level warn.
#[proc_macro]
pub fn warn(input: TokenStream) -> TokenStream {
    log(input, quote!(::tiny_log::Level::Warn))
}
