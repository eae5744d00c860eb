//! A framework's registration (its attribute or macro call): how the registry at the crate root
//! reaches it, and whether the registry must confirm that it took it.

use proc_macro2::{TokenStream, TokenTree};

use crate::codegen::plan::Plan;
use crate::model::{Crate, Form, Registration, RegistrationKind, Resolution};
use crate::names;

/// A framework's registration (its attribute or macro): by path, with the registry's check,
/// when the framework names its registry at the crate root and the registry can name this
/// module (see `Crate::form`); otherwise a checked trait impl. By path and unchecked when the
/// framework names its `attribute` and the registry takes this registration for it, as
/// `members` in the registry decides.
pub(super) fn hook_plan(
    k: &Crate,
    r: &Registration,
    registry: &TokenStream,
    crate_hash: u64,
    attribute: Option<&[&str]>,
) -> Plan {
    let checked = Plan::Checked { crate_hash };
    let path: Option<Vec<String>> = registry
        .clone()
        .into_iter()
        .filter(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
        .map(|t| match t {
            TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        })
        .collect();
    let Some(path) = path else { return checked };
    let Resolution::Item { scope: 0, name } = k.resolve_memoized(r.scope, &path) else {
        return checked;
    };
    let Form::Path(_) = k.form(r, 0, false) else {
        return checked;
    };
    let (name, alias) = (
        names::const_name(r.id),
        k.item_alias(&crate::model::RegistryId { scope: 0, name }),
    );
    let taken = attribute.is_some_and(|attribute| {
        r.kind == RegistrationKind::Attribute
            && k.hooked(r, &k.resolve_registration(r), |path| {
                path.len() == attribute.len() && path.iter().zip(attribute).all(|(a, b)| a == b)
            })
    });
    match taken {
        true => Plan::Path { name, alias },
        false => Plan::HookPath {
            name,
            alias,
            crate_hash,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::scan_files;

    /// The plan of each attribute registration of a crate whose root is `root`, for a framework
    /// `fw` whose registry is `crate::TESTS` and whose attribute is `attribute`, if it says so.
    fn plans(root: &str, attribute: Option<&[&str]>) -> Vec<String> {
        let (krate, _dir) = scan_files(&[("src/lib.rs", root)]);
        let registry: TokenStream = "crate::TESTS".parse().unwrap();
        krate
            .registrations
            .iter()
            .filter(|r| r.kind == RegistrationKind::Attribute)
            .map(|r| match hook_plan(&krate, r, &registry, 7, attribute) {
                Plan::Path { .. } => format!("{} path", r.path.join("::")),
                Plan::HookPath { .. } => format!("{} checked path", r.path.join("::")),
                Plan::Checked { .. } => format!("{} checked trait", r.path.join("::")),
                other => format!("{} {other:?}", r.path.join("::")),
            })
            .collect()
    }

    const ROOT: &str = "\
static TESTS: u8 = 0;
#[fw::test] fn a() {}
mod m {
    use fw::test;
    #[test] fn b() {}
    #[other::test] fn c() {}
    fn body() {
        #[fw::test] fn d() {}
    }
}
mod g {
    use fw::*;
    #[test] fn e() {}
}
";

    #[test]
    fn a_named_attribute_that_the_registry_takes_needs_no_check() {
        assert_eq!(
            plans(ROOT, Some(&["fw", "test"])),
            [
                "fw::test path",
                "test path",
                "other::test checked path",
                "fw::test checked trait",
                "test path",
            ]
        );
    }

    #[test]
    fn an_unnamed_attribute_is_checked_by_the_registry() {
        assert_eq!(
            plans(ROOT, None),
            [
                "fw::test checked path",
                "test checked path",
                "other::test checked path",
                "fw::test checked trait",
                "test checked path",
            ]
        );
    }
}
