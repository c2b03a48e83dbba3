"""Request-path benchmark of Inkwell: `scripts/bench [options]` (or `.venv/bin/python -m bench`).

Starts `inkwell serve` on 127.0.0.1 over a fresh, seeded database per dataset size and tree, drives it with
wrk, and prints per request kind: requests/s (median of the rounds, with min-max), p50 and p99 latency,
errors, worker RSS, and the fraction of the ceiling (a bare ASGI app under the same uvicorn settings
answering a JSON document of the same size). Figures go to stdout and to a JSON file with every raw run.
A benchmark, not a test: nothing is asserted.

  quick look:    scripts/bench --duration 3 --rounds 1
  before/after:  scripts/bench --ref HEAD            (committed HEAD vs the working tree)
                 scripts/bench --ref 2217149 --cases user,article
  big dataset:   scripts/bench --articles 1000 100000
"""

import argparse
import shutil
import signal
import sys
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import psycopg

from bench import cases, machine, report, run, server, trees


def _refs(values: list[str]) -> list[str]:
    """Comma lists and repeats flattened, in order, each once; the working tree is always measured, last
    unless placed elsewhere, so that `--ref OLD` reads as OLD then the working tree (new)."""
    refs: list[str] = []
    for value in values:
        for ref in value.split(","):
            ref = ref.strip()
            if ref and ref not in refs:
                refs.append(ref)
    return refs if "." in refs else [*refs, "."]


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=("production", "embedded"), default="production",
                        help="production: PostgreSQL + Redis (db 9); embedded: SQLite in a temporary DATA_DIR")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (Inkwell and the ceiling)")
    parser.add_argument("--articles", type=int, nargs="+", default=[1000],
                        help="dataset sizes; each is a fresh database and its own table (e.g. 1000 100000)")
    parser.add_argument("--ref", action="append", default=[], metavar="REV",
                        help="another commit to measure beside the working tree ('.'); repeatable or a comma list")
    parser.add_argument("--keep-worktrees", action="store_true",
                        help="keep /tmp/inkwell-bench-<sha> (and its .venv) for the next run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of every case; figures are their median")
    parser.add_argument("--duration", type=float, default=10, help="seconds of each wrk run")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of wrk on the list before measuring")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (login uses 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--cases", default="all", help=f"comma list of: {', '.join(cases.BY_KEY)} (default all)")
    parser.add_argument("--output", type=Path, default=Path("bench-results.json"), help="the JSON file")
    args = parser.parse_args(argv)
    if args.workers < 1 or args.rounds < 1 or args.duration <= 0 or args.connections < 1 or args.threads < 1:
        parser.error("--workers, --rounds, --duration, --connections and --threads must be positive")
    if any(n < 1 for n in args.articles):
        parser.error("--articles takes positive sizes")
    return args


def _stop_on_signal(number: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + number)  # unwinds through every `finally`: servers, databases and worktrees go


def _leftovers() -> None:
    """Name what an earlier run that was killed outright may have left; nothing is removed that this run
    did not make."""
    try:
        with psycopg.connect(f"{server.POSTGRES}/postgres", autocommit=True, connect_timeout=5) as connection:
            names = [r[0] for r in connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'inkwell\\_bench\\_%'").fetchall()]
    except psycopg.Error:
        names = []
    if names:
        print(f"note: databases left by an earlier run (drop them by hand if no other run is going): "
              f"{', '.join(names)}", file=sys.stderr)
    worktrees = sorted(str(p) for p in Path(trees.WORKTREE_PREFIX).parent.glob(Path(trees.WORKTREE_PREFIX).name + "*"))
    if worktrees:
        print(f"note: worktrees kept by --keep-worktrees or left by a killed run: {', '.join(worktrees)}",
              file=sys.stderr)


def _report(results: dict[str, Any], output: Path) -> None:
    try:
        report.write_json(results, output)
        print(report.render(results), flush=True)
        print(f"\nfigures and every raw run: {output}", flush=True)
    except Exception as error:  # a report that cannot be made must not hide why the run stopped
        print(f"could not report: {type(error).__name__}: {error}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("\ninterrupted: every server, database and worktree this run started is gone", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    args = parse(argv)
    selected = cases.select(args.cases)
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed (scripts/bench installs it: apt-get install -y wrk)")
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _stop_on_signal)
    _leftovers()
    options = run.Options(profile=args.profile, workers=args.workers, articles=args.articles, rounds=args.rounds,
                          duration=args.duration, connections=args.connections, threads=args.threads,
                          warmup=args.warmup, cases=selected)
    results: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"), "complete": False,
        "options": {k: v for k, v in vars(args).items() if k != "output"} | {"cases": [c.key for c in selected]},
        "machine": machine.facts(), "trees": [], "sizes": [], "ceiling": [],
    }
    output = args.output.resolve()
    try:
        with ExitStack() as opened, tempfile.TemporaryDirectory(prefix="inkwell-benchrun-") as directory:
            measured = [opened.enter_context(trees.checked_out(ref, keep=args.keep_worktrees))
                        for ref in _refs(args.ref)]
            results["trees"] = [{"label": t.label, "sha": t.sha, "dirty": t.dirty, "path": str(t.path)}
                                for t in measured]
            for tree in measured:
                print(f"tree {tree.describe()}", flush=True)
            run.measure(measured, options, Path(directory), results)
            results["complete"] = True
    finally:
        results["machine"] |= machine.after()
        results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        if results["sizes"]:
            _report(results, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
