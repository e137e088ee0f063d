"""Alembic migrations of the run store (applied when a store is opened)."""
