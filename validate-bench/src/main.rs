//! `cargo xtask bench validate`: the generated validators against the `jsonschema` crate on the
//! same schemas and the same payloads, valid and invalid, every error collected on both sides
//! (`Validator::iter_errors`, all of them), in a release build.
//!
//! Schemas come from the spec files: each OpenAPI schema object turned into JSON Schema as
//! OpenAPI 3.0 means it (`$ref`s inlined, `nullable` as a `null` type, formats asserted).
//! Three ways in are timed for each payload:
//! - `jsonschema`: `iter_errors(&Value)`, every error built;
//! - `parse`: the generated `parse_<type>(Value)`, which reads the document into the Rust type
//!   (types, required fields, `null`, every constraint) or returns every error; it consumes the
//!   document (as the server does with the one it parsed), so each call gets a copy made
//!   outside the timing;
//! - `validate`: `Validate::validate(&T)`, every constraint of an already typed value;
//! - `check`: the generated `check_<type>_json(&Value)`, the checks of `parse_<type>` (the same
//!   errors) on the borrowed document, nothing built: what jsonschema does.
//!
//! A measurement, not a test: the figures are printed; it fails only when the two sides
//! disagree on whether a payload is valid.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use profile_api::support::{FieldError, Validate};
use serde_json::{Map, Value, json};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The goal of issue #12: at least this many times faster than jsonschema.
const GOAL_RATIO: f64 = 5.0;
/// Samples per measurement (the median is reported), and the time each one takes.
const SAMPLES: usize = 15;
const SAMPLE_TIME: Duration = Duration::from_millis(40);

type Parse = fn(Value) -> Result<usize, Vec<FieldError>>;
/// The generated `check_<type>_json` on a borrowed document.
type Check = fn(&Value) -> Result<(), Vec<FieldError>>;
/// `Validate::validate` of a value already read into its type.
type Validation = Box<dyn Fn() -> Vec<FieldError>>;

/// One schema and its payloads.
struct Case {
    label: &'static str,
    spec: &'static str,
    schema: &'static str,
    valid: Value,
    invalid: Value,
    /// The generated `parse_<type>`, its result reduced to something to keep.
    parse: Parse,
    /// The generated `check_<type>_json`.
    check: Check,
    /// `Validate::validate` of the payload read into its type (outside the timing).
    typed: fn(&Value) -> Validation,
}

