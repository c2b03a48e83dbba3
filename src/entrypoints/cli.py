"""The `inkwell` command: serve, migrate, create-admin, check."""

import asyncio
import sys
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError

from entrypoints.container import Container, build_container, close_resources
from entrypoints.settings import Settings

app = typer.Typer(help="Inkwell, a RealWorld-compatible blogging backend.", no_args_is_help=True,
                  add_completion=False)


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
    """Run the HTTP API (migrating the database first in the embedded profile). Access is logged as JSON
    by Inkwell itself, so uvicorn's own access log is off."""
    settings = _settings()
    if settings.should_migrate_on_start:
        _migrate(settings)
    settings.resolved_secrets()  # the embedded profile keeps its secrets before the workers read them
    uvicorn.run("entrypoints.http.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=settings.log_level.lower(), proxy_headers=False, access_log=False)


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


@app.command()
def check() -> None:
    """Check the configuration, every dependency and the schema revision."""
    settings = _settings()
    container = build_container(settings)
    typer.echo(f"profile: {settings.inkwell_profile.value}")
    healthy = asyncio.run(_probe(container))
    if container.config.wiring.storage() == "sql":
        try:
            up_to_date = container.schema_is_current()
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
        await container.migrate()
    finally:
        await close_resources(container)


async def _probe(container: Container) -> bool:
    healthy = True
    try:
        for probe in container.probes():
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
