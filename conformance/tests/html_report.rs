//! The HTML report in a real browser: headless Chromium driven through chromedriver's
//! WebDriver HTTP protocol (plain JSON over reqwest; no client crate).
//!
//! The page is rendered from three runs: two of the harness against faulty variants of the
//! reference server (known failures, a sequence of several requests) and one written here
//! (a warning, markup in a body). The test checks what a reader relies on: no console error,
//! no network request, matrix counts equal to the JSON's, a click on a failure shows its curl
//! line, "failed only" hides the passes, the filters and the copy button work. Screenshots go
//! to `target/html-report/`.
//!
//! Needs `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver`;
//! or CHROME and CHROMEDRIVER naming them). Without them the test is skipped with a message,
//! except with `CI=true`, where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap in a test is a failed test

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod support;

use conformance::{RunConfig, Target};
use generator::spec::ext::Dialect;
use reference::Fixtures;
use reference::faults::Fault;

const PACKAGES: &str = "apt-get install chromium chromium-driver";

#[test]
fn the_html_report_works_in_chromium() {
    let started = Instant::now();
    let Some((chrome, chromedriver)) = find_browser() else {
        let message = format!(
            "the HTML report's browser test needs Chromium and its WebDriver: `{PACKAGES}` \
             (Debian packages chromium, chromium-driver), or CHROME and CHROMEDRIVER naming them"
        );
        if std::env::var("CI").is_ok_and(|ci| ci == "true") {
            panic!("{message}");
        }
        eprintln!("skipped: {message}");
        return;
    };

    let runs = vec![
        faulty_run(Dialect::Manage, Fault::LengthLimitNotEnforced),
        faulty_run(Dialect::Community, Fault::UpdateNotStored),
        written_run(),
    ];
    let out = target_dir().join("html-report");
    std::fs::create_dir_all(&out).unwrap();
    for (index, run) in runs.iter().enumerate() {
        std::fs::write(
            out.join(format!("run{index}.json")),
            serde_json::to_string_pretty(run).unwrap(),
        )
        .unwrap();
    }
    let page = conformance::html::render(&runs).unwrap();
    let page_path = out.join("report.html");
    std::fs::write(&page_path, &page).unwrap();
    let page_path = page_path.canonicalize().unwrap();
    let url = format!("file://{}", page_path.display());

    let driver = Driver::start(&chromedriver);
    let session = driver.session(&chrome);
    session.post("url", json!({ "url": url }));

    // No console error (a CSP violation is one too).
    let console = session.post("se/log", json!({ "type": "browser" }));
    let errors: Vec<&Value> = console
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["level"] == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    // No network request: none in the browser's network log but the page itself, no
    // resource timing entry, nothing in the page that names something to fetch.
    let requests: Vec<String> = session
        .post("se/log", json!({ "type": "performance" }))
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|entry| serde_json::from_str::<Value>(entry["message"].as_str()?).ok())
        .filter(|message| message["message"]["method"] == "Network.requestWillBeSent")
        .filter_map(|message| {
            message["message"]["params"]["request"]["url"]
                .as_str()
                .map(str::to_owned)
        })
        .filter(|requested| requested != &url)
        .collect();
    assert!(requests.is_empty(), "network requests: {requests:?}");
    assert_eq!(
        session.script(
            "return performance.getEntriesByType('resource').length \
             + document.querySelectorAll('[src],[srcset],link[href],a[href]:not([href^=\"#\"])').length"
        ),
        json!(0)
    );
    let csp = session.script(
        "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content",
    );
    assert!(
        csp.as_str().unwrap().starts_with("default-src 'none'"),
        "{csp}"
    );

    // The matrix holds every result of every run, each counted once.
    for (index, run) in runs.iter().enumerate() {
        let expected = counts(run);
        let shown = session.script(&format!(
            "const section = document.getElementById('r{index}'); const sum = (key) => \
             [...section.querySelectorAll('td.cell')].reduce((n, cell) => n + Number(cell.dataset[key] || 0), 0); \
             return [sum('pass'), sum('fail'), sum('skip'), sum('warn'), \
                     section.querySelectorAll('details.fail-item').length, \
                     section.querySelectorAll('tr.skip-row').length];"
        ));
        assert_eq!(
            shown,
            json!([
                expected[0],
                expected[1],
                expected[2],
                expected[3],
                expected[1],
                expected[2]
            ]),
            "run {index} ({})",
            run["target"]
        );
        assert!(expected[1] > 0, "run {index} has no failure to show");
    }
    session.screenshot(&out.join("overview.png"));

    // A click on a failing cell opens the failure and shows its curl line.
    let cell = session.find("section#r1 td.cell.fail a.go");
    let anchor = session.attribute(&cell, "data-go");
    assert_eq!(
        session.script(&format!("return document.getElementById('{anchor}').open")),
        json!(false)
    );
    session.click(&cell);
    let shown = session.script(&format!(
        "const item = document.getElementById('{anchor}'); \
         const curl = item.querySelector('.step.last pre.curl'); \
         return [item.open, curl.checkVisibility(), curl.textContent];"
    ));
    assert_eq!(shown[0], json!(true), "{shown}");
    assert_eq!(shown[1], json!(true), "{shown}");
    assert!(shown[2].as_str().unwrap().starts_with("curl "), "{shown}");
    // Its copy button copies (the clipboard API, or the fallback where it is refused).
    let copy = session.find(&format!("#{anchor} .step.last button.copy"));
    session.click(&copy);
    let label = session.wait_for(&format!(
        "const label = document.querySelector('#{anchor} .step.last button.copy').textContent; \
         return label === 'copy' ? null : label;"
    ));
    assert_eq!(label, json!("copied"));
    session.screenshot(&out.join("failure.png"));

    // A click on the summary of another failure expands it too.
    let summary = session.find("section#r0 details.fail-item:not([open]) > summary");
    session.click(&summary);
    assert_eq!(
        session.script(
            "return [...document.querySelectorAll('section#r0 details.fail-item')].some((d) => d.open \
             && d.querySelector('pre.curl').checkVisibility())"
        ),
        json!(true)
    );

    // "Failed only" hides every pass (and skip); every failure stays visible.
    let visible = |selector: &str| {
        session.script(&format!(
            "return [...document.querySelectorAll('{selector}')]\
             .filter((e) => e.checkVisibility({{ visibilityProperty: true }})).length"
        ))
    };
    let total_failed: u64 = runs.iter().map(|run| counts(run)[1]).sum();
    assert!(visible("td.cell.pass").as_u64().unwrap() > 0);
    session.click(&session.find("#failed-only"));
    assert_eq!(visible("td.cell.pass"), json!(0));
    assert_eq!(visible("td.cell.skip"), json!(0));
    assert_eq!(visible("tr.skip-row"), json!(0));
    assert_eq!(
        visible("td.cell.fail").as_u64().unwrap(),
        failing_cells(&runs)
    );
    assert_eq!(visible("details.fail-item").as_u64().unwrap(), total_failed);
    session.screenshot(&out.join("failed-only.png"));
    session.click(&session.find("#failed-only"));
    assert!(visible("td.cell.pass").as_u64().unwrap() > 0);

    // The check filter keeps one column and that check's failures and skips.
    let (check, failures_of_check) = most_failed_check(&runs);
    session.script(&format!(
        "const select = document.getElementById('filter-check'); select.value = '{check}'; \
         select.dispatchEvent(new Event('change')); return null;"
    ));
    let other_columns = session.script(&format!(
        "return [...document.querySelectorAll('td.cell, thead th[data-check]')]\
         .filter((e) => e.dataset.check !== '{check}' && e.checkVisibility()).length"
    ));
    assert_eq!(other_columns, json!(0));
    assert_eq!(
        visible("details.fail-item").as_u64().unwrap(),
        failures_of_check
    );
    // The operation filter keeps that operation's rows.
    session.script(
        "const select = document.getElementById('filter-check'); select.value = ''; \
         select.dispatchEvent(new Event('change')); \
         const op = document.getElementById('filter-operation'); op.value = 'updateUser'; \
         op.dispatchEvent(new Event('change')); return null;",
    );
    let other_rows = session.script(
        "return [...document.querySelectorAll('tbody tr[data-operation]')]\
         .filter((e) => e.dataset.operation !== 'updateUser' && e.checkVisibility()).length",
    );
    assert_eq!(other_rows, json!(0));
    assert!(visible("tbody tr[data-operation]").as_u64().unwrap() > 0);

    // Still no console error after all of that.
    let console = session.post("se/log", json!({ "type": "browser" }));
    assert!(
        console
            .as_array()
            .unwrap()
            .iter()
            .all(|entry| entry["level"] != "SEVERE"),
        "console errors: {console:#}"
    );
    drop(session);
    drop(driver);
    eprintln!(
        "browser test: {} results in {} runs checked in Chromium in {:.1} s; screenshots in {}",
        runs.iter()
            .map(|run| counts(run).iter().sum::<u64>())
            .sum::<u64>(),
        runs.len(),
        started.elapsed().as_secs_f64(),
        out.display()
    );
}

