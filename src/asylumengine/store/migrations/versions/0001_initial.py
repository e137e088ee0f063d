"""The first schema: scenarios, runs, results, tokens, settings.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table("scenarios", sa.Column("id", sa.String(71), primary_key=True), sa.Column("name", sa.String(200), nullable=False),
                    sa.Column("chain", sa.JSON, nullable=False), sa.Column("created_at", TZ, nullable=False))  # fmt: skip
    op.create_table(
        "runs",
        sa.Column("id", sa.String(12), primary_key=True), sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False), sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("private", sa.Boolean, nullable=False), sa.Column("scenario_ids", sa.JSON, nullable=False),
        sa.Column("years", sa.Integer, nullable=False), sa.Column("replications", sa.Integer, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False), sa.Column("code_version", sa.String(40), nullable=False),
        sa.Column("law_hash", sa.String(71), nullable=False), sa.Column("data_hash", sa.String(71), nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False), sa.Column("error", sa.Text),
        sa.Column("started_at", TZ, nullable=False), sa.Column("finished_at", TZ, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
    )  # fmt: skip
    op.create_index("ix_runs_owner", "runs", ["owner"])
    op.create_table(
        "results",
        sa.Column("run_id", sa.String(12), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("digest", sa.String(71), nullable=False), sa.Column("summary", sa.LargeBinary, nullable=False),
        sa.Column("chart", sa.LargeBinary, nullable=False), sa.Column("csv", sa.LargeBinary, nullable=False),
    )  # fmt: skip
    op.create_table("tokens", sa.Column("id", sa.String(16), primary_key=True), sa.Column("name", sa.String(80), nullable=False),
                    sa.Column("secret_hash", sa.String(71), nullable=False), sa.Column("created_at", TZ, nullable=False),
                    sa.Column("revoked_at", TZ))  # fmt: skip
    op.create_table("settings", sa.Column("key", sa.String(40), primary_key=True), sa.Column("value", sa.Text, nullable=False))


def downgrade() -> None:
    for name in ("settings", "tokens", "results", "runs", "scenarios"):
        op.drop_table(name)
