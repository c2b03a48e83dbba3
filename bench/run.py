"""What runs when: per dataset size, seed every tree, then rounds that interleave the trees, then the ceiling.

    for each size:  plan the dataset once; for each tree: a fresh database, register, bulk-seed, ANALYZE
      for each round:
        for each tree (same order every round, so machine noise hits every tree alike):
          undo the previous round's writes; start `inkwell serve`; log in; note idle RSS; warm up;
          measure every case (reads, the login storm, login, then the writes); stop
        the ceiling app: measure each answer size (bucket) and connection count the cases needed

Every measurement is kept raw; medians and ratios are made by `report` from the raw runs.
"""

import json
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import ceiling as ceiling_app
from bench import machine, seed, server, wrk
from bench.cases import LOGIN_CONNECTIONS, STORM, Case, body_text
from bench.report import problem_summary
from bench.seed import Account, Facts
from bench.server import Process, RssSampler, Store
from bench.trees import Tree

TOKEN_REFRESH_S = 600  # access tokens live 15 minutes; a long run logs in again before they lapse
PAUSE_S = 0.5  # between two wrk runs, for the closed connections to drain
QUIESCE_WINDOW_S = 0.5
QUIESCE_MAX_S = 30
NOISY_CORES = 0.1  # CPU of unrelated processes during a measurement worth pointing out


@dataclass(frozen=True)
class Options:
    profile: str
    workers: int
    articles: list[int]
    rounds: int
    duration: float
    connections: int
    threads: int
    warmup: float
    cases: list[Case]


class Token:
    """The reader's access token on one running server, renewed before it expires."""

    def __init__(self, base_url: str, account: Account) -> None:
        self.base_url = base_url
        self.account = account
        self.value = seed.log_in(base_url, account)
        self.issued = time.monotonic()

    def header(self) -> str:
        if time.monotonic() - self.issued > TOKEN_REFRESH_S:
            self.value = seed.log_in(self.base_url, self.account)
            self.issued = time.monotonic()
        return f"Authorization: Token {self.value}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _say(message: str) -> None:
    print(message, flush=True)


def measure(trees: list[Tree], options: Options, workdir: Path, results: dict[str, Any]) -> None:
    for articles in options.articles:
        size: dict[str, Any] = {"articles": articles, "seeding": [], "runs": []}
        results["sizes"].append(size)
        _measure_size(articles, trees, options, workdir, size, results["ceiling"])


def _measure_size(articles: int, trees: list[Tree], options: Options, workdir: Path, size: dict[str, Any],
                  ceiling_runs: list[dict[str, Any]]) -> None:
    started = time.perf_counter()
    _say(f"\n== {articles:,} articles: planning the dataset")
    plan = seed.plan(articles)
    facts = seed.facts(plan)
    planned_s = seed.elapsed(started)
    size["facts"] = {k: v for k, v in asdict(facts).items() if k != "favorite_slugs"} | {
        "favorite_slugs": len(facts.favorite_slugs)}
    with ExitStack() as stores_open:
        stores: list[Store] = []
        for tree in trees:
            store = stores_open.enter_context(Store(tree, options.profile, articles, workdir))
            size["seeding"].append({"tree": tree.label, "plan_s": planned_s} | _seed(store, plan, facts, options))
            stores.append(store)
        for round_ in range(options.rounds):
            for store in stores:
                _say(f"-- {articles:,} articles, round {round_ + 1}/{options.rounds}, tree {store.tree.label}")
                _server_round(store, facts, round_, options, size["runs"])
            _ceiling_round(round_, size["runs"], options, workdir, ceiling_runs)


def _seed(store: Store, plan: seed.Plan, facts: Facts, options: Options) -> dict[str, Any]:
    started = time.perf_counter()
    with server.inkwell(store, options.workers) as running:
        for account in (facts.reader, facts.storm):
            seed.register(running.base_url, account)
    registered = time.perf_counter()
    counts = seed.write(plan, store.database_url, facts.reader, facts.storm)
    written = time.perf_counter()
    seed.analyze(store.database_url)
    done = time.perf_counter()
    figures = {"register_s": round(registered - started, 2), "write_s": round(written - registered, 2),
               "analyze_s": round(done - written, 2), "seed_s": round(done - started, 2), "counts": counts}
    rows = ", ".join(f"{v:,} {k}" for k, v in counts.items() if isinstance(v, int))
    _say(f"   seeded {store.tree.label} in {figures['seed_s']:.1f} s after planning (server start and API registration "
         f"{figures['register_s']:.1f} s, bulk write {figures['write_s']:.1f} s, ANALYZE {figures['analyze_s']:.1f} s):"
         f" {rows}")
    for note in counts.get("notes", []):
        _say(f"   seeding note: {note}")
    return figures


