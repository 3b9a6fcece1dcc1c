//! What the specs document, and ledgers of what the tests provoked: a dialect's test ends by
//! checking that every documented status of every operation was decoded, its canonical test
//! that every canonical operation was tried through the vendor's adapter.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use profile_api::support::AdapterError;
use serde_json::Value;

/// A documented status the generated client cannot provoke, and why. The test provokes it
/// with a request of its own and decodes the answer into the documented type instead.
#[derive(Debug, Clone, Copy)]
pub struct Gap {
    pub operation: &'static str,
    pub status: u16,
    pub reason: &'static str,
}

/// The statuses each operation of a dialect answered in the test, by how it was asked.
#[derive(Debug, Default)]
pub struct Statuses {
    /// Through the generated client, decoded into the response enum's variant.
    client: BTreeSet<(String, u16)>,
    /// Through a request of the test's own ([`Gap`]), decoded into the documented type.
    raw: BTreeSet<(String, u16)>,
}

impl Statuses {
    /// `operation` answered `status` through the generated client, decoded into its variant.
    pub fn client(&mut self, operation: &str, status: u16) {
        self.client.insert((operation.to_owned(), status));
    }

    /// `operation` answered `status` to a request of the test's own.
    pub fn raw(&mut self, operation: &str, status: u16) {
        self.raw.insert((operation.to_owned(), status));
    }

    /// Every documented status of every operation of `dialect` was provoked: through the
    /// client, or, exactly for the listed `gaps`, through a request of the test's own.
    pub fn assert_complete(&self, dialect: &str, gaps: &[Gap]) {
        let documented: BTreeSet<(String, u16)> = documented_statuses(dialect)
            .into_iter()
            .flat_map(|(operation, statuses)| {
                statuses
                    .into_iter()
                    .map(move |status| (operation.clone(), status))
            })
            .collect();
        let listed: BTreeSet<(String, u16)> = gaps
            .iter()
            .map(|gap| (gap.operation.to_owned(), gap.status))
            .collect();
        let provoked: BTreeSet<_> = self.client.union(&self.raw).cloned().collect();
        let missed: Vec<_> = documented.difference(&provoked).collect();
        assert!(
            missed.is_empty(),
            "{dialect}: documented statuses never provoked: {missed:?}"
        );
        let undocumented: Vec<_> = provoked.difference(&documented).collect();
        assert!(
            undocumented.is_empty(),
            "{dialect}: statuses the spec does not document: {undocumented:?}"
        );
        assert_eq!(
            self.raw, listed,
            "{dialect}: the statuses provoked with the test's own requests are exactly the \
             listed gaps of the generated client"
        );
        let stale: Vec<_> = listed.intersection(&self.client).collect();
        assert!(
            stale.is_empty(),
            "{dialect}: listed as beyond the client, yet provoked through it: {stale:?}"
        );
        println!("{dialect}: {}", self.summary(gaps));
    }

    /// One line per operation: the statuses decoded through the client, then the gaps.
    fn summary(&self, gaps: &[Gap]) -> String {
        let mut by_operation: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (operation, status) in &self.client {
            by_operation
                .entry(operation)
                .or_default()
                .push(status.to_string());
        }
        for gap in gaps {
            by_operation
                .entry(gap.operation)
                .or_default()
                .push(format!("{} (own request: {})", gap.status, gap.reason));
        }
        by_operation
            .into_iter()
            .map(|(operation, statuses)| format!("\n  {operation}: {}", statuses.join(", ")))
            .collect()
    }
}

/// The canonical operations tried through a vendor's adapter, by outcome.
#[derive(Debug, Default)]
pub struct Adapted {
    /// Served through the dialect: the canonical success answer came back.
    served: BTreeSet<String>,
    /// Refused with `AdapterError::Unsupported`.
    unsupported: BTreeSet<String>,
}

impl Adapted {
    /// The adapter served canonical `operation` through the dialect.
    pub fn served(&mut self, operation: &str) {
        self.served.insert(operation.to_owned());
    }

