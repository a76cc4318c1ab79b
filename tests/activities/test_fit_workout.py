"""The FIT workout writer, read back by two readers that share no code with it.

The writer uses fit-tool; every file here is decoded by Garmin's own FIT SDK
(``garmin_fit_sdk``) and by ``fitdecode``. Both must agree, and what they read must be
the plan: the same exercises, reps, holds, rests and set counts, in the same order.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from fit_tool.exceptions import FitEncodingError
from fit_tool.fit_file_builder import FitFileBuilder
from garmin_fit_sdk import Decoder, Profile, Stream

from hamstride.activities.fit_workout import (
    FIT_EXERCISES,
    MAX_STRING_BYTES,
    fit_file_names,
    fit_string,
    week_fits,
    workout_fit,
)
from hamstride.catalogue import Catalogue, load_catalogue
from hamstride.errors import PlanFormatError
from hamstride.training.plan import Item, Plan, RepSet, Session, Week
from tests.training.factories import (
    KEY_WEEK,
    START,
    Doc,
    day,
    item_doc,
    make_profile,
    plan_for,
    session_doc,
    strain,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("HAMSTRIDE_CORPUS") or "/work/shared/corpus")
SDK_EXAMPLES = [p for p in [CORPUS / "fit" / "sdkexample_WorkoutRepeatSteps.fit"] if p.exists()]

PROFILES: dict[str, dict[str, Any]] = {
    "bodyweight": {"equipment": [], "level": "novice"},
    "full_gym": {},
    "return_from_strain": {"goal": "return_from_strain", "injury": strain(day(-21)),
                           "week": KEY_WEEK},
    "short_sessions": {"session_minutes": 20},  # the planner pairs accessories as a superset
}
WEEKS = 6  # long enough for the Nordic table's 12, 10, 8 week
SIDE = re.compile(r"^(?P<title>.*) \((?P<side>left|right)\)$")
REPEAT = "repeat_until_steps_cmplt"


# -- reading a file back ----------------------------------------------------------------

@dataclass(frozen=True)
class FitStep:
    """One workout_step as either reader sees it, in the same terms."""

    index: int
    name: str | None
    intensity: str | None
    kind: str  # "reps", "time" or "repeat"
    value: float  # reps, seconds, or how many times a repeat's steps are done
    first: int | None  # a repeat goes back to this step
    category: str | int | None
    exercise_name: int | None

    @property
    def title(self) -> str:
        match = SIDE.match(self.name or "")
        return match["title"] if match else self.name or ""

    @property
    def side(self) -> str | None:
        match = SIDE.match(self.name or "")
        return match["side"] if match else None


@dataclass(frozen=True)
class Decoded:
    file_id: dict[str, Any]
    workout: dict[str, Any]
    raw_steps: list[dict[str, Any]]

    @property
    def steps(self) -> list[FitStep]:
        return [fit_step(raw) for raw in self.raw_steps]


def fit_step(raw: dict[str, Any]) -> FitStep:
    kind = raw["duration_type"]
    if kind == REPEAT:
        return FitStep(raw["message_index"], raw.get("wkt_step_name"), raw.get("intensity"),
                       "repeat", raw["repeat_steps"], raw["duration_step"], None, None)
    # the duration's subfield (duration_reps, duration_time, duration_distance, ...)
    [value] = [v for k, v in raw.items()
               if k.startswith("duration_") and k not in ("duration_type", "duration_value")]
    return FitStep(raw["message_index"], raw.get("wkt_step_name"), raw.get("intensity"), kind,
                   value, None, raw.get("exercise_category"), raw.get("exercise_name"))


def decode_sdk(data: bytes) -> Decoded:
    """Garmin's FIT SDK: the file must pass its integrity check and decode without errors."""
    checker = Decoder(Stream.from_byte_array(bytearray(data)))
    assert checker.is_fit() and checker.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    [file_id], [workout] = messages["file_id_mesgs"], messages["workout_mesgs"]
    return Decoded(file_id, workout, messages["workout_step_mesgs"])