fn typed<T>(value: &Value) -> Validation
where
    T: serde::de::DeserializeOwned + Validate + 'static,
{
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|error| panic!("a benchmark payload does not read as its type: {error}"));
    Box::new(move || typed.validate())
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            label: "manage ProfileUpdate",
            spec: "spec/dialects/manage.yaml",
            schema: "ProfileUpdate",
            valid: json!({
                "user_id": "123456",
                "profile_picture": "https://example.com/profile_pictures/123456.jpg",
                "first_name": "Jane",
                "last_name": "Doe",
                "email": "jane.doe@example.com",
                "phone_number": "+14155550123"
            }),
            invalid: json!({
                "user_id": "",
                "profile_picture": "ftp://example.com/a b.jpg",
                "first_name": "J".repeat(300),
                "last_name": "Doe",
                "email": "jane.doe@",
                "phone_number": "555-0123"
            }),
            parse: |value| profile_api::manage::validate::parse_profile_update(value).map(|_| 0),
            check: profile_api::manage::validate::check_profile_update_json,
            typed: typed::<profile_api::manage::ProfileUpdate>,
        },
        Case {
            label: "billing UserUpdate",
            spec: "spec/dialects/billing.yaml",
            schema: "UserUpdate",
            valid: json!({
                "first_name": "Jane",
                "last_name": "Doe",
                "email": "jane.doe@example.com",
                "is_active": true,
                "birthdate": "1990-04-01T00:00:00Z",
                "role_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                "phone": "+14155550123",
                "country": "France",
                "address": null,
                "active_billing_plan_id": "9b2d1e8a-44c1-4e9b-8d7f-0c6a5e4b3a21",
                "is_trial": false,
                "stripe_last_payment_date": "2024-05-31T12:30:00.250+02:00"
            }),
            invalid: json!({
                "first_name": "J".repeat(300),
                "last_name": "Doe",
                "email": "jane.doe.example.com",
                "is_active": true,
                "birthdate": "1990-02-30T00:00:00Z",
                "role_id": "3fa85f64-5717-4562-b3fc",
                "phone": "+14155550123",
                "country": "France",
                "address": null,
                "active_billing_plan_id": "",
                "is_trial": false,
                "stripe_last_payment_date": "yesterday"
            }),
            parse: |value| profile_api::billing::validate::parse_user_update(value).map(|_| 0),
            check: profile_api::billing::validate::check_user_update_json,
            typed: typed::<profile_api::billing::UserUpdate>,
        },
        Case {
            label: "canonical ProfileReplace",
            spec: "spec/canonical.yaml",
            schema: "ProfileReplace",
            valid: json!({
                "username": "jane_doe-42",
                "first_name": "Jane",
                "last_name": "Doe",
                "email": "jane.doe@example.com",
                "phone_number": "+14155550123",
                "country": "France",
                "date_of_birth": "1990-04-01",
                "website": "https://jane.example.com",
                "image_url": "https://example.com/profile_pictures/123456.jpg",
                "language": "fr",
                "is_active": true,
                "role_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"
            }),
            invalid: json!({
                "username": "jane doe!",
                "first_name": "",
                "last_name": "Doe",
                "email": "jane.doe@example",
                "phone_number": "0014155550123",
                "country": "France",
                "date_of_birth": "1990-13-01",
                "website": "jane.example.com",
                "image_url": "https://example.com/profile_pictures/123456.jpg",
                "language": "",
                "is_active": true,
                "role_id": "not-a-uuid"
            }),
            parse: |value| {
                profile_api::canonical::validate::parse_profile_replace(value).map(|_| 0)
            },
            check: profile_api::canonical::validate::check_profile_replace_json,
            typed: typed::<profile_api::canonical::ProfileReplace>,
        },
    ]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    if cfg!(debug_assertions) {
        println!("warning: a debug build: the figures below are not representative\n");
    }
    println!(
        "== validate: generated validators vs jsonschema 0.61 (every error collected on both sides)"
    );
    println!(
        "   ns per call, median of {SAMPLES} samples of about {} ms taken in turns; release; mimalloc for both",
        SAMPLE_TIME.as_millis()
    );
    println!(
        "{:<26} {:<8} {:>7} {:>11} {:>9} {:>7} {:>11} {:>7} {:>9} {:>7}",
        "schema",
        "payload",
        "errors",
        "jsonschema",
        "parse",
        "ratio",
        "validate",
        "ratio",
        "check",
        "ratio"
    );
    let mut disagreements = Vec::new();
    let mut worst = f64::INFINITY;
    // An argument keeps the schemas whose label holds it (`validate-bench canonical`: one
    // schema, e.g. to profile it).
    let only = std::env::args().nth(1).unwrap_or_default();
    // `validate-bench LABEL check valid|invalid`: only that call, in a loop for a few seconds,
    // for a profiler to see nothing else.
    if let (Some(way), Some(payload)) = (std::env::args().nth(2), std::env::args().nth(3)) {
        profile_one(&only, &way, &payload);
        return;
    }
    for case in cases()
        .into_iter()
        .filter(|case| case.label.contains(&only))
    {
        let schema = json_schema(&root.join(case.spec), case.schema);
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|error| panic!("{}: not a JSON Schema: {error}", case.label));
        for (payload, value) in [("valid", &case.valid), ("invalid", &case.invalid)] {
            let theirs = validator.iter_errors(value).count();
            let parsed = (case.parse)(value.clone()).err().unwrap_or_default();
            let ours = parsed.len();
            let validate = (case.typed)(value);
            let ours_typed = validate().len();
            let checked = (case.check)(value).err().unwrap_or_default();
            let ours_checked = checked.len();
            // `check` must report exactly what `parse` reports.
            if (theirs == 0) != (ours == 0) || (ours == 0) != (ours_typed == 0) || parsed != checked
            {
                disagreements.push(format!(
                    "{} {payload}: jsonschema {theirs} error(s), parse {ours}, validate {ours_typed}, check {ours_checked}",
                    case.label
                ));
            }
            let (parse, check) = (case.parse, case.check);
            let [jsonschema_ns, parse_ns, validate_ns, check_ns] = interleaved([
                plain(|| validator.iter_errors(black_box(value)).count()),
                consuming(value, move |value| match parse(value) {
                    Ok(kept) => kept,
                    Err(errors) => errors.len(),
                }),
                plain(|| validate().len()),
                plain(|| match check(black_box(value)) {
                    Ok(()) => 0,
                    Err(errors) => errors.len(),
                }),
            ]);
            let (parse_ratio, validate_ratio, check_ratio) = (
                jsonschema_ns / parse_ns,
                jsonschema_ns / validate_ns,
                jsonschema_ns / check_ns,
            );
            // The goal is jsonschema's job: checking a borrowed document, nothing built.
            worst = worst.min(check_ratio);
            println!(
                "{:<26} {:<8} {:>7} {:>11.0} {:>9.0} {:>6.1}× {:>11.0} {:>6.1}× {:>9.0} {:>6.1}×",
                case.label,
                payload,
                format!("{ours}/{theirs}"),
                jsonschema_ns,
                parse_ns,
                parse_ratio,
                validate_ns,
                validate_ratio,
                check_ns,
                check_ratio
            );
        }
    }
    println!(
        "errors: ours/jsonschema (each counts differently: ours one per broken rule of a field as the API reports it)"
    );
    println!(
        "goal: check ≥ {GOAL_RATIO}× jsonschema on every row: {} (lowest {worst:.1}×)",
        if worst >= GOAL_RATIO {
            "met"
        } else {
            "NOT met"
        }
    );
    if !disagreements.is_empty() {
        eprintln!(
            "the validators disagree on what is valid:\n{}",
            disagreements.join("\n")
        );
        std::process::exit(1);
    }
}

