"""``plan`` and ``check``: every example, every format, tampered and malformed plans."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from hamstride.store import Store
from hamstride.training.plan import plan_from_json
from tests.cli.conftest import EXAMPLES, START, Invoke, assert_clean_error

NOVICE = next(p for p in EXAMPLES if p.name == "novice_home.toml")
MARATHONER = next(p for p in EXAMPLES if p.name == "gym_marathoner.json")


def _plan_json(invoke: Invoke, profile: Path, out: Path, db: str, weeks: str = "12") -> Any:
    result = invoke("plan", str(profile), "--start", START, "--weeks", weeks,
                    "--format", "json", "-o", str(out), "--db", db)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("profile", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_plans_and_checks_clean(invoke: Invoke, profile: Path, tmp_path: Path,
                                              db: str) -> None:
    out = tmp_path / "plan.json"
    document = _plan_json(invoke, profile, out, db)
    assert document["schema"] == "hamstride.plan/1"
    assert document["start"] == START
    # 12 weeks asked; the marathoner's plan runs on through its A race (rule 11)
    assert len(document["weeks"]) == (17 if profile.name == "gym_marathoner.json" else 12)
    checked = invoke("check", str(out), "--profile", str(profile))
    assert checked.exit_code == 0, checked.output
    assert "no violations" in checked.stdout
    as_json = invoke("check", str(out), "--profile", str(profile), "--format", "json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == {"ok": True, "violations": []}


def test_json_is_byte_identical_across_runs_and_equals_to_json(invoke: Invoke, db: str) -> None:
    args = ("plan", str(MARATHONER), "--start", START, "--format", "json", "--db", db)
    first, second = invoke(*args), invoke(*args)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    assert plan_from_json(first.stdout).to_json() == first.stdout


def test_table_shows_weeks_sessions_and_doses(invoke: Invoke) -> None:
    result = invoke("plan", str(NOVICE), "--start", START, "--weeks", "2", "--no-save")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Strength plan for Nora" in out
    assert "Week 1 · build · Mon 30 Nov – Sun 6 Dec 2026" in out
    assert "Week 2" in out and "Week 3" not in out
    assert "Mon 30 Nov 2026 · Single-leg glute bridge" in out
    assert "about 16 min" in out
    assert "Dynamic warm-up" in out and "1x4 min" in out
    assert "2x8" in out and "2x30 s" in out and "2-1-2" in out and "45 s" in out
    assert "No Nordic anchor" in out  # item notes are shown


def test_table_shows_descending_sets_and_supersets(invoke: Invoke) -> None:
    strained = next(p for p in EXAMPLES if p.name == "recent_left_strain.toml")
    result = invoke("plan", str(strained), "--start", START, "--weeks", "7", "--no-save")
    assert result.exit_code == 0, result.output
    assert "Superset" in result.stdout
    assert "Pain rule after your strain" in result.stdout  # session notes are shown
    # no Nordics before the return criteria are met: the descending sets of a runner
    # without a recent strain
    masters = next(p for p in EXAMPLES if p.name == "old_strain_masters.json")
    table = invoke("plan", str(masters), "--start", START, "--weeks", "7", "--no-save")
    assert table.exit_code == 0, table.output
    assert "12/10/8" in table.stdout


def test_markdown_is_a_printable_document(invoke: Invoke) -> None:
    result = invoke("plan", str(MARATHONER), "--start", START, "--weeks", "2", "--format",
                    "markdown", "--no-save")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# Strength plan for Marco")
    assert "## Week 1 · build · Mon 30 Nov – Sun 6 Dec 2026" in lines
    assert any(line.startswith("### Tue 1 Dec 2026 · 45-degree hip extension") for line in lines)
    assert "| Exercise | Sets | Per side | Tempo | Rest | Notes |" in lines
    assert any(line.startswith("| Nordic hamstring curl | 2x5 |") for line in lines)
    assert any(line.startswith("*Key run today (intervals)") for line in lines)


def test_output_file_gets_the_format_and_a_confirmation(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    result = invoke("plan", str(NOVICE), "--start", START, "--weeks", "1", "--format",
                    "markdown", "-o", str(out), "--no-save")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"Wrote the markdown plan (1 week, 2 sessions) to {out}."
    assert out.read_text(encoding="utf-8").startswith("# Strength plan for Nora")
    table = tmp_path / "plan.txt"
    assert invoke("plan", str(NOVICE), "--start", START, "--weeks", "1", "-o", str(table),
                  "--no-save").exit_code == 0
    text = table.read_text(encoding="utf-8")
    assert "Week 1 · build" in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert "\x1b[" not in text


def test_plan_is_saved_as_the_active_plan(invoke: Invoke, db: str) -> None:
    for _ in range(2):
        result = invoke("plan", str(NOVICE), "--start", START, "--weeks", "3", "--format",
                        "json", "--db", db)
        assert result.exit_code == 0, result.output
    assert "Saved as plan 2" in result.stderr
    with Store.open(db) as store:
        active = store.active_plan(profile_name="Nora (novice, home, no equipment)")
        assert active is not None and active.id == 2 and active.weeks == 3
        assert json.loads(result.stdout) == active.document
        assert [p.active for p in store.list_plans()] == [True, False]


def test_no_save_stores_nothing(invoke: Invoke, db: str) -> None:
    assert invoke("plan", str(NOVICE), "--start", START, "--weeks", "1", "--no-save",
                  "--db", db).exit_code == 0
    with Store.open(db) as store:
        assert store.list_plans() == []


def test_db_from_the_environment(invoke: Invoke, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("HAMSTRIDE_DB", url)
    assert invoke("plan", str(NOVICE), "--start", START, "--weeks", "1").exit_code == 0
    with Store.open(url) as store:
        assert len(store.list_plans()) == 1


@pytest.mark.parametrize(("args", "needle"), [
    (("--start", "2026-02-30"), "--start"),
    (("--start", "next monday"), "--start"),
    (("--weeks", "0"), "--weeks"),
    (("--weeks", "many"), "--weeks"),
    (("--weeks", "53"), "weeks"),
    (("--format", "pdf"), "--format"),
])
def test_bad_options_exit_2_naming_the_option(invoke: Invoke, args: tuple[str, ...],
                                              needle: str) -> None:
    assert_clean_error(invoke("plan", str(NOVICE), *args, "--no-save"), needle)


def test_output_to_a_directory_or_missing_folder(invoke: Invoke, tmp_path: Path) -> None:
    assert_clean_error(invoke("plan", str(NOVICE), "-o", str(tmp_path), "--no-save"),
                       "is a directory")
    missing = tmp_path / "nope" / "plan.json"
    assert_clean_error(invoke("plan", str(NOVICE), "-o", str(missing), "--no-save"),
                       "does not exist")


def test_a_race_before_the_start_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    """Issue 10 item 1: a past race (here 1999) is not stored into a plan: exit 2, the
    message names the race's field."""
    profile = tmp_path / "past_race.toml"
    text = NOVICE.read_text(encoding="utf-8")
    profile.write_text(text + '\n[[running.races]]\ndate = "1999-01-01"\nname = "Old 10k"\n'
                       'priority = "A"\n', encoding="utf-8")
    assert_clean_error(invoke("plan", str(profile), "--start", START, "--no-save"),
                       "running.races[0].date", "before the plan starts")


