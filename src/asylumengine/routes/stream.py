"""Large populations: Parquet read, routed and written in chunks, on one machine or on Dask.

    route_file("pop.parquet", "out.parquet", chunk=250_000)          -> rows routed
    route_dataset("pop/", "out/", scheduler="local", workers=2)      -> rows routed
    write_population("pop.parquet", 10_000_000, seed=1)              -> rows written

A file is read ``chunk`` rows at a time (a slice of a polars scan: only the row groups the slice
needs are read), each chunk is checked as a whole file is (errors name the file, the column and
the row), routed by the vectorised engine and appended to the output (``pyarrow.parquet.ParquetWriter``)
as a row group; peak memory follows the chunk, not the file. The rules are row-independent, so the output is the
same, column for column, as routing the whole table at once, for any chunk size (tested). The
output appears only when complete: it is written to a temporary file renamed at the end.

A dataset is a folder of Parquet files (partitions); each is routed by ``route_file`` into an
output partition of the same name - in-process, or as one Dask task per partition on a local
or remote cluster (workers read and write the files: a remote cluster needs a shared file system).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from asylumengine.io import atomic_dir, atomic_path
from asylumengine.io.memory import few_malloc_arenas
from asylumengine.routes.columns import Population, PopulationFileError, empty_population, schema
from asylumengine.routes.engine import RouteError, evaluate, results_table
from asylumengine.routes.row_checks import check_rows

CHUNK = 250_000  # cases routed at a time: about 0.3 GiB of columns and results
ROW_GROUP = 100_000  # rows per row group in the population files written here
Progress = Callable[[int], None] | None


def _schema(path: Path) -> pl.Schema:
    try:
        return pl.scan_parquet(path).collect_schema()
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise PopulationFileError(f"{path}: cannot read Parquet ({exc.__class__.__name__})") from None


def population_rows(path: str | Path) -> int:
    """Rows in a population file, from its footer (no row is read)."""
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, pa.ArrowException) as exc:
        raise PopulationFileError(f"{path}: cannot read Parquet ({exc.__class__.__name__})") from None


def population_chunks(path: str | Path, chunk: int = CHUNK) -> Iterator[Population]:
    """The population file ``chunk`` rows at a time as the engine's columns, each chunk checked:
    columns and types now, before any row is read; labels and missing values per chunk, naming the
    row in the file."""
    path = Path(path)
    found = _schema(path)
    columns = [name for name in found if name in set(schema()) | {"id"}]  # other columns are not read
    Population.from_polars(pl.DataFrame(schema={c: found[c] for c in columns}), source=str(path))
    return _chunks(pl.scan_parquet(path).select(columns), population_rows(path), chunk, str(path))


def _chunks(scan: pl.LazyFrame, rows: int, chunk: int, source: str) -> Iterator[Population]:
    """Slices of the scan: polars reads only the row groups a slice needs, so memory follows the
    chunk (pyarrow's ``iter_batches`` held about 2 KiB per row of a batch over these ~300 columns)."""
    for start in range(0, rows, chunk):
        try:
            table = scan.slice(start, chunk).collect()
        except (OSError, pl.exceptions.PolarsError) as exc:
            raise PopulationFileError(f"{source}: cannot read rows {start + 1:,} to {min(start + chunk, rows):,} "
                                      f"({exc.__class__.__name__})") from None  # fmt: skip
        pop = Population.from_polars(table, source=source, first_row=start + 1)
        check_rows(pop.arrays, source, start + 1)  # a row contradicting itself (dates out of order), as a case file would be
        yield pop


def route_file(
    src: str | Path,
    dst: str | Path,
    chunk: int = CHUNK,
    on: dt.date | None = None,
    regime: str = "auto",
    return_regime: str = "return-directive",
    progress: Progress = None,
) -> int:
    """Route the population file ``src`` into the results file ``dst``, ``chunk`` cases at a time;
    ``progress(n)`` after each chunk. Returns the number of cases routed."""
    if chunk < 1:
        raise RouteError(f"--chunk: must be at least 1, got {chunk}")
    few_malloc_arenas()  # late in a library caller or a Dask worker, but still a help
    route = lambda pop: results_table(pop, evaluate(pop, on=on, regime=regime, return_regime=return_regime))  # noqa: E731
    rows, writer = 0, None
    with atomic_path(Path(dst)) as tmp:
        try:
            for pop in population_chunks(src, chunk):
                result = route(pop).to_arrow()
                writer = writer or pq.ParquetWriter(tmp, result.schema, compression="zstd")
                writer.write_table(result)
                rows += pop.n
                if progress:
                    progress(pop.n)
            if writer is None:  # no rows: the file still has the results' columns
                writer = pq.ParquetWriter(tmp, route(_empty_population()).to_arrow().schema, compression="zstd")
        finally:
            if writer is not None:
                writer.close()
    return rows


def _empty_population() -> Population:
    return Population(empty_population(0), [])


def write_population(
    path: str | Path, n: int, seed: int = 1, member_state: str = "NL", year: int = 2026, progress: Progress = None
) -> int:
    """A synthetic population of ``n`` cases written block by block in row groups of ``ROW_GROUP``
    (never whole in memory); the same cases as ``synthetic_population(n, seed, ...)``."""
    from asylumengine.routes.synth import synthetic_blocks

    writer = None
    with atomic_path(Path(path)) as tmp:
        try:
            for block in synthetic_blocks(n, seed, member_state, year):
                for start in range(0, max(block.n, 1), ROW_GROUP):
                    table = block.slice(start, min(start + ROW_GROUP, block.n)).to_polars().to_arrow()
                    writer = writer or pq.ParquetWriter(tmp, table.schema, compression="zstd")
                    writer.write_table(table)
                    if progress:
                        progress(table.num_rows)
                del block, table  # the next block is drawn with this one gone
        finally:
            if writer is not None:
                writer.close()
    return n


# --- datasets: a folder of partitions ---------------------------------------------------------------


def partitions(folder: str | Path) -> list[Path]:
    """The dataset's partition files (``*.parquet`` in the folder, by name)."""
    folder = Path(folder)
    parts = sorted(p for p in folder.glob("*.parquet") if p.is_file())
    if not parts:
        raise PopulationFileError(f"{folder}: a dataset folder holds .parquet files; none found")
    return parts


def route_dataset(
    src: str | Path,
    dst: str | Path,
    chunk: int = CHUNK,
    on: dt.date | None = None,
    regime: str = "auto",
    return_regime: str = "return-directive",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress = None,
) -> int:
    """Route every partition of the dataset ``src`` into ``dst/<same name>``. ``scheduler``: None or
    'synchronous' (in this process, one partition after the other), 'local' (a local cluster of
    ``workers`` processes) or a Dask scheduler address. The output partitions appear together when
    all are complete (``atomic_dir``). Returns the number of cases routed."""
    parts, dst = partitions(src), Path(dst)
    _check_scheduler(scheduler, workers)
    options = dict(chunk=chunk, on=on, regime=regime, return_regime=return_regime)
    for part in parts:  # every partition readable and of the right columns before any work is done
        population_chunks(part)
    stale = sorted(p.name for p in dst.glob("*.parquet") if p.name not in {q.name for q in parts}) if dst.is_dir() else []
    if stale:
        raise RouteError(f"--output {dst}: holds partitions this dataset does not have ({', '.join(stale[:3])}); use an empty folder")
    with atomic_dir(dst) as tmp:
        if scheduler in (None, "synchronous"):
            return sum(route_file(p, tmp / p.name, progress=progress, **options) for p in parts)
        return _on_dask(parts, tmp, options, scheduler, workers, progress)


def _check_scheduler(scheduler: str | None, workers: int | None) -> None:
    if workers is not None and scheduler != "local":
        raise RouteError("--workers: only with --scheduler local (the size of the local cluster)")
    if scheduler not in (None, "synchronous", "local") and "://" not in scheduler:
        raise RouteError(f"--scheduler: '{scheduler}' is not 'local', 'synchronous' or an address such as tcp://host:8786")


def _on_dask(parts: list[Path], out: Path, options: dict, scheduler: str, workers: int | None, progress: Progress) -> int:
    """One task per partition; the workers read and write the files (``out`` is the output's temporary folder)."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)  # fmt: skip
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise RouteError(f"--scheduler {scheduler}: cannot connect ({exc.__class__.__name__})") from None
    try:
        futures = {client.submit(route_file, str(p), str(out / p.name), pure=False, **options): p for p in parts}
        rows = 0
        for fut in as_completed(futures):
            done = fut.result()  # a partition's error (naming its file) is raised here
            rows += done
            if progress:
                progress(done)
        return rows
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
