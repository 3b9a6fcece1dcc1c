//! The cheapest engine for the patterns specs mostly hold: a sequence of characters and
//! character classes, each maybe repeated, anchored at both ends (`^[a-zA-Z0-9_-]+$`,
//! `^\+?1?[0-9]{9,15}$`, `^[hH][tT][tT][pP][sS]?://[^\s]+$`). It is compiled once into a
//! small DFA whose ASCII transitions are a table lookup per byte, and where a state that
//! loops on itself (`[^\s]+`) skips its run of bytes in a tight loop. Anything else (groups,
//! alternation, look-around, word boundaries, more than 63 positions) is left to `regex`.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Positions of the sequence (after expanding `{m,n}`), so that a set of them fits a `u64`
/// with the accepting position.
const MAX_POSITIONS: usize = 63;
/// DFA states at most (a state is a byte: a row of transitions is 128 bytes); a pattern that
/// needs more is left to `regex`.
const MAX_STATES: usize = 256;
/// The state no input leads out of.
const DEAD: usize = 0;
/// The first code point past ASCII, and the last code point.
const WIDE: u32 = 0x80;
const LAST: u32 = 0x10FFFF;

/// How often a position's class may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Once,
    Optional,
    Any,
}

#[derive(Debug)]
struct Position {
    /// Inclusive code point ranges.
    ranges: Vec<(u32, u32)>,
    repeat: Repeat,
}

impl Position {
    fn contains(&self, code: u32) -> bool {
        self.ranges
            .iter()
            .any(|&(low, high)| low <= code && code <= high)
    }
}

/// A pattern compiled into a DFA over characters.
#[derive(Debug)]
pub(crate) struct Sequence {
    /// `ascii[state][byte]`: the next state.
    ascii: Vec<[u8; 128]>,
    /// The starts of the intervals that partition the code points past ASCII, in order.
    bounds: Vec<u32>,
    /// `wide[state * bounds.len() + interval]`: the next state.
    wide: Vec<u8>,
    accepting: Vec<bool>,
    start: usize,
}

impl Sequence {
    /// `source` (the `regex` crate's syntax) as a sequence, when it is one.
    pub(crate) fn compile(source: &str) -> Option<Sequence> {
        let hir = regex_syntax::Parser::new().parse(source).ok()?;
        let positions = positions(&hir)?;
        build(&positions)
    }

    /// Whether all of `text` matches.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut state = self.start;
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            if byte < 0x80 {
                let row = &self.ascii[state];
                let next = usize::from(row[usize::from(byte)]);
                at += 1;
                if next == state {
                    // A run of bytes that keep the state (`[^\s]+`): nothing to follow.
                    while at < bytes.len()
                        && bytes[at] < 0x80
                        && usize::from(row[usize::from(bytes[at])]) == state
                    {
                        at += 1;
                    }
                    continue;
                }
                state = next;
            } else {
                let Some(c) = text[at..].chars().next() else {
                    return false;
                };
                let interval = self.bounds.partition_point(|&start| start <= u32::from(c)) - 1;
                state = usize::from(self.wide[state * self.bounds.len() + interval]);
                at += c.len_utf8();
            }
            if state == DEAD {
                return false;
            }
        }
        self.accepting[state]
    }
}

/// The positions of `hir` when it is an anchored sequence; unanchored ends match anything.
fn positions(hir: &Hir) -> Option<Vec<Position>> {
    let items: Vec<&Hir> = match hir.kind() {
        HirKind::Concat(items) => items.iter().collect(),
        _ => vec![hir],
    };
    let mut items = items.as_slice();
    let anything = || Position {
        ranges: vec![(0, LAST)],
        repeat: Repeat::Any,
    };
    let mut positions = Vec::new();
    match items.first().map(|item| item.kind()) {
        Some(HirKind::Look(Look::Start)) => items = &items[1..],
        _ => positions.push(anything()),
    }
    let anchored_end = matches!(
        items.last().map(|item| item.kind()),
        Some(HirKind::Look(Look::End))
    );
    if anchored_end {
        items = &items[..items.len() - 1];
    }
    for item in items {
        match item.kind() {
            HirKind::Literal(literal) => {
                for c in std::str::from_utf8(&literal.0).ok()?.chars() {
                    positions.push(Position {
                        ranges: vec![(u32::from(c), u32::from(c))],
                        repeat: Repeat::Once,
                    });
                }
            }
            HirKind::Class(_) => positions.push(Position {
                ranges: one_character(item)?,
                repeat: Repeat::Once,
            }),
            HirKind::Repetition(repetition) => {
                let ranges = one_character(&repetition.sub)?;
                let min = usize::try_from(repetition.min).ok()?;
                if min > MAX_POSITIONS {
                    return None;
                }
                for _ in 0..min {
                    positions.push(Position {
                        ranges: ranges.clone(),
                        repeat: Repeat::Once,
                    });
                }
                match repetition.max {
                    None => positions.push(Position {
                        ranges,
                        repeat: Repeat::Any,
                    }),
                    Some(max) => {
                        let optional = usize::try_from(max).ok()?.checked_sub(min)?;
                        if optional > MAX_POSITIONS {
                            return None;
                        }
                        for _ in 0..optional {
                            positions.push(Position {
                                ranges: ranges.clone(),
                                repeat: Repeat::Optional,
                            });
                        }
                    }
                }
            }
            _ => return None,
        }
        if positions.len() > MAX_POSITIONS {
            return None;
        }
    }
    if !anchored_end {
        positions.push(anything());
    }
    (positions.len() <= MAX_POSITIONS).then_some(positions)
}

