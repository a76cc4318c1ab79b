"""Typed factories for the training-core tests: profiles, plans, and plan mutations.

Profiles are built through ``profile_from_data`` (the same path a profile file takes),
so every factory-made profile is one a runner could write down.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from hamstride.catalogue import Catalogue, Exercise, load_catalogue
from hamstride.evidence import SOURCES
from hamstride.training.checker import check_plan
from hamstride.training.plan import Item, Plan, Session, plan_from_data
from hamstride.training.planner import generate_plan
from hamstride.training.profile import Profile, profile_from_data
from hamstride.training.rules.base import Violation
from hamstride.training.timing import estimate_minutes

START = date(2027, 1, 4)  # a Monday
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
GYM = (
    "barbell", "dumbbells", "bench", "box", "step", "leg_curl_machine", "leg_press_machine",
    "hip_extension_bench", "nordic_anchor", "wall", "slider", "stability_ball",
    "resistance_band", "kettlebell", "chair",
)
KEY_WEEK = {"mon": "easy", "tue": "intervals", "wed": "easy", "thu": "tempo", "sat": "long"}

Doc = dict[str, Any]


def catalogue() -> Catalogue:
    return load_catalogue()


def day(offset: int, start: date = START) -> date:
    """The date ``offset`` days after ``start``."""
    return start + timedelta(days=offset)


def race(when: date, priority: str = "A", name: str | None = None) -> Doc:
    return {"date": when.isoformat(), "name": name or f"{priority} race {when}",
            "priority": priority}


def strain(when: date, side: str = "left") -> Doc:
    return {"hamstring_strain": {"date": when.isoformat(), "side": side}}


def profile_data(
    *,
    week: dict[str, str] | None = None,
    races: Sequence[Doc] = (),
    weekly_km: float | None = None,
    **overrides: Any,
) -> Doc:
    """A profile document: an intermediate runner with a gym and a Nordic anchor by
    default; ``week`` and ``races`` fill the running section, top-level keys override.
    ``weekly_km`` is 40 by default, 0 for a week with no running day (a profile may not
    claim kilometres without a day to run them)."""
    if weekly_km is None:
        weekly_km = 40 if any(run != "rest" for run in (week or {}).values()) else 0
    data: Doc = {
        "name": "Test Runner",
        "level": "intermediate",
        "goal": "prevent_injury",
        "session_minutes": 45,
        "equipment": list(GYM),
        "strength_days": list(ALL_DAYS),
        "running": {"weekly_km": weekly_km, "week": dict(week or {}), "races": list(races)},
    }
    data.update(overrides)
    return data


def make_profile(
    *,
    week: dict[str, str] | None = None,
    races: Sequence[Doc] = (),
    weekly_km: float | None = None,
    **overrides: Any,
) -> Profile:
    return profile_from_data(profile_data(week=week, races=races, weekly_km=weekly_km,
                                          **overrides))


def plan_for(profile: Profile, *, start: date = START, weeks: int = 12,
             verify: bool = True) -> Plan:
    return generate_plan(profile, start=start, weeks=weeks, catalogue=catalogue(),
                         verify=verify)


def violations(plan: Plan, profile: Profile) -> list[Violation]:
    return check_plan(plan, profile, catalogue())


def rules_of(found: Iterable[Violation]) -> set[str]:
    return {v.rule for v in found}


def dated(found: Iterable[Violation], rule: str) -> set[date | None]:
    """The dates of the violations of ``rule``."""
    return {v.date for v in found if v.rule == rule}


# -- reading plans --------------------------------------------------------------------

def sessions(plan: Plan) -> list[Session]:
    return [s for _, s in plan.sessions()]


def exercise_of(item: Item) -> Exercise:
    return catalogue()[item.exercise]


def work_items(session: Session) -> list[Item]:
    return [i for i in session.items if not exercise_of(i).is_warm_up]


def has(session: Session, exercise_id: str) -> bool:
    return any(i.exercise == exercise_id for i in session.items)


def is_l_only(session: Session) -> bool:
    work = work_items(session)
    return bool(work) and all(exercise_of(i).is_l_protocol for i in work)


def strength_sessions(sessions_: Iterable[Session]) -> list[Session]:
    return [s for s in sessions_ if not is_l_only(s)]


def nordic_reps(session: Session) -> list[list[int]]:
    return [[getattr(st, "reps", 0) for st in i.sets] for i in session.items
            if i.exercise == "nordic_hamstring_curl"]


def cites(text: str) -> bool:
    return any(source in text for source in SOURCES)


# -- mutating plans -------------------------------------------------------------------

def mutate(plan: Plan, change: Callable[[Doc], object]) -> Plan:
    """A copy of ``plan`` with ``change`` applied to its document and every stated
    estimate refreshed, so that rule 1 breaks only when the change makes a session long."""
    doc = copy.deepcopy(plan.to_document())
    change(doc)
    refresh_estimates(doc)
    return plan_from_data(doc)


def mutate_raw(plan: Plan, change: Callable[[Doc], object]) -> Plan:
    """Like ``mutate`` but leaves the stated estimates alone (for dishonest estimates)."""
    doc = copy.deepcopy(plan.to_document())
    change(doc)
    return plan_from_data(doc)


def refresh_estimates(doc: Doc) -> None:
    for week in doc["weeks"]:
        for s in week["sessions"]:
            items = [Item.model_validate(i) for i in s["items"]]
            s["estimated_minutes"] = estimate_minutes(items)


def doc_sessions(doc: Doc) -> list[Doc]:
    return [s for week in doc["weeks"] for s in week["sessions"]]


def doc_session_on(doc: Doc, when: date) -> Doc:
    found = [s for s in doc_sessions(doc) if s["date"] == when.isoformat()]
    assert found, f"no session on {when}"
    return found[0]


def week_of(doc: Doc, when: date) -> Doc:
    start = date.fromisoformat(doc["start"])
    week: Doc = doc["weeks"][(when - start).days // 7]
    return week


def item_doc(exercise_id: str, *, sets: Sequence[int] | None = None, hold_s: int | None = None,
             notes: str = "Test item (Bourne 2017).") -> Doc:
    """A plan item for ``exercise_id`` at its catalogue dose (or the given reps)."""
    exercise = catalogue()[exercise_id]
    dose = exercise.dose
    if hold_s is not None or (sets is None and dose.hold_s is not None):
        set_docs = [{"hold_s": hold_s or dose.hold_s} for _ in range(dose.sets)]
    else:
        reps = list(sets) if sets is not None else [dose.reps or 1] * dose.sets
        set_docs = [{"reps": r} for r in reps]
    return {
        "exercise": exercise_id, "equipment": [e.value for e in exercise.equipment],
        "sets": set_docs, "per_side": dose.per_side, "rest_s": dose.rest_s,
        "tempo": dose.tempo, "superset": None, "notes": notes,
        "rm": max(r["reps"] for r in set_docs) if dose.rm else None,
    }


def warm_up_doc(hold_s: int = 120) -> Doc:
    return item_doc("dynamic_warm_up", hold_s=hold_s, notes="")


def session_doc(when: date, items: Sequence[Doc], *, notes: str = "Test session "
                "(Blagrove 2018).", title: str = "Test session") -> Doc:
    return {"date": when.isoformat(), "title": title, "estimated_minutes": 0,
            "notes": notes, "items": [warm_up_doc(), *items]}


def add_session(doc: Doc, session: Doc) -> None:
    """Insert ``session`` into the week that covers its date, in date order."""
    week = week_of(doc, date.fromisoformat(session["date"]))
    week["sessions"].append(session)
    week["sessions"].sort(key=lambda s: s["date"])


def remove_session(doc: Doc, when: date) -> None:
    week = week_of(doc, when)
    week["sessions"] = [s for s in week["sessions"] if s["date"] != when.isoformat()]


def move_session(doc: Doc, when: date, to: date) -> Doc:
    """Re-date the (first) session on ``when``; it must stay in the same plan week."""
    session = doc_session_on(doc, when)
    assert week_of(doc, when) is week_of(doc, to), "a move must stay inside its week"
    session["date"] = to.isoformat()
    week_of(doc, to)["sessions"].sort(key=lambda s: s["date"])
    return session


def drop_items(session: Doc, keep: Callable[[Exercise], bool]) -> None:
    """Keep only the items whose exercise passes ``keep`` (the warm-up always stays)."""
    session["items"] = [i for i in session["items"]
                        if catalogue()[i["exercise"]].is_warm_up
                        or keep(catalogue()[i["exercise"]])]


def swap_exercise(session: Doc, old: str, new: str, **dose: Any) -> None:
    """Replace every ``old`` item of a session by ``new`` at its catalogue dose."""
    session["items"] = [item_doc(new, **dose) if i["exercise"] == old else i
                        for i in session["items"]]