def decode_fitdecode(data: bytes) -> Decoded:
    found: dict[str, list[dict[str, Any]]] = {}
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                fields = {f.name: f.value for f in frame.fields if f.value is not None}
                found.setdefault(frame.name, []).append(fields)
    [file_id], [workout] = found["file_id"], found["workout"]
    return Decoded(file_id, workout, found.get("workout_step", []))


def decode(data: bytes) -> Decoded:
    """Both readers, which must read the same steps; the SDK's reading is returned."""
    sdk, other = decode_sdk(data), decode_fitdecode(data)
    assert sdk.steps == other.steps
    for key in ("type", "manufacturer", "serial_number"):
        assert sdk.file_id[key] == other.file_id[key]
    return sdk


def executed(steps: Sequence[FitStep]) -> Iterator[FitStep]:
    """The steps in the order a device runs them: a repeat step sends it back to ``first``
    until the steps since then were done ``value`` times in all."""
    done: dict[int, int] = {}
    n = 0
    while n < len(steps):
        step = steps[n]
        if step.kind != "repeat":
            yield step
            n += 1
            continue
        assert step.first is not None and step.first < n, "a repeat goes back, never forward"
        done[n] = done.get(n, 0) + 1
        if done[n] < step.value:
            n = step.first
        else:
            done[n] = 0
            n += 1


# -- what the plan says -----------------------------------------------------------------

def title(item: Item) -> str:
    return load_catalogue()[item.exercise].name


def dose(item: Item, k: int) -> tuple[str, int]:
    set_ = item.sets[k]
    return ("reps", set_.reps) if isinstance(set_, RepSet) else ("time", set_.hold_s)


def superset_groups(items: Sequence[Item]) -> list[list[Item]]:
    """docs/plan.md: neighbouring items with one superset letter alternate."""
    groups: list[list[Item]] = []
    for item in items:
        if groups and item.superset is not None and groups[-1][-1].superset == item.superset:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def planned_rounds(group: Sequence[Item]) -> list[list[tuple[Item, int]]]:
    return [[(item, k) for item in group if k < len(item.sets)]
            for k in range(max(len(item.sets) for item in group))]


def planned_timeline(session: Session) -> list[tuple[Any, ...]]:
    """Every set (each side of a per-side item) and every rest, in the order done."""
    events: list[tuple[Any, ...]] = []
    for group in superset_groups(session.items):
        rest = max(item.rest_s for item in group)
        for round_ in planned_rounds(group):
            for item, k in round_:
                sides = ("left", "right") if item.per_side else (None,)
                events.extend(("work", title(item), side, *dose(item, k)) for side in sides)
            if rest:
                events.append(("rest", rest))
    return events


def file_timeline(steps: Sequence[FitStep]) -> list[tuple[Any, ...]]:
    return [("rest", s.value) if s.intensity == "rest" else ("work", s.title, s.side, s.kind,
                                                             s.value)
            for s in executed(steps)]


def runs(doses: dict[str, list[tuple[str, float]]]) -> list[tuple[str, str, float, int]]:
    return [(name, kind, value, len(list(same)))
            for name, sets in doses.items() for (kind, value), same in groupby(sets)]


def round_trip(data: bytes) -> list[tuple[str, str, float, int]]:
    """Decode, then (exercise title, "reps" or "time", reps or seconds, sets) in order."""
    doses: dict[str, list[tuple[str, float]]] = {}
    for step in executed(decode(data).steps):
        if step.intensity != "rest" and step.side != "right":  # a per-side set counts once
            doses.setdefault(step.title, []).append((step.kind, step.value))
    return runs(doses)


def planned_doses(session: Session) -> list[tuple[str, str, float, int]]:
    doses: dict[str, list[tuple[str, float]]] = {}
    for item in session.items:
        doses.setdefault(title(item), []).extend(dose(item, k) for k in range(len(item.sets)))
    return runs(doses)


def expected_step_count(session: Session) -> int:
    """A round is written once for each run of equal neighbouring rounds, plus a repeat."""
    count = 0
    for group in superset_groups(session.items):
        rest = max(item.rest_s for item in group)
        keys = [[(item.exercise, dose(item, k)) for item, k in r] for r in planned_rounds(group)]
        for key, same in groupby(keys):
            times = len(list(same))
            work = sum(2 if item.per_side else 1 for item in group
                       if any(e == item.exercise for e, _ in key))
            count += work + (rest > 0) + (times > 1)
    return count


