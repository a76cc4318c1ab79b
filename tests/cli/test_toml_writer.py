"""The hand-written TOML serializer reads back to what it was given."""

from __future__ import annotations

import tomllib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hamstride.cli import toml_writer

KEYS = st.text(min_size=1, max_size=12)
SCALARS = st.one_of(st.text(), st.integers(), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False))


@given(st.text())
def test_any_string_round_trips(text: str) -> None:
    assert tomllib.loads(f"k = {toml_writer.string(text)}")["k"] == text


@given(st.dictionaries(KEYS, st.one_of(SCALARS, st.lists(SCALARS, max_size=4),
                                       st.dictionaries(KEYS, SCALARS, min_size=1, max_size=3),
                                       st.lists(st.dictionaries(KEYS, SCALARS, min_size=1,
                                                                max_size=3),
                                                min_size=1, max_size=3)),
                       max_size=5))
def test_documents_round_trip(document: dict[str, Any]) -> None:
    assert tomllib.loads(toml_writer.dumps(document)) == document


def test_none_is_left_out_and_empty_tables_vanish() -> None:
    text = toml_writer.dumps({"a": 1, "injury": {"hamstring_strain": None}, "b": None})
    assert tomllib.loads(text) == {"a": 1}
    assert "[injury]" not in text


def test_header_is_a_comment() -> None:
    text = toml_writer.dumps({"a": "x"}, header="line one\nline two")
    assert text.startswith("# line one\n# line two\n")
