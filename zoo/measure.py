#!/usr/bin/env python3
"""Which planted bugs of the zoo Schemathesis and our harness find, and how fast.

Not part of CI. From the workspace root:

    python3 zoo/measure.py [--schemathesis PATH] [--max-examples N] [--seed N] [--only a,b]

For the correct server (`none`) and then every bug of `zoo --list`, it starts the variant on a
free loopback port (a fresh server for each tool, so neither sees the other's writes), runs
Schemathesis 4.32.5 (`--checks all`, a fixed seed, the bearer token as a header) and
`cargo xtask conformance --spec zoo/openapi.yaml` (built from this worktree; the token only:
ids come from the API's own create, and the harness deletes only what it created), and prints a
table: bug / found by Schemathesis (which checks) / found by the harness (which checks) / wall
times. A failure counts as finding the bug when the correct server did not fail the same check
on the same operation in the same tool's baseline run (the baseline's failures are printed too).
Reports go to target/zoo-measure/. Every Schemathesis run starts in an empty directory and
without an example database, so no run replays what another found.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "zoo-measure"
TOKEN = "zoo-token"
SPEC = "zoo/openapi.yaml"
# The build the harness and the servers come from (`--release`: the harness at its fastest).
PROFILE = "debug"


def find_schemathesis(given):
    for candidate in [
        given,
        os.environ.get("SCHEMATHESIS"),
        str(ROOT / "target/st-venv/bin/schemathesis"),
        str(ROOT / "target/ci-venv/bin/schemathesis"),
        shutil.which("schemathesis"),
    ]:
        if candidate and Path(candidate).exists():
            return str(Path(candidate).resolve())
    sys.exit(
        "no schemathesis: python3 -m venv target/st-venv && "
        "target/st-venv/bin/pip install schemathesis==4.32.5 (or pass --schemathesis PATH)"
    )


class Server:
    """One zoo variant on a free port, stopped on exit."""

    def __init__(self, bug):
        self.process = subprocess.Popen(
            [str(ROOT / f"target/{PROFILE}/zoo"), "--bug", bug, "--addr", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening "):
            self.stop()
            sys.exit(f"zoo --bug {bug} did not start: {line!r}")
        self.url = line.split(" ", 1)[1]

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def run_schemathesis(st, bug, args):
    report = OUT / f"st-{bug}.json"
    report.unlink(missing_ok=True)
    # A fresh working directory per run: Schemathesis and Hypothesis keep caches under the
    # current directory (.schemathesis/, .hypothesis/), and no run may learn from another.
    cwd = OUT / f"st-cwd-{bug}"
    shutil.rmtree(cwd, ignore_errors=True)
    cwd.mkdir(parents=True)
    with Server(bug) as server:
        command = [
            st, "run", str(ROOT / SPEC), "--url", server.url, "--checks", "all",
            "--seed", str(args.seed),
            "-H", f"Authorization: Bearer {TOKEN}", "--no-color",
            # No example database: failures found on one variant must not be replayed on the
            # next (by default Schemathesis keeps them in .schemathesis/ across runs).
            "--generation-database", "none",
            "--report", "json", "--report-json-path", str(report),
        ]
        if args.max_examples:
            command += ["--max-examples", str(args.max_examples)]
        start = time.monotonic()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        wall = time.monotonic() - start
    shutil.rmtree(cwd, ignore_errors=True)
    (OUT / f"st-{bug}.log").write_text(done.stdout + done.stderr)
    failures = set()
    if report.exists():
        data = json.loads(report.read_text())
        for failure in data.get("failures", []):
            for operation in failure.get("operations", []):
                failures.add((f"{failure['code']} {failure['title']}", operation))
        for error in data.get("errors", []):
            failures.add(("error", json.dumps(error)[:80]))
    return failures, wall, done.returncode


def run_harness(bug, args):
    report = OUT / f"harness-{bug}.json"
    report.unlink(missing_ok=True)
    env = dict(os.environ, CONFORMANCE_TOKEN=TOKEN)
    for name in ["CONFORMANCE_USER_ID", "CONFORMANCE_OTHER_USER_ID"]:
        env.pop(name, None)
    with Server(bug) as server:
        command = [
            str(ROOT / f"target/{PROFILE}/xtask"), "conformance", "--spec", SPEC,
            "--base-url", server.url, "--seed", str(args.seed),
            "--report-json", str(report),
        ]
        start = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
        wall = time.monotonic() - start
    (OUT / f"harness-{bug}.log").write_text(done.stdout + done.stderr)
    failures = set()
    if report.exists():
        for result in json.loads(report.read_text()).get("results", []):
            # An undocumented status is a warning (Schemathesis's ST103 is a failure): both
            # count as finding the bug.
            if result.get("outcome") in ("failed", "warning"):
                failures.add((f"{result['check']} {result['name']}", result["operation"]))
    elif done.returncode != 0:
        failures.add(("exit", f"{done.returncode}: {done.stderr.strip()[-80:]}"))
    return failures, wall, done.returncode


def show(failures):
    if not failures:
        return "-"
    return "; ".join(f"{check} ({operation})" for check, operation in sorted(failures))


def main():
    global PROFILE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schemathesis")
    parser.add_argument("--max-examples", type=int, default=0,
                        help="Schemathesis's --max-examples (default: its own, 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--release", action="store_true",
                        help="build and run the harness and the zoo in release (the harness at its fastest)")
    parser.add_argument("--only", help="comma-separated bug names (the baseline always runs)")
    args = parser.parse_args()
    st = find_schemathesis(args.schemathesis)
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cargo", "build", "-q", "-p", "zoo", "-p", "xtask"] + (["--release"] if args.release else []), cwd=ROOT, check=True)
    PROFILE = "release" if args.release else "debug"
    listing = subprocess.run(
        [str(ROOT / f"target/{PROFILE}/zoo"), "--list"], capture_output=True, text=True, check=True
    ).stdout
    bugs = [line.split("\t") for line in listing.splitlines() if line]
    if args.only:
        wanted = set(args.only.split(","))
        bugs = [bug for bug in bugs if bug[0] in wanted]
    version = subprocess.run([st, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# zoo measurement: {version}, seed {args.seed}, "
          f"max-examples {args.max_examples or 'default'}", flush=True)

    st_base, st_base_wall, st_base_rc = run_schemathesis(st, "none", args)
    h_base, h_base_wall, h_base_rc = run_harness("none", args)
    print(f"baseline (correct server): Schemathesis exit {st_base_rc} in {st_base_wall:.1f} s, "
          f"failures: {show(st_base)}", flush=True)
    print(f"baseline (correct server): harness exit {h_base_rc} in {h_base_wall:.2f} s, "
          f"failures: {show(h_base)}", flush=True)
    print(flush=True)
    print("| bug | expected check | Schemathesis found | harness found | wall: Schemathesis | wall: harness |")
    print("|---|---|---|---|---|---|")
    found_st = found_h = 0
    st_total = st_base_wall
    h_total = h_base_wall
    for name, _operation, check, _what in bugs:
        st_fail, st_wall, _ = run_schemathesis(st, name, args)
        h_fail, h_wall, _ = run_harness(name, args)
        st_new = st_fail - st_base
        h_new = h_fail - h_base
        found_st += bool(st_new)
        found_h += bool(h_new)
        st_total += st_wall
        h_total += h_wall
        print(f"| {name} | {check} | {'yes: ' + show(st_new) if st_new else 'no'} | "
              f"{'yes: ' + show(h_new) if h_new else 'no'} | {st_wall:.1f} s | {h_wall:.2f} s |",
              flush=True)
    print()
    print(f"found: Schemathesis {found_st}/{len(bugs)}, harness {found_h}/{len(bugs)}; "
          f"total wall (with the baselines): Schemathesis {st_total:.0f} s, harness {h_total:.1f} s")


if __name__ == "__main__":
    main()