def _server_round(store: Store, facts: Facts, round_: int, options: Options, runs: list[dict[str, Any]]) -> None:
    """One server run of one tree; its record is filled in as it goes, so that an interrupted run still reports
    the cases it measured."""
    run: dict[str, Any] = {"round": round_ + 1, "tree": store.tree.label, "started_at": _now(), "cases": []}
    runs.append(run)
    try:
        run["tree_state"] = store.tree.state()
        store.migrate()
        run["reset_rows"] = store.reset([facts.reader.username, facts.storm.username])
        database_log = store.database_log_mark()
        with server.inkwell(store, options.workers) as running:
            try:
                token = Token(running.base_url, facts.reader)
                run["rss_idle_mb"] = _rss(running)
                _say(f"   idle RSS per worker: {_mb(run['rss_idle_mb'])}")
                wrk.run(wrk.Load(f"{running.base_url}/api/articles?limit=20", options.warmup, options.threads,
                                 options.connections))
                for case in options.cases:
                    time.sleep(PAUSE_S)
                    measured = _case(case, running, token, facts, options, store)
                    run["cases"].append(measured)
                    _say(f"   {_line(measured)}")
            finally:
                run["log_problems"] = running.log_problems()
                run["database_errors"] = store.database_errors(database_log)
    except Exception as error:  # one tree failing (say, a working tree caught mid-edit) spoils only its row
        run["error"] = f"{type(error).__name__}: {error}"
        _say(f"   FAILED: {run['error'][:2000]}")
    problems = run.get("log_problems", [])
    if problems:
        _say(f"   the server logged {len(problems)} error line(s); first: {problem_summary(problems[0])}")
    for message, count in run.get("database_errors", {}).items():
        _say(f"   PostgreSQL logged {count} x ERROR: {message[:200]}")


def _rss(running: Process) -> dict[str, float]:
    return {str(pid): round(mb, 1) for pid, mb in running.rss_mb().items()}


def _mb(values: dict[str, float]) -> str:
    return ", ".join(f"{mb:.0f} MB" for mb in values.values()) or "unknown"


def _case(case: Case, running: Process, token: Token, facts: Facts, options: Options,
          store: Store) -> dict[str, Any]:
    headers = (token.header(),) if case.signed_in else ()
    connections = case.connections or options.connections
    measured: dict[str, Any] = {"case": case.key, "label": case.label, "connections": connections}
    status, size = _probe(case, running.base_url, headers, facts)
    measured |= {"status": status, "bytes": size}
    if not 200 <= status < 300:
        _say(f"   {case.label}: the probe request answered {status}")
    load = wrk.Load(f"{running.base_url}{case.path(facts)}", options.duration, options.threads, connections,
                    headers, case.script, _script_args(case, facts, store.workdir))
    database = store.database if store.profile == "production" else None
    if case.key == STORM:
        return measured | _storm(load, running, facts, options, store, database)
    measured["settle_s"] = quiesce(running, store)
    return measured | _load(load, running, database)


def quiesce(running: Process, store: Store) -> float:
    """Wait until the server is idle (under a tenth of a core, and no statement of its database running), so
    that work left over from the previous case (logins whose hash is still being computed after wrk hung up,
    requests queued on a lock, jobs run in process) does not land in the next one. Returns the seconds waited
    beyond the first look."""
    started = time.perf_counter()
    deadline = started + QUIESCE_MAX_S
    used = machine.group_cpu_seconds(running.process.pid)
    while time.perf_counter() < deadline:
        time.sleep(QUIESCE_WINDOW_S)
        now = machine.group_cpu_seconds(running.process.pid)
        if now - used < QUIESCE_WINDOW_S * 0.1 and not store.statements_running():
            break
        used = now
    return round(time.perf_counter() - started - QUIESCE_WINDOW_S, 2)


def _load(load: wrk.Load, running: Process, database: str | None) -> dict[str, Any]:
    """One wrk run with the worker RSS sampled and the CPU used meanwhile split by owner."""
    start = machine.mark()
    with RssSampler(running) as sampler:
        result = wrk.run(load)
    cpu = machine.cpu_split(start, machine.mark(), server_group=running.process.pid, database=database)
    return {"wrk": result.to_json(), "rss_peak_mb": round(sampler.peak_mb, 1), "cpu_cores": cpu}


