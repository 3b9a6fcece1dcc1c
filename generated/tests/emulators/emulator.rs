//! One dialect emulator of `../shared/emulators/emulator.py` as a child process, and its
//! fixture credentials.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long an emulator may take to print its `listening` line: Python starts in well under
/// a second, so this only guards against a hung start on a loaded machine.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running emulator, stopped (killed and reaped) when dropped, so that a failing assertion
/// never leaves a process behind.
#[derive(Debug)]
pub struct Emulator {
    child: Child,
    base_url: String,
}

impl Emulator {
    /// The base URL the emulator printed: the origin plus the dialect's prefix (rpc's
    /// `/api/v1`), which the generated clients append the operations' paths to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Already gone is fine: nothing else to stop.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fixture credentials (`emulator.py --credentials`). `Debug` never shows a value, so a
/// failing assertion that prints a request or this struct cannot print a credential.
#[derive(Clone)]
pub struct Fixtures {
    /// `KEY`: `X-API-Key` (manage, cl2c), `apikey` (rpc).
    pub key: String,
    /// `BILLING_KEY`: billing's `?api_key=`.
    pub billing_key: String,
    /// `TOKEN`: the caller's bearer token (manage, rpc, community).
    pub token: String,
    /// `OTHER_TOKEN`: the other user's bearer token (manage, community).
    pub other_token: String,
    /// `TENANT`: cl2c's `tenant` header.
    pub tenant: String,
}

impl std::fmt::Debug for Fixtures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fixtures { [redacted] }")
    }
}

impl Fixtures {
    /// Every credential, raw and as a client percent-encodes it into a query.
    fn secrets(&self) -> Vec<String> {
        [
            &self.key,
            &self.billing_key,
            &self.token,
            &self.other_token,
            &self.tenant,
        ]
        .into_iter()
        .flat_map(|secret| [secret.clone(), percent_encoded(secret)])
        .collect()
    }

    /// Fails (without quoting the credential) when `text` holds one of the fixture
    /// credentials, raw or percent-encoded. `what` names the text in the failure.
    pub fn assert_hidden(&self, what: &str, text: &str) {
        let leaked = self
            .secrets()
            .iter()
            .position(|secret| text.contains(secret.as_str()));
        assert!(
            leaked.is_none(),
            "{what} shows a fixture credential (number {} of the raw/encoded list)",
            leaked.unwrap_or_default()
        );
    }
}

/// `application/x-www-form-urlencoded` encoding, as `url::form_urlencoded` writes a query.
fn percent_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                char::from(byte).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Where the emulators are and the Python that runs them.
struct Setup {
    script: PathBuf,
    python: String,
}

/// Finds the emulator script and Python. When either is missing, CI (`CI=true`) fails the
/// test, since it would otherwise pass without having checked anything; elsewhere the test
/// is skipped with the reason printed.
fn setup() -> Option<Setup> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/emulators");
    let script = dir.join("emulator.py");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let problem = if !script.is_file() {
        Some(format!(
            "the dialect emulators are not at {} (they live in ../shared/emulators beside \
             the project)",
            script.display()
        ))
    } else if !Command::new(&python)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
    {
        Some(format!(
            "`{python} --version` does not run: the emulators need Python 3.9 or later \
             (PYTHON names another interpreter)"
        ))
    } else {
        None
    };
    match problem {
        None => Some(Setup { script, python }),
        Some(problem) if std::env::var("CI").is_ok_and(|ci| ci == "true") => {
            panic!("{problem}")
        }
        Some(problem) => {
            eprintln!("skipped: {problem}");
            None
        }
    }
}

/// Starts the emulator of `dialect` on a free loopback port and reads the fixture
/// credentials; `None` when the test is skipped (see [`setup`]).
pub fn start(dialect: &str) -> Option<(Emulator, Fixtures)> {
    let setup = setup()?;
    let fixtures = fixtures(&setup);
    let mut child = Command::new(&setup.python)
        .arg(&setup.script)
        .args(["--dialect", dialect, "--port", "0", "--quiet"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start the {dialect} emulator: {error}"));
    let stdout = child.stdout.take().expect("stdout is piped");
    // The first line is `listening <base URL>`; read it on a thread so that a hung start
    // fails after START_TIMEOUT instead of blocking the test forever.
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
        let _ = sender.send(read);
    });
    // Owned before the wait, so that a failed start still stops the process.
    let mut emulator = Emulator {
        child,
        base_url: String::new(),
    };
    let line = match receiver.recv_timeout(START_TIMEOUT) {
        Ok(Ok(line)) => line,
        Ok(Err(error)) => panic!("the {dialect} emulator's stdout: {error}"),
        Err(_) => panic!("the {dialect} emulator printed no `listening` line in {START_TIMEOUT:?}"),
    };
    emulator.base_url = line
        .trim_end()
        .strip_prefix("listening ")
        .unwrap_or_else(|| panic!("the {dialect} emulator's first line is {line:?}"))
        .to_owned();
    Some((emulator, fixtures))
}

/// `emulator.py --credentials`: one `NAME<TAB>value` a line.
fn fixtures(setup: &Setup) -> Fixtures {
    let output = Command::new(&setup.python)
        .arg(&setup.script)
        .arg("--credentials")
        .stderr(Stdio::inherit())
        .output()
        .expect("`emulator.py --credentials` runs");
    assert!(
        output.status.success(),
        "`emulator.py --credentials` failed: {}",
        output.status
    );
    let text = String::from_utf8(output.stdout).expect("the credentials are UTF-8");
    let value = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix('\t'))
            .unwrap_or_else(|| panic!("`emulator.py --credentials` names no {name}"))
            .to_owned()
    };
    Fixtures {
        key: value("KEY"),
        billing_key: value("BILLING_KEY"),
        token: value("TOKEN"),
        other_token: value("OTHER_TOKEN"),
        tenant: value("TENANT"),
    }
}