/// passed, failed, skipped, other (warnings) in a JSON report.
fn counts(run: &Value) -> [u64; 4] {
    let mut counts = [0; 4];
    for result in run["results"].as_array().unwrap() {
        let slot = match result["outcome"].as_str().unwrap() {
            "passed" => 0,
            "failed" => 1,
            "skipped" => 2,
            _ => 3,
        };
        counts[slot] += 1;
    }
    counts
}

/// Cells (operation × check, per run) holding at least one failure.
fn failing_cells(runs: &[Value]) -> u64 {
    let mut cells = std::collections::BTreeSet::new();
    for (index, run) in runs.iter().enumerate() {
        for result in run["results"].as_array().unwrap() {
            if result["outcome"] == "failed" {
                cells.insert((
                    index,
                    result["operation"].to_string(),
                    result["check"].to_string(),
                ));
            }
        }
    }
    cells.len() as u64
}

fn most_failed_check(runs: &[Value]) -> (String, u64) {
    let mut failures = std::collections::BTreeMap::<String, u64>::new();
    for run in runs {
        for result in run["results"].as_array().unwrap() {
            if result["outcome"] == "failed" {
                *failures
                    .entry(result["check"].as_str().unwrap().to_owned())
                    .or_default() += 1;
            }
        }
    }
    failures.into_iter().max_by_key(|(_, n)| *n).unwrap()
}

