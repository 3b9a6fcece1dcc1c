//! `zoo [--bug NAME] [--addr HOST:PORT] [--list]`: serves one variant of the bug zoo.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use zoo::Bug;

const USAGE: &str = "usage: zoo [--bug NAME] [--addr HOST:PORT] [--list]
  --bug NAME   the variant to serve: none (the correct server, the default) or a bug of --list
  --addr A     where to listen (default 127.0.0.1:8080; port 0 picks a free one)
  --list       print every bug: name, operation, the check that should catch it, what is broken";

fn main() -> ExitCode {
    let mut bug = Bug::None;
    let mut addr: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8080));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
            None => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next());
        match flag.as_str() {
            "--list" => {
                for bug in Bug::ALL {
                    println!(
                        "{}\t{}\t{}\t{}",
                        bug.name(),
                        bug.operation(),
                        bug.check(),
                        bug.what()
                    );
                }
                return ExitCode::SUCCESS;
            }
            "--bug" => {
                let Some(name) = value() else {
                    eprintln!("--bug needs a name\n{USAGE}");
                    return ExitCode::from(2);
                };
                let Some(found) = Bug::from_name(&name) else {
                    eprintln!("no bug is named {name:?}: `zoo --list` prints them");
                    return ExitCode::from(2);
                };
                bug = found;
            }
            "--addr" => {
                let Some(Ok(parsed)) = value().map(|v| v.parse()) else {
                    eprintln!("--addr needs HOST:PORT\n{USAGE}");
                    return ExitCode::from(2);
                };
                addr = parsed;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let (local, task) = match zoo::start(bug, addr).await {
            Ok(started) => started,
            Err(e) => {
                eprintln!("cannot listen on {addr}: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("listening http://{local}");
        let _ = std::io::stdout().flush();
        eprintln!("zoo: serving the variant {bug} ({})", bug.what());
        match task.await {
            Ok(Ok(())) => ExitCode::SUCCESS,
            Ok(Err(e)) => {
                eprintln!("the server stopped: {e}");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("the server task failed: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