def _storm(load: wrk.Load, running: Process, facts: Facts, options: Options, store: Store,
           database: str | None) -> dict[str, Any]:
    """`/api/user` alone, then again while 8 connections log in (started first, ending last)."""
    quiesce(running, store)
    alone = _load(load, running, database)
    quiesce(running, store)
    login_body = store.workdir / "storm-login.json"
    login_body.write_text(json.dumps({"user": {"email": facts.storm.email, "password": facts.storm.password}}))
    logins = wrk.Background(wrk.Load(f"{running.base_url}/api/users/login", options.duration + 1, 1,
                                     LOGIN_CONNECTIONS, (), "post.lua", (str(login_body),)))
    try:
        time.sleep(0.5)
        during = _load(load, running, database)
        logging_in = logins.finish()
    finally:
        logins.stop()
    return during | {"alone": alone["wrk"], "alone_cpu_cores": alone["cpu_cores"], "logins": logging_in.to_json(),
                     "longest_hash_wait_s": _longest_hash_wait(running.base_url, store.service_key)}


def _longest_hash_wait(base_url: str, service_key: str) -> float | None:
    """The server's own record of the longest a hash waited for a thread; None from a tree without it."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        response = http.get("/metrics", headers={"X-API-Key": service_key})
    if response.status_code != 200:
        return None
    for line in response.text.splitlines():
        if line.startswith("inkwell_password_hashing_longest_wait_seconds "):
            return float(line.split()[1])
    return None


def _script_args(case: Case, facts: Facts, workdir: Path) -> tuple[str, ...]:
    if case.script is None:
        return ()
    path = workdir / f"{case.key}.lua-input"
    if case.key == "favorite":
        path.write_text("\n".join(facts.favorite_slugs) + "\n")
    else:
        path.write_text(body_text(case, facts) or "")
    return (str(path),)


def _probe(case: Case, base_url: str, headers: tuple[str, ...], facts: Facts) -> tuple[int, int]:
    """One request as wrk will send it: its status, and the size of the answer the ceiling is measured at."""
    sent = dict(h.split(": ", 1) for h in headers)
    content = body_text(case, facts, title="Probe article")
    if content is not None:
        sent["Content-Type"] = "application/json"
    with httpx.Client(base_url=base_url, timeout=60) as http:
        response = http.request(case.method, case.path(facts), headers=sent, content=content)
    return response.status_code, len(response.content)


def _line(measured: dict[str, Any]) -> str:
    w = measured["wrk"]
    text = (f"{measured['label']:<28} {w['rps']:>9.1f} rps  p50 {w['p50_ms']:>8.1f} ms  p99 {w['p99_ms']:>8.1f} ms  "
            f"errors {w['errors']:>5}  peak RSS {measured['rss_peak_mb']:.0f} MB  ({measured['bytes']:,} B)")
    if "alone" in measured:
        text += f"  [alone {measured['alone']['rps']:.1f} rps; logins {measured['logins']['rps']:.1f}/s]"
    if measured.get("settle_s", 0) > 2:
        text += f"  [waited {measured['settle_s']:.0f} s for the server to settle first]"
    other = measured["cpu_cores"]["other"]
    if other >= NOISY_CORES:
        text += f"  [noise: other processes used {other:.2f} cores]"
    return text


def ceiling_keys(runs: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(answer size bucket, connections) of every case measured so far."""
    keys = {(ceiling_app.bucket(c["bytes"]), c["connections"]) for run in runs for c in run["cases"] if "bytes" in c}
    return sorted(keys)


def _ceiling_round(round_: int, runs: list[dict[str, Any]], options: Options, workdir: Path,
                   ceiling_runs: list[dict[str, Any]]) -> None:
    done: dict[tuple[int, int], int] = {}
    for run in ceiling_runs:
        if "error" in run:
            continue
        key = (run["bytes"], run["connections"])
        done[key] = done.get(key, 0) + 1
    wanted = [key for key in ceiling_keys(runs) if done.get(key, 0) <= round_]
    if not wanted:
        return
    _say(f"-- ceiling, round {round_ + 1}/{options.rounds}: {len(wanted)} answer size(s)")
    try:
        with server.ceiling(options.workers, workdir) as running:
            wrk.run(wrk.Load(f"{running.base_url}/{wanted[0][0]}", options.warmup, options.threads,
                             options.connections))
            for size, connections in wanted:
                time.sleep(PAUSE_S)
                measured = _load(wrk.Load(f"{running.base_url}/{size}", options.duration, options.threads,
                                          connections), running, None)
                ceiling_runs.append({"round": round_ + 1, "bytes": size, "connections": connections} | measured)
                result = measured["wrk"]
                _say(f"   {size:>8,} B, {connections:>3} conns: {result['rps']:>9.1f} rps  "
                     f"p50 {result['p50_ms']:.2f} ms  p99 {result['p99_ms']:.2f} ms  errors {result['errors']}  "
                     f"others' CPU {measured['cpu_cores']['other']:.2f} cores")
    except Exception as error:
        ceiling_runs.append({"round": round_ + 1, "error": f"{type(error).__name__}: {error}"})
        _say(f"   ceiling FAILED: {error}")

