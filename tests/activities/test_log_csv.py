"""The log's CSV (activities/log_csv.py): what hamstride writes it reads back, to the
same log (issue 10 item 9: the export's morning_pain column used to be refused)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hamstride.activities import log_csv
from hamstride.catalogue import load_catalogue
from hamstride.cli.main import app
from hamstride.training.log import Band, LogError, LoggedSession, LoggedSet, Side, session_from_data

EXERCISES = sorted(load_catalogue())
pains = st.none() | st.integers(0, 10)
rpes = st.none() | st.integers(0, 10) | st.floats(0, 10, allow_nan=False).map(
    lambda x: round(x, 1))


@st.composite
def logged_sets(draw: st.DrawFn) -> LoggedSet:
    held = draw(st.booleans())
    load = draw(st.sampled_from(["none", "kg", "band"]))
    return LoggedSet(
        exercise=draw(st.sampled_from(EXERCISES)),
        reps=None if held else draw(st.integers(0, 200)),
        hold_s=draw(st.integers(0, 900)) if held else None,
        load_kg=draw(st.floats(0, 500, allow_nan=False)) if load == "kg" else None,
        band=draw(st.sampled_from(list(Band))) if load == "band" else None,
        side=draw(st.sampled_from(list(Side))), rpe=draw(rpes), pain=draw(pains))


# notes: any text, kept as written; only notes of nothing but blanks read back as none
notes = st.text(max_size=80).filter(lambda t: t == "" or t.strip() != "")


@st.composite
def sessions(draw: st.DrawFn, n: int) -> LoggedSession:
    return LoggedSession(
        id=f"s-{n}", date=draw(st.dates(date(1990, 1, 1), date(2999, 12, 31))),
        duration_min=draw(st.none() | st.integers(0, 600) | st.floats(0, 600, allow_nan=False)),
        session_rpe=draw(rpes), pain=draw(pains), morning_pain=draw(pains),
        notes=draw(notes), sets=draw(st.lists(logged_sets(), max_size=4)))


logs = st.integers(0, 5).flatmap(lambda k: st.tuples(*(sessions(n) for n in range(k))))


def read_back(text: str) -> list[LoggedSession]:
    raws = log_csv.read(text, "log.csv")
    assert all(raw.problem is None for raw in raws)
    return [session_from_data(raw.data) for raw in raws]


@settings(max_examples=200, deadline=None)
@given(logs)
def test_log_csv_round_trip_gives_the_same_log(log: tuple[LoggedSession, ...]) -> None:
    assert read_back(log_csv.write(log)) == list(log)


def test_log_csv_header_is_every_column_and_morning_pain_is_one() -> None:
    text = log_csv.write([])
    assert text == ",".join(log_csv.COLUMNS) + "\r\n"
    assert "morning_pain" in log_csv.COLUMNS


@pytest.mark.parametrize(("text", "needle"), [
    ("id,date,weight\r\n", "unknown column(s) 'weight'"),
    ("", "no header"),
    ("id,date\r\na,2026-12-01,extra\r\n", "row 2: more cells than the header"),
])
def test_log_csv_bad_shape_is_a_log_error(text: str, needle: str) -> None:
    with pytest.raises(LogError, match=r"log\.csv") as caught:
        log_csv.read(text, "log.csv")
    assert needle in caught.value.message


def test_the_exported_log_imports_back_through_the_cli(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's download, then `hamstride log --from` into another database."""
    from fastapi.testclient import TestClient

    from tests.web.conftest import RUNNER_PATH, make_web_app, runner_profile

    monkeypatch.setenv("HAMSTRIDE_TODAY", "2027-01-31")
    entry = {"id": "mon-1", "date": "2027-01-04", "duration_min": 35, "session_rpe": 6.5,
             "pain": 1, "notes": 'felt "good", then tired',
             "sets": [{"exercise": "nordic_hamstring_curl", "reps": 5, "rpe": 8},
                      {"exercise": "isometric_bridge_hold", "hold_s": 30, "side": "left",
                       "pain": 2},
                      {"exercise": "band_leg_curl", "reps": 12, "band": "green"}]}
    bare = {"id": "tue-1", "date": "2027-01-05", "duration_min": 10}
    with TestClient(make_web_app(f"sqlite:///{tmp_path / 'api.db'}",
                                 today=date(2027, 1, 31))) as api:
        assert api.put(RUNNER_PATH, json=runner_profile()).status_code == 201
        assert api.post(f"{RUNNER_PATH}/log", json=[entry, bare]).status_code == 201
        put = api.put(f"{RUNNER_PATH}/log/mon-1/morning", json={"pain": 3})
        assert put.status_code == 200, put.text
        exported = api.get(f"{RUNNER_PATH}/log.csv")
        original = api.get(f"{RUNNER_PATH}/log").json()
    assert exported.status_code == 200
    path = tmp_path / "log.csv"
    path.write_bytes(exported.content)
    other = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(runner_profile()))
    made = runner.invoke(app, ["plan", str(profile), "--start", "2027-01-04", "--db", other])
    assert made.exit_code == 0, made.output
    imported = runner.invoke(app, ["log", "--from", str(path), "--db", other])
    assert imported.exit_code == 0, imported.output
    listed = runner.invoke(app, ["log", "list", "--format", "json", "--db", other])
    assert json.loads(listed.stdout) == original
    assert original[0]["morning_pain"] == 3
