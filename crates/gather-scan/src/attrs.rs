//! Attributes as far as the scan cares: which ones there are (with `cfg_attr` unfolded), the
//! `#[cfg]`s they put on an item, and the files `#[path]` names.

use crate::cfg::Cfg;
use crate::lex::{Tok, string_value};
use crate::tokens::{close_of, group, parse_path, split_commas};

/// One attribute. An attribute inside `#[cfg_attr(c, ..)]` is unfolded into one of these, under
/// its condition.
pub(crate) struct Attr<'a> {
    /// Where its macro is called from: the `#`, or, inside `cfg_attr`, the attribute's first
    /// token (rustc gives the unfolded attribute that token's span).
    pub at: (usize, usize),
    /// The attribute's path segments.
    pub path: Vec<String>,
    /// Tokens after the path: `(..)` group contents or, with `is_name_value`, the value.
    pub args: &'a [Tok<'a>],
    /// `path = value`.
    pub is_name_value: bool,
    /// The `cfg_attr` conditions it is under, combined.
    pub condition: Option<Cfg>,
}

impl Attr<'_> {
    /// Whether the attribute is exactly `name` (one segment).
    pub fn is(&self, name: &str) -> bool {
        self.path.len() == 1 && self.path[0] == name
    }
}

/// Reads the attributes at `toks[*i..]` (outer ones, or inner ones when `inner`), advancing `i`.
pub(crate) fn read_attrs<'a>(toks: &'a [Tok<'a>], i: &mut usize, inner: bool) -> Vec<Attr<'a>> {
    let mut out = Vec::new();
    while let Some(t) = toks.get(*i) {
        if !t.is_punct('#') {
            break;
        }
        let mut j = *i + 1;
        let is_inner = toks.get(j).is_some_and(|t| t.is_punct('!'));
        if is_inner != inner {
            break;
        }
        if is_inner {
            j += 1;
        }
        let Some(open) = toks.get(j) else { break };
        if !open.is_open('[') {
            break;
        }
        unfold(
            group(toks, j),
            (t.line as usize, t.col as usize),
            None,
            &mut out,
        );
        *i = (close_of(toks, j) + 1).min(toks.len());
    }
    out
}

/// One attribute's contents (`path`, `path(..)` or `path = value`); `cfg_attr` is unfolded.
fn unfold<'a>(
    content: &'a [Tok<'a>],
    at: (usize, usize),
    condition: Option<Cfg>,
    out: &mut Vec<Attr<'a>>,
) {
    let (path, used) = parse_path(content).unwrap_or_default();
    let rest = &content[used.min(content.len())..];
    let (args, is_name_value) = match rest.first() {
        Some(t) if t.is_open('(') => (group(rest, 0), false),
        Some(t) if t.is_punct('=') => (&rest[1..], true),
        _ => (&rest[..0], false),
    };
    if path == ["cfg_attr"] && !is_name_value {
        let mut parts = split_commas(args).into_iter();
        let Some(first) = parts.next() else { return };
        let condition = Some(Cfg::and(condition, Cfg::parse(first)));
        for part in parts.filter(|p| !p.is_empty()) {
            let at = (part[0].line as usize, part[0].col as usize);
            unfold(part, at, condition.clone(), out);
        }
        return;
    }
    out.push(Attr {
        at,
        path,
        args,
        is_name_value,
        condition,
    });
}

/// The predicates that must hold for rustc to keep the item: `#[cfg(p)]` gives `p`,
/// `#[cfg_attr(c, cfg(p))]` gives `any(not(c), p)`.
pub(crate) fn cfg_predicates(attrs: &[Attr]) -> Vec<Cfg> {
    attrs
        .iter()
        .filter(|a| a.is("cfg") && !a.is_name_value)
        .map(|a| Cfg::parse(a.args).unless_not(&a.condition))
        .collect()
}

