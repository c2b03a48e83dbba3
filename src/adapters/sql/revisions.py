"""Schema revisions: those the code ships as migration scripts, and those a database is at."""

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection


def _migrations_folder() -> Path:
    """`migrations/` beside `src/` in a checkout (and an editable install); in an installed wheel, the copy
    that pyproject.toml packages beside the `adapters` package as `inkwell_migrations`."""
    here = Path(__file__).resolve()
    checkout = here.parents[3] / "migrations"
    return checkout if checkout.is_dir() else here.parents[2] / "inkwell_migrations"


MIGRATIONS = _migrations_folder()
VERSION_TABLE = "alembic_version"  # Alembic's default, where it records the revisions a database is at


@dataclass(frozen=True, slots=True)
class Revisions:
    known: frozenset[str]
    heads: frozenset[str]

    def is_behind(self, current: frozenset[str]) -> bool:
        """No revision, or revisions the scripts take further. A revision the scripts do not know was made by
        a newer release: during a rolling upgrade the replicas still on this one keep serving."""
        return not current or (current != self.heads and current <= self.known)


@cache
def packaged_revisions(versions: Path = MIGRATIONS / "versions") -> Revisions:
    """Read from the scripts' `revision` and `down_revision` literals, as Alembic reads them, but without
    importing Alembic and running the scripts: that would cost every API process some 8 MB."""
    known: set[str] = set()
    built_on: set[str] = set()
    for script in versions.glob("*.py"):
        names = _literals(script, ("revision", "down_revision"))
        known.add(names["revision"])
        down = names.get("down_revision")
        built_on.update([down] if isinstance(down, str) else down or ())
    return Revisions(known=frozenset(known), heads=frozenset(known - built_on))


def _literals(script: Path, wanted: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in wanted:
            found[target.id] = ast.literal_eval(value)
    return found


async def current_revisions(connection: AsyncConnection) -> frozenset[str]:
    """What the database's version table records; none for a database never migrated."""
    if not await connection.run_sync(lambda sync: sa.inspect(sync).has_table(VERSION_TABLE)):
        return frozenset()
    version_num = sa.column("version_num", sa.String)
    versions = await connection.scalars(sa.select(version_num).select_from(sa.table(VERSION_TABLE)))
    return frozenset(versions)