# -- the sessions under test ------------------------------------------------------------

@cache
def plan_of(profile: str) -> Plan:
    return plan_for(make_profile(**PROFILES[profile]), weeks=WEEKS)


def sessions_of(profile: str) -> list[Session]:
    return [session for _, session in plan_of(profile).sessions()]


def session_of(items: Sequence[Doc], when: date = START) -> Session:
    """A hand-written session (a warm-up first, as every session has)."""
    return Session.model_validate(session_doc(when, items))


def hand_written() -> list[Session]:
    """Shapes the planner does not make: a per-side hold, an uneven superset, one set."""
    uneven = [item_doc("leg_lift", sets=[10, 10, 8]) | {"superset": "B"},
              item_doc("wall_sit") | {"superset": "B", "sets": [{"hold_s": 40}] * 2}]
    return [
        session_of([item_doc("copenhagen_plank"), item_doc("wall_sit")]),
        session_of([*uneven, item_doc("nordic_hamstring_curl", sets=[6]) | {"rest_s": 0}]),
        session_of([item_doc("nordic_hamstring_curl", sets=[8, 8, 6, 6, 6])]),
    ]


def all_sessions() -> list[Session]:
    return [s for profile in PROFILES for s in sessions_of(profile)] + hand_written()


@cache
def written(profile: str) -> list[tuple[Session, bytes]]:
    sessions = hand_written() if profile == "hand_written" else sessions_of(profile)
    return [(s, workout_fit(s, name=s.title, catalogue=load_catalogue())) for s in sessions]


SOURCES = [*PROFILES, "hand_written"]


def test_samples_cover_every_step_shape() -> None:
    items = [i for s in all_sessions() for i in s.items]
    dates = [s.date for s in sessions_of("return_from_strain")]
    work = [i for i in items if i.exercise != "dynamic_warm_up"]
    assert any(dose(i, 0)[0] == "time" for i in work), "a hold"
    assert any(i.per_side and dose(i, 0)[0] == "time" for i in work), "a per-side hold"
    assert any(i.per_side for i in work) and any(i.superset for i in work)
    assert any(len(set(i.sets)) > 1 for i in work), "sets that differ"
    assert any(len(i.sets) == 1 for i in work) and any(i.rest_s == 0 for i in work)
    assert len(dates) > len(set(dates)), "two sessions on one day"


# -- the file ---------------------------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
def test_workout_fit_is_a_strength_workout_file(source: str) -> None:
    for session, data in written(source):
        read = decode(data)
        assert read.file_id["type"] == "workout"
        assert read.workout["sport"] == "training"
        assert read.workout["sub_sport"] == "strength_training"
        assert read.workout["wkt_name"] == session.title
        assert read.workout["num_valid_steps"] == len(read.steps)
        assert [s.index for s in read.steps] == list(range(len(read.steps)))


@pytest.mark.parametrize("source", SOURCES)
def test_workout_fit_runs_the_plan_set_by_set(source: str) -> None:
    for session, data in written(source):
        assert file_timeline(decode(data).steps) == planned_timeline(session), session.date
        assert file_timeline(decode_fitdecode(data).steps) == planned_timeline(session)


@pytest.mark.parametrize("source", SOURCES)
def test_workout_fit_round_trip_gives_the_plan_doses(source: str) -> None:
    for session, data in written(source):
        assert round_trip(data) == planned_doses(session), session.date


@pytest.mark.parametrize("source", SOURCES)
def test_workout_fit_writes_equal_rounds_once_with_a_repeat(source: str) -> None:
    for session, data in written(source):
        assert len(decode(data).steps) == expected_step_count(session), session.date


@pytest.mark.parametrize("source", SOURCES)
def test_workout_fit_marks_warm_up_work_and_rest(source: str) -> None:
    expected = {"Dynamic warm-up": "warmup", "Rest": "rest"}
    for _, data in written(source):
        for step in decode(data).steps:
            if step.kind != "repeat":
                assert step.intensity == expected.get(step.title, "active"), step


