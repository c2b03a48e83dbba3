"""Facts about the machine that the figures depend on, printed and kept so that noise can be judged:
cores, CPU model, memory, kernel, load average before and after, and the versions of what is measured with."""

import os
import platform
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _first_line(command: list[str]) -> str:
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)  # noqa: S603
    except OSError:
        return "unavailable"
    return (completed.stdout or completed.stderr).strip().splitlines()[0] if (completed.stdout or
                                                                             completed.stderr) else "unavailable"


def _cpuinfo(key: str) -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _mem_total_mb() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError):
        pass
    return 0


def facts() -> dict[str, Any]:
    uname = platform.uname()
    return {
        "cores": os.cpu_count(),
        "cpu": _cpuinfo("model name"),
        "memory_mb": _mem_total_mb(),
        "uname": f"{uname.system} {uname.release} {uname.version} {uname.machine}",
        "python": platform.python_version(),
        "wrk": _first_line(["wrk", "-v"]),
        "postgres": _first_line(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"]),
        "load_before": os.getloadavg(),
        "busy_before": busy(),
    }


def after() -> dict[str, Any]:
    return {"load_after": os.getloadavg(), "busy_after": busy()}


# --- who used the CPU during a measurement ------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class _Stat:
    comm: str
    ppid: int
    pgid: int
    ticks: int


def _stat(pid: int) -> _Stat | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    close = raw.rfind(")")
    fields = raw[close + 2:].split()
    # After the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    return _Stat(comm=raw[raw.find("(") + 1:close], ppid=int(fields[1]), pgid=int(fields[2]),
                 ticks=int(fields[11]) + int(fields[12]))


def snapshot() -> dict[int, _Stat]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                found[int(entry.name)] = stat
    return found


def group_cpu_seconds(group: int) -> float:
    """CPU time used so far by the live processes of one process group (a server and its workers)."""
    return sum(s.ticks for s in snapshot().values() if s.pgid == group) / _TICK


@dataclass(frozen=True)
class CpuMark:
    processes: dict[int, _Stat]
    children_s: float  # CPU time of this process's reaped children (wrk, once it has exited)
    at: float


def mark() -> CpuMark:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return CpuMark(snapshot(), children.ru_utime + children.ru_stime, time.perf_counter())


def cpu_split(start: CpuMark, end: CpuMark, *, server_group: int, database: str | None) -> dict[str, float]:
    """Cores used between two marks, by owner: the server's process group, PostgreSQL (the backends of the
    measured database and the server's own processes), Redis, our wrk, this process, and everything else
    (another benchmark on the machine, say) — which is the noise."""
    me = os.getpid()
    seconds = end.at - start.at
    before, after = start.processes, end.processes
    used: dict[str, float] = {"server": 0.0, "postgres": 0.0, "redis": 0.0, "wrk": 0.0, "bench": 0.0, "other": 0.0}
    used["wrk"] = (end.children_s - start.children_s) / seconds
    for pid, stat in after.items():
        earlier = before.get(pid)
        delta = stat.ticks - (earlier.ticks if earlier and earlier.comm == stat.comm else 0)
        if delta <= 0:
            continue
        if stat.pgid == server_group:
            owner = "server"
        elif pid == me:
            owner = "bench"
        elif stat.comm == "wrk" and stat.ppid == me:
            owner = "wrk"  # still running (the storm's login side); finished ones are counted from rusage
        elif stat.comm.startswith("redis"):
            owner = "redis"
        elif stat.comm.startswith("postgres"):
            owner = "postgres" if _serves(pid, database) else "other"
        else:
            owner = "other"
        used[owner] += delta / _TICK / seconds
    return {k: round(v, 3) for k, v in used.items()}


def _serves(pid: int, database: str | None) -> bool:
    """A backend names its database in its title; PostgreSQL's own processes (writer, WAL, ...) name none."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    if "127.0.0.1(" not in title and "[local]" not in title:
        return True  # checkpointer, walwriter, autovacuum launcher...: shared, counted with PostgreSQL
    return database is not None and f" {database} " in title


def busy(seconds: float = 1.0, threshold: float = 0.05) -> list[str]:
    """Processes other than this one using more than `threshold` of a core over `seconds`: noise to know about."""
    before = snapshot()
    time.sleep(seconds)
    after = snapshot()
    found = []
    for pid, stat in after.items():
        start = before.get(pid)
        if pid == os.getpid() or start is None or start.comm != stat.comm:
            continue
        cores = (stat.ticks - start.ticks) / _TICK / seconds
        if cores > threshold:
            found.append(f"{pid} {stat.comm} {cores:.2f} cores")
    return found
