"""``today`` and ``log``: the day's session, recording it every way, and the plan after."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from hamstride.cli import log_prompt
from hamstride.cli.options import FieldTestKind
from hamstride.store import Store
from hamstride.training.log import TestKind as Kind  # not a test class for pytest
from tests.cli.conftest import EXAMPLES, START, Invoke, assert_clean_error

MARATHONER = next(p for p in EXAMPLES if p.name == "gym_marathoner.json")
STRAIN = next(p for p in EXAMPLES if p.name == "recent_left_strain.toml")
DAY = "2026-12-01"  # the marathoner's first session (Tue) of a plan from START
REST_DAY = "2026-12-02"
NEXT_DAY = "2026-12-03"


def _plan(invoke: Invoke, db: str, tmp_path: Path, profile: Path = MARATHONER) -> Any:
    out = tmp_path / "plan.json"
    made = invoke("plan", str(profile), "--start", START, "--weeks", "4", "--format", "json",
                  "-o", str(out), "--db", db)
    assert made.exit_code == 0, made.output
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def plan(invoke: Invoke, db: str, tmp_path: Path) -> Any:
    return _plan(invoke, db, tmp_path)


def _sessions(document: Any) -> list[Any]:
    return [s for week in document["weeks"] for s in week["sessions"]]


def _log_list(invoke: Invoke, db: str) -> list[Any]:
    listed = invoke("log", "list", "--format", "json", "--db", db)
    assert listed.exit_code == 0, listed.output
    result: list[Any] = json.loads(listed.stdout)
    return result


# -- today ------------------------------------------------------------------------------

def test_today_json_is_the_planned_session_object(invoke: Invoke, db: str, plan: Any) -> None:
    result = invoke("today", "--date", DAY, "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    planned = next(s for s in _sessions(plan) if s["date"] == DAY)
    assert json.loads(result.stdout) == planned


def test_today_json_on_a_rest_day_names_the_next_session(invoke: Invoke, db: str,
                                                         plan: Any) -> None:
    result = invoke("today", "--date", REST_DAY, "--format", "json", "--db", db)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"rest_day": True, "next": NEXT_DAY}
    # the 4 weeks asked run on through the A marathon and its recovery (rule 11)
    ended = date.fromisoformat(plan["start"]) + timedelta(days=7 * len(plan["weeks"]))
    after = invoke("today", "--date", ended.isoformat(), "--format", "json", "--db", db)
    assert json.loads(after.stdout) == {"rest_day": True, "next": None}


def test_today_table_shows_dose_cues_and_why(invoke: Invoke, db: str, plan: Any) -> None:
    result = invoke("today", "--date", DAY, "--db", db)
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Tue 1 Dec 2026" in out
    assert "45-degree hip extension 3x8 · tempo 2-1-2 · rest 75 s" in out
    assert "per side" in out  # single-leg heel raise
    assert "• Move at the hips" in out and "Why: Hip-dominant hamstring work" in out
    rest = invoke("today", "--date", REST_DAY, "--db", db)
    assert rest.stdout.strip() == "Rest day. Next session: Thu 3 Dec 2026."


def test_today_lists_both_bouts_of_an_l_protocol_day(invoke: Invoke, db: str,
                                                     tmp_path: Path) -> None:
    _plan(invoke, db, tmp_path, STRAIN)
    result = invoke("today", "--date", START, "--format", "json", "--db", db)
    bouts = json.loads(result.stdout)
    assert isinstance(bouts, list) and len(bouts) == 2
    assert bouts[1]["title"] == "L-protocol, second bout"
    logged = invoke("log", "--as-planned", "--date", START, "--db", db)
    assert logged.exit_code == 0, logged.output
    assert "Logged 2 new sessions" in logged.stdout
    assert len(_log_list(invoke, db)) == 2


def test_today_without_a_plan_is_a_clean_error(invoke: Invoke, db: str) -> None:
    assert_clean_error(invoke("today", "--db", db), "no plan yet", "hamstride plan")


# -- log with flags ---------------------------------------------------------------------

def test_log_the_same_sets_twice_stores_one_session(invoke: Invoke, db: str, plan: Any) -> None:
    args = ("log", "--date", DAY, "--set", "squat:8,load=20,rpe=7", "--set",
            "isometric_bridge_hold:30sx2,side=left", "--session-rpe", "6", "--db", db)
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("Logged 1 new session (s-")
    assert "Plan updated from your log: next session Thu 3 Dec 2026" in first.stdout
    second = invoke(*args)
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith("Already logged, nothing changed")
    [entry] = _log_list(invoke, db)
    assert entry["session_rpe"] == 6
    assert [(s["exercise"], s["reps"], s["hold_s"], s["load_kg"], s["side"], s["rpe"])
            for s in entry["sets"]] == [("squat", 8, None, 20.0, "both", 7.0),
                                        ("isometric_bridge_hold", None, 30, None, "left", None),
                                        ("isometric_bridge_hold", None, 30, None, "left", None)]


def test_log_band_colour_and_own_id_then_update(invoke: Invoke, db: str, plan: Any) -> None:
    first = invoke("log", "--date", DAY, "--id", "tue-1", "--set", "band_leg_curl:12,load=Green",
                   "--db", db)
    assert first.exit_code == 0, first.output
    assert "(tue-1)" in first.stdout
    again = invoke("log", "--date", DAY, "--id", "tue-1", "--set", "band_leg_curl:15,load=blue",
                   "--notes", "felt easy", "--db", db)
    assert again.stdout.startswith("Updated 1 session (tue-1)")
    [entry] = _log_list(invoke, db)
    assert entry["sets"][0]["band"] == "blue" and entry["notes"] == "felt easy"


def test_log_as_planned_then_today_shows_it_logged(invoke: Invoke, db: str, plan: Any) -> None:
    logged = invoke("log", "--as-planned", "--date", DAY, "--session-rpe", "6", "--pain", "1",
                    "--db", db)
    assert logged.exit_code == 0, logged.output
    [entry] = _log_list(invoke, db)
    assert entry["session_rpe"] == 6 and entry["pain"] == 1
    assert entry["duration_min"] == next(s for s in _sessions(plan)
                                         if s["date"] == DAY)["estimated_minutes"]
    shown = invoke("today", "--date", DAY, "--db", db)
    assert "Already logged on this day:" in shown.stdout
    assert f"{entry['id']}: {len(entry['sets'])} sets, RPE 6, pain 1" in shown.stdout
    as_json = invoke("today", "--date", DAY, "--format", "json", "--db", db)
    assert json.loads(as_json.stdout)["date"] == DAY  # the session object, nothing added


def test_as_planned_with_an_id_updates_rather_than_duplicates(invoke: Invoke, db: str,
                                                               plan: Any) -> None:
    for rpe in ("6", "7"):
        result = invoke("log", "--as-planned", "--id", "tue", "--session-rpe", rpe, "--date",
                        DAY, "--db", db)
        assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Updated 1 session (tue)")
    assert [(e["id"], e["session_rpe"]) for e in _log_list(invoke, db)] == [("tue", 7)]


def test_a_painful_exercise_gets_fewer_sets_in_the_new_plan(invoke: Invoke, db: str,
                                                            plan: Any) -> None:
    def next_sets(document: Any) -> int:
        return next(len(item["sets"]) for s in _sessions(document) if s["date"] > DAY
                    for item in s["items"] if item["exercise"] == "lying_leg_curl")

    logged = invoke("log", "--date", DAY, "--set", "lying_leg_curl:8x3,pain=7", "--db", db)
    assert logged.exit_code == 0, logged.output
    assert "Pain 7/10 during the session" in logged.stdout and "red flag" in logged.stdout
    with Store.open(db) as store:
        active = store.active_plan()
    assert active is not None and active.document.get("continues")
    # pain above 5/10 pauses heavy hamstring work, this high-load curl included, in every
    # session after it until a lighter session is pain-free (rule 12-pain-pause)
    after = [s for s in _sessions(active.document) if s["date"] > DAY]
    assert after and all("until it settles" in s["notes"] for s in after)
    assert not any(i["exercise"] == "lying_leg_curl" for s in after for i in s["items"])
    assert next_sets(plan) > 0


def test_morning_pain_is_stored_on_the_session(invoke: Invoke, db: str, plan: Any) -> None:
    invoke("log", "--date", DAY, "--set", "squat:8x2", "--db", db)
    result = invoke("log", "--morning", "3", "--date", DAY, "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Recorded morning pain 3/10 on s-")
    [entry] = _log_list(invoke, db)
    assert entry["morning_pain"] == 3


def test_log_list_filters_by_date_and_shows_a_table(invoke: Invoke, db: str, plan: Any) -> None:
    invoke("log", "--date", DAY, "--set", "squat:8", "--session-rpe", "5", "--duration", "30",
           "--db", db)
    invoke("log", "--date", NEXT_DAY, "--set", "squat:10", "--db", db)
    since = invoke("log", "list", "--since", NEXT_DAY, "--format", "json", "--db", db)
    assert [e["date"] for e in json.loads(since.stdout)] == [NEXT_DAY]
    table = invoke("log", "list", "--db", db)
    assert DAY in table.stdout and "150" in table.stdout  # load = 5 x 30


def test_log_delete(invoke: Invoke, db: str, plan: Any) -> None:
    invoke("log", "--date", DAY, "--id", "gone", "--set", "squat:8", "--db", db)
    deleted = invoke("log", "delete", "gone", "--date", DAY, "--db", db)
    assert deleted.exit_code == 0, deleted.output
    assert deleted.stdout.startswith("Deleted gone.")
    assert _log_list(invoke, db) == []
    assert_clean_error(invoke("log", "delete", "gone", "--db", db), "no logged session 'gone'")


@pytest.mark.parametrize(("args", "needles"), [
    (("--date", "2026-13-01", "--set", "squat:8"), ("--date", "2026-13-01")),
    (("--date", DAY, "--set", "squat:8", "--session-rpe", "11"), ("--session-rpe", "10")),
    (("--date", DAY, "--set", "squat:8", "--pain", "-1"), ("--pain", "0")),
    (("--date", DAY, "--set", "squat"), ("--set 'squat'", "EXERCISE:REPS")),
    (("--date", DAY, "--set", "squat:eight"), ("--set 'squat:eight'", "not reps or seconds")),
    (("--date", DAY, "--set", "squat:8,weight=20"), ("--set 'squat:8,weight=20'", "weight=20")),
    (("--date", DAY, "--set", "squat:8,rpe=11"), ("--set 'squat:8,rpe=11'", "rpe", "10")),
    (("--date", DAY, "--set", "squat:8,side=up"), ("--set 'squat:8,side=up'", "side")),
    (("--date", DAY, "--set", "nordic:5"), ("--set 'nordic:5'", "unknown exercise 'nordic'",
                                            "nordic_hamstring_curl")),
    (("--date", DAY, "--set", "band_leg_curl:12,load=purple"), ("load=purple", "band colour",
                                                                "yellow")),
    (("--date", "2027-01-20", "--set", "squat:8"), ("--date", "2027-01-20", "in the future")),
    (("--date", "2027-01-20", "--morning", "3"), ("--date", "in the future")),
    (("--date", "2027-01-20", "--as-planned"), ("--date", "in the future")),
    (("--date", DAY, "--from", "missing.json"), ("missing.json", "no such log file")),
    (("--date", DAY, "--morning", "3"), ("no logged session",)),
    (("--date", DAY, "--morning", "11"), ("--morning", "10")),
    (("--date", REST_DAY, "--as-planned"), ("--as-planned", "nothing was planned",
                                           "Wed 2 Dec 2026")),
    (("--date", DAY, "--as-planned", "--set", "squat:8"), ("--set and --as-planned",)),
    (("--date", DAY, "--morning", "2", "--pain", "3"), ("--morning", "--pain")),
    (("--date", DAY, "--no-input"), ("nothing to log", "--set")),
    (("--date", DAY), ("nothing to log",)),  # stdin is not a terminal here
    (("--date", DAY, "--id", "x"), ("nothing to log",)),
    (("--date", DAY, "--set", "squat:8", "--profile", "Nobody"), ("--profile", "Nobody")),
])
def test_log_bad_input_is_one_clean_error(invoke: Invoke, db: str, plan: Any,
                                          args: tuple[str, ...], needles: tuple[str, ...]) -> None:
    result = invoke("log", *args, "--db", db)
    if not needles:
        assert result.exit_code == 0, result.output
        return
    assert_clean_error(result, *needles)
    assert _log_list(invoke, db) == []


def test_a_future_session_is_refused(invoke: Invoke, db: str, plan: Any,
                                     tmp_path: Path) -> None:
    ahead = tmp_path / "ahead.json"
    ahead.write_text(json.dumps({"date": NEXT_DAY, "sets": [{"exercise": "squat", "reps": 5}]}))
    assert_clean_error(invoke("log", "--from", str(ahead), "--date", DAY, "--db", db),
                       "entry 1", "date", "future")


# -- log --from ---------------------------------------------------------------------------

def test_from_json_stores_good_entries_and_names_the_bad_one(invoke: Invoke, db: str, plan: Any,
                                                            tmp_path: Path) -> None:
    entries = [{"date": DAY, "session_rpe": 6, "sets": [{"exercise": "squat", "reps": 8}]},
               {"date": DAY, "sets": [{"exercise": "squat", "reps": 8},
                                      {"exercise": "squat", "reps": -3}]},
               {"date": NEXT_DAY, "sets": [{"exercise": "hip_thrust", "hold_s": 20}]}]
    path = tmp_path / "log.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    result = invoke("log", "--from", str(path), "--date", NEXT_DAY, "--db", db)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: entry 2: sets[1].reps: ")
    assert "greater than or equal to 0" in result.stderr
    assert "Traceback" not in result.output
    assert "Logged 2 new sessions" in result.stdout
    assert [e["date"] for e in _log_list(invoke, db)] == [DAY, NEXT_DAY]
    again = invoke("log", "--from", str(path), "--date", NEXT_DAY, "--db", db)
    assert again.exit_code == 2 and "nothing changed: 2 sessions" in again.stdout


def test_from_one_json_object(invoke: Invoke, db: str, plan: Any, tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "mine", "date": DAY, "duration_min": 20}), "utf-8")
    result = invoke("log", "--from", str(path), "--date", DAY, "--db", db)
    assert result.exit_code == 0, result.output
    assert [e["id"] for e in _log_list(invoke, db)] == ["mine"]


@pytest.mark.parametrize(("text", "needles"), [
    ("{not json", ("not valid JSON", "line 1")),
    ('"a string"', ("one session object or a list",)),
    ("[]", ("no sessions",)),
    ('[{"date": "2026-12-01", "sets": [], "colour": "red"}]', ("entry 1", "colour",
                                                              "unknown field")),
])
def test_from_bad_json_file(invoke: Invoke, db: str, plan: Any, tmp_path: Path, text: str,
                            needles: tuple[str, ...]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    assert_clean_error(invoke("log", "--from", str(path), "--date", DAY, "--db", db),
                       *needles)


CSV_HEADER = ("id,date,duration_min,session_rpe,pain,notes,exercise,reps,hold_s,load_kg,band,"
              "side,rpe,set_pain\n")


def test_from_csv_groups_rows_into_sessions(invoke: Invoke, db: str, plan: Any,
                                            tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(CSV_HEADER
                    + f",{DAY},30,6,,\"squat, then bridges\",squat,8,,20,,,7,\n"
                    + f",{DAY},,,,,isometric_bridge_hold,,30,,,left,,2\n"
                    + f"b,{NEXT_DAY},,,,,band_leg_curl,12,,,green,,,\n", encoding="utf-8")
    result = invoke("log", "--from", str(path), "--date", NEXT_DAY, "--db", db)
    assert result.exit_code == 0, result.output
    first, second = _log_list(invoke, db)
    assert first["notes"] == "squat, then bridges" and first["session_rpe"] == 6
    assert [(s["exercise"], s["load_kg"], s["hold_s"], s["side"], s["pain"])
            for s in first["sets"]] == [("squat", 20.0, None, "both", None),
                                        ("isometric_bridge_hold", None, 30, "left", 2)]
    assert second["id"] == "b" and second["sets"][0]["band"] == "green"


def test_from_csv_with_a_bad_row(invoke: Invoke, db: str, plan: Any, tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(CSV_HEADER + f",{DAY},,,,,squat,8,,,,,,\n"
                    + f",{NEXT_DAY},,,,,squat,8,,,,,,\n"
                    + f",{NEXT_DAY},,,,,squat,lots,,,,,,\n", encoding="utf-8")
    result = invoke("log", "--from", str(path), "--date", NEXT_DAY, "--db", db)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: entry 2 (row 4): sets[1].reps: ")
    assert [e["date"] for e in _log_list(invoke, db)] == [DAY]


@pytest.mark.parametrize(("text", "needles"), [
    ("date,exercise,weight\n", ("unknown column(s) 'weight'", "the header is")),
    ("", ("no header",)),
    (f"date,exercise,reps\n{DAY},squat,8,9\n", ("row 2", "more cells")),
])
def test_from_malformed_csv(invoke: Invoke, db: str, plan: Any, tmp_path: Path, text: str,
                            needles: tuple[str, ...]) -> None:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    assert_clean_error(invoke("log", "--from", str(path), "--date", DAY, "--db", db),
                       *needles)


def test_csv_conflicting_session_fields(invoke: Invoke, db: str, plan: Any,
                                        tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(f"id,date,session_rpe,exercise,reps\nx,{DAY},6,squat,8\nx,{DAY},7,squat,8\n",
                    encoding="utf-8")
    assert_clean_error(invoke("log", "--from", str(path), "--date", DAY, "--db", db),
                       "entry 1 (rows 2, 3)", "row 3: session_rpe: '7' differs from '6'")


# -- log in a terminal ------------------------------------------------------------------

@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(log_prompt, "stdin_is_interactive", lambda: True)


@pytest.mark.usefixtures("terminal")
def test_interactive_as_planned(invoke: Invoke, db: str, plan: Any) -> None:
    answers = ["", "y", "11", "6", "1", "", "good one"]  # date: the default (--date)
    result = invoke("log", "--date", DAY, "--db", db, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Did you do the Tue 1 Dec session as planned?" in result.output
    assert "less than or equal to 10. Please try again." in result.output
    [entry] = _log_list(invoke, db)
    assert (entry["session_rpe"], entry["pain"], entry["notes"]) == (6, 1, "good one")
    assert len(entry["sets"]) > 10


@pytest.mark.usefixtures("terminal")
def test_interactive_sets_one_by_one(invoke: Invoke, db: str, plan: Any) -> None:
    answers = [DAY, "n",
               "squatt", "squat", "eight", "8x2", "purple", "20", "", "", "",
               "isometric_bridge_hold", "30s", "", "left", "12", "7", "3",
               "",  # no more sets
               "5", "", "25", ""]
    result = invoke("log", "--date", NEXT_DAY, "--db", db, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Did you do the Tue 1 Dec session as planned?" in result.output
    assert "unknown exercise 'squatt'. Did you mean squat" in result.output
    assert "Planned that day: dynamic_warm_up, hip_extension_45" in result.output
    assert "band colour" in result.output
    [entry] = _log_list(invoke, db)
    assert (entry["date"], entry["session_rpe"], entry["duration_min"]) == (DAY, 5, 25)
    assert [(s["exercise"], s["reps"], s["hold_s"], s["load_kg"], s["side"], s["rpe"], s["pain"])
            for s in entry["sets"]] == [("squat", 8, None, 20.0, "both", None, None),
                                        ("squat", 8, None, 20.0, "both", None, None),
                                        ("isometric_bridge_hold", None, 30, None, "left", 7, 3)]


@pytest.mark.usefixtures("terminal")
def test_interactive_rest_day_goes_straight_to_sets(invoke: Invoke, db: str, plan: Any) -> None:
    answers = ["2027-01-09", "", "squat", "5", "", "", "", "", "", "", "", "", ""]
    result = invoke("log", "--date", REST_DAY, "--db", db, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "is in the future. Please try again." in result.output
    assert "as planned" not in result.output
    assert [e["date"] for e in _log_list(invoke, db)] == [REST_DAY]


# -- field tests ------------------------------------------------------------------------

def test_field_test_kinds_match_the_model() -> None:
    assert [k.value for k in FieldTestKind] == [k.value for k in Kind]


def test_field_test_record_and_list(invoke: Invoke, db: str, plan: Any) -> None:
    recorded = invoke("field-test", "--kind", "single_leg_bridge", "--left", "20", "--right",
                      "25", "--date", DAY, "--db", db)
    assert recorded.exit_code == 0, recorded.output
    assert "Left is 20% weaker than right." in recorded.stdout
    assert "Information, not diagnosis" in recorded.stdout
    again = invoke("field-test", "--kind", "single_leg_bridge", "--left", "20", "--right", "25",
                   "--date", DAY, "--db", db)
    assert again.stdout.startswith("Already recorded, nothing changed")
    listed = invoke("field-test", "list", "--format", "json", "--db", db)
    [test] = json.loads(listed.stdout)
    assert (test["percent"], test["weaker"], test["unit"]) == (20.0, "left", "reps")
    assert [f["code"] for f in test["flags"]] == ["imbalance_15", "imbalance_20",
                                                  "bridge_reference"]
    table = invoke("field-test", "list", "--db", db)
    assert "left 20%" in table.stdout and "Information, not diagnosis" in table.stdout


@pytest.mark.parametrize(("args", "needles"), [
    (("--kind", "nordic_force", "--left", "-5", "--right", "300"), ("--left", "0")),
    (("--kind", "nordic_angle", "--left", "95", "--right", "80"), ("up to 90 degrees",)),
    (("--kind", "grip", "--left", "5", "--right", "5"), ("--kind", "grip")),
    (("--left", "5", "--right", "5"), ("missing --kind",)),
    (("--kind", "single_leg_bridge", "--left", "5", "--right", "5", "--date", "2027-01-20"),
     ("2027-01-20", "in the future")),
])
def test_field_test_bad_input(invoke: Invoke, db: str, plan: Any, args: tuple[str, ...],
                              needles: tuple[str, ...]) -> None:
    assert_clean_error(invoke("field-test", "--date", DAY, *args, "--db", db), *needles)
    listed = invoke("field-test", "list", "--format", "json", "--db", db)
    assert json.loads(listed.stdout) == []


def test_today_after_a_recent_strain_shows_the_return_stage(invoke: Invoke, db: str,
                                                            tmp_path: Path) -> None:
    _plan(invoke, db, tmp_path, STRAIN)
    before = " ".join(invoke("today", "--date", START, "--db", db).stdout.split())
    assert "Return stage: protect" in before
    assert "not yet: no self-check recorded yet" in before
    checked = invoke("field-test", "--kind", "self_check", "--left", "0", "--right", "0",
                     "--date", START, "--db", db)
    assert checked.exit_code == 0, checked.output
    after = " ".join(invoke("today", "--date", START, "--db", db).stdout.split())
    assert "met: self-check on 2026-11-30: pain 0/10 on the injured side" in after
