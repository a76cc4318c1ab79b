"""Reading athlete profiles: JSON and TOML alike, and every error names its field."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hamstride.errors import ProfileError
from hamstride.training.profile import (
    MAX_PROFILE_BYTES,
    Profile,
    load_profile,
    parse_profile_text,
    profile_from_data,
)
from hamstride.vocabulary import Day, Equipment, Goal, Level, Priority, RunType, Side
from tests.training.factories import profile_data, strain

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

JSON_PROFILE = """{
  "name": "Lena",
  "level": "intermediate",
  "goal": "return_from_strain",
  "session_minutes": 30,
  "equipment": ["nordic_anchor", "slider"],
  "strength_days": ["mon", "wed", "fri"],
  "running": {
    "weekly_km": 42.5,
    "week": {"tue": "intervals", "sat": "long"},
    "races": [{"date": "2027-03-14", "name": "City 10k", "priority": "B"}]
  },
  "injury": {"hamstring_strain": {"date": "2026-11-09", "side": "left"}}
}
"""

TOML_PROFILE = """
name = "Lena"
level = "intermediate"
goal = "return_from_strain"
session_minutes = 30
equipment = ["nordic_anchor", "slider"]
strength_days = ["mon", "wed", "fri"]

[running]
weekly_km = 42.5
week = { tue = "intervals", sat = "long" }

[[running.races]]
date = 2027-03-14
name = "City 10k"
priority = "B"

