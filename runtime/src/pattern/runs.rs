//! The cheapest engine, for the patterns specs hold most: a chain of runs, each one character
//! class repeated between `min` and `max` times, anchored at both ends (`^[a-zA-Z0-9_-]+$`,
//! `^\+[1-9][0-9]{8,14}$`, `^.{1,255}$`), where a character never both continues a run of
//! varying length and starts what may follow it. Then the text decides where every run ends,
//! so one greedy pass matches it: each byte is a table lookup with no dependence on the one
//! before (a DFA's next state waits on its last one, a load per byte in a chain), and a
//! counted run (`{8,14}`) is a counter, not fourteen states.

use regex_syntax::hir::{HirKind, Look};

use super::sequence::one_character;

/// One class, repeated.
#[derive(Debug)]
struct Run {
    /// Which bytes are ASCII characters of the class (never a byte past ASCII).
    ascii: [bool; 256],
    /// The class's code points past ASCII, as inclusive ranges.
    wide: Vec<(u32, u32)>,
    min: u32,
    /// `u32::MAX` for no limit.
    max: u32,
    /// An optional character of the class before the run (`1?[0-9]{9,15}`), folded into it:
    /// the run may then be one longer, and only if it starts with this character.
    lead: Option<u8>,
}

impl Run {
    fn new(ranges: Vec<(u32, u32)>, min: u32, max: u32) -> Run {
        let mut ascii = [false; 256];
        for (code, slot) in (0u32..0x80).zip(ascii.iter_mut()) {
            *slot = ranges
                .iter()
                .any(|&(low, high)| low <= code && code <= high);
        }
        let wide = ranges
            .into_iter()
            .filter(|&(_, high)| high >= 0x80)
            .map(|(low, high)| (low.max(0x80), high))
            .collect();
        Run {
            ascii,
            wide,
            min,
            max,
            lead: None,
        }
    }

    fn holds_wide(&self, code: u32) -> bool {
        self.wide
            .iter()
            .any(|&(low, high)| low <= code && code <= high)
    }

    /// Whether some character is in both classes.
    fn overlaps(&self, other: &Run) -> bool {
        self.ascii.iter().zip(&other.ascii).any(|(a, b)| *a && *b)
            || self.wide.iter().any(|&(low, high)| {
                other
                    .wide
                    .iter()
                    .any(|&(other_low, other_high)| low <= other_high && other_low <= high)
            })
    }
}

/// A step of the pass.
#[derive(Debug)]
enum Step {
    /// Consecutive single ASCII characters (`https://`): the next bytes, one table each,
    /// checked together without a branch per byte.
    Fixed {
        tables: Vec<[bool; 256]>,
        /// The same test on eight bytes read as one number, when every position is one byte
        /// or a letter in either case and there are at most eight: `word | mask == expected`.
        word: Option<(u64, u64)>,
    },
    /// One ASCII character or none (`[sS]?`).
    Optional([bool; 256]),
    Run(Run),
}

/// The `(mask, expected)` of [`Step::Fixed`]'s eight-byte test, when its positions allow it:
/// at most eight, each one byte or an ASCII letter in either case. A letter's case bit is
/// masked; past the last position, every bit is (any byte passes).
fn as_word(tables: &[[bool; 256]]) -> Option<(u64, u64)> {
    if tables.len() > 8 {
        return None;
    }
    let (mut mask, mut expected) = ([0xFFu8; 8], [0xFFu8; 8]);
    for (index, table) in tables.iter().enumerate() {
        let bytes: Vec<u8> = (0..=u8::MAX).filter(|&b| table[usize::from(b)]).collect();
        match bytes.as_slice() {
            [only] => (mask[index], expected[index]) = (0, *only),
            [upper, lower]
                if upper.is_ascii_uppercase() && *lower == upper.to_ascii_lowercase() =>
            {
                (mask[index], expected[index]) = (0x20, *lower);
            }
            _ => return None,
        }
    }
    Some((u64::from_le_bytes(mask), u64::from_le_bytes(expected)))
}

/// A pattern as a chain of runs that one greedy pass matches exactly.
#[derive(Debug)]
pub(crate) struct Runs {
    steps: Vec<Step>,
}

