"""`inkwell serve` as a separate process whose stderr, the log, is kept apart from stdout and read afterwards."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from entrypoints.settings import Settings
from tests.e2e.conftest import INKWELL, free_port

REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    base: str
    process: "subprocess.Popen[bytes]"
    stderr: Path

    def records(self) -> list[dict[str, Any]]:
        """Every line on stderr, as JSON: a line that is not fails the test here."""
        lines = [line for line in self.stderr.read_text().splitlines() if line.strip()]
        return [json.loads(line) for line in lines]

    def stop(self) -> int:
        """SIGTERM, as an orchestrator stops it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


def start(workdir: Path, env: dict[str, str], *arguments: str, app: str | None = None,
          port: int | None = None) -> Server:
    """`inkwell serve` in `workdir`, configured by `env` alone. With `app`, the same `serve` command serves that
    test-only factory instead of Inkwell's."""
    port = port or free_port()
    argv = ["serve", "--port", str(port), *arguments]
    if app is None:
        command = [INKWELL, *argv]
    else:
        launch = (f"import sys; from entrypoints import cli; cli.APP = {app!r}; "
                  f"sys.argv = {['inkwell', *argv]!r}; cli.main()")
        command = [sys.executable, "-c", launch]
    clean = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    python_path = os.pathsep.join(filter(None, [str(REPOSITORY), clean.get("PYTHONPATH")]))
    stderr = workdir / f"stderr-{port}.log"
    with stderr.open("w") as errors, (workdir / f"stdout-{port}.log").open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command
            command, cwd=workdir, stdout=output, stderr=errors,
            env={**clean, "BCRYPT_ROUNDS": "4", "PYTHONPATH": python_path, **env},
        )
    return Server(f"http://127.0.0.1:{port}", process, stderr)


@contextmanager
def serving(workdir: Path, env: dict[str, str], *arguments: str, app: str | None = None) -> Iterator[Server]:
    """A server `start`ed, once it answers /health/live; stopped on leaving."""
    server = start(workdir, env, *arguments, app=app)
    try:
        _wait_until_live(server)
        yield server
    finally:
        server.stop()


def _wait_until_live(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"inkwell serve exited with {server.process.returncode}:\n{server.stderr.read_text()}")
        try:
            if httpx.get(f"{server.base}/health/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"inkwell serve did not answer in {seconds:g} s:\n{server.stderr.read_text()}")