def test_unopenable_database_is_a_clean_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("plan", str(NOVICE), "--start", START, "--db",
                    f"sqlite:///{tmp_path}/missing/dir/x.db")
    assert_clean_error(result, "cannot open database")


# -- check ----------------------------------------------------------------------------------

@pytest.fixture
def marathon_plan(invoke: Invoke, tmp_path: Path, db: str) -> dict[str, Any]:
    document: dict[str, Any] = _plan_json(invoke, MARATHONER, tmp_path / "good.json", db)
    return document


def _write(tmp_path: Path, document: dict[str, Any]) -> str:
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_check_finds_a_session_on_race_day(invoke: Invoke, tmp_path: Path,
                                           marathon_plan: dict[str, Any]) -> None:
    tampered = copy.deepcopy(marathon_plan)
    week = next(w for w in tampered["weeks"] if w["week"] == 10)  # 2027-02-01 .. 02-07
    extra = copy.deepcopy(week["sessions"][0])
    extra["date"] = "2027-02-07"  # the B race, "Half marathon tune-up"
    week["sessions"].append(extra)
    result = invoke("check", _write(tmp_path, tampered), "--profile", str(MARATHONER))
    assert result.exit_code == 1, result.output
    assert "3-races" in result.stdout
    assert "2027-02-07" in result.stdout
    assert "violation" in result.stdout


def test_check_finds_a_nordic_set_of_20(invoke: Invoke, tmp_path: Path,
                                        marathon_plan: dict[str, Any]) -> None:
    tampered = copy.deepcopy(marathon_plan)
    item = next(i for w in tampered["weeks"] for s in w["sessions"] for i in s["items"]
                if i["exercise"] == "nordic_hamstring_curl")
    item["sets"][0]["reps"] = 20
    result = invoke("check", _write(tmp_path, tampered), "--profile", str(MARATHONER),
                    "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert "7-nordic" in {v["rule"] for v in report["violations"]}
    assert all(set(v) == {"rule", "date", "message"} for v in report["violations"])


@pytest.mark.parametrize(("content", "needle"), [
    ('{"schema": "hamstride.plan/1", ', "not valid JSON"),
    ("[]", "(top level)"),
    ('{"schema": "hamstride.plan/1", "start": "2026-11-30", "weeks": [], "x": 1}',
     "unknown field"),
])
def test_check_malformed_plan_exits_2(invoke: Invoke, tmp_path: Path, content: str,
                                      needle: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert_clean_error(invoke("check", str(path), "--profile", str(NOVICE)), needle)


def test_check_unknown_exercise_and_unreadable_files(invoke: Invoke, tmp_path: Path,
                                                     marathon_plan: dict[str, Any]) -> None:
    text = json.dumps(marathon_plan).replace("nordic_hamstring_curl", "nordic_curl_x")
    path = tmp_path / "unknown.json"
    path.write_text(text, encoding="utf-8")
    assert_clean_error(invoke("check", str(path), "--profile", str(MARATHONER)),
                       "nordic_curl_x", str(path))
    assert_clean_error(invoke("check", str(tmp_path), "--profile", str(MARATHONER)),
                       "is a directory")
    assert_clean_error(invoke("check", str(tmp_path / "none.json"), "--profile",
                              str(MARATHONER)), "no such plan file")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    assert_clean_error(invoke("check", str(binary), "--profile", str(MARATHONER)),
                       "not a text file")
    assert_clean_error(invoke("check", str(path)), "--profile")
