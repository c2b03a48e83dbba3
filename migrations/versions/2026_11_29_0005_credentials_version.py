"""Sessions are bound to the version of the credentials they were opened from.

A time cut-off (`tokens_valid_after`) could not end a session opened by a log-in that checked the old
password while a change was committing: that session is opened after the change, so its tokens are
issued after the cut-off. A version read together with the password hash, carried by every token of
the session and moved on by every change, can. Tokens issued before this revision carry no version,
so everyone signs in again once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("credentials_version", sa.Integer(), nullable=False, server_default="0"))
    # Plain ALTER TABLE … DROP COLUMN on both databases (SQLite ≥ 3.35): Alembic's batch mode would
    # rebuild `users`, and dropping the old table would cascade into every row that refers to it.
    op.execute("ALTER TABLE users DROP COLUMN tokens_valid_after")


def downgrade() -> None:
    # Older code cuts sessions off by time: a cut-off at the downgrade ends every session, as the upgrade did.
    op.add_column(
        "users",
        sa.Column("tokens_valid_after", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("CURRENT_TIMESTAMP")),
    )
    op.execute("ALTER TABLE users DROP COLUMN credentials_version")
