"""Runs `wrk` and reads its report: requests per second, the `--latency` percentiles and the errors.

wrk is the load generator because it is C, costs little CPU per request and is in the OS packages. Its text
report is parsed rather than a Lua `done()` hook, so that a case's own script (POST bodies, rotating paths)
needs no reporting code. A non-2xx answer or a socket error (connect, read, write, timeout) is an error.
"""

import re
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

LUA_DIR = Path(__file__).resolve().parent / "lua"
# Longer than any answer worth waiting for: a slow answer then counts in the latency, not as a timeout error.
REQUEST_TIMEOUT_S = 30

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h),")
_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


@dataclass(frozen=True)
class Load:
    """One wrk invocation: where, how hard, and with which script (a file in bench/lua) and its arguments."""

    url: str
    duration_s: float
    threads: int
    connections: int
    headers: tuple[str, ...] = ()
    script: str | None = None
    script_args: tuple[str, ...] = ()

    def command(self) -> list[str]:
        threads = max(1, min(self.threads, self.connections))
        command = ["wrk", f"-t{threads}", f"-c{self.connections}", f"-d{self.duration_s:g}s",
                   f"--timeout={REQUEST_TIMEOUT_S}s", "--latency"]
        for header in self.headers:
            command += ["-H", header]
        if self.script:
            command += ["-s", str(LUA_DIR / self.script)]
        command.append(self.url)
        if self.script_args:
            command += ["--", *self.script_args]
        return command


@dataclass
class Result:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"errors": self.errors}


def parse(output: str) -> Result:
    """wrk's text report → Result; raises ValueError when it is not one (wrk failed to run)."""
    rps = _RPS.search(output)
    total = _TOTAL.search(output)
    if rps is None or total is None:
        raise ValueError(f"not a wrk report:\n{output[-2000:]}")
    percentiles = {int(p): float(v) * _UNITS[u] for p, v, u in _PERCENTILE.findall(output)}
    socket = _SOCKET.search(output)
    non_2xx = _NON_2XX.search(output)
    return Result(
        requests=int(total.group(1)),
        seconds=float(total.group(2)) * _UNITS[total.group(3)] / 1000,
        rps=float(rps.group(1)),
        p50_ms=percentiles.get(50, 0.0),
        p75_ms=percentiles.get(75, 0.0),
        p90_ms=percentiles.get(90, 0.0),
        p99_ms=percentiles.get(99, 0.0),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=dict(zip(("connect", "read", "write", "timeout"), map(int, socket.groups()), strict=True))
        if socket else {},
    )


def run(load: Load) -> Result:
    """Run wrk to the end; it is killed if it outlives its duration by a minute (subprocess.run kills on timeout)."""
    completed = subprocess.run(load.command(), capture_output=True, text=True, check=False,  # noqa: S603
                               timeout=load.duration_s + 60)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk exited with {completed.returncode}: {completed.stderr.strip()[-2000:]}")
    return parse(completed.stdout)


class Background:
    """wrk running beside another measurement (the login storm); `finish` waits for it and reads its report."""

    def __init__(self, load: Load) -> None:
        self.load = load
        self.process = subprocess.Popen(load.command(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,  # noqa: S603
                                        text=True)

    def finish(self) -> Result:
        try:
            out, err = self.process.communicate(timeout=self.load.duration_s + 60)
        finally:
            self.stop()
        if self.process.returncode != 0:
            raise RuntimeError(f"wrk exited with {self.process.returncode}: {err.strip()[-2000:]}")
        return parse(out)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
