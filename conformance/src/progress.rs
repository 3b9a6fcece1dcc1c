//! Progress while a run goes: on a terminal a live line; when stderr is piped (CI), a line
//! every few seconds, so a slow target never looks like a hang. Ticked by every request.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::checks::Check;

/// How often a piped run says how far it is.
const PIPED_EVERY: Duration = Duration::from_secs(3);
/// How often the terminal line is redrawn.
const TERMINAL_EVERY: Duration = Duration::from_millis(100);

#[derive(Debug)]
pub struct Progress {
    target: String,
    /// The (operation, check) pairs that apply, and how many have started.
    total: usize,
    done: usize,
    now: Option<(Check, String)>,
    requests: usize,
    failures: usize,
    started: Instant,
    last_line: Instant,
    terminal: bool,
}

impl Progress {
    pub fn new(target: &str, total: usize) -> Progress {
        Progress {
            target: target.to_owned(),
            total,
            done: 0,
            now: None,
            requests: 0,
            failures: 0,
            started: Instant::now(),
            last_line: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// A check starts on an operation.
    pub fn check(&mut self, check: Check, operation: &str) {
        self.done += 1;
        self.now = Some((check, operation.to_owned()));
        self.show();
    }

    pub fn request(&mut self) {
        self.requests += 1;
        self.show();
    }

    pub fn failure(&mut self) {
        self.failures += 1;
    }

    fn show(&mut self) {
        let (every, first_after) = if self.terminal {
            (TERMINAL_EVERY, Duration::from_secs(1))
        } else {
            (PIPED_EVERY, PIPED_EVERY)
        };
        if self.last_line.elapsed() < every || self.started.elapsed() < first_after {
            return;
        }
        self.last_line = Instant::now();
        let (check, operation) = self
            .now
            .as_ref()
            .map(|(c, o)| (format!("{} {}", c.id(), c.name()), o.as_str()))
            .unwrap_or_default();
        let mut stderr = std::io::stderr();
        if self.terminal {
            let _ = write!(
                stderr,
                "\r\x1b[2K[{}/{}] {check} on {operation} ({} requests, {} failed)",
                self.done, self.total, self.requests, self.failures
            );
            let _ = stderr.flush();
        } else {
            let _ = writeln!(
                stderr,
                "conformance: {}: {}/{} checks, {} requests, {} failed so far ({:.0} s; now {check} on {operation})",
                self.target,
                self.done,
                self.total,
                self.requests,
                self.failures,
                self.started.elapsed().as_secs_f64(),
            );
        }
    }

    pub fn finish(self) {
        if self.terminal && self.started.elapsed() >= Duration::from_secs(1) {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
