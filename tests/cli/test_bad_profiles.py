"""Every command that reads a profile refuses a bad one with exit 2, the field named,
and no traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import START, Invoke, assert_clean_error

GOOD: dict[str, Any] = {"name": "Ana", "level": "novice", "goal": "prevent_injury",
                        "session_minutes": 20}


def _profile(tmp_path: Path, **changes: Any) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({**GOOD, **changes}), encoding="utf-8")
    return path


@pytest.mark.parametrize(("changes", "field"), [
    ({"favourite_colour": "red"}, "favourite_colour: unknown field"),
    ({"level": "expert"}, "level"),
    ({"session_minutes": 5}, "session_minutes"),
    ({"session_minutes": 200}, "session_minutes"),
    ({"running": {"races": [{"date": "2027-13-01", "name": "X", "priority": "A"}]}},
     "running.races[0].date"),
    ({"name": "x" * 500}, "name"),
])
@pytest.mark.parametrize("command", ["plan", "equipment"])
def test_invalid_fields_are_named(invoke: Invoke, tmp_path: Path, changes: dict[str, Any],
                                  field: str, command: str) -> None:
    result = invoke(command, str(_profile(tmp_path, **changes)), "--start", START,
                    *(["--no-save"] if command == "plan" else []))
    assert_clean_error(result, field)


@pytest.mark.parametrize(("name", "content", "needle"), [
    ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not a text file"),
    ("prose.json", b"Ana is a novice who runs 25 km a week.", "not valid JSON"),
    ("prose.toml", b"Ana is a novice who runs 25 km a week.", "not valid TOML"),
    ("empty.toml", b"", "name"),
    ("empty.json", b"", "not valid JSON"),
])
def test_unreadable_files(invoke: Invoke, tmp_path: Path, name: str, content: bytes,
                          needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_clean_error(invoke("plan", str(path), "--no-save"), str(path), needle)


def test_missing_file_and_directory(invoke: Invoke, tmp_path: Path) -> None:
    assert_clean_error(invoke("plan", str(tmp_path / "nope.toml"), "--no-save"),
                       "no such profile file")
    assert_clean_error(invoke("plan", str(tmp_path), "--no-save"), str(tmp_path))
    assert_clean_error(invoke("check", str(tmp_path / "p.json"), "--profile",
                              str(tmp_path)), str(tmp_path))


def test_strain_after_the_start_is_a_plan_error(invoke: Invoke, tmp_path: Path) -> None:
    path = _profile(tmp_path, goal="return_from_strain",
                    injury={"hamstring_strain": {"date": "2026-12-20", "side": "left"}})
    assert_clean_error(invoke("plan", str(path), "--start", START, "--no-save"),
                       "injury.hamstring_strain.date")


def test_every_bad_field_is_named_in_one_paragraph(invoke: Invoke, tmp_path: Path) -> None:
    """Issue 10 item 11: the CLI, like the form, names every problem of one profile."""
    result = invoke("plan", str(_profile(tmp_path, level="expert", session_minutes=5,
                                         strength_days=[])), "--start", START, "--no-save")
    assert_clean_error(result, "level: Input should be", "Also session_minutes: ",
                       "Also strength_days: ")
