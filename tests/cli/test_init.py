"""``init``: flags, prompts, the written file, overwriting, and the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hamstride.cli import profile_init
from hamstride.store import Store
from hamstride.training.profile import load_profile
from hamstride.vocabulary import Day, Goal, RunType, Side
from tests.cli.conftest import START, Invoke, assert_clean_error

ALL_FLAGS = (
    "--name", 'Zoë "Z" Runner', "--level", "intermediate", "--goal", "return_from_strain",
    "--minutes", "30", "--equipment", "nordic_anchor, slider", "--strength-days",
    "mon,wed,fri", "--weekly-km", "42.5", "--week", "tue=intervals,thu=easy,sat=long",
    "--race", "2027-03-14:City: Marathon:a", "--race", "2027-04-25:Trail 20k:C",
    "--strain-date", "2026-10-01", "--strain-side", "left",
)
MINIMAL = ("--name", "Ana", "--level", "novice", "--goal", "prevent_injury", "--minutes", "20")


@pytest.fixture
def interactive(monkeypatch: pytest.MonkeyPatch) -> None:
    """CliRunner's stdin is not a terminal; pretend a person is there."""
    monkeypatch.setattr(profile_init, "stdin_is_interactive", lambda: True)


@pytest.mark.parametrize("suffix", ["toml", "json"])
def test_all_flags_write_a_file_that_loads_back_and_plans(
        invoke: Invoke, tmp_path: Path, db: str, suffix: str) -> None:
    path = tmp_path / f"me.{suffix}"
    result = invoke("init", str(path), *ALL_FLAGS, "--db", db)
    assert result.exit_code == 0, result.output
    assert f"Wrote {path}." in result.stderr
    profile = load_profile(path)
    assert profile.name == 'Zoë "Z" Runner'
    assert profile.goal is Goal.RETURN_FROM_STRAIN
    assert profile.strength_days == [Day.MON, Day.WED, Day.FRI]
    assert profile.running.weekly_km == 42.5
    assert profile.running.week.on(Day.TUE) is RunType.INTERVALS
    assert profile.running.week.on(Day.MON) is RunType.REST
    assert [(r.name, r.priority.value) for r in profile.running.races] == [
        ("City: Marathon", "A"), ("Trail 20k", "C")]
    assert profile.strain is not None and profile.strain.side is Side.LEFT
    planned = invoke("plan", str(path), "--start", START, "--weeks", "4", "--db", db)
    assert planned.exit_code == 0, planned.output
    with Store.open(db) as store:
        stored = store.get_profile(name=profile.name)
        assert stored is not None and stored.document == profile.to_document()