    /// The adapter refused canonical `operation` as unsupported: a 501, named, and without
    /// a call (the emulators would have answered something else).
    pub fn refused<T: std::fmt::Debug>(
        &mut self,
        operation: &str,
        answer: Result<T, AdapterError>,
    ) {
        match answer {
            Err(
                error @ AdapterError::Unsupported {
                    operation: named, ..
                },
            ) => {
                assert_eq!(named, operation, "the refusal names the operation");
                assert_eq!(error.status(), 501, "unsupported is answered as 501");
            }
            other => panic!("{operation}: expected AdapterError::Unsupported, got {other:?}"),
        }
        self.unsupported.insert(operation.to_owned());
    }

    /// Every canonical operation was tried: served where the canonical spec's `x-mapping`
    /// maps it onto `dialect`, refused as unsupported where it says so.
    pub fn assert_complete(&self, dialect: &str) {
        let (mapped, unsupported) = canonical_mapping(dialect);
        assert_eq!(
            self.served, mapped,
            "{dialect}: canonical operations served through the adapter"
        );
        assert_eq!(
            self.unsupported, unsupported,
            "{dialect}: canonical operations the adapter refuses as unsupported"
        );
        let names = |set: &BTreeSet<String>| Vec::from_iter(set.iter().cloned()).join(", ");
        println!(
            "{dialect} through the canonical adapter: served {}; unsupported {}",
            names(&self.served),
            names(&self.unsupported)
        );
    }
}

fn spec(path: &str) -> Value {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(path);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()));
    serde_saphyr::from_str(&text)
        .unwrap_or_else(|error| panic!("cannot parse {}: {error}", file.display()))
}

/// The operations of a spec's `paths`, each with its operationId.
fn operations(spec: &Value) -> impl Iterator<Item = (&str, &Value)> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    spec["paths"]
        .as_object()
        .expect("the spec has paths")
        .values()
        .flat_map(|item| METHODS.iter().filter_map(move |method| item.get(*method)))
        .map(|operation| {
            let id = operation["operationId"]
                .as_str()
                .expect("every operation has an operationId");
            (id, operation)
        })
}

/// Each operation of `spec/dialects/<dialect>.yaml` with the statuses its responses document.
fn documented_statuses(dialect: &str) -> BTreeMap<String, BTreeSet<u16>> {
    let spec = spec(&format!("dialects/{dialect}.yaml"));
    operations(&spec)
        .map(|(id, operation)| {
            let statuses = operation["responses"]
                .as_object()
                .expect("every operation documents its responses")
                .keys()
                .map(|status| {
                    status.parse().unwrap_or_else(|_| {
                        panic!("{id}: response {status:?} is not one status (a range or default)")
                    })
                })
                .collect();
            (id.to_owned(), statuses)
        })
        .collect()
}

/// The canonical operations the canonical spec's `x-mapping` maps onto `dialect`, and those
/// it marks `unsupported` there.
fn canonical_mapping(dialect: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let spec = spec("canonical.yaml");
    let mut mapped = BTreeSet::new();
    let mut unsupported = BTreeSet::new();
    for (id, operation) in operations(&spec) {
        let mapping = &operation["x-mapping"][dialect];
        if mapping.get("unsupported").is_some() {
            unsupported.insert(id.to_owned());
        } else if mapping.get("operation").is_some() {
            mapped.insert(id.to_owned());
        } else {
            panic!("canonical {id} has no x-mapping for {dialect}");
        }
    }
    (mapped, unsupported)
}

/// The properties of the canonical `ProfilePatch` that the canonical spec's `x-mapping`
/// maps onto `dialect`: what a canonical update can write there.
pub fn patch_fields(dialect: &str) -> BTreeSet<String> {
    let spec = spec("canonical.yaml");
    spec["components"]["schemas"]["ProfilePatch"]["properties"]
        .as_object()
        .expect("ProfilePatch has properties")
        .iter()
        .filter(|(_, property)| property["x-mapping"].get(dialect).is_some())
        .map(|(name, _)| name.clone())
        .collect()
}