@pytest.mark.parametrize("source", SOURCES)
def test_workout_fit_exercises_are_fit_profile_values(source: str) -> None:
    categories = Profile["types"]["exercise_category"]
    for session, data in written(source):
        work = [s for s in decode(data).steps if s.kind != "repeat" and s.intensity != "rest"]
        assert {s.title for s in work} == {title(i) for i in session.items}
        for step in work:
            assert step.category in categories.values(), step
            if step.exercise_name is not None:
                assert step.exercise_name in Profile["types"][f"{step.category}_exercise_name"]


@pytest.mark.parametrize(
    ("sets", "per_side", "rest_s", "shape"),
    [
        ([8, 8, 8], False, 60, ["reps 8", "rest 60", "repeat 3 from 1"]),
        ([8, 8, 8], True, 60, ["reps 8", "reps 8", "rest 60", "repeat 3 from 1"]),
        ([12, 10, 8], False, 60, ["reps 12", "rest 60", "reps 10", "rest 60", "reps 8",
                                  "rest 60"]),
        ([8, 8, 6], False, 0, ["reps 8", "repeat 2 from 1", "reps 6"]),
        ([5], False, 90, ["reps 5", "rest 90"]),
    ],
)
def test_workout_fit_step_shape(sets: list[int], per_side: bool, rest_s: int,
                                shape: list[str]) -> None:
    item = item_doc("squat", sets=sets) | {"per_side": per_side, "rest_s": rest_s}
    data = workout_fit(session_of([item]), name="shape", catalogue=load_catalogue())
    steps = decode(data).steps[1:]  # after the warm-up
    assert [f"repeat {s.value} from {s.first}" if s.kind == "repeat"
            else f"rest {s.value:g}" if s.intensity == "rest" else f"{s.kind} {s.value:g}"
            for s in steps] == shape


# -- the exercise table -----------------------------------------------------------------

def test_fit_exercises_cover_the_catalogue() -> None:
    assert set(FIT_EXERCISES) == set(load_catalogue())
    assert len(FIT_EXERCISES) == 40


@pytest.mark.parametrize("exercise_id", sorted(FIT_EXERCISES))
def test_fit_exercises_agree_with_the_garmin_profile(exercise_id: str) -> None:
    """fit-tool's enum values must mean the same in Garmin's own profile."""
    fit = FIT_EXERCISES[exercise_id]
    category = Profile["types"]["exercise_category"][fit.category.value]
    assert category == fit.category.name.lower()
    if fit.name is not None:
        names = Profile["types"][f"{category}_exercise_name"]
        assert names[fit.name.value] == fit.name.name.lower()


def test_workout_fit_maps_every_catalogue_exercise() -> None:
    catalogue = load_catalogue()
    ids = sorted(catalogue)
    for part in (ids[:18], ids[18:]):  # a session holds at most 30 items
        session = session_of([item_doc(i) for i in part if i != "dynamic_warm_up"])
        for step in decode(workout_fit(session, name="all", catalogue=catalogue)).steps:
            if step.kind == "repeat" or step.intensity == "rest":
                continue
            fit = FIT_EXERCISES[next(i for i in ids if catalogue[i].name == step.title)]
            assert step.category == fit.category.name.lower()
            assert step.exercise_name == (fit.name.value if fit.name else None)


def test_fit_exercises_are_documented() -> None:
    """docs/activities.md has the table, and names every exercise without a FIT match."""
    text = (ROOT / "docs" / "activities.md").read_text(encoding="utf-8")
    section = text.split("## FIT workout export", 1)[1].split("\n## ", 1)[0]
    catalogue = load_catalogue()
    for exercise_id, fit in FIT_EXERCISES.items():
        name = f"`{fit.name.name.lower()}`" if fit.name else "none"
        row = f"| {catalogue[exercise_id].name} | `{fit.category.name.lower()}` | {name} |"
        assert row in section
    unmatched = [catalogue[i].name for i, fit in FIT_EXERCISES.items() if fit.name is None]
    listed = " ".join(section.split("No FIT equivalent", 1)[1].split("\n\n", 1)[0].split())
    assert f"({len(unmatched)})" in listed
    assert [name for name in unmatched if name not in listed] == []


