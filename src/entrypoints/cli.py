"""The `inkwell` command: serve, worker, migrate, create-admin, set-role, revoke-sessions, check, mail preview."""

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn
from dramatiq.cli import main as dramatiq_main
from dramatiq.cli import make_argument_parser
from pydantic import ValidationError

from application.actor import SYSTEM
from domain.errors import DomainError
from domain.users import Role
from entrypoints import logs
from entrypoints.container import Container, build_container, close_resources
from entrypoints.settings import Profile, Settings
from entrypoints.worker.embedded import EmbeddedWorker
from entrypoints.worker.metrics import exporting_metrics

T = TypeVar("T")

app = typer.Typer(help="Inkwell, a RealWorld-compatible blogging backend.", no_args_is_help=True,
                  add_completion=False)
mail_app = typer.Typer(help="Mail templates.", no_args_is_help=True)
app.add_typer(mail_app, name="mail")

# How `serve` runs uvicorn: no `server` header naming the software (and its version) to whoever asks,
# no forwarded addresses believed, and no access log of uvicorn's own beside Inkwell's JSON one.
UVICORN_OPTIONS: dict[str, Any] = {"server_header": False, "proxy_headers": False, "access_log": False}


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
        typer.secho(f"Configuration refused: {problems}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from error


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Run the HTTP API (migrating the database first in the embedded profile), and in the embedded
    profile the jobs too. Access is logged as JSON by Inkwell itself, so uvicorn's own access log is off."""
    settings = _settings()
    if settings.should_migrate_on_start:
        _migrate(settings)
    settings.resolved_secrets()  # the embedded profile keeps its secrets before the workers read them
    jobs = _embedded_worker(settings) if settings.runs_jobs_in_process else None
    if jobs is not None:
        jobs.start()
    try:
        uvicorn.run("entrypoints.http.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level=settings.log_level.lower(), **UVICORN_OPTIONS)
    finally:
        if jobs is not None:
            jobs.stop()


def _embedded_worker(settings: Settings) -> EmbeddedWorker:
    logs.configure(settings.log_level)
    return EmbeddedWorker(settings)


@app.command()
def worker(
    processes: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 2,
    threads: Annotated[int, typer.Option(min=1, help="Threads per process: jobs each process runs at once.")] = 8,
    shutdown_timeout: Annotated[int, typer.Option(min=1, help="Seconds running jobs get to finish on SIGTERM.")] = 60,
) -> None:
    """Run the jobs: Dramatiq worker processes on the broker (Redis, or RabbitMQ with BROKER_URL), each
    with an outbox relay, and with WORKER_METRICS_PORT one more process that serves their metrics. SIGTERM
    lets running jobs finish, then stops."""
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
    name: Annotated[str, typer.Argument(help="verify_email, reset_password, password_changed or new_article.")],
    part: Annotated[str, typer.Option(help="text or html.")] = "text",
    output: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output.")] = None,
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
    email: Annotated[str, typer.Option(prompt=True)],
    username: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create an administrator account."""
    from domain.errors import DomainError

    container = build_container(_settings())

    async def run() -> None:
        try:
            await container.create_admin()(email=email, username=username, password=password)
        finally:
            await close_resources(container)

    try:
        asyncio.run(run())
    except DomainError as error:
        typer.secho(f"{error.field} {error.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from error
    typer.echo(f"administrator {username} created")


@app.command("set-role")
def set_role(
    username: Annotated[str, typer.Argument(help="The user whose role changes.")],
    role: Annotated[Role, typer.Argument(help="admin or user.", case_sensitive=False)],
) -> None:
    """Make a user an administrator, or an administrator a user again, which ends their sessions. The last
    active administrator stays one. Recorded in the audit log as done by no one (the operator)."""
    view = _as_operator(lambda container: container.change_user_access()(SYSTEM, username=username, role=role))
    typer.echo(f"{view.username} is now {view.role.value}")


@app.command("revoke-sessions")
def revoke_sessions(username: Annotated[str, typer.Argument(help="The user whose sessions end.")]) -> None:
    """End every session of a user at once; they can sign in again. Recorded in the audit log."""
    _as_operator(lambda container: container.revoke_sessions()(SYSTEM, username=username))
    typer.echo(f"every session of {username} has ended")


def _as_operator(act: Callable[[Container], Awaitable[T]]) -> T:
    """Run one administration use case as the operator; a refusal is one line on stderr and exit code 1."""
    container = build_container(_settings())

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


@app.command()
def check() -> None:
    """Check the configuration, every dependency and the schema revision."""
    settings = _settings()
    container = build_container(settings)
    typer.echo(f"profile: {settings.inkwell_profile.value}")
    healthy = asyncio.run(_probe(container))
    if settings.inkwell_profile is not Profile.TEST:
        try:
            up_to_date = container.storage.schema_is_current()
        except Exception as error:  # reported, not raised: `check` exists to say what is wrong
            typer.echo(f"schema: unknown ({type(error).__name__})")
            healthy = False
        else:
            typer.echo(f"schema: {'up to date' if up_to_date else 'behind; run `inkwell migrate`'}")
            healthy = healthy and up_to_date
    if not healthy:
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
    healthy = True
    try:
        for probe in [*container.probes(), *container.mail.probes()]:
            try:
                await asyncio.wait_for(probe.check(), 5)
            except Exception as error:  # reported, not raised
                typer.echo(f"{probe.name}: unavailable ({type(error).__name__})")
                healthy = False
            else:
                typer.echo(f"{probe.name}: ok")
    finally:
        await close_resources(container)
    return healthy


def main() -> None:
    sys.exit(app())
