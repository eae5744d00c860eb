//! `#[cfg]` predicates as values: parsed once by the scan, compared and grouped by the plan,
//! written out by the code generator, so that every side reads a predicate the same way.

use std::fmt;

use crate::lex::{Kind, Tok};
use crate::tokens::{close_of, group, split_commas, text_of};

/// A `cfg` predicate as written in the source.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cfg {
    /// `unix`, `test`, `true`.
    Name(String),
    /// `feature = "std"`: the name and the literal as written.
    Value(String, String),
    /// `all(..)`.
    All(Vec<Cfg>),
    /// `any(..)`.
    Any(Vec<Cfg>),
    /// `not(..)`.
    Not(Box<Cfg>),
    /// Anything else (an unstable or malformed predicate), kept as text: rustc judges it.
    Verbatim(String),
}

impl Cfg {
    /// Parses the tokens inside `cfg(..)`.
    pub(crate) fn parse(toks: &[Tok]) -> Cfg {
        match toks {
            [name] if name.kind == Kind::Ident => Cfg::Name(name.text.to_owned()),
            [name, eq, value]
                if name.kind == Kind::Ident && eq.is_punct('=') && value.kind == Kind::Literal =>
            {
                Cfg::Value(name.text.to_owned(), value.text.to_owned())
            }
            [name, open, ..]
                if name.kind == Kind::Ident
                    && open.is_open('(')
                    && close_of(toks, 1) == toks.len() - 1 =>
            {
                let args: Vec<Cfg> = split_commas(group(toks, 1))
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .map(Cfg::parse)
                    .collect();
                match (name.text, args.len()) {
                    ("all", _) => Cfg::All(args),
                    ("any", _) => Cfg::Any(args),
                    ("not", 1) => Cfg::Not(Box::new(args.into_iter().next().unwrap())),
                    _ => Cfg::Verbatim(text_of(toks)),
                }
            }
            _ => Cfg::Verbatim(text_of(toks)),
        }
    }

    /// `not(self)`.
    pub(crate) fn negate(self) -> Cfg {
        Cfg::Not(Box::new(self))
    }

    /// Holds where `condition` does not, or where `self` does: a `cfg` inside `cfg_attr`.
    pub(crate) fn unless_not(self, condition: &Option<Cfg>) -> Cfg {
        match condition {
            Some(c) => Cfg::Any(vec![c.clone().negate(), self]),
            None => self,
        }
    }

    /// Both conditions (for nested `cfg_attr`s).
    pub(crate) fn and(outer: Option<Cfg>, inner: Cfg) -> Cfg {
        match outer {
            Some(outer) => Cfg::All(vec![outer, inner]),
            None => inner,
        }
    }
}

fn list(f: &mut fmt::Formatter<'_>, name: &str, items: &[Cfg]) -> fmt::Result {
    write!(f, "{name}(")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    f.write_str(")")
}

/// Source text that rustc parses back to the same predicate.
impl fmt::Display for Cfg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cfg::Name(n) => f.write_str(n),
            Cfg::Value(n, v) => write!(f, "{n} = {v}"),
            Cfg::All(items) => list(f, "all", items),
            Cfg::Any(items) => list(f, "any", items),
            Cfg::Not(inner) => write!(f, "not({inner})"),
            Cfg::Verbatim(text) => f.write_str(text),
        }
    }
}

/// `all(..)` of a registration's predicates, or `None` when it has none.
pub(crate) fn all_of(cfgs: &[Cfg]) -> Option<String> {
    (!cfgs.is_empty()).then(|| Cfg::All(cfgs.to_vec()).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::lex;

    fn parsed(text: &str) -> Cfg {
        Cfg::parse(&lex(text))
    }

    #[test]
    fn parses_and_prints_back() {
        for (source, printed) in [
            ("unix", "unix"),
            ("feature = \"std\"", "feature = \"std\""),
            ("all(unix, feature = \"a\")", "all(unix, feature = \"a\")"),
            ("any(windows,)", "any(windows)"),
            ("not(test)", "not(test)"),
            ("all()", "all()"),
            ("any(not(all(a, b)), c)", "any(not(all(a, b)), c)"),
            ("version(\"1.80\")", "version ( \"1.80\" )"),
            ("not(a, b)", "not ( a , b )"),
            ("r#true", "r#true"),
        ] {
            assert_eq!(parsed(source).to_string(), printed, "{source}");
        }
    }

    #[test]
    fn structure() {
        assert_eq!(
            parsed("not(feature = \"x\")"),
            Cfg::Not(Box::new(Cfg::Value("feature".into(), "\"x\"".into())))
        );
        assert_eq!(
            parsed("any(a, b)"),
            Cfg::Any(vec![Cfg::Name("a".into()), Cfg::Name("b".into())])
        );
    }

    #[test]
    fn combinators() {
        let c = Some(parsed("unix"));
        assert_eq!(
            parsed("test").unless_not(&c).to_string(),
            "any(not(unix), test)"
        );
        assert_eq!(parsed("test").unless_not(&None).to_string(), "test");
        assert_eq!(Cfg::and(c, parsed("x")).to_string(), "all(unix, x)");
        assert_eq!(all_of(&[]), None);
        assert_eq!(
            all_of(&[parsed("a"), parsed("b")]).as_deref(),
            Some("all(a, b)")
        );
    }
}
