//! The `#[bench]` attribute of `gather-bench`. See the `gather-bench` crate for how to use it.
mod plain;

use gather_scan::framework::Ignore;
use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

/// Registers a benchmark in the registry that `gather_bench::main!()` declares.
///
/// Forms: `fn name(b: &mut Bencher)` (calls `b.iter(..)` or another `Bencher` method) or
/// `fn name() -> T` (the whole body is measured). Options: `args = [..]`, `bytes = N`,
/// `items = N`, `samples = N`, `time = "1s"`, `warm_up = "200ms"`, `ignore`,
/// `ignore = "reason"`. `#[ignore]` beside the attribute works too.
///
/// ```ignore
/// // benches/speed/main.rs, with `gather_bench::main!();` at its top
/// use gather_bench::{Bencher, black_box};
///
/// #[gather_bench::bench(bytes = 4096)]
/// fn checksum(b: &mut Bencher) {
///     let data = vec![1u8; 4096];
///     b.iter(|| black_box(&data).iter().map(|&x| x as u64).sum::<u64>());
/// }
///
/// #[gather_bench::bench(args = [10, 20], samples = 50, time = "2s")]
/// fn fib(n: u64) -> u64 {
///     if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
/// }
/// ```
///
/// (Not a doctest: a doctest has no crate root file for gather's scan to read. The fixture
/// `tests/fixtures/gb-user` of gather's repository is built and run by gather-bench's tests.)
#[proc_macro_attribute]
pub fn bench(attr: TokenStream, item: TokenStream) -> TokenStream {
    let id = gather_scan::attribute_registration();
    let item = TokenStream2::from(item);
    if attr.is_empty()
        && let Some(benchmark) = plain::read(&item)
    {
        if let Some(error) = main_missing(&benchmark.name) {
            return error.to_compile_error().into();
        }
        return match register(id, &benchmark.name, &benchmark.form, &Options::default()) {
            Ok(registration) => quote!(#[allow(dead_code)] #item #registration).into(),
            Err(error) => error.to_compile_error().into(),
        };
    }
    let mut function: syn::ItemFn = match syn::parse2(item) {
        Ok(function) => function,
        Err(error) => return error.to_compile_error().into(),
    };
    if let Some(error) = main_missing(&function.sig.ident) {
        return error.to_compile_error().into();
    }
    let mut options = Options::default();
    let parser = syn::meta::parser(|meta| options.parse(meta));
    let expanded =
        syn::parse::Parser::parse(parser, attr).and_then(|()| expand(id, options, &mut function));
    match expanded {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            // The registry expects this registration: give it an empty one, so the error above
            // is the only one reported.
            let empty = gather_scan::registration(
                &quote!(::gather_bench::__gather),
                &quote!(crate::__GATHER_BENCH_BENCHES),
                id,
                gather_scan::RegistrationValue::One(given(&quote!(::gather_bench), quote!(&[]))),
            );
            let error = error.to_compile_error();
            quote!(#error #empty).into()
        }
    }
}

/// Tells users who forgot `main!()`, instead of an unresolved-path error.
fn main_missing(name: &syn::Ident) -> Option<syn::Error> {
    gather_scan::framework::require_main(
        &gather_scan::mode(None),
        &["gather_bench", "main"],
        name.span(),
        "`#[gather_bench::bench]` needs `gather_bench::main!();` at the crate root of this bench target \
         (and `harness = false` under its [[bench]] in Cargo.toml)",
    )
    .err()
}

#[derive(Default)]
struct Options {
    args: Option<Vec<syn::Expr>>,
    bytes: Option<syn::Expr>,
    items: Option<syn::Expr>,
    samples: Option<u32>,
    time_ns: Option<u64>,
    warm_up_ns: Option<u64>,
    ignore: Option<Ignore>,
}

const OPTIONS: &str = "`args = [..]`, `bytes = N`, `items = N`, `samples = N`, `time = \"1s\"`, `warm_up = \"200ms\"`, `ignore` or `ignore = \"reason\"`";

impl Options {
    /// Whether no option is given (not even `#[ignore]`).
    fn all_default(&self) -> bool {
        let Options {
            args,
            bytes,
            items,
            samples,
            time_ns,
            warm_up_ns,
            ignore,
        } = self;
        args.is_none()
            && bytes.is_none()
            && items.is_none()
            && samples.is_none()
            && time_ns.is_none()
            && warm_up_ns.is_none()
            && ignore.is_none()
    }

    fn parse(&mut self, meta: syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
        let name = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        let once = |seen: bool| {
            if seen {
                Err(meta.error(format!("`{name}` is given twice")))
            } else {
                Ok(())
            }
        };
        match name.as_str() {
            "args" => {
                once(self.args.is_some())?;
                let array: syn::ExprArray = meta.value()?.parse()?;
                if array.elems.is_empty() {
                    return Err(syn::Error::new(
                        array.span(),
                        "`args` needs at least one argument",
                    ));
                }
                self.args = Some(array.elems.into_iter().collect());
            }
            "bytes" => {
                once(self.bytes.is_some() || self.items.is_some())?;
                self.bytes = Some(meta.value()?.parse()?);
            }
            "items" => {
                once(self.bytes.is_some() || self.items.is_some())?;
                self.items = Some(meta.value()?.parse()?);
            }
            "samples" => {
                once(self.samples.is_some())?;
                let lit: syn::LitInt = meta.value()?.parse()?;
                let n: u32 = lit.base10_parse()?;
                if n < 2 {
                    return Err(syn::Error::new(lit.span(), "`samples` must be at least 2"));
                }
                self.samples = Some(n);
            }
            "time" | "warm_up" => {
                let slot = if name == "time" {
                    &mut self.time_ns
                } else {
                    &mut self.warm_up_ns
                };
                once(slot.is_some())?;
                let lit: syn::LitStr = meta.value()?.parse()?;
                let ns = parse_duration_ns(&lit.value()).ok_or_else(|| {
                    syn::Error::new(
                        lit.span(),
                        "expected a duration such as \"1s\", \"500ms\", \"250us\" or \"0.5s\"",
                    )
                })?;
                if name == "time" && ns == 0 {
                    return Err(syn::Error::new(lit.span(), "`time` must not be zero"));
                }
                *slot = Some(ns);
            }
            "ignore" => {
                once(self.ignore.is_some())?;
                self.ignore = Some(if meta.input.peek(syn::Token![=]) {
                    let reason: syn::LitStr = meta.value()?.parse()?;
                    Ignore::Reason(Box::new(syn::Expr::Lit(syn::ExprLit {
                        attrs: Vec::new(),
                        lit: reason.into(),
                    })))
                } else {
                    Ignore::Yes
                });
            }
            _ => {
                return Err(meta.error(format!(
                    "unknown option of `#[gather_bench::bench]`; expected {OPTIONS}"
                )));
            }
        }
        Ok(())
    }
}

/// A duration option (`time = "2s"`) in nanoseconds, read by gather-harness's
/// [`parse_duration`](gather_harness::parse_duration) as gather-bench's command line reads
/// `--measurement-time`: a bare number is seconds.
fn parse_duration_ns(text: &str) -> Option<u64> {
    gather_harness::parse_duration(text).and_then(|d| u64::try_from(d.as_nanos()).ok())
}

/// What the function looks like.
enum Form {
    /// `fn name(b: &mut Bencher[, arg])`.
    Bencher,
    /// `fn name([arg]) -> T`.
    Short,
}

fn is_bencher(arg: &syn::FnArg) -> bool {
    let syn::FnArg::Typed(pat) = arg else {
        return false;
    };
    let syn::Type::Reference(reference) = &*pat.ty else {
        return false;
    };
    let syn::Type::Path(path) = &*reference.elem else {
        return false;
    };
    reference.mutability.is_some()
        && path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Bencher")
}

/// A name segment for an argument: a string literal's value, otherwise the tokens without
/// the spaces `to_string` puts between punctuation.
fn arg_name(expr: &syn::Expr) -> String {
    if let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = expr
    {
        return s.value();
    }
    let text = expr.to_token_stream().to_string();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_');
            if word(chars.get(i.wrapping_sub(1))) && word(chars.get(i + 1)) {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

fn expand(
    id: Option<u64>,
    mut options: Options,
    function: &mut syn::ItemFn,
) -> syn::Result<TokenStream2> {
    let name = function.sig.ident.clone();
    let sig = &function.sig;
    if !sig.generics.params.is_empty() || sig.asyncness.is_some() || sig.constness.is_some() {
        return Err(syn::Error::new(
            sig.span(),
            "a benchmark is a plain `fn` (not generic, async or const)",
        ));
    }
    let form = match sig.inputs.first() {
        Some(first) if is_bencher(first) => Form::Bencher,
        _ => Form::Short,
    };
    let params = sig.inputs.len() - usize::from(matches!(form, Form::Bencher));
    let wanted = usize::from(options.args.is_some());
    if params != wanted {
        let message = match (&form, wanted) {
            (Form::Bencher, 0) => {
                "a benchmark with a `Bencher` takes only it: `fn name(b: &mut Bencher)`; with `args = [..]`, `fn name(b: &mut Bencher, arg: T)`"
            }
            (Form::Bencher, _) => {
                "with `args = [..]`, a benchmark takes the `Bencher` and one argument: `fn name(b: &mut Bencher, arg: T)`"
            }
            (Form::Short, 0) => {
                "a benchmark is `fn name(b: &mut gather_bench::Bencher)` or `fn name() -> T`; with `args = [..]`, it takes one more parameter"
            }
            (Form::Short, _) => {
                "with `args = [..]`, a benchmark takes one argument: `fn name(arg: T) -> U` or `fn name(b: &mut Bencher, arg: T)`"
            }
        };
        return Err(syn::Error::new(
            sig.inputs
                .span()
                .join(sig.ident.span())
                .unwrap_or(sig.ident.span()),
            message,
        ));
    }
    if matches!(form, Form::Bencher) && !matches!(sig.output, syn::ReturnType::Default) {
        return Err(syn::Error::new(
            sig.output.span(),
            "a benchmark that takes a `Bencher` returns nothing; what `b.iter(..)`'s closure returns is kept from being optimized away",
        ));
    }
    // `#[ignore]` beside the attribute, as with `#[test]`.
    let mut kept = Vec::new();
    for attr in function.attrs.drain(..) {
        match Ignore::from_attribute(&attr)? {
            Some(_) if options.ignore.is_some() => {
                return Err(syn::Error::new(attr.span(), "`ignore` is given twice"));
            }
            Some(ignore) => options.ignore = Some(ignore),
            None => kept.push(attr),
        }
    }
    function.attrs = kept;
    let registration = register(id, &name, &form, &options)?;
    Ok(quote! {
        #[allow(dead_code)]
        #function
        #registration
    })
}

/// The registration of benchmark `name` (a checked function of shape `form`).
fn register(
    id: Option<u64>,
    name: &syn::Ident,
    form: &Form,
    options: &Options,
) -> syn::Result<TokenStream2> {
    let krate = quote!(::gather_bench);
    let cases: Vec<(Option<String>, TokenStream2)> = match &options.args {
        None => {
            let runner = match form {
                // The function itself: no closure for rustc to compile.
                Form::Bencher => quote!(#name),
                Form::Short => quote!(|b: &mut #krate::Bencher| b.iter(#name)),
            };
            vec![(None, runner)]
        }
        Some(args) => args
            .iter()
            .map(|arg| {
                let runner = match form {
                    Form::Bencher => quote!(|b: &mut #krate::Bencher| #name(b, #arg)),
                    // The argument is made once per sample and cloned (a copy, for the usual
                    // numbers and `&str`s) and hidden from the optimizer in every iteration.
                    Form::Short => quote!(|b: &mut #krate::Bencher| {
                        let arg = #arg;
                        b.iter(|| #name(#krate::black_box(::core::clone::Clone::clone(&arg))))
                    }),
                };
                (Some(arg_name(arg)), runner)
            })
            .collect(),
    };
    let mut names = std::collections::HashSet::new();
    for (arg, _) in &cases {
        if let Some(arg) = arg
            && !names.insert(arg.clone())
        {
            return Err(syn::Error::new(
                options
                    .args
                    .as_ref()
                    .map_or(Span::call_site(), |a| a[0].span()),
                format!("two arguments of `args` are both named `{arg}`"),
            ));
        }
    }
    // The name as libtest writes it, as a literal where the scan knows the module path (no
    // const evaluation of `module_path!()` per benchmark).
    let path = gather_scan::framework::item_path(id, &name.to_string());
    let name_of = |arg: &Option<String>| match (&path, arg) {
        (Some(path), Some(arg)) => {
            let literal = format!("{path}::{arg}");
            quote!(#literal)
        }
        (Some(path), None) => quote!(#path),
        (None, Some(arg)) => quote!(#krate::__bench_name(concat!(
            module_path!(), "::", stringify!(#name), "::", #arg
        ))),
        (None, None) => {
            quote!(#krate::__bench_name(concat!(module_path!(), "::", stringify!(#name))))
        }
    };
    // Without options, the entry is a tuple of literals and the runner (see `__Entry`): the
    // harness's `Test` is built when the target starts, not in a constant per benchmark.
    let entry = match &cases[..] {
        [(None, runner)] if options.all_default() => {
            let full = name_of(&None);
            let (line, column) = gather_scan::framework::position(name);
            let file = gather_scan::framework::file(name);
            quote!((#full, #file, #line, #column, #runner, #krate::__PLAIN))
        }
        _ => {
            // The runner is in the descriptor only: the test-mode run, shared by all
            // benchmarks, finds it there.
            let ignore = options
                .ignore
                .as_ref()
                .map_or_else(|| quote!(No), Ignore::variant);
            let throughput = match (&options.bytes, &options.items) {
                (Some(n), _) => quote!(::core::option::Option::Some(#krate::Throughput::Bytes(#n))),
                (_, Some(n)) => quote!(::core::option::Option::Some(#krate::Throughput::Items(#n))),
                _ => quote!(::core::option::Option::None),
            };
            let opt_u64 = |v: Option<u64>| match v {
                Some(v) => quote!(::core::option::Option::Some(#v)),
                None => quote!(::core::option::Option::None),
            };
            let samples = opt_u64(options.samples.map(u64::from));
            let time = opt_u64(options.time_ns);
            let warm_up = opt_u64(options.warm_up_ns);
            // Source position of the function's name, as libtest reports it.
            let at = quote_spanned!(name.span()=> file: file!(), line: line!(), column: column!(),);
            let tests = cases.iter().map(|(arg, runner)| {
                let full = name_of(arg);
                quote! {
                    #krate::__harness::Test {
                        name: #full,
                        #at
                        ignore: #krate::__harness::Ignore::#ignore,
                        should_panic: #krate::__harness::ShouldPanic::No,
                        kind: #krate::__harness::Kind::Bench,
                        run: #krate::__once_current,
                        data: ::core::option::Option::Some(&#krate::__Def {
                            run: #runner,
                            throughput: #throughput,
                            samples: #samples,
                            time_ns: #time,
                            warm_up_ns: #warm_up,
                        }),
                    }
                }
            });
            given(&krate, quote!(&[#(#tests),*]))
        }
    };
    let registration = gather_scan::hook_registration(
        &quote!(crate::__GATHER_BENCH_BENCHES),
        &["gather_bench", "bench"],
        id,
        gather_scan::RegistrationValue::One(entry),
    );
    Ok(registration)
}

/// The entry of a benchmark that gives its tests (see `__Entry`).
fn given(krate: &TokenStream2, tests: TokenStream2) -> TokenStream2 {
    quote!(("", "", 0, 0, #krate::__no_run, ::core::option::Option::Some(#tests)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ns("1s"), Some(1_000_000_000));
        assert_eq!(parse_duration_ns("0.5s"), Some(500_000_000));
        assert_eq!(parse_duration_ns("200ms"), Some(200_000_000));
        assert_eq!(parse_duration_ns("10us"), Some(10_000));
        assert_eq!(parse_duration_ns("10µs"), Some(10_000));
        assert_eq!(parse_duration_ns("7 ns"), Some(7));
        assert_eq!(parse_duration_ns("7"), Some(7_000_000_000));
        assert_eq!(parse_duration_ns("1min"), None);
        assert_eq!(parse_duration_ns("s"), None);
        assert_eq!(parse_duration_ns("18446744073.709551615s"), Some(u64::MAX));
        assert_eq!(parse_duration_ns("18446744073.709551616s"), None);
    }

    #[test]
    fn argument_names() {
        let name = |s: &str| arg_name(&syn::parse_str(s).unwrap());
        assert_eq!(name("10"), "10");
        assert_eq!(name("\"abc\""), "abc");
        assert_eq!(name("1 << 10"), "1<<10");
        assert_eq!(name("-1"), "-1");
        assert_eq!(name("Size::Big"), "Size::Big");
        assert_eq!(name("f(a, b)"), "f(a,b)");
    }
}