/// Calls one way in (`check` or `jsonschema`) on one payload of the first case whose label
/// holds `label`, for three seconds: a target for `perf record`.
fn profile_one(label: &str, way: &str, payload: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let Some(case) = cases().into_iter().find(|case| case.label.contains(label)) else {
        eprintln!("no schema's label holds {label:?}");
        std::process::exit(2);
    };
    let value = if payload == "invalid" {
        &case.invalid
    } else {
        &case.valid
    };
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&json_schema(&root.join(case.spec), case.schema))
        .unwrap_or_else(|error| panic!("{}: not a JSON Schema: {error}", case.label));
    let started = Instant::now();
    let mut calls = 0u64;
    while started.elapsed() < Duration::from_secs(3) {
        for _ in 0..1000 {
            let errors = match way {
                "jsonschema" => validator.iter_errors(black_box(value)).count(),
                _ => (case.check)(black_box(value))
                    .err()
                    .map_or(0, |errors| errors.len()),
            };
            black_box(errors);
        }
        calls += 1000;
    }
    println!(
        "{} {way} {payload}: {:.0} ns per call",
        case.label,
        started.elapsed().as_nanos() as f64 / calls as f64
    );
}

/// One way in, timed: `run(calls)` makes that many calls and returns the time they took.
type Timed<'a> = Box<dyn FnMut(u64) -> Duration + 'a>;

/// Calls of `f`.
fn plain<'a, R>(mut f: impl FnMut() -> R + 'a) -> Timed<'a> {
    Box::new(move |calls| {
        let started = Instant::now();
        for _ in 0..calls {
            black_box(f());
        }
        started.elapsed()
    })
}