/// The `#[path = ".."]` alternatives of a module declaration, in order, each with the
/// `cfg_attr` condition that selects it (`None` for a plain `#[path]`).
pub(crate) fn path_attrs(attrs: &[Attr]) -> Vec<(Option<Cfg>, String)> {
    attrs
        .iter()
        .filter(|a| a.is("path") && a.is_name_value)
        .filter_map(|a| {
            let value = a.args.first().and_then(|t| string_value(t.text))?;
            Some((a.condition.clone(), value))
        })
        .collect()
}

/// Attribute macros of other crates that write libtest's `#[test]` on the functions they make, by
/// their name (rstest, test-case, quickcheck).
pub(crate) const WRITER_ATTRIBUTES: &[&str] = &["rstest", "test_case", "test_matrix", "quickcheck"];

/// Function-like macros of other crates that write libtest's `#[test]`, by their name.
pub(crate) const WRITER_MACROS: &[&str] = &["quickcheck"];

// Attributes that are never a framework's registration; skipping them keeps the list short.
pub(crate) const BUILTIN_ATTRS: &[&str] = &[
    "doc",
    "cfg",
    "cfg_attr",
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "inline",
    "must_use",
    "derive",
    "path",
    "repr",
    "ignore",
    "should_panic",
    "deprecated",
    "no_mangle",
    "export_name",
    "link_section",
    "used",
    "cold",
    "track_caller",
    "non_exhaustive",
    "automatically_derived",
    "macro_export",
    "diagnostic",
    "rustfmt",
    "clippy",
    "target_feature",
    "unsafe",
];
#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::lex;

    fn attrs_of(source: &str) -> Vec<(String, (usize, usize), Option<String>)> {
        let toks = lex(source);
        let mut i = 0;
        read_attrs(&toks, &mut i, false)
            .into_iter()
            .map(|a| (a.path.join("::"), a.at, a.condition.map(|c| c.to_string())))
            .collect()
    }

    #[test]
    fn cfg_attr_is_unfolded_with_its_condition() {
        assert_eq!(
            attrs_of("#[inline] #[cfg_attr(unix, a::b(R), cfg_attr(test, c))] fn f() {}"),
            vec![
                ("inline".into(), (1, 0), None),
                ("a::b".into(), (1, 27), Some("unix".into())),
                ("c".into(), (1, 51), Some("all(unix, test)".into())),
            ]
        );
    }

    #[test]
    fn inner_and_outer_are_told_apart() {
        let toks = lex("#![no_std] #[x] fn f() {}");
        let mut i = 0;
        assert!(read_attrs(&toks, &mut i, false).is_empty());
        assert_eq!(read_attrs(&toks, &mut i, true).len(), 1);
        assert_eq!(read_attrs(&toks, &mut i, false).len(), 1);
    }

    #[test]
    fn cfg_predicates_and_paths() {
        let toks = lex("#[cfg(unix)] #[cfg_attr(feature = \"x\", cfg(test))] \
             #[path = \"a.rs\"] #[cfg_attr(windows, path = \"w.rs\")] mod m;");
        let mut i = 0;
        let attrs = read_attrs(&toks, &mut i, false);
        let cfgs: Vec<String> = cfg_predicates(&attrs)
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(cfgs, ["unix", "any(not(feature = \"x\"), test)"]);
        let paths: Vec<(Option<String>, String)> = path_attrs(&attrs)
            .into_iter()
            .map(|(c, p)| (c.map(|c| c.to_string()), p))
            .collect();
        assert_eq!(
            paths,
            [
                (None, "a.rs".into()),
                (Some("windows".into()), "w.rs".into())
            ]
        );
    }

    #[test]
    fn malformed_attributes_do_not_panic() {
        for source in [
            "#",
            "#[",
            "#[]",
            "#[cfg_attr]",
            "#[cfg_attr()]",
            "#[path =]",
            "#![",
            "#[=]",
        ] {
            let toks = lex(source);
            let mut i = 0;
            let _ = read_attrs(&toks, &mut i, false);
            let _ = read_attrs(&toks, &mut i, true);
        }
    }
}
