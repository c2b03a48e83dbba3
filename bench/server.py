"""Where a tree's dataset lives (a fresh PostgreSQL database or embedded data directory) and the processes
that serve it: `inkwell serve` and the ceiling app, each in its own process group on 127.0.0.1.

Everything started here stops by itself: a server is SIGTERMed (then SIGKILLed) as a whole process group
when its `with` block ends, however it ends, and a database or data directory is dropped the same way.
Servers run in an empty temporary directory with a minimal environment, so no `.env` and no variable of the
caller's shell changes what is measured. The resident memory of uvicorn's worker processes is read from
/proc while wrk runs (the serving process itself with one worker; its spawned children with several).
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import httpx
import psycopg
import redis
from psycopg import sql

from bench.trees import ROOT, Tree

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/9"  # reserved for the benchmark: flushed at the start of every server run
DATABASE_PREFIX = "inkwell_bench_"
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 45


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _minimal_env(**settings: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")}
    return kept | settings


class Store:
    """One tree's dataset for one size: created on entry, dropped on exit. The secrets are fixed for its
    lifetime, so that the seeded password hash and issued tokens stay valid across server restarts."""

    def __init__(self, tree: Tree, profile: str, articles: int, workdir: Path) -> None:
        self.tree = tree
        self.profile = profile
        self.articles = articles
        self.workdir = workdir / f"{profile}-{articles}-{tree.sha[:10]}-{secrets.token_hex(2)}"
        self.database = f"{DATABASE_PREFIX}{articles}_{secrets.token_hex(4)}"
        self.secrets = (secrets.token_urlsafe(48), secrets.token_urlsafe(48))
        self.service_key = secrets.token_urlsafe(48)  # to read the server's own figures from /metrics

    @property
    def data_dir(self) -> Path:
        return self.workdir / "var"

    @property
    def database_url(self) -> str:
        """SQLAlchemy URL of the dataset (the async driver the app uses; the seeder swaps in a sync one)."""
        if self.profile == "production":
            return f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.database}"
        # What Settings.resolved_database_url makes of DATA_DIR in the embedded profile.
        return f"sqlite+aiosqlite:///{(self.data_dir / 'inkwell.db').resolve()}"

    def env(self) -> dict[str, str]:
        common = {"DATA_DIR": str(self.data_dir), "LOG_LEVEL": "WARNING", "PASSWORD_REFUSE_COMMON": "false",
                  "RATE_LIMITS_ENABLED": "false", "SERVICE_API_KEY": self.service_key}
        if self.profile == "embedded":
            return _minimal_env(INKWELL_PROFILE="embedded", **common)
        return _minimal_env(INKWELL_PROFILE="production", DATABASE_URL=self.database_url, REDIS_URL=REDIS_URL,
                            JWT_SECRET=self.secrets[0], PASSWORD_PEPPER=self.secrets[1],
                            EXPORT_DIR=str(self.workdir / "exports"), **common)

    def __enter__(self) -> "Store":
        self.workdir.mkdir(parents=True)
        if self.profile == "production":
            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
            self.migrate()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if self.profile == "production":
                with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
                    connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(self.database)))
                self.flush_redis()  # the sessions of the last run; database 9 is left empty
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def migrate(self) -> None:
        """The tree's own `inkwell migrate` (the embedded profile migrates when it starts). Run before every
        server start too, so that a working tree that gained a migration during the run still starts."""
        if self.profile != "production":
            return
        completed = subprocess.run([str(self.tree.inkwell), "migrate"], cwd=self.workdir, env=self.env(),  # noqa: S603
                                   capture_output=True, text=True, timeout=300, check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"inkwell migrate failed in {self.tree.label}:\n{completed.stderr[-3000:]}")

    def reset(self, authors: list[str]) -> int:
        """Undo what the write cases did (articles and favorites of the benchmark accounts, queued jobs, sessions),
        so that every round reads the dataset as seeded. Run while no server is up."""
        from bench.seed import reset  # the seeder owns the SQL of the dataset

        return reset(self.database_url, authors)

    def statements_running(self) -> int:
        """Statements of the server running (or waiting on a lock) in the dataset's database: PostgreSQL only."""
        if self.profile != "production":
            return 0
        with psycopg.connect(f"{POSTGRES}/{self.database}", autocommit=True, connect_timeout=5) as connection:
            row = connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                     "AND state = 'active' AND pid <> pg_backend_pid()").fetchone()
        return int(row[0]) if row else 0

    def database_log_mark(self) -> dict[Path, int]:
        """Where PostgreSQL's own log files end now (Debian keeps them in /var/log/postgresql), if readable."""
        return {path: path.stat().st_size for path in _postgres_logs()}

    def database_errors(self, mark: dict[Path, int]) -> dict[str, int]:
        """The errors PostgreSQL logged for the dataset's database since `mark`, by message: the reason behind
        a 503 `dependency_unavailable`, which the server's own log does not give (a deadlock, say)."""
        found: dict[str, int] = {}
        if self.profile != "production":
            return found
        tag = f"@{self.database} ERROR:"
        for path in _postgres_logs():
            try:
                with path.open("rb") as log:
                    log.seek(mark.get(path, 0))
                    text = log.read().decode(errors="replace")
            except OSError:
                continue
            for line in text.splitlines():
                if tag in line:
                    message = line.split(tag, 1)[1].strip()
                    found[message] = found.get(message, 0) + 1
        return found

    def flush_redis(self) -> None:
        if self.profile == "production":
            client = redis.Redis.from_url(REDIS_URL)
            try:
                client.flushdb()
            finally:
                client.close()


