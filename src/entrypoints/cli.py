"""The `inkwell` command: serve, worker, migrate, create-admin, set-role, revoke-sessions, check, mail preview."""

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn
from dramatiq.cli import main as dramatiq_main
from dramatiq.cli import make_argument_parser

from application.actor import SYSTEM
from application.errors import DependencyUnavailable
from application.ports.health import NotReady, SchemaBehind
from domain.errors import DomainError
from domain.users import Role
from entrypoints import logs
from entrypoints.container import Container, build_container, close_resources
from entrypoints.settings import Profile, Settings
from entrypoints.settings_problems import settings_or_exit
from entrypoints.worker.embedded import EmbeddedWorker
from entrypoints.worker.metrics import exporting_metrics

T = TypeVar("T")

# Plain help, as click writes it: paragraphs rewrapped to the terminal, no type tags such as `<bool>`.
app = typer.Typer(help="Inkwell, a RealWorld-compatible blogging backend.", no_args_is_help=True,
                  add_completion=False, rich_markup_mode=None)
mail_app = typer.Typer(help="Mail templates.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(mail_app, name="mail")


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"inkwell {version('inkwell')}")
        raise typer.Exit()


@app.callback()
def inkwell(
    _version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                           help="Print the version and exit.")] = False,
) -> None:
    pass  # the options of `inkwell` itself; each command is its own function


# How `serve` runs uvicorn: no `server` header naming the software (and its version) to whoever asks,
# no forwarded addresses believed, and no access log of uvicorn's own beside Inkwell's JSON one.
UVICORN_OPTIONS: dict[str, Any] = {"server_header": False, "proxy_headers": False, "access_log": False}
APP = "entrypoints.http.app:create_app"  # the factory uvicorn serves

# How long `check`, and `serve` at start, wait for each dependency to answer.
CHECK_SECONDS = 5

log = logging.getLogger("inkwell.cli")


def _settings() -> Settings:
    return settings_or_exit()  # every problem on its own line, and exit code 2


