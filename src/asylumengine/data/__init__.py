"""Sourced figures shipped with the package (every row keeps its source and reference date)."""
