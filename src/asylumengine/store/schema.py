"""The store's tables (SQLAlchemy Core). Changes go through an Alembic migration in ``migrations/``
(``tests/test_store.py`` checks the migrated database equals these definitions)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, ForeignKey, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

# a scenario as run: the text of every file of its ``extends`` chain, base first (so a rerun does
# not depend on files that may have changed or gone); keyed by the sha256 of that bundle
scenarios = Table(
    "scenarios", metadata,
    Column("id", String(71), primary_key=True),  # "sha256:" + 64 hex
    Column("name", String(200), nullable=False),
    Column("chain", JSON, nullable=False),  # [{"path": original path, "text": file text}, ...]
    Column("created_at", DateTime(timezone=True), nullable=False),
)  # fmt: skip

runs = Table(
    "runs", metadata,
    Column("id", String(12), primary_key=True),
    Column("kind", String(10), nullable=False),  # simulate | compare
    Column("status", String(10), nullable=False),  # done | failed (only finished runs are written)
    Column("owner", String(80), nullable=False, index=True),  # token:<id>, web:<session>, cli:<user>
    Column("private", Boolean, nullable=False, default=True),
    Column("scenario_ids", JSON, nullable=False),  # scenarios.id, in run order (first = baseline)
    Column("years", Integer, nullable=False),
    Column("replications", Integer, nullable=False),
    Column("seed", Integer, nullable=False),
    Column("code_version", String(40), nullable=False),
    Column("law_hash", String(71), nullable=False),
    Column("data_hash", String(71), nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("error", Text),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("seconds", Float, nullable=False),
)  # fmt: skip

results = Table(
    "results", metadata,
    Column("run_id", String(12), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("digest", String(71), nullable=False),  # sha256 of every replication's monthly indicators
    Column("summary", LargeBinary, nullable=False),  # zlib(JSON): the API's / CLI's result JSON
    Column("chart", LargeBinary, nullable=False),  # zlib(JSON): monthly bands for the web charts
    Column("csv", LargeBinary, nullable=False),  # zlib(CSV text)
)  # fmt: skip

tokens = Table(
    "tokens", metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(80), nullable=False),
    Column("secret_hash", String(71), nullable=False),  # sha256 of the secret; the secret itself is never stored
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)  # fmt: skip

settings = Table(
    "settings", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)  # fmt: skip
