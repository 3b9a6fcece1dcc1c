//! The `pattern` keyword: a regular expression compiled once, on first use, into a `static`
//! of the generated validators, by the cheapest engine that can run it.
//!
//! The generator translates each ECMA-262 pattern into the syntax of the engine that can run
//! it and checks that it compiles; the translation is what is given here. A pattern in the
//! `regex` crate's syntax that is a chain of repeated classes whose ends the text decides
//! (most of them) runs on [`runs`]' single greedy pass; any other plain sequence of
//! characters and classes on [`sequence`]'s small DFA; any other on `regex`; look-around and
//! backreferences on `fancy-regex`.

mod runs;
mod sequence;

use std::fmt;
use std::sync::OnceLock;

use runs::Runs;
use sequence::Sequence;

/// A pattern of a spec, compiled on first use.
pub struct Pattern {
    source: &'static str,
    engine: Engine,
    compiled: OnceLock<Option<Compiled>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Regex,
    #[cfg(feature = "backtracking")]
    Backtracking,
}

enum Compiled {
    Runs(Runs),
    Sequence(Sequence),
    Regex(regex::Regex),
    #[cfg(feature = "backtracking")]
    Backtracking(fancy_regex::Regex),
}

impl Pattern {
    /// A pattern in the `regex` crate's syntax (linear time): run as a sequence when it is
    /// one, by `regex` otherwise.
    pub const fn regex(source: &'static str) -> Pattern {
        Pattern {
            source,
            engine: Engine::Regex,
            compiled: OnceLock::new(),
        }
    }

    /// A pattern with look-around or backreferences, which only a backtracking engine
    /// (`fancy-regex`) runs: `source` in its syntax (which is ECMA's).
    #[cfg(feature = "backtracking")]
    pub const fn backtracking(source: &'static str) -> Pattern {
        Pattern {
            source,
            engine: Engine::Backtracking,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as given.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` breaks the pattern. A pattern that does not compile rejects nothing:
    /// the generator compiled every pattern it emitted, so that would be its bug, never the
    /// sender's. A backtracking match that gives up (its step limit) rejects.
    #[inline]
    pub fn rejects(&self, text: &str) -> bool {
        // Compiled already (every call but the first): straight to the engine.
        match self.compiled.get() {
            Some(compiled) => Compiled::rejects(compiled.as_ref(), text),
            None => Compiled::rejects(self.compiled(), text),
        }
    }

    fn compiled(&self) -> Option<&Compiled> {
        self.compiled
            .get_or_init(|| match self.engine {
                Engine::Regex => {
                    if let Some(runs) = Runs::compile(self.source) {
                        Some(Compiled::Runs(runs))
                    } else if let Some(sequence) = Sequence::compile(self.source) {
                        Some(Compiled::Sequence(sequence))
                    } else {
                        regex::Regex::new(self.source).ok().map(Compiled::Regex)
                    }
                }
                #[cfg(feature = "backtracking")]
                Engine::Backtracking => fancy_regex::Regex::new(self.source)
                    .ok()
                    .map(Compiled::Backtracking),
            })
            .as_ref()
    }
}

impl Compiled {
    #[inline]
    fn rejects(compiled: Option<&Compiled>, text: &str) -> bool {
        match compiled {
            None => false,
            Some(Compiled::Runs(runs)) => !runs.is_match(text),
            Some(Compiled::Sequence(sequence)) => !sequence.is_match(text),
            Some(Compiled::Regex(regex)) => !regex.is_match(text),
            #[cfg(feature = "backtracking")]
            Some(Compiled::Backtracking(regex)) => !matches!(regex.is_match(text), Ok(true)),
        }
    }
}

/// Every string of `alphabet` up to `length` characters: what the engines' tests hold
/// against `regex`.
#[cfg(test)]
fn strings(alphabet: &[char], length: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..length {
        last = last
            .iter()
            .flat_map(|prefix| alphabet.iter().map(move |c| format!("{prefix}{c}")))
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pattern")
            .field("source", &self.source)
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static PHONE: Pattern = Pattern::regex("^\\+?1?[0-9]{9,15}$");

    #[test]
    fn a_static_pattern_compiles_once_and_matches() {
        assert!(!PHONE.rejects("+14155550123"));
        assert!(PHONE.rejects("555-0123"));
        assert!(PHONE.rejects(""));
        assert_eq!(PHONE.source(), "^\\+?1?[0-9]{9,15}$");
    }

    #[test]
    fn patterns_that_are_not_sequences_run_on_regex() {
        let either = Pattern::regex("^(cat|dog)s?$");
        assert!(!either.rejects("dogs"));
        assert!(either.rejects("cow"));
        assert!(matches!(either.compiled(), Some(Compiled::Regex(_))));
        // `1?` folded into the digits that follow: runs.
        assert!(matches!(PHONE.compiled(), Some(Compiled::Runs(_))));
        // Where the first run of digits ends depends on the length: the DFA.
        let digits = Pattern::regex("^[0-9]{1,3}[0-9]$");
        assert!(!digits.rejects("1234"));
        assert!(digits.rejects("12345"));
        assert!(matches!(digits.compiled(), Some(Compiled::Sequence(_))));
        let e164 = Pattern::regex("^\\+[1-9][0-9]{8,14}$");
        assert!(!e164.rejects("+14155550123"));
        assert!(matches!(e164.compiled(), Some(Compiled::Runs(_))));
    }

    #[test]
    fn a_pattern_that_does_not_compile_rejects_nothing() {
        let broken = Pattern::regex("(");
        assert!(!broken.rejects("anything"));
    }

    #[cfg(feature = "backtracking")]
    #[test]
    fn look_around_needs_the_backtracking_engine() {
        let not_admin = Pattern::backtracking("^(?!admin$)[a-z]+$");
        assert!(!not_admin.rejects("alice"));
        assert!(not_admin.rejects("admin"));
        assert!(not_admin.rejects("Alice"));
    }
}
