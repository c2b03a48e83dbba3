"""End-to-end tests start the real `inkwell serve` command as a separate process."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from entrypoints.settings import Settings

INKWELL = shutil.which("inkwell", path=str(Path(sys.executable).parent)) or "inkwell"
# A start takes seconds; the rest is room for a machine busy with other tests (a process that exits is
# reported at once, whatever this says).
STARTUP_SECONDS = 60


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup` (scripts/test) the tests of one end-to-end module run on one worker, one
    after the other: a server a module's fixture starts once serves them all, instead of once per worker."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.xdist_group(f"e2e-{item.path.stem}"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(workdir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `inkwell serve` in `workdir` with a clean configuration until the block ends."""
    port = free_port()
    # Only what the test sets configures the server: no setting leaks in from the caller's environment.
    clean_env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    clean_env.update({"BCRYPT_ROUNDS": "4", "LOG_LEVEL": "WARNING", **(env or {})})
    log = (workdir / f"server-{port}.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [INKWELL, "serve", "--port", str(port)], cwd=workdir, env=clean_env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(base, process, workdir)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], workdir: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = "".join(p.read_text() for p in workdir.glob("server-*.log"))
            raise RuntimeError(f"inkwell serve exited with {process.returncode}:\n{logs}")
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"inkwell serve did not become ready in {STARTUP_SECONDS} s")
