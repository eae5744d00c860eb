//! Function bodies, initializers and blocks: statements and expressions, looked through for
//! registrations and for blocks that declare items.

use crate::attrs::{cfg_predicates, read_attrs};
use crate::lex::{Kind, Tok};
use crate::tokens::{close_of, group, has_items, parse_path, starts_block_like};

use super::Walker;

impl Walker<'_> {
    /// A statement or expression in a body, up to `;` (included) or the end of a block-like
    /// expression.
    pub(super) fn statement(&mut self, toks: &[Tok], i: usize) -> usize {
        let mut j = i;
        while j < toks.len() {
            let t = &toks[j];
            if t.is_punct(';') {
                self.expr(&toks[i..j]);
                return j + 1;
            }
            if t.kind == Kind::Open {
                let close = close_of(toks, j);
                // `if c { } else { }`, `loop { }`, `match x { }`, a block: ends the statement
                // unless an operator or `else` follows.
                if t.is_open('{') {
                    let follow = toks.get(close + 1);
                    let continues = follow.is_some_and(|f| {
                        f.is("else")
                            || f.is_punct('.')
                            || f.is_punct('?')
                            || f.is_punct(';')
                            || (f.kind == Kind::Punct && !f.is_punct('#'))
                    });
                    if !continues && starts_block_like(&toks[i..=j]) {
                        self.expr(&toks[i..=close.min(toks.len() - 1)]);
                        return close + 1;
                    }
                }
                j = close + 1;
                continue;
            }
            j += 1;
        }
        self.expr(&toks[i..]);
        toks.len()
    }

    /// Looks through an expression for macro calls, blocks and closures' bodies.
    pub(super) fn expr(&mut self, toks: &[Tok]) {
        let mut k = 0;
        while k < toks.len() {
            let t = toks[k];
            if t.kind == Kind::Ident
                && let Some((path, used)) = parse_path(&toks[k..])
                && toks.get(k + used).is_some_and(|b| b.is_punct('!'))
                && toks.get(k + used + 1).is_some_and(|g| g.kind == Kind::Open)
            {
                let g = k + used + 1;
                self.macro_call_in(toks, &path, g);
                if super::macros::transparent(&path) {
                    self.expr(group(toks, g));
                }
                k = close_of(toks, g) + 1;
                continue;
            }
            if t.is_punct('#') && toks.get(k + 1).is_some_and(|b| b.is_open('[')) {
                // An attribute on an expression or statement inside: applies to what follows.
                let mut k2 = k;
                let attrs = read_attrs(toks, &mut k2, false);
                let saved = self.cfg.len();
                self.cfg.extend(cfg_predicates(&attrs));
                let end = self.statement_extent(toks, k2);
                self.expr(&toks[k2..end]);
                self.cfg.truncate(saved);
                k = end.max(k2 + 1);
                continue;
            }
            if t.is_open('{') {
                self.block(toks, k);
                k = close_of(toks, k) + 1;
                continue;
            }
            if t.kind == Kind::Open {
                self.expr(group(toks, k));
                k = close_of(toks, k) + 1;
                continue;
            }
            k += 1;
        }
    }

    /// Where the statement / expression / arm starting at `i` ends (exclusive).
    pub(super) fn statement_extent(&self, toks: &[Tok], i: usize) -> usize {
        let mut j = i;
        while j < toks.len() {
            let t = &toks[j];
            if t.is_punct(';') || t.is_punct(',') {
                return j;
            }
            if t.kind == Kind::Open {
                let close = close_of(toks, j).min(toks.len() - 1);
                if t.is_open('{')
                    && !toks
                        .get(close + 1)
                        .is_some_and(|f| f.is("else") || f.is_punct('.'))
                {
                    return close + 1;
                }
                j = close + 1;
                continue;
            }
            j += 1;
        }
        toks.len()
    }

    /// A `{ .. }` block at `toks[open]`: a body, and a scope if it declares items.
    pub(super) fn block(&mut self, toks: &[Tok], open: usize) {
        let saved_impl = std::mem::replace(&mut self.in_impl, false);
        let inner = group(toks, open);
        self.body_depth += 1;
        let has_items = has_items(inner);
        if has_items {
            let o = &toks[open];
            let c = toks.get(close_of(toks, open)).unwrap_or(o);
            let extent = Some((
                self.file.clone(),
                (o.line as usize, o.col as usize),
                (c.line as usize, c.col as usize),
            ));
            let id = self.new_scope(false, extent);
            let saved = std::mem::replace(&mut self.scope, id);
            self.items(inner, false);
            self.scope = saved;
        } else {
            self.items(inner, false);
        }
        self.body_depth -= 1;
        self.in_impl = saved_impl;
    }
}
