"""Large populations: `asylum routes` streams a Parquet file in chunks and routes a dataset's
partitions (in-process or on Dask); the results are the whole-table results, bit for bit, for any
chunk size; bad rows are named; outputs appear whole or not at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest

from asylumengine.routes import evaluate_population
from asylumengine.routes import stream
from asylumengine.routes import synth
from asylumengine.routes.columns import PopulationFileError, read_population
from asylumengine.routes.engine import RouteError
from asylumengine.routes.stream import population_chunks, route_dataset, route_file, write_population
from asylumengine.routes.synth import synthetic_population
from test_routes_cli import asylum


def whole(path: Path) -> pl.DataFrame:
    """The whole-table path: the file read at once, routed at once."""
    return evaluate_population(read_population(path))


def same_table(written: Path, expected: pl.DataFrame) -> None:
    table = pl.read_parquet(written)
    assert table.schema == expected.schema
    assert table.equals(expected)
    for name in expected.columns:  # and column by column, nulls in the same places
        assert table[name].to_physical().equals(expected[name].to_physical(), check_names=True), name


def no_leftovers(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], "a temporary file or folder was left"


@pytest.fixture
def small_groups(monkeypatch):
    """Population files written in row groups of 50 rows, so that chunks cross row groups."""
    monkeypatch.setattr(stream, "ROW_GROUP", 50)


@pytest.mark.parametrize(("n", "chunk"), [(24, 1), (200, 7), (1500, 1000), (1500, 5000)])
def test_any_chunk_size_gives_the_whole_table_results(tmp_path, small_groups, n, chunk):
    pop, out = tmp_path / "pop.parquet", tmp_path / "out.parquet"
    write_population(pop, n, seed=9)
    assert pq.ParquetFile(pop).metadata.num_row_groups == -(-n // 50)
    calls = []
    assert route_file(pop, out, chunk=chunk, progress=calls.append) == n
    # the progress bar moves chunk by chunk; a chunk never holds more than `chunk` rows (pyarrow may
    # end one early at a row group's end)
    assert sum(calls) == n and max(calls) <= chunk and len(calls) >= -(-n // chunk)
    same_table(out, whole(pop))
    assert pq.ParquetFile(out).metadata.num_row_groups == len(calls)  # written as it goes, one row group a chunk
    no_leftovers(tmp_path)


def test_options_reach_every_chunk(tmp_path):
    pop, out = tmp_path / "pop.parquet", tmp_path / "out.parquet"
    write_population(pop, 300, seed=3)
    import datetime as dt

    route_file(pop, out, chunk=70, on=dt.date(2026, 3, 1), regime="dublin-iii", return_regime="return-regulation-council-2025")
    expected = evaluate_population(read_population(pop), on=dt.date(2026, 3, 1), regime="dublin-iii",
                                   return_regime="return-regulation-council-2025")  # fmt: skip
    same_table(out, expected)
    assert not pl.read_parquet(out).equals(whole(pop))  # the options changed the answer: they were not ignored


def test_an_empty_file_gives_an_empty_results_file_with_the_columns(tmp_path):
    pop, out = tmp_path / "pop.parquet", tmp_path / "out.parquet"
    write_population(pop, 0)
    assert route_file(pop, out) == 0
    same_table(out, whole(pop))


def test_population_file_is_the_synthetic_population_of_the_seed(tmp_path, small_groups, monkeypatch):
    path = tmp_path / "pop.parquet"
    write_population(path, 420, seed=5)
    assert pl.read_parquet(path).equals(synthetic_population(420, seed=5).to_polars())
    # beyond one block, each block draws from its own stream: the first block is unchanged
    monkeypatch.setattr(synth, "BLOCK", 160)
    write_population(path, 420, seed=5)
    blocked = pl.read_parquet(path)
    assert blocked.equals(synthetic_population(420, seed=5).to_polars())  # the same cases however they are written
    assert blocked.head(160).equals(synthetic_population(160, seed=5, block=10**6).to_polars())
    assert blocked["id"].to_list() == [f"syn5-{i}" for i in range(420)]
    later = blocked.slice(160, 160)
    assert not later.drop("id").equals(blocked.head(160).drop("id"))  # a new stream, not the first block again


def test_the_command_writes_the_population_in_row_groups(tmp_path):
    path = tmp_path / "pop.parquet"
    ran = asylum("population", "-n", "250000", "--seed", "2", "-o", str(path))
    assert ran.returncode == 0, ran.stderr
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 250_000 and meta.num_row_groups == 3  # row groups of 100 000 rows
    head = pl.read_parquet(path, n_rows=2000)
    assert head.equals(synthetic_population(250_000, seed=2).to_polars().head(2000))
    no_leftovers(tmp_path)


def test_a_bad_label_in_a_later_row_group_names_file_column_and_row(tmp_path, small_groups):
    pop = tmp_path / "late-bad.parquet"
    table = synthetic_population(400, seed=1).to_polars()
    states = table["app_state"].cast(pl.String).to_list()
    states[337] = "ZZ"
    table.with_columns(pl.Series("app_state", states)).write_parquet(pop, row_group_size=50)
    seen = 0
    with pytest.raises(PopulationFileError, match=r"late-bad\.parquet: column app_state: unknown label 'ZZ' in row 338 "):
        for chunk in population_chunks(pop, chunk=100):
            seen += chunk.n
    assert seen >= 300  # the chunks before it were read and passed: the error is found in a later one
    out = tmp_path / "out.parquet"
    ran = asylum("routes", str(pop), "-o", str(out), "--chunk", "100")
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert "late-bad.parquet" in ran.stderr and "app_state" in ran.stderr and "row 338" in ran.stderr
    assert not out.exists()
    no_leftovers(tmp_path)


def test_a_missing_value_where_the_engine_needs_one_is_named(tmp_path):
    pop = tmp_path / "null.parquet"
    table = synthetic_population(300, seed=1).to_polars()
    flags = table["f_security"].to_list()
    flags[250] = None
    table.with_columns(pl.Series("f_security", flags, dtype=pl.Boolean)).write_parquet(pop, row_group_size=100)
    with pytest.raises(PopulationFileError, match=r"null\.parquet: column f_security: missing value in row 251 "):
        route_file(pop, tmp_path / "out.parquet", chunk=100)
    with pytest.raises(PopulationFileError, match=r"column f_security: missing value in row 251 "):
        read_population(pop)  # the whole-file path checks the same
    assert not (tmp_path / "out.parquet").exists()


def test_an_interrupted_run_leaves_nothing_and_keeps_an_old_output(tmp_path, monkeypatch):
    pop, out = tmp_path / "pop.parquet", tmp_path / "out.parquet"
    write_population(pop, 300, seed=1)
    out.write_bytes(b"previous results")
    real, calls = stream.results_table, []

    def fail_on_third(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(stream, "results_table", fail_on_third)
    with pytest.raises(KeyboardInterrupt):
        route_file(pop, out, chunk=100)
    assert out.read_bytes() == b"previous results"
    no_leftovers(tmp_path)


def dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "pop"
    folder.mkdir()
    for i, (n, seed) in enumerate(((700, 1), (0, 2), (450, 3))):
        write_population(folder / f"part-{i}.parquet", n, seed=seed)
    (folder / "README.txt").write_text("not a partition")
    return folder


def test_a_dataset_in_process_and_on_a_local_two_worker_cluster_gives_the_single_process_results(tmp_path):
    src = dataset(tmp_path)
    for scheduler, workers in (("synchronous", None), ("local", 2)):
        out = tmp_path / f"out-{scheduler}"
        calls = []
        assert route_dataset(src, out, chunk=200, scheduler=scheduler, workers=workers, progress=calls.append) == 1150
        assert sum(calls) == 1150
        assert sorted(p.name for p in out.iterdir()) == ["part-0.parquet", "part-1.parquet", "part-2.parquet"]
        for part in sorted(src.glob("*.parquet")):
            same_table(out / part.name, whole(part))
    no_leftovers(tmp_path)


def test_dataset_command_and_its_errors(tmp_path):
    src = dataset(tmp_path)
    out = tmp_path / "out"
    ran = asylum("routes", str(src), "-o", str(out), "--scheduler", "synchronous", "--chunk", "300")
    assert ran.returncode == 0, ran.stderr
    assert "1,150 routes written" in ran.stderr
    same_table(out / "part-2.parquet", whole(src / "part-2.parquet"))
    for args, says in (
        (("--workers", "2"), "--workers: only with --scheduler local"),
        (("--scheduler", "nowhere"), "--scheduler: 'nowhere' is not"),
    ):
        bad = asylum("routes", str(src), "-o", str(tmp_path / "other"), *args)
        assert bad.returncode == 2 and says in bad.stderr and "Traceback" not in bad.stderr
    on_file = asylum("routes", str(src / "part-0.parquet"), "-o", str(tmp_path / "o.parquet"), "--scheduler", "local")
    assert on_file.returncode == 2 and "only for a dataset folder" in on_file.stderr
    assert not (tmp_path / "other").exists() and not (tmp_path / "o.parquet").exists()


def test_a_bad_partition_names_its_file_and_writes_no_output(tmp_path):
    src = dataset(tmp_path)
    table = pl.read_parquet(src / "part-2.parquet")
    table.with_columns(pl.lit("ZZ").alias("a_nationality")).write_parquet(src / "part-2.parquet")
    out = tmp_path / "out"
    with pytest.raises(PopulationFileError, match=r"part-2\.parquet: column a_nationality: unknown label 'ZZ' in row 1 "):
        route_dataset(src, out, scheduler="synchronous")
    assert not out.exists()
    (src / "part-2.parquet").write_bytes(b"not parquet")
    with pytest.raises(PopulationFileError, match=r"part-2\.parquet: cannot read Parquet"):
        route_dataset(src, out)  # found before any partition is routed
    no_leftovers(tmp_path)


def test_an_output_folder_with_other_partitions_is_refused(tmp_path):
    src = dataset(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "part-9.parquet").write_bytes(b"from another run")
    with pytest.raises(RouteError, match=r"part-9\.parquet"):
        route_dataset(src, out)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PopulationFileError, match="none found"):
        route_dataset(empty, tmp_path / "out2")


def test_chunks_carry_the_engine_columns_of_the_whole_table(tmp_path):
    """What streaming feeds the engine is what the whole-table path feeds it, chunk after chunk."""
    pop = tmp_path / "pop.parquet"
    write_population(pop, 500, seed=4)
    from asylumengine.routes.columns import Population

    full = Population.from_polars(read_population(pop))
    chunks = list(population_chunks(pop, chunk=128))
    assert [c.n for c in chunks] == [128, 128, 128, 116]
    for name, values in full.arrays.items():
        np.testing.assert_array_equal(np.concatenate([c[name] for c in chunks]), values, err_msg=name)
