"""``exercises``, ``exercise``, ``equipment`` and ``plans``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hamstride.catalogue import load_catalogue
from tests.cli.conftest import EXAMPLES, START, Invoke, assert_clean_error

NOVICE = next(p for p in EXAMPLES if p.name == "novice_home.toml")


def test_exercises_table_lists_the_whole_catalogue(invoke: Invoke) -> None:
    result = invoke("exercises")
    assert result.exit_code == 0, result.output
    assert f"{len(load_catalogue())} exercises" in result.stdout
    for exercise_id in load_catalogue():
        assert exercise_id in result.stdout  # ids are never cut short, even at 80 columns
    assert "Nordic hamstring curl" in result.stdout and "intermediate" in result.stdout


def test_equipment_none_is_body_weight_only(invoke: Invoke) -> None:
    result = invoke("exercises", "--equipment", "none", "--format", "json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    # household stand-ins count as nothing to buy: the glider's slider is a towel
    household = {entry["id"]: {h["equipment"] for h in entry["household"]} for entry in entries}
    assert entries and all(set(entry["equipment"]) <= household[entry["id"]]
                           for entry in entries)
    assert "askling_glider" in household
    expected = [e.id for e in load_catalogue().values() if not e.needed_equipment]
    assert [entry["id"] for entry in entries] == expected
    assert entries[0] == load_catalogue()[expected[0]].model_dump(mode="json")


def test_equipment_filter_is_a_subset_and_combines(invoke: Invoke) -> None:
    result = invoke("exercises", "--equipment", "nordic_anchor,wall", "--equipment", "step",
                    "--muscle", "hamstrings", "--format", "json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    ids = {entry["id"] for entry in entries}
    assert "nordic_hamstring_curl" in ids and "romanian_deadlift" not in ids
    assert all(set(e["equipment"]) - {h["equipment"] for h in e["household"]}
               <= {"nordic_anchor", "wall", "step"} for e in entries)
    assert all("hamstrings" in e["muscles"]["primary"] for e in entries)
    knee = invoke("exercises", "--pattern", "knee_flexion", "--format", "json")
    assert {e["pattern"] for e in json.loads(knee.stdout)} == {"knee_flexion"}


@pytest.mark.parametrize(("args", "needles"), [
    (("--equipment", "rowing_machine"), ("--equipment", "rowing_machine", "nordic_anchor")),
    (("--muscle", "hams"), ("--muscle", "hamstrings", "calves")),
    (("--pattern", "jump"), ("--pattern", "knee_flexion")),
    (("--format", "xml"), ("--format",)),
])
def test_exercises_bad_values_list_the_valid_ones(invoke: Invoke, args: tuple[str, ...],
                                                  needles: tuple[str, ...]) -> None:
    assert_clean_error(invoke("exercises", *args), *needles)


def test_exercise_text_has_every_section(invoke: Invoke) -> None:
    result = invoke("exercise", "nordic_hamstring_curl")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Nordic hamstring curl (nordic_hamstring_curl)")
    for needle in ("Also called: Nordic curl, NHE", "Trains: hamstrings", "Equipment: nordic",
                   "Level: novice", "Default dose: 2x5, tempo 4 s down, fast up, rest 60 s",
                   "How to do it", "  1. Warm up first.", "Cues", "Common faults",
                   "Easier: Slider leg curl (slider_leg_curl)", "Evidence",
                   "Sources: Mjølsnes 2004"):
        assert needle in out, needle
    assert "article" not in out


def test_exercise_from_the_article_explains_the_claim(invoke: Invoke) -> None:
    result = invoke("exercise", "wall_sit")
    assert result.exit_code == 0, result.output
    assert "About the article's claim" in result.stdout
    assert "Claimed: " in result.stdout and "Really: " in result.stdout
    assert "Better: Romanian deadlift (romanian_deadlift)" in result.stdout


def test_exercise_json_is_the_catalogue_entry(invoke: Invoke) -> None:
    result = invoke("exercise", "squat", "--format", "json")
    assert json.loads(result.stdout) == load_catalogue()["squat"].model_dump(mode="json")


@pytest.mark.parametrize(("wanted", "suggested"), [
    ("nordic", "nordic_hamstring_curl"),
    ("romanian_deadlfit", "romanian_deadlift"),
    ("NHE", "nordic_hamstring_curl"),
])
def test_unknown_exercise_suggests_close_ids(invoke: Invoke, wanted: str, suggested: str
                                            ) -> None:
    assert_clean_error(invoke("exercise", wanted), f"'{wanted}'", f"Did you mean {suggested}")


def test_unknown_exercise_without_a_close_one(invoke: Invoke) -> None:
    assert_clean_error(invoke("exercise", "zzzz"), "hamstride exercises")


def test_equipment_advice_puts_the_nordic_anchor_first(invoke: Invoke) -> None:
    result = invoke("equipment", str(NOVICE), "--start", START, "--format", "json")
    assert result.exit_code == 0, result.output
    advice = json.loads(result.stdout)
    assert advice[0]["equipment"] == "nordic_anchor"
    assert advice[0]["plan_gains"] == ["nordic_hamstring_curl"]
    assert {a["equipment"] for a in advice} >= {"barbell", "slider"}
    table = invoke("equipment", str(NOVICE), "--start", START)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    first_row = next(i for i, line in enumerate(lines) if "nordic anchor" in line)
    assert first_row < next(i for i, line in enumerate(lines) if "barbell" in line)
    assert "gains Nordic" in table.stdout and "loses Bridge" in table.stdout
    assert "http" not in table.stdout


def test_plans_lists_the_saved_plan(invoke: Invoke, db: str) -> None:
    empty = invoke("plans", "--db", db)
    assert empty.exit_code == 0 and "No plans stored" in empty.stdout
    assert invoke("plan", str(NOVICE), "--start", START, "--weeks", "4", "--db", db,
                  "--format", "json").exit_code == 0
    listed = json.loads(invoke("plans", "--db", db, "--format", "json").stdout)
    assert len(listed) == 1
    assert listed[0]["profile"] == "Nora (novice, home, no equipment)"
    assert listed[0]["start"] == START and listed[0]["weeks"] == 4
    assert listed[0]["active"] is True and listed[0]["id"] == 1
    table = invoke("plans", "--db", db)
    assert table.exit_code == 0
    assert "Nora" in table.stdout and START in table.stdout and "yes" in table.stdout


def test_plans_with_a_broken_database_url(invoke: Invoke, tmp_path: Path) -> None:
    assert_clean_error(invoke("plans", "--db", "nosuchdriver://x/y"), "cannot open database")


def test_version_and_no_arguments(invoke: Invoke) -> None:
    assert invoke("--version").stdout.strip() == "hamstride 0.1.0"
    bare = invoke()
    assert bare.exit_code == 0 and "Usage" in bare.stdout


def test_unknown_command_is_a_usage_error(invoke: Invoke) -> None:
    assert_clean_error(invoke("plna"), "No such command", "plan")
