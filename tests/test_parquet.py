"""Parquet files describe themselves: country and code columns carry their labels (polars Enum),
reading maps labels back to the engine's codes by name, and a bad file is one clear error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from asylumengine.routes.columns import PopulationFileError, Population, countries, read_population, schema, write_parquet
from asylumengine.routes.engine import evaluate, results_table
from asylumengine.routes.labels import result_labels
from asylumengine.routes.synth import synthetic_population
from test_routes_cli import asylum

DOCS = Path(__file__).parents[1] / "docs"


def same_arrays(a: Population, b: Population) -> None:
    assert a.arrays.keys() == b.arrays.keys()
    for name in a.arrays:
        assert a[name].dtype == b[name].dtype, name
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


@pytest.fixture(scope="module")
def pop() -> Population:
    return synthetic_population(3000, seed=11)


def test_population_file_stores_labels_and_reads_back_the_same_codes(pop, tmp_path):
    path = tmp_path / "pop.parquet"
    write_parquet(pop.to_polars(), path)
    table = pl.read_parquet(path)
    for name, col in schema().items():
        if col.kind in ("country", "enum"):
            assert isinstance(table.schema[name], pl.Enum), name
    assert set(table["app_state"].drop_nulls().unique().to_list()) == {"NL"}
    assert table["a_nationality"].drop_nulls().is_in(list(countries()[1:])).all()
    same_arrays(pop, Population.from_polars(read_population(path), source=str(path)))


def test_a_file_survives_a_change_in_the_order_of_the_lists(pop, tmp_path):
    """The same labels with the categories in another order (as if the country list changed) give the same codes."""
    table = pop.to_polars()
    reordered = table.with_columns(
        [pl.col(n).cast(pl.String).cast(pl.Enum(list(reversed(table.schema[n].categories.to_list())))) for n in
         ("a_nationality", "app_state", "mov0_country", "a_sex", "o_merits")]
    )  # fmt: skip
    assert reordered["a_nationality"].to_physical().to_list() != table["a_nationality"].to_physical().to_list()
    same_arrays(pop, Population.from_polars(reordered))
    as_text = table.with_columns(pl.col("a_nationality").cast(pl.String), pl.col("o_merits").cast(pl.Categorical))
    same_arrays(pop, Population.from_polars(as_text))


def test_unknown_label_and_wrong_type_are_errors_naming_file_and_column(pop, tmp_path):
    table = pop.to_polars()
    bad = tmp_path / "bad-label.parquet"
    table.with_columns(pl.lit("ZZ").alias("app_state")).write_parquet(bad)
    with pytest.raises(PopulationFileError, match=r"bad-label\.parquet: column app_state: unknown label 'ZZ'"):
        read_population(bad)
    ints = tmp_path / "int-codes.parquet"
    table.with_columns(pl.col("a_nationality").to_physical().cast(pl.Int16)).write_parquet(ints)
    with pytest.raises(PopulationFileError, match=r"int-codes\.parquet: column a_nationality: expected labels .* found Int16"):
        read_population(ints)
    dates = tmp_path / "text-dates.parquet"
    table.with_columns(pl.col("app_made").cast(pl.String)).write_parquet(dates)
    with pytest.raises(PopulationFileError, match=r"text-dates\.parquet: column app_made: expected date, found String"):
        read_population(dates)
    out = asylum("routes", str(bad), "-o", str(tmp_path / "o.parquet"))
    assert out.returncode == 2 and "bad-label.parquet" in out.stderr and "app_state" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "o.parquet").exists()


def test_population_then_routes_then_read_back(tmp_path):
    pop_path, out_path = tmp_path / "pop.parquet", tmp_path / "routes.parquet"
    assert asylum("population", "-n", "2000", "--seed", "4", "-o", str(pop_path)).returncode == 0
    ran = asylum("routes", str(pop_path), "-o", str(out_path), "--chunk", "700")
    assert ran.returncode == 0, ran.stderr
    written = pl.read_parquet(out_path)
    expected = results_table(p := Population.from_polars(pl.read_parquet(pop_path)), evaluate(p))
    assert written.equals(expected)
    named = result_labels()
    from asylumengine.routes.engine import KEY_COLUMNS

    raw = evaluate(p)
    for key, labels in named.items():
        col = written[KEY_COLUMNS[key]]
        assert isinstance(col.dtype, pl.Enum), key
        offset = 1 if labels[0] == "" else 0
        assert col.dtype.categories.to_list() == list(labels[offset:]), key
        codes = col.to_physical().cast(pl.Int64).fill_null(-offset).to_numpy() + offset
        np.testing.assert_array_equal(codes, raw[key].astype(np.int64), err_msg=key)  # physical = the engine's code
    assert set(written["procedure_code"].unique().to_list()) <= {"border", "accelerated", "regular"}
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically: no temporary file left


def test_results_labels_are_documented():
    from asylumengine.routes.labels import markdown

    assert markdown() in (DOCS / "routes.md").read_text(encoding="utf-8"), (
        "regenerate the results table in docs/routes.md from asylumengine.routes.labels.markdown()"
    )
