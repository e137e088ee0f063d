"""Interfaces: the `asylum` command line."""

from asylumengine.io.memory import few_malloc_arenas

few_malloc_arenas()  # before numpy starts its threads: streamed populations keep a flat memory
