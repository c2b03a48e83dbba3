"""The audit log, and the administrators' list of users in account order.

`audit_events` is append-only: the application has no path that changes or removes an entry, and on
PostgreSQL a trigger refuses UPDATE and DELETE whoever sends them. TRUNCATE, which only the table's
owner may run, stays possible for retention (see the README). Entries name users and articles without
foreign keys: the log outlives what it names.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEWEST_FIRST = [sa.text("at DESC"), sa.text("id DESC")]
# The filters of the log's listing, each served newest first by an index of its own.
FILTERED_BY = ("action", "actor_id", "target_id", "target")


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("target_id", sa.Uuid(), nullable=True),
        sa.Column("target", sa.String(200), nullable=True),
        sa.Column("client_address", sa.String(64), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_events_at_id", "audit_events", NEWEST_FIRST)
    for column in FILTERED_BY:
        op.create_index(f"ix_audit_events_{column}_at_id", "audit_events", [column, *NEWEST_FIRST])
    op.create_index("ix_users_created_at_id", "users", ["created_at", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$""")
        op.execute("CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION refuse_audit_change()")
    op.drop_index("ix_users_created_at_id", table_name="users")
    for column in reversed(FILTERED_BY):
        op.drop_index(f"ix_audit_events_{column}_at_id", table_name="audit_events")
    op.drop_index("ix_audit_events_at_id", table_name="audit_events")
    op.drop_table("audit_events")