impl Runs {
    /// `source` (the `regex` crate's syntax) as runs, when it is a chain of them that the
    /// text alone splits.
    pub(crate) fn compile(source: &str) -> Option<Runs> {
        let hir = regex_syntax::Parser::new().parse(source).ok()?;
        let HirKind::Concat(items) = hir.kind() else {
            return None;
        };
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return None;
        };
        // Anchored at both ends: an open end is a leading or trailing "anything", which
        // overlaps every run next to it.
        if !matches!(first.kind(), HirKind::Look(Look::Start))
            || !matches!(last.kind(), HirKind::Look(Look::End))
        {
            return None;
        }
        let mut runs = Vec::new();
        for item in &items[1..items.len() - 1] {
            match item.kind() {
                HirKind::Literal(literal) => {
                    for c in std::str::from_utf8(&literal.0).ok()?.chars() {
                        runs.push(Run::new(vec![(u32::from(c), u32::from(c))], 1, 1));
                    }
                }
                HirKind::Class(_) => runs.push(Run::new(one_character(item)?, 1, 1)),
                HirKind::Repetition(repetition) => runs.push(Run::new(
                    one_character(&repetition.sub)?,
                    repetition.min,
                    repetition.max.unwrap_or(u32::MAX),
                )),
                _ => return None,
            }
        }
        // `c?` before a bounded run of a class that holds `c` (`1?[0-9]{9,15}`): the text
        // cannot tell whether a leading `c` is the option or the run's first, but the two
        // together are the run one longer, whose longest form must start with `c`. (Before
        // an unbounded run, the option adds nothing.)
        let mut folded: Vec<Run> = Vec::with_capacity(runs.len());
        for run in runs {
            let lead = match folded.last() {
                Some(last) if last.min == 0 && last.max == 1 && last.wide.is_empty() => {
                    let mut bytes = (0..=u8::MAX).filter(|&b| last.ascii[usize::from(b)]);
                    match (bytes.next(), bytes.next()) {
                        (Some(only), None)
                            if run.ascii[usize::from(only)] && run.lead.is_none() =>
                        {
                            Some(only)
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            match lead {
                Some(lead) => {
                    folded.pop();
                    let mut run = run;
                    if run.max != u32::MAX {
                        run.max += 1;
                        run.lead = Some(lead);
                    }
                    folded.push(run);
                }
                None => folded.push(run),
            }
        }
        let runs = folded;
        // Where a run may end early or go on, what can follow it (up to the first run that
        // must read a character) must not share a character with it.
        for (index, run) in runs.iter().enumerate() {
            if run.min == run.max {
                continue;
            }
            for next in &runs[index + 1..] {
                if run.overlaps(next) {
                    return None;
                }
                if next.min > 0 {
                    break;
                }
            }
        }
        let mut steps: Vec<Step> = Vec::new();
        for run in runs {
            if run.min == 1 && run.max == 1 && run.wide.is_empty() && run.lead.is_none() {
                if let Some(Step::Fixed { tables, .. }) = steps.last_mut() {
                    tables.push(run.ascii);
                } else {
                    steps.push(Step::Fixed {
                        tables: vec![run.ascii],
                        word: None,
                    });
                }
            } else if run.min == 0 && run.max == 1 && run.wide.is_empty() && run.lead.is_none() {
                steps.push(Step::Optional(run.ascii));
            } else {
                steps.push(Step::Run(run));
            }
        }
        for step in &mut steps {
            if let Step::Fixed { tables, word } = step {
                *word = as_word(tables);
            }
        }
        Some(Runs { steps })
    }

    /// Whether all of `text` matches.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut at = 0usize;
        for step in &self.steps {
            let run = match step {
                Step::Fixed { tables, word } => {
                    if let (Some((mask, expected)), Some(next)) = (word, bytes.get(at..at + 8)) {
                        let mut eight = [0u8; 8];
                        eight.copy_from_slice(next);
                        if u64::from_le_bytes(eight) | mask != *expected
                            || at + tables.len() > bytes.len()
                        {
                            return false;
                        }
                        at += tables.len();
                        continue;
                    }
                    let Some(next) = bytes.get(at..) else {
                        return false;
                    };
                    if next.len() < tables.len()
                        || !next
                            .iter()
                            .zip(tables)
                            .fold(true, |all, (&byte, table)| all & table[usize::from(byte)])
                    {
                        return false;
                    }
                    at += tables.len();
                    continue;
                }
                Step::Optional(table) => {
                    if bytes.get(at).is_some_and(|&byte| table[usize::from(byte)]) {
                        at += 1;
                    }
                    continue;
                }
                Step::Run(run) => run,
            };
            // Characters read into this run.
            let mut count = 0u32;
            let run_start = at;
            loop {
                // A stretch of ASCII in the class: one lookup per byte, nothing else.
                let room = usize::try_from(run.max - count).unwrap_or(usize::MAX);
                let end = bytes.len().min(at.saturating_add(room));
                let start = at;
                // Eight bytes at a time while all are in, then byte by byte.
                let stretch = &bytes[at..end];
                let mut chunks = stretch.chunks_exact(8);
                let mut read = 0;
                for chunk in &mut chunks {
                    if !chunk
                        .iter()
                        .fold(true, |all, &byte| all & run.ascii[usize::from(byte)])
                    {
                        break;
                    }
                    read += 8;
                }
                read += stretch[read..]
                    .iter()
                    .take_while(|&&byte| run.ascii[usize::from(byte)])
                    .count();
                at += read;
                // At most `room` bytes were read, and `room` came from a `u32`.
                count += u32::try_from(at - start).unwrap_or(u32::MAX);
                // A character past ASCII in the class goes on with the stretch.
                if at < end && bytes[at] >= 0x80 && !run.wide.is_empty() {
                    // `at` is always at a character's start: every step is a whole one.
                    if let Some(c) = text[at..].chars().next()
                        && run.holds_wide(u32::from(c))
                    {
                        at += c.len_utf8();
                        count += 1;
                        continue;
                    }
                }
                break;
            }
            if count < run.min {
                return false;
            }
            // The longest form of a run with a folded option starts with the option's
            // character.
            if let Some(lead) = run.lead
                && count == run.max
                && bytes.get(run_start) != Some(&lead)
            {
                return false;
            }
        }
        at == bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::strings;
    use super::*;

    #[test]
    fn runs_match_exactly_what_regex_matches() {
        let cases: &[(&str, &[char], usize)] = &[
            ("^\\+[1-9][0-9]{2,4}$", &['+', '1', '0', 'a'], 7),
            ("^\\+?1?[0-9]{2,4}$", &['+', '1', '0', 'a'], 7),
            ("^a?[ab]$", &['a', 'b', 'c'], 4),
            ("^x?1?[0-9é]{1,2}$", &['x', '1', '2', 'é'], 5),
            ("^1?[0-9]+$", &['1', '2', 'a'], 4),
            ("^[a-zA-Z0-9_-]+$", &['a', 'Z', '_', '-', ' ', 'é'], 4),
            (
                "^[hH][tT][sS]?://[^\\t\\n \\x{A0}\\x{3000}]+$",
                &['h', 'T', 's', ':', '/', ' ', 'é', '\u{A0}', '\u{3000}'],
                7,
            ),
            ("^.{0,3}$", &['a', '\n', 'é', '🦀'], 5),
            ("^[é-ü]{2}x?$", &['é', 'ü', 'x', 'a'], 5),
            ("^(?i)ab$", &['a', 'A', 'b', 'B'], 3),
            ("^a?b*c$", &['a', 'b', 'c'], 5),
            ("^$", &['a'], 2),
        ];
        for (source, alphabet, length) in cases {
            let runs = Runs::compile(source).unwrap_or_else(|| panic!("{source} is runs"));
            let regex = regex::Regex::new(source).unwrap();
            for text in strings(alphabet, *length) {
                assert_eq!(
                    runs.is_match(&text),
                    regex.is_match(&text),
                    "{source} on {text:?}"
                );
            }
        }
    }

    #[test]
    fn fixed_letters_read_eight_bytes_at_once_as_regex_would() {
        let source = "^[hH][tT][tT][pP][sS]?://[a-z.]+$";
        let runs = Runs::compile(source).unwrap();
        assert!(matches!(
            runs.steps.first(),
            Some(Step::Fixed { word: Some(_), .. })
        ));
        let regex = regex::Regex::new(source).unwrap();
        for prefix in [
            "http",
            "HTTP",
            "hTtP",
            "https",
            "HttpS",
            "htp",
            "hxtp",
            "h\u{e9}tp",
            "http\u{0}",
            "Http",
        ] {
            for rest in [
                "://a",
                "://example.com",
                ":/example.com",
                "//example.com",
                "://",
                "://é.com",
                "x://example.com",
            ] {
                let text = format!("{prefix}{rest}");
                assert_eq!(runs.is_match(&text), regex.is_match(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn a_chain_the_text_cannot_split_is_left_to_the_other_engines() {
        for source in [
            // Where the run of digits ends depends on what comes after: the DFA's job.
            "^[0-9]{1,3}[0-9]$",
            "^a?[ab]?[bc]$",
            "^a*b?a{1,2}$",
            // Open ends, groups, alternation.
            "ab",
            "^x",
            "^(ab)+$",
            "^a|b$",
        ] {
            assert!(Runs::compile(source).is_none(), "{source}");
        }
    }
}
