"""The training-log model: validation that names the field, stable content ids, the
published schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hamstride.training.log import (
    LogError,
    field_test_from_data,
    log_schema,
    session_from_data,
)

ROOT = Path(__file__).resolve().parents[2]
ENTRY: dict[str, Any] = {
    "date": "2027-01-05", "duration_min": 20, "session_rpe": 6, "pain": 2, "notes": "felt ok",
    "sets": [{"exercise": "nordic_hamstring_curl", "reps": 5, "rpe": 7, "pain": 1},
             {"exercise": "isometric_bridge_hold", "hold_s": 30, "side": "left"},
             {"exercise": "band_leg_curl", "reps": 12, "band": "red", "side": "right"}],
}


def test_log_same_content_gives_the_same_id() -> None:
    assert session_from_data(ENTRY).id == session_from_data(dict(ENTRY)).id
    changed = {**ENTRY, "pain": 3}
    assert session_from_data(changed).id != session_from_data(ENTRY).id


def test_log_client_id_is_kept() -> None:
    assert session_from_data({**ENTRY, "id": "phone-42"}).id == "phone-42"


def test_log_session_load_is_rpe_times_minutes() -> None:
    assert session_from_data(ENTRY).load == 120
    assert session_from_data({**ENTRY, "duration_min": None}).load is None


@pytest.mark.parametrize(("change", "field"), [
    ({"date": "2027-02-30"}, "date"),
    ({"session_rpe": 11}, "session_rpe"),
    ({"pain": -1}, "pain"),
    ({"duration_min": 601}, "duration_min"),
    ({"notes": "x" * 2001}, "notes"),
    ({"id": "has space"}, "id"),
    ({"mood": "great"}, "mood"),
    ({"sets": [{"exercise": "squat"}]}, "sets[0]"),
    ({"sets": [{"exercise": "squat", "reps": 5, "hold_s": 30}]}, "sets[0]"),
    ({"sets": [{"exercise": "squat", "reps": 5, "side": "middle"}]}, "sets[0].side"),
    ({"sets": [{"exercise": "squat", "reps": 5, "band": "pink"}]}, "sets[0].band"),
    ({"sets": [{"exercise": "squat", "reps": 5, "load_kg": 20, "band": "red"}]}, "sets[0]"),
    ({"sets": [{"exercise": "squat", "reps": 5, "rpe": 10.5}]}, "sets[0].rpe"),
    ({"sets": [{"exercise": "Squat!", "reps": 5}]}, "sets[0].exercise"),
])
def test_log_bad_fields_are_named(change: dict[str, Any], field: str) -> None:
    with pytest.raises(LogError) as caught:
        session_from_data({**ENTRY, **change})
    assert caught.value.field == field
    assert field in str(caught.value)


def test_log_field_test_limits_and_ids() -> None:
    test = field_test_from_data({"date": "2027-01-05", "kind": "nordic_force", "left": 280,
                                 "right": 240})
    assert test.id.startswith("t-")
    with pytest.raises(LogError, match="left"):
        field_test_from_data({"date": "2027-01-05", "kind": "nordic_force", "left": -1,
                              "right": 240})
    with pytest.raises(LogError, match="up to 90"):
        field_test_from_data({"date": "2027-01-05", "kind": "nordic_angle", "left": 95,
                              "right": 40})


def test_log_schema_is_published_and_validates_entries() -> None:
    published = json.loads((ROOT / "docs" / "log.schema.json").read_text(encoding="utf-8"))
    assert published == log_schema()
    validator = jsonschema.Draft202012Validator(published)
    document = session_from_data(ENTRY).to_document()
    validator.validate(document)
    validator.validate([document, document])
    assert not validator.is_valid({**document, "pain": 11})


def test_log_same_session_from_any_source_gets_one_id() -> None:
    plain = {"date": "2027-01-05", "sets": [{"exercise": "squat", "reps": 8, "rpe": 7}]}
    spelled_out = {"date": "2027-01-05", "notes": "", "pain": None,
                   "sets": [{"exercise": "squat", "reps": 8, "rpe": 7.0, "side": "both"}]}
    assert session_from_data(plain).id == session_from_data(spelled_out).id
