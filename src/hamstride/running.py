"""The running use cases the interfaces share: import activity files, list them, correct a
run's kind, running load, and the plan following the real running week.

Like ``hamstride.coach``: the CLI, the API and the web pages parse, call one of these and
render; every function takes the store and the day it acts on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hamstride import coach
from hamstride.activities.sources import Source, read_source
from hamstride.errors import InputError, NotFoundError
from hamstride.store import Store
from hamstride.training.activity import Activity
from hamstride.training.adaptation import plan_end
from hamstride.training.load import LoadReport, load_report
from hamstride.training.profile import RunningWeek
from hamstride.training.replacement import moved_sessions
from hamstride.training.running_week import LearnedWeek, describe, week_changes
from hamstride.training.runs import classify_runs
from hamstride.vocabulary import RunType

IMPORTED, DUPLICATE, SKIPPED = "imported", "duplicate", "skipped"
MIN_ID_START = 6  # the shortest start of an id taken for the whole id


@dataclass(frozen=True, slots=True)
class ImportLine:
    """One result of an import: per activity read (a file may hold several), or per
    file skipped. The JSON form is ``{"path", "status", "reason", "activity_id"}``."""

    path: str
    status: str
    reason: str | None = None
    activity_id: str | None = None

    def to_document(self) -> dict[str, str | None]:
        return {"path": self.path, "status": self.status, "reason": self.reason,
                "activity_id": self.activity_id}


@dataclass(frozen=True)
class ImportReport:
    lines: tuple[ImportLine, ...]
    plan_changes: tuple[str, ...] = ()  # what moved in the plan, and why
    plan_note: str = ""  # why the plan did not follow, when it did not
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{self.counts.get(status, 0)} {status}"
                 for status in (IMPORTED, DUPLICATE, SKIPPED)]
        return f"{len(self.lines)} results: " + ", ".join(parts) + "."


def import_sources(store: Store, name: str, sources: Sequence[Source], today: date, *,
                   refused: Sequence[ImportLine] = (),
                   after_each: Callable[[ImportLine], None] | None = None) -> ImportReport:
    """Read and store each source in its own transaction; a bad file is a ``skipped``
    line, never the end of the import (``refused``: files the interface already turned
    away, reported first). When runs were added, the plan follows the running week they
    show."""
    before = coach.followed_week(store, name, today)
    lines: list[ImportLine] = list(refused)
    for source in sources:
        for line in _import_one(store, name, source):
            lines.append(line)
            if after_each is not None:
                after_each(line)
    counts = {status: sum(1 for line in lines if line.status == status)
              for status in (IMPORTED, DUPLICATE, SKIPPED)}
    changes: tuple[str, ...] = ()
    note = ""
    if counts[IMPORTED]:
        changes, note = follow_running_week(store, name, today, before)
    return ImportReport(tuple(lines), changes, note, counts)


def _import_one(store: Store, name: str, source: Source) -> list[ImportLine]:
    read = read_source(source)
    if read.reason is not None or not read.activities:
        return [ImportLine(read.label, SKIPPED, read.reason or "no activity in the file")]
    saved = store.save_activities(profile_name=name, activities=read.activities,
                                  label=read.label)
    why = {a.id: a.too_short for a in read.activities}
    return [ImportLine(read.label, s.status, why.get(s.activity_id), s.activity_id)
            for s in saved]


def follow_running_week(store: Store, name: str, today: date,
                        before: RunningWeek | None) -> tuple[tuple[str, ...], str]:
    """When the running week plans follow is no longer ``before`` (the week followed
    before the runs changed), regenerate the rest of the plan on the new one: how the
    week changed and which sessions moved, in words, or why nothing was regenerated."""
    after = coach.followed_week(store, name, today)
    if after is None or after == before:
        return (), ""  # nothing the plan depends on changed
    try:
        current: coach.Plans | None = coach.plans(store, name)
    except coach.NoPlanError:
        current = None
    replanned, note = coach.replan(store, name, today)
    if replanned is None or current is None:
        return (), note
    # regenerated weeks may run a few days past the plan's end: those are not moves
    moves = [m.describe() for m in moved_sessions(current.active, replanned, since=today,
                                                  until=plan_end(current.original))]
    return tuple(_week_reasons(store, name, today, before, after)
                 + (moves or ["No strength session had to move."])), ""


def _week_reasons(store: Store, name: str, today: date, before: RunningWeek | None,
                  after: RunningWeek) -> list[str]:
    learned = coach.learned_week(store, name, today)
    if learned is None:
        return ["Your plan follows the running week of your profile again: there are not "
                "enough recent runs to learn yours."]
    if before is None:
        return []
    return describe(week_changes(before, after), learned)


# -- the activities ------------------------------------------------------------------------

@dataclass(frozen=True)
class ActivityView:
    """One activity as listed: what the file said, and the run's kind."""

    activity: Activity
    kind: RunType | None  # None for other sports
    corrected: bool
    source_label: str

    @property
    def id(self) -> str:
        return self.activity.id

    def to_document(self) -> dict[str, Any]:
        a = self.activity
        return {"id": a.id, "sport": a.sport.value, "start": a.start.isoformat(),
                "duration_s": a.duration_s, "moving_s": a.moving_s,
                "distance_m": a.distance_m, "elevation_gain_m": a.elevation_gain_m,
                "avg_hr": a.avg_hr, "max_hr": a.max_hr,
                "kind": None if self.kind is None else self.kind.value,
                "corrected": self.corrected, "not_a_run": a.too_short,
                "name": a.name, "rpe": a.rpe,
                "laps": len(a.laps), "source": a.source.value, "file": self.source_label}

    @property
    def start(self) -> datetime:
        return self.activity.start