@app.command()
def serve(
    host: Annotated[str, typer.Option(metavar="HOST", help="Interface to bind; 0.0.0.0 for every one.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, metavar="N", help="Server processes.")] = 1,
) -> None:
    """Run the HTTP API.

    In the embedded profile it first migrates the database, and runs the background jobs too. Requests are
    logged as JSON on stderr.
    """
    settings = settings_or_exit(as_json=True)  # a server's stderr is JSON, its refused settings included
    logs.configure(settings.log_level)
    logs.log_uncaught()
    if settings.should_migrate_on_start:
        _migrate(settings)
        _tell("Database schema is up to date (migrated on start).")
    else:
        _report_storage(build_container(settings))
    settings.resolved_secrets()  # the embedded profile keeps its secrets before the workers read them
    jobs = EmbeddedWorker(settings) if settings.runs_jobs_in_process else None
    if jobs is not None:
        jobs.start()
    _tell(_serving_at(settings, host, port))
    try:
        # uvicorn applies the logging configuration in every process it runs, workers included.
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, log_level=settings.log_level.lower(),
                    log_config=logs.config(settings.log_level), **UVICORN_OPTIONS)
    finally:
        if jobs is not None:
            jobs.stop()


def _tell(line: str) -> None:
    """A line for the person who started the command: on stdout, because stderr carries the JSON logs."""
    typer.echo(line)


def _serving_at(settings: Settings, host: str, port: int) -> str:
    everywhere = host in ("0.0.0.0", "::")  # noqa: S104 - compared, not bound
    shown = "127.0.0.1" if everywhere else f"[{host}]" if ":" in host else host
    where = {
        Profile.EMBEDDED: f"embedded profile, data in {settings.data_dir.resolve()}",
        Profile.PRODUCTION: "production profile",
        Profile.TEST: "test profile, in memory: nothing is kept",
    }[settings.inkwell_profile]
    interfaces = ", on every interface" if everywhere else ""
    return f"Inkwell is starting at http://{shown}:{port} ({where}{interfaces}); API docs at /docs. Ctrl+C stops it."


def _report_storage(container: Container) -> None:
    """Without MIGRATE_ON_START, migrating is the operator's job: a schema behind the code gets one error
    line at start, and readiness answers 503 until someone migrates. The server starts all the same."""
    problem = asyncio.run(_storage_problem(container))
    if isinstance(problem, SchemaBehind):
        log.error("schema_behind", extra={
            "current": ", ".join(problem.current) or None, "expected": ", ".join(problem.expected),
            "problem": f"the database schema {problem.reason}, or set MIGRATE_ON_START=true"})
    elif problem is not None:
        log.warning("storage_not_ready", extra={"problem": problem.reason})


async def _storage_problem(container: Container) -> NotReady | None:
    try:
        for probe in container.storage.probes():
            await asyncio.wait_for(probe.check(), CHECK_SECONDS)
    except NotReady as problem:
        return problem
    except TimeoutError:
        return NotReady(f"no answer in {CHECK_SECONDS} s")
    finally:
        await close_resources(container)
    return None


@app.command()
def worker(
    processes: Annotated[int, typer.Option(min=1, metavar="N", help="Worker processes.")] = 2,
    threads: Annotated[int, typer.Option(min=1, metavar="N", help="Jobs each process runs at once.")] = 8,
    shutdown_timeout: Annotated[int, typer.Option(
        min=1, metavar="SECONDS", help="How long running jobs get to finish on SIGTERM.")] = 60,
) -> None:
    """Run the background jobs (production profile).

    Dramatiq worker processes on the broker (Redis, or RabbitMQ with BROKER_URL), each with an outbox relay;
    with WORKER_METRICS_PORT, one more process serves their metrics. SIGTERM lets running jobs finish, then
    stops.
    """
    settings = _settings()
    if settings.inkwell_profile is not Profile.PRODUCTION:
        typer.secho("`inkwell worker` needs the production profile and its broker; the embedded default runs "
                    "jobs inside `inkwell serve`.", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    if not settings.smtp_host:
        typer.secho("`inkwell worker` needs SMTP_HOST in production: the workers send the mail.",
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    with exporting_metrics(settings) as metrics_arguments:
        arguments = make_argument_parser().parse_args([  # type: ignore[no-untyped-call]
            "entrypoints.worker.process:broker", "--processes", str(processes), "--threads", str(threads),
            "--worker-shutdown-timeout", str(shutdown_timeout * 1000), "--skip-logging", *metrics_arguments,
        ])
        status = dramatiq_main(arguments)  # type: ignore[no-untyped-call]
    sys.exit(status)


@mail_app.command("preview")
def mail_preview(
    name: Annotated[str, typer.Argument(
        metavar="NAME", help="verify_email, reset_password, password_changed or new_article.")],
    part: Annotated[str, typer.Option(metavar="text|html", help="Which part to render.")] = "text",
    output: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Write to this file instead of standard output.")] = None,
) -> None:
    """Render a mail template with sample data."""
    settings = _settings()
    composer = build_container(settings).mail.composer()
    try:
        rendered = composer.render(name, composer.sample_context(name))
    except ValueError as error:
        typer.secho(str(error), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from error
    if part not in ("text", "html"):
        typer.secho("--part is text or html", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    document = f"Subject: {rendered.subject}\n\n{rendered.text}" if part == "text" else rendered.html
    if output is None:
        typer.echo(document)
    else:
        output.write_text(document, encoding="utf-8")
        typer.echo(f"written to {output}")


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the latest revision."""
    _migrate(_settings())
    typer.echo("database schema is up to date")


@app.command("create-admin")
def create_admin(
    # Optional, with None for "not given", so that help does not call them required: click asks for each.
    email: Annotated[str | None, typer.Option(
        prompt=True, metavar="EMAIL", help="Their e-mail address; asked for when not given.")] = None,
    username: Annotated[str | None, typer.Option(
        prompt=True, metavar="USERNAME", help="Their username; asked for when not given.")] = None,
    password: Annotated[str | None, typer.Option(
        prompt=True, hide_input=True, confirmation_prompt=True, metavar="PASSWORD",
        help="Optional: when not given, it is asked for twice without being shown, which also keeps it "
             "out of the shell's history.")] = None,
) -> None:
    """Create an administrator account.

    Whatever is not given as an option is asked for.
    """
    _as_operator(lambda container: container.create_admin()(
        email=email or "", username=username or "", password=password or ""))
    typer.echo(f"administrator {username} created")


@app.command("set-role")
def set_role(
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="The user whose role changes.")],
    role: Annotated[Role, typer.Argument(metavar="ROLE", help="The new role.", case_sensitive=False)],
) -> None:
    """Promote a user to administrator, or demote one.

    A demotion ends the user's sessions; the last active administrator stays one. Recorded in the audit log
    as done by no one (the operator).
    """
    view = _as_operator(lambda container: container.change_user_access()(SYSTEM, username=username, role=role))
    typer.echo(f"{view.username} is now {view.role.value}")


@app.command("revoke-sessions")
def revoke_sessions(
    username: Annotated[str, typer.Argument(metavar="USERNAME", help="The user whose sessions end.")],
) -> None:
    """End every session of a user at once.

    They can sign in again. Recorded in the audit log.
    """
    _as_operator(lambda container: container.revoke_sessions()(SYSTEM, username=username))
    typer.echo(f"every session of {username} has ended")


def _as_operator(act: Callable[[Container], Awaitable[T]]) -> T:
    """Run one administration use case as the operator; a refusal, or a dependency that does not answer, is
    one line on stderr and exit code 1. Where `serve` would migrate first (the embedded default), so does
    this: an administrator can be created before the server has ever started."""
    settings = _settings()
    if settings.should_migrate_on_start:
        _migrate(settings)
    container = build_container(settings)

    async def run() -> T:
        try:
            return await act(container)
        finally:
            await close_resources(container)

    try:
        return asyncio.run(run())
    except DomainError as error:
        typer.secho(f"{error.field} {error.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from error
    except DependencyUnavailable as error:
        typer.secho(f"{error.dependency} is unavailable; `inkwell check` says why", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from error


@app.command()
def check() -> None:
    """Check the configuration and every dependency.

    Reads the settings, reaches the database and every other service, and compares the schema revision;
    exits 1 if anything is wrong.
    """
    settings = _settings()
    container = build_container(settings)
    typer.echo(f"profile: {settings.inkwell_profile.value}")
    if not asyncio.run(_probe(container)):
        raise typer.Exit(1)
    typer.echo("all checks passed")


def _migrate(settings: Settings) -> None:
    asyncio.run(_run_migrations(build_container(settings)))


async def _run_migrations(container: Container) -> None:
    try:
        await container.storage.migrate()
    finally:
        await close_resources(container)


async def _probe(container: Container) -> bool:
    """One line per dependency: `ok`, or what is wrong with it in words."""
    healthy = True
    try:
        for probe in [*container.probes(), *container.mail.probes()]:
            try:
                await asyncio.wait_for(probe.check(), CHECK_SECONDS)
            except NotReady as problem:
                typer.echo(f"{probe.name}: {problem.state} - {problem.reason}")
            except TimeoutError:
                typer.echo(f"{probe.name}: unavailable - no answer in {CHECK_SECONDS} s")
            except Exception as error:  # reported, not raised: `check` exists to say what is wrong
                typer.echo(f"{probe.name}: unavailable - {type(error).__name__}: {error}")
            else:
                typer.echo(f"{probe.name}: ok")
                continue
            healthy = False
    finally:
        await close_resources(container)
    return healthy


def main() -> None:
    sys.exit(app())
