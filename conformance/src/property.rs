//! proptest at the core: a fixed seed per (run seed, check, operation, field) so the same seed
//! sends the same requests in the same order, and shrinking to the smallest failing input.

use std::cell::RefCell;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::http::Exchange;

/// A broken expectation, with the exchanges of the case that broke it.
#[derive(Debug, Clone)]
pub struct Broken {
    pub expected: String,
    pub got: String,
    pub exchanges: Vec<Exchange>,
}

/// How a property ended: every case held, or the smallest failing input with its failure.
#[derive(Debug)]
pub enum PropertyOutcome<T> {
    Held {
        cases: usize,
    },
    Broken {
        input: T,
        broken: Broken,
    },
    /// The strategy could not produce enough values (its filters rejected too many).
    GaveUp(String),
}

/// A stable 64-bit hash (FNV-1a): seeds must not change between runs or Rust versions.
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The RNG of one property.
pub fn rng(seed: u64, salt: &[&str]) -> TestRng {
    let mut bytes = [0u8; 32];
    let mut state = seed ^ stable_hash(salt);
    for chunk in bytes.chunks_mut(8) {
        // splitmix64: spreads one seed over the 32 bytes ChaCha wants.
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// Runs `test` on `cases` values of `strategy`; on failure, shrinks and runs the smallest
/// failing input once more to record its exchanges.
pub fn check_property<S, F>(
    seed: u64,
    salt: &[&str],
    cases: u32,
    strategy: S,
    mut test: F,
) -> PropertyOutcome<S::Value>
where
    S: Strategy,
    S::Value: Clone,
    F: FnMut(&S::Value) -> Result<(), Broken>,
{
    let config = Config {
        cases: cases.max(1),
        failure_persistence: None,
        max_shrink_iters: 256,
        max_global_rejects: 4096,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, rng(seed, salt));
    let ran = RefCell::new(0usize);
    // proptest wants a `Fn`; the test sends requests and keeps state, so it lives in a cell.
    let cell = RefCell::new(&mut test);
    let result = runner.run(&strategy, |value| {
        *ran.borrow_mut() += 1;
        (cell.borrow_mut())(&value).map_err(|broken| TestCaseError::fail(broken.expected))
    });
    match result {
        Ok(()) => PropertyOutcome::Held {
            cases: *ran.borrow(),
        },
        Err(TestError::Fail(_, input)) => {
            let broken = test(&input).err().unwrap_or_else(|| Broken {
                expected: "the same answer every time".into(),
                got: "a failure that did not happen again when replayed (a flaky server?)".into(),
                exchanges: Vec::new(),
            });
            PropertyOutcome::Broken { input, broken }
        }
        Err(TestError::Abort(reason)) => PropertyOutcome::GaveUp(reason.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_same_seed_gives_the_same_values() {
        let values = |seed| {
            let mut seen = Vec::new();
            let _ = check_property(seed, &["x"], 20, 0u32..1_000_000, |v| {
                seen.push(*v);
                Ok(())
            });
            seen
        };
        assert_eq!(values(7), values(7));
        assert_ne!(values(7), values(8));
    }

    #[test]
    fn failures_shrink_to_the_smallest_input() {
        let outcome = check_property(1, &["y"], 100, "[a-z]{0,40}", |s: &String| {
            if s.len() > 10 {
                Err(Broken {
                    expected: "short".into(),
                    got: s.clone(),
                    exchanges: Vec::new(),
                })
            } else {
                Ok(())
            }
        });
        match outcome {
            PropertyOutcome::Broken { input, .. } => assert_eq!(input.len(), 11, "{input:?}"),
            other => panic!("should fail: {other:?}"),
        }
        let _ = any::<u8>();
    }
}