def listing(store: Store, name: str) -> list[ActivityView]:
    """Every activity, oldest first; runs with their kind (the runner's, if corrected)."""
    stored = store.activities(profile_name=name)
    kinds = {k.activity_id: k for k in classify_runs([s.activity for s in stored],
                                                      coach.corrections(stored))}
    views = []
    for s in stored:
        kind = kinds.get(s.activity.id)
        views.append(ActivityView(s.activity, None if kind is None else kind.kind,
                                  kind is not None and kind.corrected, s.source_label))
    return views


@dataclass(frozen=True)
class KindChange:
    activity: ActivityView  # as listed after the change
    plan_changes: tuple[str, ...]
    plan_note: str


def set_kind(store: Store, name: str, activity_id: str, kind: RunType | None,
             today: date) -> KindChange:
    """Correct a run's kind (None: back to the classifier's); the plan follows. The id
    may be the start of one (``hamstride runs list`` shows ten characters)."""
    view = _by_id(listing(store, name), activity_id)
    if view.kind is None:
        raise InputError(f"activity {view.id} is not a run ({view.activity.sport.value}):"
                         " only runs have a kind.", field="id")
    if kind is RunType.REST:
        raise InputError("kind: a run cannot be a rest day; use easy, long, intervals, "
                         "tempo, hills or race.", field="kind")
    before = coach.followed_week(store, name, today)
    store.set_activity_kind(profile_name=name, activity_id=view.id,
                            kind=None if kind is None else kind.value)
    changes, note = follow_running_week(store, name, today, before)
    return KindChange(_by_id(listing(store, name), view.id), changes, note)


def _by_id(views: Sequence[ActivityView], activity_id: str) -> ActivityView:
    """The activity with this id, or the only one whose id starts with it (as git takes
    a short commit id)."""
    found = [v for v in views if v.id == activity_id]
    if not found and len(activity_id) >= MIN_ID_START:
        found = [v for v in views if v.id.startswith(activity_id)]
    if len(found) > 1:
        raise InputError(f"id: '{activity_id}' starts {len(found)} activity ids; give more "
                         "of it.", field="id")
    if not found:
        raise NotFoundError(f"no activity with id '{activity_id}'.", field="id",
                            cli_hint="`hamstride runs list` shows the ids.")
    return found[0]


def load(store: Store, name: str, today: date, *, weeks: int, rest_hr: int | None = None,
         max_hr: int | None = None) -> LoadReport:
    stored = store.activities(profile_name=name)
    strength = store.log_sessions(profile_name=name, until=today)
    extra: dict[str, Any] = {} if rest_hr is None else {"rest_hr": rest_hr}
    return load_report([s.activity for s in stored], strength, today,
                       corrections=coach.corrections(stored), max_hr=max_hr, weeks=weeks,
                       by=coach.weeks_of(store, name), **extra)


def running_week(store: Store, name: str, today: date) -> LearnedWeek | None:
    return coach.learned_week(store, name, today)