/// Calls of `f` on a copy of `value` each, the copies made (and what `f` returns dropped)
/// outside the timing.
fn consuming<'a, R: 'a>(value: &'a Value, mut f: impl FnMut(Value) -> R + 'a) -> Timed<'a> {
    const BATCH: u64 = 256;
    Box::new(move |calls| {
        let mut timed = Duration::ZERO;
        let mut left = calls;
        while left > 0 {
            let count = left.min(BATCH);
            let copies: Vec<Value> = (0..count).map(|_| value.clone()).collect();
            let mut results = Vec::with_capacity(copies.len());
            let started = Instant::now();
            for copy in copies {
                results.push(f(black_box(copy)));
            }
            timed += started.elapsed();
            drop(black_box(results));
            left -= count;
        }
        timed
    })
}

/// Nanoseconds per call of each way in: the median of [`SAMPLES`] samples of about
/// [`SAMPLE_TIME`] each, taken in turns (one of each, then again) so that all of them see
/// the same load of a shared machine. Calibrating the call counts is the warm-up.
fn interleaved<const N: usize>(mut timed: [Timed<'_>; N]) -> [f64; N] {
    let calls: Vec<u64> = timed
        .iter_mut()
        .map(|run| {
            let mut calls = 1u64;
            loop {
                let took = run(calls);
                if took >= SAMPLE_TIME / 8 {
                    let scale = SAMPLE_TIME.as_secs_f64() / took.as_secs_f64();
                    break ((calls as f64 * scale) as u64).max(1);
                }
                calls *= 2;
            }
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(SAMPLES); N];
    for _ in 0..SAMPLES {
        for ((run, &calls), samples) in timed.iter_mut().zip(&calls).zip(&mut samples) {
            samples.push(run(calls).as_nanos() as f64 / calls as f64);
        }
    }
    let mut medians = [0.0; N];
    for (median, mut samples) in medians.iter_mut().zip(samples) {
        samples.sort_by(f64::total_cmp);
        *median = samples[samples.len() / 2];
    }
    medians
}

/// Schema `name` of the OpenAPI document at `spec` as JSON Schema (draft 2020-12), with the
/// meaning OpenAPI 3.0 gives it.
fn json_schema(spec: &PathBuf, name: &str) -> Value {
    let text = std::fs::read_to_string(spec)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", spec.display()));
    let document: Value =
        serde_saphyr::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", spec.display()));
    let schemas = &document["components"]["schemas"];
    convert(&schemas[name], schemas)
}

/// One OpenAPI schema object as JSON Schema: `$ref`s to `#/components/schemas/…` inlined,
/// `nullable: true` as a `null` type, annotations (`description`, `example`, `x-…`) left out.
fn convert(schema: &Value, schemas: &Value) -> Value {
    match schema {
        Value::Object(object) => {
            if let Some(target) = object.get("$ref").and_then(Value::as_str) {
                let name = target.trim_start_matches("#/components/schemas/");
                return convert(&schemas[name], schemas);
            }
            let mut out = Map::new();
            for (key, value) in object {
                if key.starts_with("x-")
                    || matches!(key.as_str(), "description" | "example" | "nullable")
                {
                    continue;
                }
                let converted = match key.as_str() {
                    "properties" => Value::Object(
                        value
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(name, schema)| (name.clone(), convert(schema, schemas)))
                            .collect(),
                    ),
                    "items" | "additionalProperties" | "not" => convert(value, schemas),
                    "allOf" | "oneOf" | "anyOf" => Value::Array(
                        value
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|schema| convert(schema, schemas))
                            .collect(),
                    ),
                    _ => value.clone(),
                };
                out.insert(key.clone(), converted);
            }
            if object.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(kind) = out.get("type").cloned() {
                    out.insert("type".into(), json!([kind, "null"]));
                }
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}
