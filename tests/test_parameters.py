"""The dated-parameter mechanism: validity periods, look-up by date, validation on load."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from asylumengine.law import ParameterError, ParameterSet, law_parameters

D = dt.date


def write(tmp_path, text: str):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_value_is_chosen_by_date(tmp_path):
    params = ParameterSet.from_files([write(tmp_path, """
        namespace: demo
        limit:
          description: a limit that changed
          values:
            - {value: 6, valid_from: 2020-01-01, valid_to: 2026-06-11, citation: Old Art 1, source: https://example.org/old}
            - {value: 12, valid_from: 2026-06-12, citation: New Art 2, source: https://example.org/new}
        """)])
    assert params.value("demo.limit", D(2026, 6, 11)) == 6
    assert params.value("demo.limit", D(2026, 6, 12)) == 12
    assert params.at("demo.limit", D(2030, 1, 1)).citation == "New Art 2"
    with pytest.raises(ParameterError, match="no value in force on 2019-12-31"):
        params.value("demo.limit", D(2019, 12, 31))


@pytest.mark.parametrize(
    "periods, message",
    [
        ("[{value: 1, valid_from: 2020-01-01, valid_to: 2021-01-01, citation: A 1, source: src},"
         " {value: 2, valid_from: 2021-01-01, citation: A 2, source: src}]", "periods overlap"),
        ("[{value: 1, valid_from: 2020-01-01, valid_to: 2020-12-30, citation: A 1, source: src},"
         " {value: 2, valid_from: 2021-01-01, citation: A 2, source: src}]", "gap in validity"),
        ("[{value: 1, valid_from: 2020-01-01, citation: A 1, source: src},"
         " {value: 2, valid_from: 2021-01-01, citation: A 2, source: src}]", "periods overlap"),
        ("[{value: 1, valid_from: 2020-01-01, valid_to: 2019-01-01, citation: A 1, source: src}]", "before valid_from"),
        ("[{value: 1, valid_from: 2020-01-01, source: src}]", "citation"),
        ("[{value: 1, valid_from: 2020-13-01, citation: A 1, source: src}]", "valid_from"),
        ("[]", "values"),
    ],
)
def test_invalid_periods_are_refused_on_load(tmp_path, periods, message):
    path = write(tmp_path, f"x:\n  description: d\n  values: {periods}\n")
    with pytest.raises(ParameterError, match=message) as info:
        ParameterSet.from_files([path])
    assert str(path) in str(info.value) and "'x'" in str(info.value)


def test_unreadable_parameter_file(tmp_path):
    with pytest.raises(ParameterError, match="cannot read"):
        ParameterSet.from_files([tmp_path / "missing.yaml"])


def test_every_shipped_parameter_cites_its_article_and_source():
    params = law_parameters()
    assert params.names(), "no parameters shipped"
    for name in params.names():
        for period in params.parameter(name).values:
            assert len(period.citation) > 5, name
            assert period.source.startswith(("http", "seed ")), name


def test_ireland_joins_the_key_on_the_twentieth_day_after_publication():
    params = law_parameters()
    assert "IE" not in params.value("solidarity.participating_member_states", D(2024, 8, 19))
    assert "IE" in params.value("solidarity.participating_member_states", D(2024, 8, 20))
    assert "DK" not in params.value("solidarity.participating_member_states", D(2026, 6, 12))