# -- strings, names and files -----------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "limit", "keep", "expected"),
    [
        ("Squat", 254, "", "Squat"),
        ("Squat", 3, "", "Squ"),
        ("éé", 3, "", "é"),  # two bytes each: the second would be cut in half
        ("a🦵b", 4, "", "a"),  # four bytes
        ("Split squat", 12, " (left)", "Split (left)"),
        ("no\0nul", 254, "", "nonul"),
    ],
)
def test_fit_string_cuts_whole_characters(text: str, limit: int, keep: str,
                                          expected: str) -> None:
    assert fit_string(text, limit=limit, keep=keep) == expected


def test_workout_fit_truncates_long_names_to_the_field_size() -> None:
    long_title = "Übung " * 60
    renamed = [e.model_copy(update={"name": long_title}) if e.id == "split_squat" else e
               for e in load_catalogue().values()]
    session = session_of([item_doc("split_squat")])
    data = workout_fit(session, name="Ø" * 300, catalogue=Catalogue(renamed))
    read = decode(data)
    assert len(read.workout["wkt_name"].encode()) <= MAX_STRING_BYTES
    assert "Ø" * 100 in read.workout["wkt_name"]
    sided = [s for s in read.steps if s.side is not None]
    assert {s.side for s in sided} == {"left", "right"}
    for step in sided:
        assert len((step.name or "").encode()) <= MAX_STRING_BYTES
        assert long_title.startswith(step.title)


def test_workout_fit_same_session_same_bytes() -> None:
    first, second = sessions_of("full_gym")[:2]
    catalogue = load_catalogue()
    data = workout_fit(first, name="A", catalogue=catalogue)
    assert data == workout_fit(first, name="A", catalogue=catalogue)
    other = workout_fit(second, name="A", catalogue=catalogue)
    assert decode(data).file_id["serial_number"] != decode(other).file_id["serial_number"]


def test_fit_file_names_number_a_second_session_on_one_day() -> None:
    sessions = [session_of([], day(0)), session_of([], day(0)), session_of([], day(1))]
    assert fit_file_names(sessions) == ["2027-01-04-hamstride.fit", "2027-01-04-2-hamstride.fit",
                                        "2027-01-05-hamstride.fit"]


def test_week_fits_writes_one_file_per_session() -> None:
    week: Week = plan_of("return_from_strain").weeks[0]
    files = week_fits(week, catalogue=load_catalogue())
    assert [name for name, _ in files] == fit_file_names(week.sessions)
    assert len({name for name, _ in files}) == len(week.sessions)
    for (_, data), session in zip(files, week.sessions, strict=True):
        assert decode(data).workout["wkt_name"] == session.title
        assert round_trip(data) == planned_doses(session)


def test_workout_fit_library_errors_become_plan_format_errors(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: FitFileBuilder) -> None:
        raise FitEncodingError("no")

    monkeypatch.setattr(FitFileBuilder, "build", refuse)
    with pytest.raises(PlanFormatError) as caught:
        workout_fit(sessions_of("full_gym")[0], name="x", catalogue=load_catalogue())
    assert isinstance(caught.value.__cause__, FitEncodingError)


# -- against the FIT SDK's own example --------------------------------------------------

@pytest.mark.parametrize("example", SDK_EXAMPLES, ids=lambda p: p.name)
def test_workout_fit_repeats_are_encoded_like_the_sdk_example(example: Path) -> None:
    """The SDK example repeats B1, B2 three times in all; ours must use the same fields."""
    theirs = decode(example.read_bytes())
    assert [s.name for s in executed(theirs.steps)] == ["_A_", *["B1_", "B2_"] * 3, "_C_"]
    session = session_of([item_doc("squat", sets=[8, 8, 8])])
    ours = decode(workout_fit(session, name="repeat", catalogue=load_catalogue()))
    [their_raw] = [r for r in theirs.raw_steps if r["duration_type"] == REPEAT]
    [our_raw] = [r for r in ours.raw_steps if r["duration_type"] == REPEAT]
    assert set(our_raw) <= set(their_raw)
    for raw in (their_raw, our_raw):
        assert raw["target_type"] == "open"
        assert raw["duration_step"] == raw["duration_value"] < raw["message_index"]
        assert raw["repeat_steps"] == raw["target_value"] > 1
