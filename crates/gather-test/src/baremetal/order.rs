//! The order libtest runs tests in (by name, then by registration), walked without memory: the
//! runner has no allocator to sort with.

use gather_harness::Test;

/// Where a test is in the run order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Position {
    name: &'static str,
    index: usize,
}

/// The first test after `after` in the run order that `selects` accepts (from the start if
/// `after` is `None`). O(n) per call, O(n²) per run: fine for the suites a microcontroller
/// holds, and it needs no memory.
pub(crate) fn next_in_run_order<I>(
    tests: I,
    after: Option<Position>,
    selects: impl Fn(&Test) -> bool,
) -> Option<(Position, &'static Test)>
where
    I: IntoIterator<Item = &'static Test>,
{
    let mut best: Option<(Position, &'static Test)> = None;
    for (index, test) in tests.into_iter().enumerate() {
        let position = Position {
            name: test.name,
            index,
        };
        let later = after.is_none_or(|after| position > after);
        let earlier_than_best = best.is_none_or(|(best, _)| position < best);
        if later && earlier_than_best && selects(test) {
            best = Some((position, test));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use gather_harness::Failure;

    fn ok() -> Result<(), Failure> {
        Ok(())
    }

    static TESTS: [Test; 5] = [
        Test::new("b", ok),
        Test::new("a::two", ok),
        Test::new("a", ok),
        Test::new("b", ok),
        Test::new("a::one", ok),
    ];

    fn walk(selects: impl Fn(&Test) -> bool + Copy) -> Vec<(&'static str, usize)> {
        let mut seen = Vec::new();
        let mut after = None;
        while let Some((position, test)) = next_in_run_order(&TESTS, after, selects) {
            seen.push((test.name, position.index));
            after = Some(position);
        }
        seen
    }

    #[test]
    fn by_name_then_registration() {
        assert_eq!(
            walk(|_| true),
            [("a", 2), ("a::one", 4), ("a::two", 1), ("b", 0), ("b", 3)]
        );
    }

    #[test]
    fn only_selected_tests() {
        assert_eq!(
            walk(|t| t.name.starts_with("a::")),
            [("a::one", 4), ("a::two", 1)]
        );
        assert_eq!(walk(|_| false), []);
    }
}
