"""What compose.yaml, the Dockerfile and the proxy's Caddyfile rely on, checked without a container engine (CI has
none): the configuration compose hands every Inkwell process is one Inkwell accepts, its commands parse, the
services start in the right order and trust the right proxy, the image is built in stages from the lock file and
runs unprivileged with a healthcheck, the wheel it installs finds its migrations, and the proxy hands Inkwell the
client's address, never one the client chose. The schema and lint checks run before it, in scripts/check-deploy.
Usage: .venv/bin/python deploy/check.py"""

import ipaddress
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import typer
import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
INKWELL_IMAGE = "inkwell:"
API_PORT = 8000
# What an operator puts in .env: made up here, as the README tells them to make theirs.
SAMPLE_SECRETS = {
    "INKWELL_POSTGRES_PASSWORD": secrets.token_urlsafe(24),
    "INKWELL_JWT_SECRET": secrets.token_urlsafe(48),
    "INKWELL_PASSWORD_PEPPER": secrets.token_urlsafe(48),
}
VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(value: Any, variables: dict[str, str]) -> Any:
    """Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}`, on strings nested anywhere."""
    if isinstance(value, dict):
        return {key: interpolate(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, variables) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if variables.get(name):
            return variables[name]
        if operator and operator.endswith("?"):
            raise ValueError(f"compose.yaml requires {name}: {argument}")
        return argument or ""

    return VARIABLE.sub(replace, value)


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction, continuation lines joined and comments left out."""
    result, pending = [], ""
    for line in dockerfile.splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        keyword, _, arguments = (pending + text).partition(" ")
        result.append((keyword.upper(), arguments.strip()))
        pending = ""
    return result


class Deployment:
    def __init__(self) -> None:
        self.compose: dict[str, Any] = interpolate(yaml.safe_load((ROOT / "compose.yaml").read_text()), SAMPLE_SECRETS)
        self.services: dict[str, Any] = self.compose["services"]
        stages: list[list[tuple[str, str]]] = []
        for keyword, arguments in instructions((ROOT / "Dockerfile").read_text()):
            if keyword == "FROM":
                stages.append([])
            elif stages:
                stages[-1].append((keyword, arguments))
        self.stages = stages
        pairs = [pair for keyword, arguments in stages[-1] if keyword == "ENV" for pair in shlex.split(arguments)]
        self.image_env = dict(pair.split("=", 1) for pair in pairs)

    def final(self, keyword: str) -> list[str]:
        return [arguments for key, arguments in self.stages[-1] if key == keyword]

    def inkwell_services(self) -> dict[str, Any]:
        return {name: s for name, s in self.services.items() if str(s.get("image", "")).startswith(INKWELL_IMAGE)}

    def command(self, service: dict[str, Any]) -> list[str]:
        command: list[str] = service.get("command") or json.loads(self.final("CMD")[-1])
        return command

    def depends(self, service: str, on: str) -> str | None:
        condition: str | None = self.services[service].get("depends_on", {}).get(on, {}).get("condition")
        return condition


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def configuration(deployment: Deployment) -> list[str]:
    """Every variable compose or the image sets is a setting, and together they make a configuration Inkwell
    starts with; every variable an operator sets is in the README."""
    from entrypoints.settings import Settings

    problems = []
    outside = {"PATH"}
    for name in deployment.image_env:
        if name.lower() not in Settings.model_fields and name not in outside and not name.startswith("PYTHON"):
            problems.append(f"Dockerfile: ENV {name} is no Inkwell setting")
    for name, service in deployment.inkwell_services().items():
        given = {key: str(value) for key, value in service.get("environment", {}).items()}
        problems += [f"compose.yaml: {name} sets {key}, which is no Inkwell setting"
                     for key in given if key.lower() not in Settings.model_fields]
        with environment({**deployment.image_env, **given}):
            try:
                Settings(_env_file=None)  # type: ignore[call-arg]
            except ValueError as error:
                problems.append(f"compose.yaml: Inkwell refuses the configuration of {name}: {error}")
    raw = (ROOT / "compose.yaml").read_text()
    problems += [f"README: compose.yaml reads {name}, which the README does not mention"
                 for name in sorted({match[0] for match in VARIABLE.findall(raw)}) if name not in README]
    return problems


def commands(deployment: Deployment) -> list[str]:
    """Each Inkwell service runs an `inkwell` command with options that command has."""
    from entrypoints.cli import app

    group = typer.main.get_command(app)
    problems = []
    for name, service in deployment.inkwell_services().items():
        program, subcommand, *arguments = deployment.command(service)
        command = getattr(group, "commands", {}).get(subcommand)
        if program != "inkwell" or command is None:
            problems.append(f"compose.yaml: {name} runs {program} {subcommand}, which is no inkwell command")
            continue
        try:
            command.make_context(subcommand, list(arguments))
        except typer.exceptions.TyperException as error:
            problems.append(f"compose.yaml: {name}: `inkwell {subcommand}` refuses {arguments}: {error}")
    return problems


def topology(deployment: Deployment) -> list[str]:
    """Order of start, replicas, healthchecks, the trusted proxy and the shared export volume."""
    services, checks = deployment.services, []
    api, proxy = services["api"], services["proxy"]
    checks.append((int(api.get("deploy", {}).get("replicas", 1)) >= 2, "api runs at least 2 replicas"))
    checks.append(("ports" not in api, "api publishes no port: clients come through the proxy"))
    for name in ("api", "worker"):
        checks.append((deployment.depends(name, "migrate") == "service_completed_successfully",
                       f"{name} starts once `migrate` has completed successfully"))
        checks.append((deployment.depends(name, "redis") == "service_healthy", f"{name} waits for a healthy Redis"))
    checks.append((deployment.command(services["migrate"])[:2] == ["inkwell", "migrate"], "migrate migrates"))
    checks.append((deployment.depends("migrate", "postgres") == "service_healthy", "migrate waits for PostgreSQL"))
    checks.append((services["migrate"].get("restart") == "no", "migrate runs once"))
    checks.append((deployment.depends("proxy", "api") == "service_healthy", "proxy waits for a healthy api"))
    for name in ("postgres", "redis"):
        checks.append((bool(services[name].get("healthcheck", {}).get("test")), f"{name} has a healthcheck"))
    checks.append((not api.get("healthcheck", {}).get("disable"), "api keeps the image's healthcheck"))
    checks.append((deployment.command(api)[:2] == ["inkwell", "serve"], "api serves"))
    address = ipaddress.ip_address(proxy["networks"]["edge"]["ipv4_address"])
    subnet = ipaddress.ip_network(deployment.compose["networks"]["edge"]["ipam"]["config"][0]["subnet"])
    trusted = [ipaddress.ip_network(item.strip()) for item in api["environment"]["TRUSTED_PROXIES"].split(",")]
    checks.append((address in subnet, "the proxy's address is in the edge network"))
    checks.append((any(address in network for network in trusted), "api trusts the proxy's X-Forwarded-For"))
    checks.append((set(api["networks"]) >= {"edge"} and "backend" not in proxy["networks"],
                   "only the proxy and the api share the edge network"))
    export_dir = api["environment"]["EXPORT_DIR"]
    for name in ("api", "worker"):
        checks.append((f"exports:{export_dir}" in services[name].get("volumes", []),
                       f"{name} mounts the shared exports volume at EXPORT_DIR"))
    mounts = [volume.split(":") for volume in proxy.get("volumes", [])]
    caddyfiles = [ROOT / source for source, target, *_ in mounts if target == "/etc/caddy/Caddyfile"]
    upstream = re.search(r"dynamic a api (\d+)", caddyfiles[0].read_text()) if caddyfiles else None
    checks.append((upstream is not None and int(upstream.group(1)) == API_PORT,
                   f"the proxy's Caddyfile (from the repository) forwards to every api replica on port {API_PORT}"))
    return [f"compose.yaml: {claim} — not so" for holds, claim in checks if not holds]


def image(deployment: Deployment) -> list[str]:
    """Multi-stage, from the lock file, unprivileged, with a healthcheck on readiness, serving on the API port."""
    builder = [arguments for stage in deployment.stages[:-1] for _, arguments in stage]
    users = deployment.final("USER")
    healthcheck = deployment.final("HEALTHCHECK")
    command = json.loads(deployment.final("CMD")[-1]) if deployment.final("CMD") else []
    port = command[command.index("--port") + 1] if "--port" in command else "8000"
    checks = [
        (len(deployment.stages) >= 2, "is built in stages"),
        (any("requirements/main.lock" in arguments for arguments in builder), "installs requirements/main.lock"),
        (any(a.startswith("--from=") for a in deployment.final("COPY")), "copies the built environment over"),
        (bool(users) and users[-1].split(":")[0] not in ("root", "0"), "runs as a user other than root"),
        (bool(healthcheck) and "/health/ready" in healthcheck[-1] and f":{API_PORT}/" in healthcheck[-1],
         "checks its health on /health/ready"),
        (command[:2] == ["inkwell", "serve"] and "0.0.0.0" in command and port == str(API_PORT),  # noqa: S104
         f"serves on 0.0.0.0:{API_PORT} by default"),
        (str(API_PORT) in " ".join(deployment.final("EXPOSE")), f"exposes {API_PORT}"),
    ]
    return [f"Dockerfile: the image {claim} — not so" for holds, claim in checks if not holds]


PROBE = """
import pathlib, sys
import adapters
from alembic.script import ScriptDirectory
from adapters.sql.migrations import MIGRATIONS, alembic_config
site = pathlib.Path(sys.argv[1])
assert pathlib.Path(adapters.__file__).is_relative_to(site), f"imported {adapters.__file__}, not the wheel"
assert (site / "adapters/mail/templates/verify_email.html").is_file(), "the mail templates are not in the wheel"
heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
assert heads, f"no migrations in {MIGRATIONS}"
"""


def wheel() -> list[str]:
    """The image installs Inkwell's wheel, not this source tree: installed the same way (into a virtual
    environment's site-packages), it must find its migrations and templates."""
    with tempfile.TemporaryDirectory() as temporary:
        dist = Path(temporary) / "dist"
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        site = Path(temporary) / "venv" / "lib" / version / "site-packages"
        quiet = {"check": True, "capture_output": True, "text": True}
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist),  # noqa: S603
                        str(ROOT)], **quiet)  # type: ignore[call-overload]
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),  # noqa: S603
                        *map(str, dist.glob("*.whl"))], **quiet)  # type: ignore[call-overload]
        probe = subprocess.run([sys.executable, "-c", PROBE, str(site)], capture_output=True, text=True,  # noqa: S603
                               env={**os.environ, "PYTHONPATH": str(site)}, cwd=temporary)
        if probe.returncode != 0:
            return [f"the wheel: installed as the image installs it, it fails: {probe.stderr.strip().splitlines()[-1]}"]
    return []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def process(arguments: list[str], *, cwd: Path, env: dict[str, str], ready: str) -> Iterator[None]:
    log = (cwd / f"{Path(arguments[0]).name}.log").open("w")
    child = subprocess.Popen(arguments, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(ready, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{arguments[0]} did not start: {(cwd / log.name).read_text()[-2000:]}")
            time.sleep(0.1)
        yield
    finally:
        child.terminate()
        child.wait(timeout=15)
        log.close()


def proxy() -> list[str]:
    """The Caddyfile in front of a real `inkwell serve` (the upstream pointed at it): Inkwell sees each client's
    own address, not the proxy's, and not one the client wrote into X-Forwarded-For."""
    caddy = shutil.which("caddy")
    if caddy is None:
        return ["proxy: caddy is not installed (scripts/check-deploy installs it)"]
    from entrypoints.settings import Settings

    api_port, proxy_port = free_port(), free_port()
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    caddyfile = caddyfile.replace(f"dynamic a api {API_PORT}", f"dynamic a localhost {api_port}")
    caddyfile = caddyfile.replace(":80 {", f":{proxy_port} {{")
    clean = {key: value for key, value in os.environ.items() if key.lower() not in Settings.model_fields}
    inkwell_env = {**clean, "TRUSTED_PROXIES": "127.0.0.1", "RATE_LIMIT_LOGIN": "1/minute", "BCRYPT_ROUNDS": "4",
                   "LOG_LEVEL": "WARNING"}
    inkwell = str(Path(sys.executable).parent / "inkwell")
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        (workdir / "Caddyfile").write_text(caddyfile)
        with process([inkwell, "serve", "--port", str(api_port)], cwd=workdir, env=inkwell_env,
                     ready=f"http://127.0.0.1:{api_port}/health/ready"), \
             process([caddy, "run", "--config", "Caddyfile", "--adapter", "caddyfile"], cwd=workdir, env=clean,
                     ready=f"http://127.0.0.1:{proxy_port}/health/ready"):
            def log_in(source: str, forwarded: str | None = None) -> int:
                transport = httpx.HTTPTransport(local_address=source)
                headers = {"X-Forwarded-For": forwarded} if forwarded else {}
                with httpx.Client(transport=transport, timeout=10) as client:
                    body = {"user": {"email": f"{secrets.token_hex(4)}@example.com", "password": "not the password"}}
                    return client.post(f"http://127.0.0.1:{proxy_port}/api/users/login", json=body,
                                       headers=headers).status_code

            # One log-in a minute per client address: each client gets its own, whatever it claims to be.
            seen = [log_in("127.0.0.2"), log_in("127.0.0.3"), log_in("127.0.0.2", forwarded="198.51.100.7")]
    if seen != [401, 401, 429]:
        return [f"proxy: log-ins from two clients and one claiming another address got {seen}, not [401, 401, 429]: "
                "Inkwell does not see the clients' own addresses through deploy/Caddyfile"]
    return []


CHECKS: list[tuple[str, Callable[[Deployment], list[str]]]] = [
    ("configuration", configuration),
    ("commands", commands),
    ("topology", topology),
    ("image", image),
    ("wheel", lambda _: wheel()),
    ("proxy", lambda _: proxy()),
]


def main() -> int:
    deployment = Deployment()
    failed = 0
    for name, check in CHECKS:
        started = time.monotonic()
        problems = check(deployment)
        print(f"{name}: {'ok' if not problems else 'FAILED'} ({time.monotonic() - started:.1f} s)")
        for problem in problems:
            print(f"  {problem}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