[injury.hamstring_strain]
date = "2026-11-09"
side = "left"
"""


def test_profile_json_and_toml_with_same_fields_are_equal() -> None:
    from_json = parse_profile_text(JSON_PROFILE, source="a.json", fmt="json")
    from_toml = parse_profile_text(TOML_PROFILE, source="a.toml", fmt="toml")
    assert from_json == from_toml
    assert from_json.level is Level.INTERMEDIATE
    assert from_json.goal is Goal.RETURN_FROM_STRAIN
    assert from_json.strength_days == [Day.MON, Day.WED, Day.FRI]
    assert from_json.owned == frozenset({Equipment.NORDIC_ANCHOR, Equipment.SLIDER})
    assert from_json.running.week.on(Day.TUE) is RunType.INTERVALS
    assert from_json.running.week.on(Day.MON) is RunType.REST
    assert from_json.running.races[0].priority is Priority.B
    assert from_json.strain is not None
    assert from_json.strain.date == date(2026, 11, 9)
    assert from_json.strain.side is Side.LEFT


def test_profile_files_load_the_same_from_json_and_toml(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(JSON_PROFILE, encoding="utf-8")
    (tmp_path / "p.toml").write_text(TOML_PROFILE, encoding="utf-8")
    assert load_profile(tmp_path / "p.json") == load_profile(tmp_path / "p.toml")


def test_profile_round_trips_through_its_document() -> None:
    profile = profile_from_data(profile_data(injury=strain(date(2026, 12, 1))))
    assert profile_from_data(json.loads(json.dumps(profile.to_document()))) == profile


def test_profile_defaults_fill_the_optional_fields() -> None:
    profile = profile_from_data({"name": "Min", "level": "novice", "goal": "prevent_injury",
                                 "session_minutes": 20})
    assert profile.equipment == []
    assert profile.strength_days == list(Day)
    assert profile.running.races == []
    assert profile.strain is None


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*")), ids=lambda p: p.name)
def test_profile_examples_all_load(path: Path) -> None:
    assert isinstance(load_profile(path), Profile)


@pytest.mark.parametrize(("change", "field"), [
    ({"colour": "red"}, "colour"),
    ({"level": "expert"}, "level"),
    ({"goal": "get_fast"}, "goal"),
    ({"session_minutes": 9}, "session_minutes"),
    ({"session_minutes": 91}, "session_minutes"),
    ({"session_minutes": "thirty"}, "session_minutes"),
    ({"name": "x" * 101}, "name"),
    ({"name": "   "}, "name"),
    ({"equipment": ["treadmill"]}, "equipment[0]"),
    ({"strength_days": []}, "strength_days"),
    ({"strength_days": ["monday"]}, "strength_days[0]"),
    ({"running": {"week": {"mon": "sprint"}}}, "running.week.mon"),
    ({"running": {"week": {"someday": "easy"}}}, "running.week.someday"),
    ({"running": {"weekly_km": -1}}, "running.weekly_km"),
    ({"running": {"races": [{"date": "2027-13-01", "name": "R", "priority": "A"}]}},
     "running.races[0].date"),
    ({"running": {"races": [{"date": "next sunday", "name": "R", "priority": "A"}]}},
     "running.races[0].date"),
    ({"running": {"races": [{"date": "2027-03-01", "name": "R", "priority": "D"}]}},
     "running.races[0].priority"),
    ({"injury": {"hamstring_strain": {"date": "yesterday", "side": "left"}}},
     "injury.hamstring_strain.date"),
    ({"injury": {"hamstring_strain": {"date": "2026-01-01", "side": "both"}}},
     "injury.hamstring_strain.side"),
])
def test_profile_error_names_the_bad_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ProfileError) as caught:
        profile_from_data(profile_data(**change), source="me.json")
    assert caught.value.field == field
    assert f"me.json: {field}:" in str(caught.value)


def test_profile_unknown_field_says_so() -> None:
    with pytest.raises(ProfileError, match=r"colour: unknown field"):
        profile_from_data(profile_data(colour="red"))


@pytest.mark.parametrize("missing", ["name", "level", "goal", "session_minutes"])
def test_profile_missing_required_field_is_named(missing: str) -> None:
    data = profile_data()
    del data[missing]
    with pytest.raises(ProfileError) as caught:
        profile_from_data(data)
    assert caught.value.field == missing


def test_profile_return_from_strain_without_strain_names_the_injury_field() -> None:
    with pytest.raises(ProfileError) as caught:
        profile_from_data(profile_data(goal="return_from_strain"))
    assert "injury.hamstring_strain" in str(caught.value)
    assert "return_from_strain" in str(caught.value)


def test_profile_return_from_strain_with_strain_is_valid() -> None:
    profile = profile_from_data(profile_data(goal="return_from_strain",
                                             injury=strain(date(2026, 12, 1))))
    assert profile.goal is Goal.RETURN_FROM_STRAIN


@pytest.mark.parametrize(("text", "fmt", "says"), [
    ("{", "json", "not valid JSON"),
    ("name: Lena", "json", "not valid JSON"),
    ("name = ", "toml", "not valid TOML"),
    ("[running\nweekly_km = 3", "toml", "not valid TOML"),
])
def test_profile_text_that_does_not_parse_raises_profile_error(text: str, fmt: str,
                                                               says: str) -> None:
    with pytest.raises(ProfileError, match=says):
        parse_profile_text(text, source="p", fmt=fmt)


def test_profile_json_that_is_not_an_object_raises_profile_error() -> None:
    with pytest.raises(ProfileError, match="top level"):
        parse_profile_text("[1, 2]", source="p", fmt="json")


def test_profile_too_large_raises_profile_error() -> None:
    text = json.dumps(profile_data(name="Big")) + " " * MAX_PROFILE_BYTES
    with pytest.raises(ProfileError, match="larger than"):
        parse_profile_text(text, source="p", fmt="json")


def test_load_profile_missing_file_raises_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such profile file"):
        load_profile(tmp_path / "nobody.json")


def test_load_profile_directory_raises_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="is a directory"):
        load_profile(tmp_path)


def test_load_profile_binary_file_raises_profile_error(tmp_path: Path) -> None:
    path = tmp_path / "photo.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00")
    with pytest.raises(ProfileError, match="not a text file"):
        load_profile(path)


def test_load_profile_toml_suffix_chooses_toml(tmp_path: Path) -> None:
    path = tmp_path / "p.TOML"
    path.write_text(TOML_PROFILE, encoding="utf-8")
    assert load_profile(path).name == "Lena"


def test_load_profile_other_suffix_is_read_as_json(tmp_path: Path) -> None:
    path = tmp_path / "profile.txt"
    path.write_text(TOML_PROFILE, encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid JSON"):
        load_profile(path)


def test_load_profile_error_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(profile_data(session_minutes=120)), encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value)
    assert caught.value.field == "session_minutes"


def test_profile_kilometres_need_a_running_day() -> None:
    """Issue 10 item 3: 30 km a week with every day a rest day is a contradiction; the
    message names running.week and says what to do, in plain words."""
    data = {"name": "A", "level": "novice", "goal": "prevent_injury", "session_minutes": 20,
            "running": {"weekly_km": 30}}
    with pytest.raises(ProfileError) as err:
        profile_from_data(data)
    assert err.value.field == "running.week"
    assert "30 km a week but every day is a rest day" in err.value.message
    assert "RunningWeek" not in err.value.message
    data["running"] = {"weekly_km": 30, "week": {"sun": "long"}}
    assert profile_from_data(data).running.weekly_km == 30
    data["running"] = {"weekly_km": 0}
    assert profile_from_data(data).running.weekly_km == 0


def test_profile_errors_list_every_problem_in_plain_words_too() -> None:
    """Issue 10 item 11: every bad field at once; the file's message keeps pydantic's
    words and the path, the plain words are for a form."""
    data = profile_data(session_minutes="half an hour", goal="return_from_strain")
    del data["level"]
    with pytest.raises(ProfileError) as caught:
        profile_from_data(data)
    found = {p.field: p for p in caught.value.problems}
    assert list(found) == ["level", "session_minutes", "injury"]
    assert found["level"].plain == "Please fill this in"
    assert found["session_minutes"].plain == "Enter a whole number"
    assert "valid integer" in found["session_minutes"].message
    assert "injury.hamstring_strain" in found["injury"].message
    assert "Coming back from a strain" in found["injury"].plain
    assert caught.value.field == "level"


def test_profile_a_race_before_the_plan_start_is_a_problem_with_the_others() -> None:
    data = profile_data(session_minutes=5, races=[
        {"date": "2026-01-01", "name": "Old", "priority": "A"}])
    with pytest.raises(ProfileError) as caught:
        profile_from_data(data, plan_start=date(2026, 6, 1))
    assert [p.field for p in caught.value.problems] == ["session_minutes",
                                                        "running.races[0]"]
    assert profile_from_data({**data, "session_minutes": 30}).name  # no start: no check