def test_default_path_is_profile_toml_and_json_follows_the_format(
        invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("init", *MINIMAL).exit_code == 0
    assert load_profile(tmp_path / "profile.toml").name == "Ana"
    assert invoke("init", *MINIMAL, "--format", "json", "--no-save").exit_code == 0
    assert json.loads((tmp_path / "profile.json").read_text())["name"] == "Ana"
    assert_clean_error(invoke("init", "x.toml", *MINIMAL, "--format", "json"), ".json")


def test_refuses_to_overwrite_without_force(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("# mine\n", encoding="utf-8")
    assert_clean_error(invoke("init", str(path), *MINIMAL), "already exists", "--force")
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert invoke("init", str(path), *MINIMAL, "--force").exit_code == 0
    assert load_profile(path).name == "Ana"


def test_non_interactive_missing_answers_name_the_flags(invoke: Invoke, tmp_path: Path) -> None:
    path = str(tmp_path / "p.toml")
    assert_clean_error(invoke("init", path, "--name", "Ana"), "--level", "--goal", "--minutes")
    assert_clean_error(invoke("init", path, *MINIMAL[:-2], "--goal", "return_from_strain",
                              "--minutes", "20"), "--strain-date", "--strain-side")
    assert not Path(path).exists()


def test_no_input_wins_over_a_terminal(invoke: Invoke, tmp_path: Path, interactive: None
                                       ) -> None:
    assert_clean_error(invoke("init", str(tmp_path / "p.toml"), "--name", "Ana", "--no-input"),
                       "--level")


@pytest.mark.parametrize(("flags", "needles"), [
    (("--level", "expert"), ("--level", "level", "expert")),
    (("--minutes", "5"), ("--minutes", "session_minutes")),
    (("--minutes", "200"), ("--minutes", "session_minutes")),
    (("--minutes", "half an hour"), ("--minutes", "session_minutes")),
    (("--equipment", "rowing_machine"), ("--equipment", "equipment[0]")),
    (("--strength-days", "monday"), ("--strength-days", "strength_days[0]")),
    (("--week", "tue"), ("--week", "DAY=RUN")),
    (("--week", "tue=sprint"), ("--week", "running.week.tue")),
    (("--week", "funday=easy"), ("--week", "running.week.funday", "unknown field")),
    (("--race", "2026-02-30:X:A"), ("--race", "running.races[0].date")),
    (("--race", "City Marathon"), ("--race", "DATE:NAME:PRIORITY")),
    (("--race", "2027-03-14:City:Z"), ("--race", "priority")),
    (("--weekly-km", "-3"), ("--weekly-km", "running.weekly_km")),
    (("--strain-side", "left"), ("injury.hamstring_strain.date", "--strain-date")),
])
def test_bad_flag_values_use_the_profile_messages(invoke: Invoke, tmp_path: Path,
                                                  flags: tuple[str, ...],
                                                  needles: tuple[str, ...]) -> None:
    args = list(MINIMAL)
    for flag, value in zip(flags[::2], flags[1::2], strict=True):
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    assert_clean_error(invoke("init", str(tmp_path / "p.toml"), *args), *needles)


def test_name_of_500_characters_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    args = list(MINIMAL)
    args[1] = "x" * 500
    assert_clean_error(invoke("init", str(tmp_path / "p.toml"), *args), "name")


def test_interactive_asks_and_re_asks_a_bad_answer(invoke: Invoke, tmp_path: Path, db: str,
                                                   interactive: None) -> None:
    answers = [
        "Ines",             # name
        "expert",           # level: wrong, asked again
        "intermediate",     # level
        "return_from_strain",  # goal
        "25",               # minutes
        "nordic_anchor",    # equipment
        "",                 # strength days: any
        "30",               # weekly km
        "tue=easy,sat=long",  # week
        "bad race",         # race: wrong, asked again
        "2027-05-01:Spring 10k:B",
        "",                 # no more races
        "",                 # strain date: needed for this goal, asked again
        "2026-11-01",       # strain date
        "left",             # strain side
    ]
    path = tmp_path / "ines.toml"
    result = invoke("init", str(path), "--db", db, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Strength-training level [novice, intermediate, advanced]") == 2
    assert "level: Input should be 'novice', 'intermediate' or 'advanced'" in result.output
    assert "'bad race' is not DATE:NAME:PRIORITY" in result.output
    assert "Date of a hamstring strain (YYYY-MM-DD) is needed" in result.output
    assert "Minutes per strength session [10 to 90]" in result.output
    profile = load_profile(path)
    assert profile.name == "Ines" and profile.session_minutes == 25
    assert profile.strength_days == list(Day)
    assert [r.name for r in profile.running.races] == ["Spring 10k"]
    assert profile.strain is not None and profile.strain.side is Side.LEFT


def test_interactive_skips_answers_given_as_flags(invoke: Invoke, tmp_path: Path,
                                                  interactive: None) -> None:
    path = tmp_path / "p.json"
    answers = ["", "", "", "", "", ""]  # equipment, days, km, week, races, strain date
    result = invoke("init", str(path), *MINIMAL, "--no-save", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Your name" not in result.output and "Goal" not in result.output
    assert "Side of the strain" not in result.output  # no strain date, no side question
    assert load_profile(path).equipment == []


def test_interactive_bad_flag_is_still_an_error(invoke: Invoke, tmp_path: Path,
                                                interactive: None) -> None:
    assert_clean_error(invoke("init", str(tmp_path / "p.toml"), "--level", "expert"), "--level")


def test_interactive_end_of_input_aborts_cleanly(invoke: Invoke, tmp_path: Path,
                                                 interactive: None) -> None:
    result = invoke("init", str(tmp_path / "p.toml"), input="Ana\n")
    assert result.exit_code == 1
    assert "error: aborted." in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "p.toml").exists()