/// The harness against a faulty variant of the reference server, as its JSON report.
fn faulty_run(dialect: Dialect, fault: Fault) -> Value {
    let face = dialect.name();
    let fixtures = Fixtures::default_set();
    let app = reference::app_with_fault(fixtures.clone(), Some((face, fault)));
    let server = reference::start_app(app, ([127, 0, 0, 1], 0).into()).unwrap();
    let config = RunConfig {
        cases: 3,
        ..RunConfig::new(
            Target::Dialect(dialect),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
            server.base_url(face),
            support::reference_credentials(fixtures.face_credentials(face)),
        )
    };
    let report = conformance::run(&config).unwrap();
    server.stop();
    let mut value = serde_json::to_value(&report).unwrap();
    value["target"] = json!(format!("{face} ({fault:?})"));
    value["base_url"] = json!(config.base_url);
    value
}

/// A run written here: a warning, a skip, markup and quotes in what the server said.
fn written_run() -> Value {
    json!({
        "target": "hand-written <b>not bold</b>",
        "seed": 1,
        "cases": 2,
        "requests": 3,
        "base_url": "https://api.example.com/v1?a=1&b=<2>",
        "results": [
            {"check": "CF400", "name": "error-envelope", "operation": "updateUser", "outcome": "warning",
             "message": "slow answers (over 2 s)"},
            {"check": "CF101", "name": "max-length", "operation": "updateUser", "outcome": "failed",
             "expected": "400 naming first_name", "got": "200 </pre><script>alert(1)</script>",
             "field": "first_name", "input": "\"aaa'\\\"\"",
             "sequence": [
                 {"curl": "curl -X GET 'https://api.example.com/v1/users/1' -H \"Authorization: Bearer $CONFORMANCE_TOKEN\"",
                  "outcome": "200", "body": "{\"first_name\":\"<img src=x onerror=alert(2)>\"}"},
                 {"curl": "curl -X PUT 'https://api.example.com/v1/users/1' --data-binary $'{\"first_name\":\"\\xff\"}'",
                  "outcome": "200", "body": "</script><!--"}
             ]},
            {"check": "CF101", "name": "max-length", "operation": "getUser", "outcome": "passed", "cases": 2},
            {"check": "CF200", "name": "credential-missing", "operation": "getUser", "outcome": "skipped",
             "reason": "needs --api-key & <CONFORMANCE_API_KEY>"}
        ]
    })
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Chromium and chromedriver: CHROME and CHROMEDRIVER, else the PATH.
fn find_browser() -> Option<(PathBuf, PathBuf)> {
    let on_path = |names: &[&str]| -> Option<PathBuf> {
        let paths = std::env::var_os("PATH")?;
        std::env::split_paths(&paths)
            .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
            .find(|path| path.is_file())
    };
    // A variable that is set wins, and must name a file.
    let given = |variable: &str, names: &[&str]| match std::env::var_os(variable) {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)).filter(|p| p.is_file()),
        _ => on_path(names),
    };
    let chrome = given("CHROME", &["chromium", "chromium-browser"])?;
    let driver = given("CHROMEDRIVER", &["chromedriver"])?;
    Some((chrome, driver))
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    base: String,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

