"""Jobs: the outbox and job-status table; sessions no longer refer to users by foreign key.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.Column("key", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_jobs_owner_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("key", name=op.f("uq_jobs_key")),
    )
    op.create_index(op.f("ix_jobs_owner_id"), "jobs", ["owner_id"])
    op.create_index(
        "ix_jobs_unpublished", "jobs", ["run_after"],
        postgresql_where=sa.text("published_at IS NULL"), sqlite_where=sa.text("published_at IS NULL"),
    )
    op.create_index("ix_jobs_status_created_at_id", "jobs", ["status", "created_at", "id"])
    with _sessions_rebuilt() as batch:
        batch.drop_constraint("fk_sessions_user_id_users", type_="foreignkey")


def downgrade() -> None:
    # Sessions of users that do not exist could not come back under the foreign key.
    op.execute("DELETE FROM sessions WHERE user_id NOT IN (SELECT id FROM users)")
    with _sessions_rebuilt() as batch:
        batch.create_foreign_key(
            "fk_sessions_user_id_users", "users", ["user_id"], ["id"], ondelete="CASCADE"
        )
    op.drop_index("ix_jobs_status_created_at_id", table_name="jobs")
    op.drop_index("ix_jobs_unpublished", table_name="jobs")
    op.drop_index(op.f("ix_jobs_owner_id"), table_name="jobs")
    op.drop_table("jobs")


@contextmanager
def _sessions_rebuilt() -> Iterator[object]:
    """SQLite changes a constraint by rebuilding the table, which reflects `users` as well; the
    lower(username) index cannot be reflected and is not touched, so its warning says nothing."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table("sessions") as batch:
            yield batch
