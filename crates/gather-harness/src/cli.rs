//! The words of libtest's command line, split the way libtest's `getopts` splits them: what is a
//! filter, which option a word names, and which word is its value. The hosted parser
//! ([`Args`](crate::Args)) and gather-test's bare-metal runner give them their meaning.

use core::fmt;

/// Which tests run with respect to `#[ignore]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunIgnored {
    /// Default: ignored tests are reported as ignored.
    #[default]
    No,
    /// `--include-ignored`: ignored tests run too.
    Yes,
    /// `--ignored`: only ignored tests are selected, and they run.
    Only,
}

/// A long option that a harness built on this crate adds to libtest's (for example a benchmark
/// harness's `--sample-count N`), for [`Args::parse_with`](crate::Args::parse_with) and
/// [`words`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtraOption {
    /// The name, without `--`.
    pub name: &'static str,
    /// `--name VALUE` / `--name=VALUE` rather than a flag.
    pub takes_value: bool,
}

/// libtest's long options (libtest 1.95, `library/test/src/cli.rs`): name and whether it takes
/// a value.
const LONG_OPTIONS: &[ExtraOption] = &[
    flag("include-ignored"),
    flag("ignored"),
    flag("force-run-in-process"),
    flag("exclude-should-panic"),
    flag("test"),
    flag("bench"),
    flag("list"),
    flag("fail-fast"),
    flag("help"),
    valued("logfile"),
    flag("no-capture"),
    flag("nocapture"),
    valued("test-threads"),
    valued("skip"),
    flag("quiet"),
    flag("exact"),
    valued("color"),
    valued("format"),
    flag("show-output"),
    flag("report-time"),
    flag("ensure-time"),
    flag("shuffle"),
    valued("shuffle-seed"),
];

const fn flag(name: &'static str) -> ExtraOption {
    ExtraOption {
        name,
        takes_value: false,
    }
}

const fn valued(name: &'static str) -> ExtraOption {
    ExtraOption {
        name,
        takes_value: true,
    }
}

/// One item of the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word<'a> {
    /// A positional argument (also every argument after `--`, and a lone `-`).
    Filter(&'a str),
    /// `--name`, `--name value` or `--name=value`: one of libtest's options, or one of the
    /// caller's [`ExtraOption`]s (`extra`). `value` is `Some` exactly for options that take one.
    Long {
        /// The name, without `--`.
        name: &'static str,
        /// The value.
        value: Option<&'a str>,
        /// Whether it is one of the caller's [`ExtraOption`]s.
        extra: bool,
    },
    /// `-h`, `-q`, or `-Z value` (also `-Zvalue`). Flags may be grouped: `-qh`.
    Short {
        /// `h`, `q` or `Z`.
        flag: char,
        /// `-Z`'s value.
        value: Option<&'a str>,
    },
}

/// A word that is no option of libtest's, or an option without its value or with one it does
/// not take. Displayed as libtest words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordError<'a> {
    /// An option no one knows (its name, without dashes).
    Unrecognized(&'a str),
    /// An option that takes a value came last.
    MissingValue(&'a str),
    /// `--flag=value` for a flag.
    UnexpectedValue(&'a str),
}

impl fmt::Display for WordError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WordError::Unrecognized(name) => write!(f, "Unrecognized option: '{name}'"),
            WordError::MissingValue(name) => write!(f, "Argument to option '{name}' missing"),
            WordError::UnexpectedValue(name) => {
                write!(f, "Option '{name}' does not take an argument")
            }
        }
    }
}

/// Splits `args` (without the program name) into [`Word`]s. `extra` are long options the
/// caller adds to libtest's; libtest's own take precedence. After an error, stop reading.
///
/// ```
/// use gather_harness::{Word, words};
///
/// let mut words = words(["a", "--skip=b", "-qZ", "unstable-options"].into_iter(), &[]);
/// assert_eq!(words.next(), Some(Ok(Word::Filter("a"))));
/// assert_eq!(
///     words.next(),
///     Some(Ok(Word::Long { name: "skip", value: Some("b"), extra: false }))
/// );
/// assert_eq!(words.next(), Some(Ok(Word::Short { flag: 'q', value: None })));
/// assert_eq!(
///     words.next(),
///     Some(Ok(Word::Short { flag: 'Z', value: Some("unstable-options") }))
/// );
/// assert_eq!(words.next(), None);
/// ```
pub fn words<'a, 'e, I>(args: I, extra: &'e [ExtraOption]) -> Words<'a, 'e, I>
where
    I: Iterator<Item = &'a str>,
{
    Words {
        args,
        extra,
        only_filters: false,
        grouped_flags: "",
    }
}

/// The iterator of [`words`].
#[derive(Clone, Debug)]
pub struct Words<'a, 'e, I> {
    args: I,
    extra: &'e [ExtraOption],
    /// `--` was seen.
    only_filters: bool,
    /// The rest of a group of short flags (`-qh`) being read.
    grouped_flags: &'a str,
}

impl<'a, I> Iterator for Words<'a, '_, I>
where
    I: Iterator<Item = &'a str>,
{
    type Item = Result<Word<'a>, WordError<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if !self.grouped_flags.is_empty() {
            return Some(self.short());
        }
        let word = self.args.next()?;
        if self.only_filters {
            return Some(Ok(Word::Filter(word)));
        }
        if word == "--" {
            self.only_filters = true;
            return self.next();
        }
        if let Some(long) = word.strip_prefix("--") {
            return Some(self.long(long));
        }
        match word.strip_prefix('-') {
            Some(flags) if !flags.is_empty() => {
                self.grouped_flags = flags;
                Some(self.short())
            }
            _ => Some(Ok(Word::Filter(word))),
        }
    }
}

