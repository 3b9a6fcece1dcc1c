//! `cargo xtask serve`: the reference server, until Ctrl-C.

use std::net::SocketAddr;

use conformance::secrets::CredentialKind;
use generator::spec::ext::Dialect;
use reference::{FACES, Fixtures};

use crate::cli::ServeArgs;
use crate::{Failure, project_root};

pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    let fixtures = match &args.fixtures {
        Some(path) => Fixtures::load(path).map_err(|e| Failure::Usage(e.to_string()))?,
        None => Fixtures::default_set(),
    };
    let address: SocketAddr = args
        .addr
        .parse()
        .map_err(|e| Failure::Usage(format!("--addr {:?}: {e}", args.addr)))?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .try_init();
    let server = reference::start(fixtures.clone(), address)
        .map_err(|e| Failure::Usage(format!("cannot listen on {address}: {e}")))?;
    println!(
        "reference server on http://{} (Ctrl-C stops it)",
        server.address
    );
    for (face, _) in FACES {
        println!("  {face:<10} {}", server.base_url(face));
    }
    println!(
        "test credentials (fixtures, never real secrets), as the variables `cargo xtask conformance` reads:"
    );
    for (face, _) in FACES {
        let variables = face_variables(face, &fixtures)?;
        println!("  {face:<10} {}", variables.join("  "));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(e.to_string()))?;
    runtime.block_on(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    println!("stopping");
    server.stop();
    Ok(())
}

/// `NAME=value` for every credential the face's spec uses, named by the environment variable
/// `cargo xtask conformance` takes it from: the keys of its security schemes, the users' ids
/// where its paths name users, the other user's token where it has bearer tokens.
fn face_variables(face: &str, fixtures: &Fixtures) -> Result<Vec<String>, Failure> {
    let dialect = Dialect::from_name(face)
        .ok_or_else(|| Failure::Usage(format!("face {face} has no dialect spec")))?;
    let api = conformance::load_api(
        &conformance::Target::Dialect(dialect),
        &project_root().join("spec"),
    )
    .map_err(|e| Failure::Usage(e.to_string()))?;
    let kinds: Vec<CredentialKind> = api
        .security_schemes
        .iter()
        .map(CredentialKind::of)
        .collect();
    let uses = |kind: CredentialKind| kinds.contains(&kind);
    let c = fixtures.face_credentials(face);
    let candidates = [
        (
            "CONFORMANCE_API_KEY",
            uses(CredentialKind::ApiKey),
            c.api_key,
        ),
        ("CONFORMANCE_TOKEN", uses(CredentialKind::Token), c.token),
        ("CONFORMANCE_TENANT", uses(CredentialKind::Tenant), c.tenant),
        ("CONFORMANCE_USER_ID", true, c.user_id),
        ("CONFORMANCE_OTHER_USER_ID", true, c.other_user_id),
        (
            "CONFORMANCE_OTHER_TOKEN",
            uses(CredentialKind::Token),
            c.other_token,
        ),
    ];
    Ok(candidates
        .into_iter()
        .filter_map(|(name, used, value)| {
            used.then_some(value)
                .flatten()
                .map(|v| format!("{name}={v}"))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(face: &str) -> Vec<String> {
        face_variables(face, &Fixtures::default_set())
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|v| v.split('=').next().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn each_face_shows_only_the_credentials_it_uses() {
        assert_eq!(
            names("billing"),
            [
                "CONFORMANCE_API_KEY",
                "CONFORMANCE_USER_ID",
                "CONFORMANCE_OTHER_USER_ID"
            ]
        );
        assert_eq!(
            names("cl2c"),
            [
                "CONFORMANCE_API_KEY",
                "CONFORMANCE_TENANT",
                "CONFORMANCE_USER_ID",
                "CONFORMANCE_OTHER_USER_ID"
            ]
        );
        assert_eq!(
            names("community"),
            [
                "CONFORMANCE_TOKEN",
                "CONFORMANCE_USER_ID",
                "CONFORMANCE_OTHER_USER_ID",
                "CONFORMANCE_OTHER_TOKEN"
            ]
        );
        assert_eq!(
            names("rpc"),
            [
                "CONFORMANCE_API_KEY",
                "CONFORMANCE_TOKEN",
                "CONFORMANCE_OTHER_TOKEN"
            ]
        );
    }
}
