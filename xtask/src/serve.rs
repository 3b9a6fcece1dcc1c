//! `cargo xtask serve`: the reference server, until Ctrl-C.

use std::net::SocketAddr;

use reference::{FACES, Fixtures};

use crate::Failure;
use crate::cli::ServeArgs;

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
    println!("test credentials (fixtures; never real secrets):");
    for face in FACES.iter().map(|(face, _)| *face) {
        let c = fixtures.face_credentials(face);
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        println!(
            "  {face:<10} api key {}  token {}  tenant {}  user {}  other user {} (token {})",
            show(&c.api_key),
            show(&c.token),
            show(&c.tenant),
            show(&c.user_id),
            show(&c.other_user_id),
            show(&c.other_token)
        );
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
