"""Join the two areas' migrations (app security 0004, linked accounts 0005) into one head.

Revision ID: 0006
Revises: 0004, 0005
"""

from __future__ import annotations

revision = "0006"
down_revision = ("0004", "0005")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