@dataclass
class Process:
    """A server process group; `workers` is the number of uvicorn worker processes it runs."""

    process: subprocess.Popen[bytes]
    port: int
    workers: int
    log: Path
    log_offset: int = 0  # where this run's lines start in a log that earlier runs of the store wrote to

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """uvicorn serves in the process itself with one worker, and in spawned children with more."""
        if self.workers == 1:
            return [self.process.pid]
        return [pid for pid in _children(self.process.pid) if b"spawn_main" in _cmdline(pid)]

    def rss_mb(self) -> dict[int, float]:
        found = {}
        for pid in self.worker_pids():
            rss = _vm_rss_kb(pid)
            if rss is not None:
                found[pid] = rss / 1024
        return found

    def log_problems(self) -> list[str]:
        """Error lines the server logged (JSON lines at level error/critical, or a traceback)."""
        try:
            with self.log.open("rb") as log:
                log.seek(self.log_offset)
                lines = log.read().decode(errors="replace").splitlines()
        except FileNotFoundError:
            return []
        return [line[:4000] for line in lines
                if '"level": "error"' in line or '"level": "critical"' in line or line.startswith("Traceback")
                or " ERROR " in line or line.startswith("ERROR:")]


def _postgres_logs() -> list[Path]:
    try:
        return [p for p in Path("/var/log/postgresql").glob("*.log") if os.access(p, os.R_OK)]
    except OSError:
        return []


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _vm_rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


@contextmanager
def running(command: list[str], *, cwd: Path, env: dict[str, str], workers: int, port: int, log: Path,
            health: str) -> Iterator[Process]:
    """Start `command` in a new session (its own process group), wait until `health` answers 200, yield it,
    and stop the whole group afterwards."""
    offset = log.stat().st_size if log.exists() else 0
    with log.open("ab") as output:
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,  # noqa: S603
                                 stdin=subprocess.DEVNULL, start_new_session=True)
    server = Process(process=child, port=port, workers=workers, log=log, log_offset=offset)
    try:
        _wait_until_up(server, health)
        yield server
    finally:
        _stop(child)


def _wait_until_up(server: Process, health: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with {server.process.returncode}:\n"
                               f"{server.log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(f"{server.base_url}{health}", timeout=2).status_code == 200 and \
                    len(server.worker_pids()) >= server.workers:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not answer {health} within {START_TIMEOUT_S} s:\n"
                               f"{server.log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def _stop(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the group (uvicorn shuts down gracefully, the embedded jobs finish), SIGKILL if it lingers."""
    group = child.pid  # start_new_session: the group id is the leader's pid
    with _suppress_lookup():
        os.killpg(group, signal.SIGTERM)
    try:
        child.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        print(f"server {group} did not stop within {STOP_TIMEOUT_S} s; killing it", file=sys.stderr)
    with _suppress_lookup():
        os.killpg(group, signal.SIGKILL)  # whatever of the group is left (a worker whose parent went first)
    if child.poll() is None:
        child.wait(timeout=10)


def _suppress_lookup() -> suppress:
    return suppress(ProcessLookupError, PermissionError)


@contextmanager
def inkwell(store: Store, workers: int) -> Iterator[Process]:
    """`inkwell serve` of the store's tree over its dataset (Redis database 9 flushed first)."""
    store.flush_redis()
    port = free_port()
    command = [str(store.tree.inkwell), "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    with running(command, cwd=store.workdir, env=store.env(), workers=workers, port=port,
                 log=store.workdir / "serve.log", health="/health/live") as server:
        yield server


@contextmanager
def ceiling(workers: int, workdir: Path) -> Iterator[Process]:
    """The bare ASGI app of bench.ceiling, with this checkout's Python and uvicorn."""
    port = free_port()
    command = [sys.executable, "-m", "bench.ceiling", "--port", str(port), "--workers", str(workers)]
    env = _minimal_env(PYTHONPATH=str(ROOT))
    with running(command, cwd=ROOT, env=env, workers=workers, port=port, log=workdir / "ceiling.log",
                 health="/health") as server:
        yield server


class RssSampler:
    """Samples the RSS of the server's worker processes while a measurement runs; keeps each one's peak."""

    INTERVAL_S = 0.2

    def __init__(self, server: Process) -> None:
        self.server = server
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for pid, mb in self.server.rss_mb().items():
                self.peaks[pid] = max(mb, self.peaks.get(pid, 0.0))
            self._stop.wait(self.INTERVAL_S)

    @property
    def peak_mb(self) -> float:
        return max(self.peaks.values(), default=0.0)