impl<'a, I> Words<'a, '_, I>
where
    I: Iterator<Item = &'a str>,
{
    fn long(&mut self, long: &'a str) -> Result<Word<'a>, WordError<'a>> {
        let (name, inline) = match long.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (long, None),
        };
        let (option, extra) = match LONG_OPTIONS.iter().find(|o| o.name == name) {
            Some(option) => (option, false),
            None => match self.extra.iter().find(|o| o.name == name) {
                Some(option) => (option, true),
                None => return Err(WordError::Unrecognized(name)),
            },
        };
        let value = match (option.takes_value, inline) {
            (false, Some(_)) => return Err(WordError::UnexpectedValue(option.name)),
            (false, None) => None,
            (true, Some(value)) => Some(value),
            (true, None) => Some(
                self.args
                    .next()
                    .ok_or(WordError::MissingValue(option.name))?,
            ),
        };
        Ok(Word::Long {
            name: option.name,
            value,
            extra,
        })
    }

    /// The next flag of [`Words::grouped_flags`], which is not empty.
    fn short(&mut self) -> Result<Word<'a>, WordError<'a>> {
        let flags = core::mem::take(&mut self.grouped_flags);
        let mut chars = flags.chars();
        let flag = chars.next().unwrap_or('-');
        let rest = chars.as_str();
        match flag {
            'h' | 'q' => {
                self.grouped_flags = rest;
                Ok(Word::Short { flag, value: None })
            }
            'Z' => {
                let value = match rest {
                    "" => self.args.next().ok_or(WordError::MissingValue("Z"))?,
                    attached => attached,
                };
                Ok(Word::Short {
                    flag,
                    value: Some(value),
                })
            }
            _ => Err(WordError::Unrecognized(&flags[..flag.len_utf8()])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &'static str) -> Result<([&'static str; 8], usize), WordError<'static>> {
        let mut out = [""; 8];
        let mut n = 0;
        for word in words(line.split(' ').filter(|w| !w.is_empty()), &[]) {
            out[n] = match word? {
                Word::Filter(f) => f,
                Word::Long { name, .. } => name,
                Word::Short { flag: 'h', .. } => "-h",
                Word::Short { flag: 'q', .. } => "-q",
                Word::Short { value, .. } => value.unwrap_or("-Z?"),
            };
            n += 1;
        }
        Ok((out, n))
    }

    fn names(line: &'static str) -> Vec<&'static str> {
        let (words, n) = split(line).unwrap();
        words[..n].to_vec()
    }

    #[test]
    fn filters_options_and_values() {
        assert_eq!(
            names("a --exact --skip b --skip=c - -qh"),
            ["a", "exact", "skip", "skip", "-", "-q", "-h"]
        );
        assert_eq!(names("-Zunstable-options -Z x"), ["unstable-options", "x"]);
        // `--` ends the options; a value may look like an option.
        assert_eq!(names("-- --list -q"), ["--list", "-q"]);
        assert_eq!(
            words(["--skip", "--exact"].into_iter(), &[]).next(),
            Some(Ok(Word::Long {
                name: "skip",
                value: Some("--exact"),
                extra: false
            }))
        );
    }

    #[test]
    fn errors_name_the_option() {
        assert_eq!(
            split("--frob").unwrap_err(),
            WordError::Unrecognized("frob")
        );
        assert_eq!(split("-qx").unwrap_err(), WordError::Unrecognized("x"));
        assert_eq!(
            split("--skip").unwrap_err(),
            WordError::MissingValue("skip")
        );
        assert_eq!(split("-Z").unwrap_err(), WordError::MissingValue("Z"));
        assert_eq!(
            split("--list=yes").unwrap_err(),
            WordError::UnexpectedValue("list")
        );
        assert_eq!(
            WordError::MissingValue("skip").to_string(),
            "Argument to option 'skip' missing"
        );
    }

    #[test]
    fn extra_options_come_after_libtest_options() {
        let extra = [valued("samples"), flag("exact")];
        let mut words = words(["--samples=3", "--exact"].into_iter(), &extra);
        assert_eq!(
            words.next(),
            Some(Ok(Word::Long {
                name: "samples",
                value: Some("3"),
                extra: true
            }))
        );
        assert_eq!(
            words.next(),
            Some(Ok(Word::Long {
                name: "exact",
                value: None,
                extra: false
            }))
        );
    }
}
