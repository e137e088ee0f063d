"""Interfaces: the `asylum` command line."""