impl Driver {
    fn start(chromedriver: &Path) -> Driver {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = TcpListener::bind(("127.0.0.1", 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            runtime,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = driver
                .request(reqwest::Method::GET, "/status", None)
                .ok()
                .is_some_and(|status| status["value"]["ready"] == json!(true));
            if ready {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        self.runtime.block_on(async {
            let mut request = self.client.request(method, format!("{}{path}", self.base));
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.map_err(|e| e.to_string())?;
            let status = response.status();
            let value: Value = response.json().await.map_err(|e| e.to_string())?;
            if status.is_success() {
                Ok(value)
            } else {
                Err(format!("{path}: {status} {value}"))
            }
        })
    }

    fn session(&self, chrome: &Path) -> Session<'_> {
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome.to_string_lossy(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--hide-scrollbars", "--window-size=1400,1600", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--disable-default-apps"]
            },
            "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" }
        }}});
        let created = self
            .request(reqwest::Method::POST, "/session", Some(capabilities))
            .unwrap_or_else(|e| panic!("cannot start Chromium through chromedriver: {e}"));
        Session {
            driver: self,
            id: created["value"]["sessionId"].as_str().unwrap().to_owned(),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    fn post(&self, command: &str, body: Value) -> Value {
        self.driver
            .request(
                reqwest::Method::POST,
                &format!("/session/{}/{command}", self.id),
                Some(body),
            )
            .unwrap_or_else(|e| panic!("{e}"))["value"]
            .take()
    }

    fn get(&self, command: &str) -> Value {
        self.driver
            .request(
                reqwest::Method::GET,
                &format!("/session/{}/{command}", self.id),
                None,
            )
            .unwrap_or_else(|e| panic!("{e}"))["value"]
            .take()
    }

    fn script(&self, script: &str) -> Value {
        self.post("execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Runs `script` until it returns something other than null (at most 5 s).
    fn wait_for(&self, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let value = self.script(script);
            if !value.is_null() {
                return value;
            }
            assert!(Instant::now() < deadline, "waited 5 s for: {script}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The WebDriver reference of the first element `selector` matches.
    fn find(&self, selector: &str) -> Value {
        self.post(
            "element",
            json!({ "using": "css selector", "value": selector }),
        )
    }

    fn element_id(element: &Value) -> &str {
        element["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .unwrap()
    }

    /// Clicks an element as a person would, once it is in the middle of the window (not under
    /// the page's sticky header, where WebDriver would otherwise scroll it).
    fn click(&self, element: &Value) {
        self.post(
            "execute/sync",
            json!({
                "script": "arguments[0].scrollIntoView({ block: 'center' }); return null;",
                "args": [element]
            }),
        );
        self.post(
            &format!("element/{}/click", Session::element_id(element)),
            json!({}),
        );
    }

    fn attribute(&self, element: &Value, name: &str) -> String {
        self.get(&format!(
            "element/{}/attribute/{name}",
            Session::element_id(element)
        ))
        .as_str()
        .unwrap()
        .to_owned()
    }

    fn screenshot(&self, path: &Path) {
        let encoded = self.get("screenshot");
        std::fs::write(path, base64_decode(encoded.as_str().unwrap())).unwrap();
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.driver.request(
            reqwest::Method::DELETE,
            &format!("/session/{}", self.id),
            None,
        );
    }
}

/// Standard base64 (the screenshot's PNG).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut bits = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            bits |= value(*c) << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
