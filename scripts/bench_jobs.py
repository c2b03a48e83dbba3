"""Benchmark of the worker half on this machine: mail throughput, commit-to-mail latency, and what a busy
worker costs the API. A benchmark, not a test: it reports figures and asserts nothing.

    .venv/bin/python scripts/bench_jobs.py [--runs 3] [--followers 10000] [--registrations 200]

Each run starts, on 127.0.0.1 only, a fresh PostgreSQL database, an SMTP server (aiosmtpd, in this
process) and real `inkwell serve` / `inkwell worker --processes 2` processes, then measures:
  * latency: registrations one at a time; from the 201 (sent after the commit) to the mail's arrival;
  * throughput: an author with N verified followers publishes an article; mails per second from the
    first notification to the last, as delivered by the two worker processes;
  * the API's `GET /api/articles` throughput (wrk, 4 threads, 32 connections, 8 s) before and during
    that fan-out;
  * the same latency in the embedded default (`inkwell serve` alone, SQLite, jobs in process).
Figures are printed (median of the runs with min/max) and written to bench-jobs.json.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
INKWELL = str(ROOT / ".venv" / "bin" / "inkwell")
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
PASSWORD = "a long and unusual passphrase"  # noqa: S105 - the benchmark users'


class Sink:
    """Counts what arrives, with the time each mail did, per recipient."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        now = time.perf_counter()
        with self.lock:
            for recipient in envelope.rcpt_tos:  # type: ignore[attr-defined]
                self.arrivals.append((now, recipient))
        return "250 OK"

    def first(self, recipient: str, timeout: float = 30.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for at, to in self.arrivals:
                    if to == recipient:
                        return at
            time.sleep(0.001)
        raise TimeoutError(f"no mail for {recipient}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Sink, int]]:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@contextmanager
def database() -> Iterator[str]:
    name = f"inkwell_bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def process(args: list[str], env: dict[str, str], workdir: Path, ready: str) -> Iterator[subprocess.Popen[bytes]]:
    log = workdir / f"{args[0]}-{secrets.token_hex(3)}.log"
    with log.open("w") as output:
        child = subprocess.Popen([INKWELL, *args], cwd=workdir, env=env, stdout=output,  # noqa: S603
                                 stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while ready not in log.read_text():
        if child.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{args[0]} did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)
    try:
        yield child
    finally:
        child.terminate()
        child.wait(timeout=60)


def base_env(workdir: Path, smtp_port: int, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INKWELL_", "DATABASE_", "SMTP_", "JOB_"))}
    env.update({
        "JWT_SECRET": secrets.token_urlsafe(48), "PASSWORD_PEPPER": secrets.token_urlsafe(48),
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port), "SMTP_STARTTLS": "false",
        "BCRYPT_ROUNDS": "4", "PASSWORD_REFUSE_COMMON": "false", "LOG_LEVEL": "INFO",
        "DATA_DIR": str(workdir / "var"), **settings,
    })
    return env


def registration_latencies(base: str, sink: Sink, count: int) -> list[float]:
    """Milliseconds from each registration's 201 to its verification mail, one registration at a time."""
    latencies = []
    with httpx.Client(base_url=base, timeout=30) as http:
        for _ in range(count):
            name = f"u{uuid.uuid4().hex[:12]}"
            response = http.post("/api/users", json={"user": {"username": name, "email": f"{name}@example.com",
                                                              "password": PASSWORD}})
            committed = time.perf_counter()
            assert response.status_code == 201, response.text
            latencies.append((sink.first(f"{name}@example.com") - committed) * 1000)
            time.sleep(0.02)
    return latencies


def seed_followers(database_url: str, author: str, count: int) -> None:
    """`count` verified users following `author`, inserted in bulk (registering them would measure bcrypt)."""
    conninfo = database_url.replace("postgresql+psycopg", "postgresql")
    now = datetime.now(UTC)
    with psycopg.connect(conninfo) as connection:
        author_id = connection.execute("SELECT id FROM users WHERE username = %s", (author,)).fetchone()[0]  # type: ignore[index]
        ids = [uuid.uuid4() for _ in range(count)]
        with connection.cursor() as cursor:
            with cursor.copy("COPY users (id, email, username, password_hash, role, is_active, email_verified_at,"
                             " created_at, updated_at) FROM STDIN") as copy:
                for n, user_id in enumerate(ids):
                    copy.write_row((user_id, f"fan{n}@example.com", f"fan{n}", "x", "user", True, now, now, now))
            with cursor.copy("COPY profiles (user_id) FROM STDIN") as copy:
                for user_id in ids:
                    copy.write_row((user_id,))
            with cursor.copy("COPY follows (follower_id, followee_id) FROM STDIN") as copy:
                for user_id in ids:
                    copy.write_row((user_id, author_id))


def wrk(url: str, seconds: int = 8) -> float:
    out = subprocess.run(["wrk", "-t4", "-c32", f"-d{seconds}s", url], capture_output=True, text=True,  # noqa: S603, S607
                         check=True).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(found.group(1)) if found else 0.0


def production_run(args: argparse.Namespace, workdir: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    with smtp_server() as (sink, smtp_port), database() as database_url:
        env = base_env(workdir, smtp_port, INKWELL_PROFILE="production", DATABASE_URL=database_url,
                       REDIS_URL="redis://127.0.0.1:6379/15", JOB_QUEUE_PREFIX=f"bench-{secrets.token_hex(3)}",
                       EXPORT_DIR=str(workdir / "exports"))
        subprocess.run([INKWELL, "migrate"], env=env, cwd=workdir, check=True, capture_output=True)  # noqa: S603
        port = free_port()
        with process(["serve", "--port", str(port)], env, workdir, "Application startup complete"), \
                process(["worker", "--processes", "2", "--threads", "8"], env, workdir, "relay_started"):
            base = f"http://127.0.0.1:{port}"
            latencies = registration_latencies(base, sink, args.registrations)
            figures["latency_p50_ms"] = statistics.median(latencies)
            figures["latency_p99_ms"] = statistics.quantiles(latencies, n=100)[98]
            with httpx.Client(base_url=base, timeout=30) as http:
                author = http.post("/api/users", json={"user": {"username": "author", "email": "author@example.com",
                                                                "password": PASSWORD}}).json()["user"]
                for n in range(20):
                    http.post("/api/articles", headers={"Authorization": f"Token {author['token']}"}, json={
                        "article": {"title": f"Warm-up {n}", "description": "d", "body": "b", "tagList": ["t"]}})
                seed_followers(database_url, "author", args.followers)
                time.sleep(1)
                figures["list_rps_idle"] = wrk(f"{base}/api/articles")
                # Throughput alone first; then the API's, while a second article fans out.
                for title, measure_api in (("News", False), ("More news", True)):
                    with sink.lock:
                        sink.arrivals.clear()
                    http.post("/api/articles", headers={"Authorization": f"Token {author['token']}"}, json={
                        "article": {"title": title, "description": "d", "body": "b", "tagList": []}})
                    if measure_api:
                        figures["list_rps_during_fan_out"] = wrk(f"{base}/api/articles")
                    deadline = time.monotonic() + 600
                    while len(sink.arrivals) < args.followers and time.monotonic() < deadline:
                        time.sleep(0.05)
                    if not measure_api:
                        with sink.lock:
                            times = sorted(at for at, _ in sink.arrivals)
                        figures["fan_out_mails"] = len(times)
                        figures["mails_per_second"] = (len(times) - 1) / (times[-1] - times[0])
    return figures


def embedded_run(args: argparse.Namespace, workdir: Path) -> dict[str, float]:
    with smtp_server() as (sink, smtp_port):
        env = base_env(workdir, smtp_port)
        port = free_port()
        with process(["serve", "--port", str(port)], env, workdir, "Application startup complete"):
            latencies = registration_latencies(f"http://127.0.0.1:{port}", sink, args.registrations)
    return {"embedded_latency_p50_ms": statistics.median(latencies),
            "embedded_latency_p99_ms": statistics.quantiles(latencies, n=100)[98]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--registrations", type=int, default=200)
    parser.add_argument("--output", type=Path, default=Path("bench-jobs.json"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    runs: list[dict[str, float]] = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as directory:
            workdir = Path(directory)
            figures = production_run(args, workdir) | embedded_run(args, workdir)
        print(f"run {run + 1}: " + ", ".join(f"{k}={v:.1f}" for k, v in figures.items()), flush=True)
        runs.append(figures)
    summary = {key: {"median": statistics.median(r[key] for r in runs), "min": min(r[key] for r in runs),
                     "max": max(r[key] for r in runs)} for key in runs[0]}
    print(f"\n{'figure':<28}{'median':>10}{'min':>10}{'max':>10}")
    for key, values in summary.items():
        print(f"{key:<28}{values['median']:>10.1f}{values['min']:>10.1f}{values['max']:>10.1f}")
    args.output.write_text(json.dumps({"runs": runs, "summary": summary, "load": os.getloadavg()}, indent=2))


if __name__ == "__main__":
    main()
