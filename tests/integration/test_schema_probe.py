"""The readiness probes of the SQL database, on SQLite and PostgreSQL: the schema probe compares the revision a
database is at with the scripts the code ships, and remembers what it found; failures are said in words."""

from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.engine import create_engine
from adapters.sql.migrations import alembic_config, upgrade_async
from adapters.sql.probes import DatabaseProbe, SchemaProbe
from adapters.sql.revisions import packaged_revisions
from application.ports.health import NotReady, SchemaBehind
from tests.services import POSTGRES_URL, require_postgres

HEAD = max(packaged_revisions().heads)


@pytest.fixture
async def engine(empty_database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(empty_database)
    try:
        yield engine
    finally:
        await engine.dispose()


def test_the_revisions_read_from_the_scripts_are_alembics() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    revisions = packaged_revisions()
    assert revisions.heads == set(scripts.get_heads())
    assert revisions.known == {script.revision for script in scripts.walk_revisions()}


async def test_a_migrated_database_is_ready(empty_database: str, engine: AsyncEngine) -> None:
    await upgrade_async(empty_database)
    await DatabaseProbe(engine).check()
    await SchemaProbe(engine).check()


async def test_a_database_never_migrated_is_behind(engine: AsyncEngine) -> None:
    with pytest.raises(SchemaBehind) as behind:
        await SchemaProbe(engine).check()
    assert (behind.value.current, behind.value.expected) == ((), (HEAD,))
    assert behind.value.summary == f"has no revision (an empty database), the code needs {HEAD}"


async def test_an_older_revision_is_behind_and_named(empty_database: str, engine: AsyncEngine) -> None:
    await upgrade_async(empty_database, "0001")
    with pytest.raises(SchemaBehind) as behind:
        await SchemaProbe(engine).check()
    assert behind.value.summary == f"is at revision 0001, the code needs {HEAD}"
    assert behind.value.reason.endswith("run `inkwell migrate`")


async def test_a_schema_found_current_is_not_read_again(empty_database: str, engine: AsyncEngine) -> None:
    await upgrade_async(empty_database)
    probe = SchemaProbe(engine)
    await probe.check()
    await _set_revision(engine, "0001")  # no one downgrades a live database; this shows no query is sent
    await probe.check()
    with pytest.raises(SchemaBehind):
        await SchemaProbe(engine).check()


async def test_a_schema_found_behind_is_read_again_after_the_interval(empty_database: str, engine: AsyncEngine) -> None:
    await upgrade_async(empty_database, "0001")
    remembering, rereading = SchemaProbe(engine, recheck_seconds=60), SchemaProbe(engine, recheck_seconds=0)
    for probe in (remembering, rereading):
        with pytest.raises(SchemaBehind):
            await probe.check()
    await upgrade_async(empty_database)
    with pytest.raises(SchemaBehind):
        await remembering.check()
    await rereading.check()


async def test_a_revision_the_code_does_not_know_is_a_newer_release_s_and_ready(
    empty_database: str, engine: AsyncEngine
) -> None:
    """During a rolling upgrade the new release migrates; the replicas still on this one keep serving."""
    await upgrade_async(empty_database)
    await _set_revision(engine, "9999")
    await SchemaProbe(engine).check()


async def test_a_database_that_cannot_be_read_is_unavailable_not_behind() -> None:
    engine = create_engine("sqlite+aiosqlite:////nonexistent-directory/inkwell.db")
    try:
        for probe in (DatabaseProbe(engine), SchemaProbe(engine)):
            with pytest.raises(NotReady) as problem:
                await probe.check()
            assert type(problem.value) is NotReady
            assert "SQLite: unable to open database file (/nonexistent-directory/inkwell.db)" in problem.value.reason
    finally:
        await engine.dispose()


@pytest.mark.parametrize(("change", "words"), [
    ({"port": 1}, "PostgreSQL: nothing listens on {host}:1 (connection refused)"),
    ({"database": "inkwell_no_such_database"},
     'PostgreSQL: database "inkwell_no_such_database" does not exist on {host}:{port}'),
    ({"username": "inkwell_no_such_user"},
     'PostgreSQL: authentication failed for user "inkwell_no_such_user" (no such role on {host}:{port})'),
])
async def test_postgresql_failures_are_said_in_words(change: dict[str, object], words: str) -> None:
    require_postgres()
    server = make_url(POSTGRES_URL)
    engine = create_engine(server.set(**change).render_as_string(hide_password=False))  # type: ignore[arg-type]
    try:
        with pytest.raises(NotReady) as problem:
            await DatabaseProbe(engine).check()
    finally:
        await engine.dispose()
    assert problem.value.reason == words.format(host=server.host, port=server.port or 5432)


async def _set_revision(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.execute(sa.text("UPDATE alembic_version SET version_num = :revision"), {"revision": revision})