/// The code points of a one-character item (a literal character, a class).
pub(super) fn one_character(hir: &Hir) -> Option<Vec<(u32, u32)>> {
    match hir.kind() {
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0).ok()?;
            let mut chars = text.chars();
            let c = chars.next()?;
            chars
                .next()
                .is_none()
                .then(|| vec![(u32::from(c), u32::from(c))])
        }
        HirKind::Class(Class::Unicode(class)) => Some(
            class
                .ranges()
                .iter()
                .map(|range| (u32::from(range.start()), u32::from(range.end())))
                .collect(),
        ),
        _ => None,
    }
}

/// Adds to `set` every position reachable without reading: past optional and repeated ones.
fn closure(positions: &[Position], mut set: u64) -> u64 {
    for (index, position) in positions.iter().enumerate() {
        if set & (1 << index) != 0 && position.repeat != Repeat::Once {
            set |= 1 << (index + 1);
        }
    }
    set
}

/// The positions after reading `code` from `set`.
fn step(positions: &[Position], set: u64, code: u32) -> u64 {
    let mut next = 0;
    for (index, position) in positions.iter().enumerate() {
        if set & (1 << index) != 0 && position.contains(code) {
            next |= match position.repeat {
                Repeat::Any => 1 << index,
                _ => 1 << (index + 1),
            };
        }
    }
    closure(positions, next)
}

/// The state of `set`, numbered as it is first met, or `None` past [`MAX_STATES`].
fn index_of(set: u64, sets: &mut Vec<u64>) -> Option<u8> {
    let found = match sets.iter().position(|&known| known == set) {
        Some(found) => found,
        None => {
            sets.push(set);
            sets.len() - 1
        }
    };
    if found < MAX_STATES {
        u8::try_from(found).ok()
    } else {
        None
    }
}

/// The DFA of `positions` by subset construction, or `None` past [`MAX_STATES`].
fn build(positions: &[Position]) -> Option<Sequence> {
    let accept = 1u64 << positions.len();
    // Every boundary of a class past ASCII splits the wide code points into intervals whose
    // members every class treats alike.
    let mut bounds = vec![WIDE];
    for position in positions {
        for &(low, high) in &position.ranges {
            if high >= WIDE {
                bounds.push(low.max(WIDE));
                if high < LAST {
                    bounds.push(high + 1);
                }
            }
        }
    }
    bounds.sort_unstable();
    bounds.dedup();

    let mut sets: Vec<u64> = vec![0, closure(positions, 1)];
    let mut ascii = Vec::new();
    let mut wide = Vec::new();
    let mut state = 0;
    while state < sets.len() {
        let set = sets[state];
        let mut row = [0u8; 128];
        for (byte, next) in (0..128u32).zip(row.iter_mut()) {
            *next = index_of(step(positions, set, byte), &mut sets)?;
        }
        ascii.push(row);
        for &start in &bounds {
            wide.push(index_of(step(positions, set, start), &mut sets)?);
        }
        state += 1;
    }
    Some(Sequence {
        ascii,
        bounds,
        wide,
        accepting: sets.iter().map(|&set| set & accept != 0).collect(),
        start: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::super::strings;
    use super::*;

    #[test]
    fn sequences_match_exactly_what_regex_matches() {
        let cases: &[(&str, &[char], usize)] = &[
            ("^\\+?1?[0-9]{2,4}$", &['+', '1', '2', 'a'], 6),
            ("^[a-zA-Z0-9_-]+$", &['a', 'Z', '_', '-', ' ', 'é'], 4),
            (
                "^[hH][tT]?://[^\\t\\n \\x{A0}\\x{3000}]+$",
                &['h', 'T', ':', '/', ' ', 'é', '\u{A0}', '\u{3000}'],
                7,
            ),
            ("^a*b?a{1,2}$", &['a', 'b'], 6),
            ("^[0-9a-f]{3}$", &['0', 'f', 'g'], 5),
            ("ab", &['a', 'b', 'c'], 5),
            ("^x", &['x', 'y'], 4),
            ("y$", &['x', 'y', '🦀'], 4),
            ("^(?i)ab$", &['a', 'A', 'b', 'B'], 3),
            ("^$", &['a'], 2),
        ];
        for (source, alphabet, length) in cases {
            let sequence =
                Sequence::compile(source).unwrap_or_else(|| panic!("{source} is a sequence"));
            let regex = regex::Regex::new(source).unwrap();
            for text in strings(alphabet, *length) {
                assert_eq!(
                    sequence.is_match(&text),
                    regex.is_match(&text),
                    "{source} on {text:?}"
                );
            }
        }
    }

    #[test]
    fn anything_but_a_sequence_is_left_to_regex() {
        for source in [
            "^(ab)+$",
            "^a|b$",
            "^\\bword$",
            "^a{100}$",
            "^(?m)^a$",
            "^.{0,70}$",
        ] {
            assert!(Sequence::compile(source).is_none(), "{source}");
        }
    }
}
