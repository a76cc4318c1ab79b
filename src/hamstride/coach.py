"""The coach: the use cases the interfaces share, over the store and the pure core.

The CLI (and later the web app and the API) parse, call one of these, and render; the
training rules stay in ``hamstride.training``. Every function takes the store and the
date ("today") it should act on: nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from hamstride.catalogue import Catalogue, load_catalogue
from hamstride.errors import EntryNotFound, InputError, PlanError, StoreError
from hamstride.store import Store, StoredPlan, StoredProfile
from hamstride.store.coaching import StoredPrescription
from hamstride.store.models import utc
from hamstride.store.records import StoredActivity
from hamstride.training.adaptation import (
    adapt_plan,
    lapsed,
    overtaken,
    plan_end,
    planned_from,
    returning,
)
from hamstride.training.analytics import (
    Planned,
    ProgressReport,
    log_needed_from,
    progress_report,
)
from hamstride.training.log import (
    FieldTest,
    LogError,
    LoggedSession,
    Side,
    check_exercises,
    session_from_data,
)
from hamstride.training.plan import SCHEMA_ID as PLAN_SCHEMA
from hamstride.training.plan import Continues, HoldSet, Plan, Session, plan_from_data
from hamstride.training.planner import generate_plan
from hamstride.training.profile import (
    Care,
    Clearance,
    Hold,
    Profile,
    RunningWeek,
    profile_from_data,
)
from hamstride.training.return_stages import ReturnStatus
from hamstride.training.running_week import (
    LearnedWeek,
    describe,
    learn_week,
    merge_week,
    week_changes,
)
from hamstride.training.weeks import Weeks
from hamstride.vocabulary import Day, RunType


class NoPlanError(StoreError):
    """There is no plan to follow yet."""

    status = 404


@dataclass(frozen=True)
class Plans:
    """A profile's plans: the one it made (``original``) and the one it follows now
    (``active``: the original, or the original regenerated from the log)."""

    profile: Profile
    original: Plan
    active: Plan
    active_saved_at: datetime  # when the active plan was stored (for lazy replanning)


@dataclass(frozen=True)
class LogOutcome:
    inserted: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    replanned: Plan | None  # the plan regenerated from the log, if it changed
    note: str  # why the plan was not regenerated, when it was not
    planned: bool = True  # the profile had a plan when the entries were saved


@dataclass(frozen=True)
class Today:
    day: date
    sessions: tuple[Session, ...]  # planned for the day (the L-protocol may add a bout)
    logged: tuple[LoggedSession, ...]  # already logged on the day
    next_day: date | None  # the next planned session after the day
    returning: ReturnStatus | None = None  # the return stage after a recent strain

    @property
    def rest_day(self) -> bool:
        return not self.sessions and not self.logged


def profile_name(store: Store, name: str | None) -> str:
    """The named profile, or the one whose plan was made or changed last."""
    if name is not None:
        if store.get_profile(name=name) is None:
            raise InputError(f"--profile: no profile named '{name}'; `hamstride plan` or "
                             "`hamstride init` stores one.", field="profile")
        return name
    active = store.active_plan()
    if active is None:
        raise NoPlanError("no plan yet: make one with `hamstride plan PROFILE`.")
    return active.profile_name


def weeks_of(store: Store, name: str) -> Weeks:
    """The runner's weeks (training/weeks.py): those of the plan they made, counted from
    its start day; ISO weeks when there is no plan."""
    originals = _originals(store.list_plans(profile_name=name))
    return Weeks.of_plan(originals[0].start if originals else None)


def _originals(stored: Sequence[StoredPlan]) -> list[StoredPlan]:
    """The plans a runner made, not regenerated from the log."""
    return [p for p in stored if not p.regenerated]


@dataclass(frozen=True)
class _Stored:
    """A profile's plans as stored, before either is validated (``plans`` validates)."""

    profile: Profile
    original: StoredPlan
    active: StoredPlan


def _stored(store: Store, name: str) -> _Stored:
    stored, original, active = store.profile_and_plans(profile_name=name)
    if stored is None:
        raise InputError(f"no profile named '{name}'", field="profile")
    if original is None or active is None:
        raise NoPlanError(f"'{name}' has no plan yet.",
                          cli_hint="Make one with `hamstride plan`.")
    profile = profile_from_data(stored.document, source=f"stored profile '{name}'")
    return _Stored(with_care(profile, store.coaching.prescriptions([stored.id])),
                   original, active)


def plans(store: Store, name: str) -> Plans:
    return _plans(store, _stored(store, name))


def _plans(store: Store, stored: _Stored) -> Plans:
    return Plans(stored.profile, _plan(store, stored.original), _plan(store, stored.active),
                 stored.active.created_at)


def with_care(profile: Profile, prescriptions: Sequence[StoredPrescription]) -> Profile:
    """The profile as its coaches and physiotherapists prescribed (hamstride.coaching
    stores what they prescribe): held exercises and a return-stage clearance in its care,
    session minutes and strength days set. Plans are made from this, never from the bare
    profile, so whatever made the plan, the prescriptions hold."""
    if not prescriptions:
        return profile
    held = {h.exercise: h for h in profile.care.held}
    cleared = profile.care.cleared
    changed: dict[str, object] = {}
    for given in prescriptions:  # oldest first: a later one of a kind wins
        value = given.value
        if given.kind == "hold":
            held[value["exercise"]] = Hold(exercise=value["exercise"], by=given.author,
                                           reason=given.reason)
        elif given.kind == "clear":
            cleared = Clearance(stage=value["stage"], on=date.fromisoformat(value["on"]),
                                by=given.author, reason=given.reason)
        elif given.kind == "minutes":
            changed["session_minutes"] = int(value["minutes"])
        elif given.kind == "days":
            changed["strength_days"] = [Day(d) for d in value["days"]]
    care = Care(held=list(held.values()), cleared=cleared)
    return profile.model_copy(update={**changed, "care": care})


def fresh_plans(store: Store, name: str, today: date) -> Plans:
    """The profile's plans, regenerated first if the log changed since the active plan
    was made (logging through the API defers the replan to the next read) or a lapse has
    overtaken it (the dose shown today is then already the restarted one)."""
    current = plans(store, name)
    if _log_moved(store, name, current.active_saved_at) or overtaken(current.active, today):
        replanned, _ = replan(store, name, today)
        if replanned is not None:
            return plans(store, name)
    return current


def _log_moved(store: Store, name: str, since: datetime) -> bool:
    """Whether the profile's log was written after ``since`` (when its active plan was
    made): told by the freshness the store keeps, so mostly without a query."""
    changed = store.freshness(profile_name=name).log_changed_at
    return changed is not None and utc(changed) > since


PLANS_KEPT = 32
"""Validated plans kept per process, the latest: those of the runners using it now. A
kept plan is ~66,000 objects that every full collection of the cycle collector scans; on
a server with thousands of runners, keeping each one's plans made those collections take
up to 0.8 s (bench/RESULTS.md, issue 13)."""


def _plan(store: Store, stored: StoredPlan) -> Plan:
    """A stored plan as a model. Stored plans never change, so the latest ones are kept
    validated (``PLANS_KEPT``; the web app reads the same plan on every request)."""
    key = ("plan", stored.id, stored.created_at)
    plan = store.kept.get(key)
    if not isinstance(plan, Plan):
        plan = plan_from_data(stored.document, source=f"stored plan {stored.id}")
        store.kept.put(key, plan, at_most=PLANS_KEPT)
    return plan


def _validated(store: Store, stored: StoredPlan) -> Plan:
    """The plan as ``_plan`` keeps it, without keeping it: for answers that keep only a
    little of it (a kept plan is thousands of objects the cycle collector scans)."""
    plan = store.kept.get(("plan", stored.id, stored.created_at))
    if isinstance(plan, Plan):
        return plan
    return plan_from_data(stored.document, source=f"stored plan {stored.id}")


# -- profiles and plans ---------------------------------------------------------------------

def save_profile(store: Store, profile: Profile) -> StoredProfile:
    """Store the profile (new, or replacing the one with its name) as the core wrote it."""
    return store.save_profile(name=profile.name, document=profile.to_document())



def make_plan(store: Store, profile: Profile, *, start: date, weeks: int,
              today: date) -> tuple[Plan, StoredPlan]:
    """The one way a plan is made and kept (the CLI's ``plan``, the API's POST .../plans,
    the onboarding form): it follows the running week the runner's imported runs show,
    like every regenerated plan does, so the first log does not move its sessions. The
    plan is made before anything is stored: a profile no safe plan fits stores nothing."""
    stored = store.get_profile(name=profile.name)
    prescribed = store.coaching.prescriptions([stored.id]) if stored is not None else []
    made = generate_plan(following_runs(store, profile.name, with_care(profile, prescribed),
                                        today), start=start, weeks=weeks)
    save_profile(store, profile)
    saved = store.save_plan(profile_name=profile.name, start=made.start,
                            weeks=len(made.weeks), document=made.to_document())
    return made, saved


# -- logging ------------------------------------------------------------------------------

def validate_entries(entries: Sequence[LoggedSession], today: date,
                     catalogue: Catalogue | None = None) -> None:
    """What the store cannot know: exercises exist and nothing is logged ahead."""
    known = frozenset(catalogue or load_catalogue())
    for n, entry in enumerate(entries):
        source = f"entry {n + 1} ({entry.id})" if len(entries) > 1 else "log entry"
        check_exercises(entry, known, source=source)
        refuse_ahead(entry.date, today, f"{source}: date")


def refuse_ahead(day: date, today: date, what: str, field: str = "date") -> None:
    """The one rule for every interface: nothing is logged for a day still to come."""
    if day > today:
        raise LogError(f"{what}: {day} is in the future (today is {today}): log a session "
                       "or a test once it is done.", field=field)


def log(store: Store, name: str, entries: Sequence[LoggedSession], today: date, *,
        replan_now: bool = True, validated: bool = False) -> LogOutcome:
    """Store the entries (one transaction, idempotent by id) and regenerate the plan, now
    or (``replan_now=False``, for busy servers) at the next read of the plan.
    ``validated``: the caller already ran ``validate_entries`` on them (the API does, one
    entry at a time, to name the bad one)."""
    if not validated:
        validate_entries(entries, today)
    saved = store.save_log_sessions(profile_name=name, sessions=entries)
    replanned, note = None, ""
    if saved.changed and replan_now:
        replanned, note = replan(store, name, today)
    elif saved.changed:
        note = "the plan follows the log at its next read"
    return LogOutcome(saved.inserted, saved.updated, saved.unchanged, replanned, note,
                      planned=saved.planned is not False)


def morning(store: Store, name: str, pain: int, *, client_id: str | None, on: date | None,
            today: date) -> tuple[LoggedSession, Plan | None]:
    entry = store.set_morning_pain(profile_name=name, client_id=client_id, on=on, pain=pain)
    replanned, _ = replan(store, name, today)
    return entry, replanned


def delete_entry(store: Store, name: str, client_id: str,
                 today: date) -> tuple[Plan | None, str]:
    """Delete a logged session and its sets, then follow the log with the plan (what
    the CLI's ``log delete``, the API's DELETE and the player's Undo all do)."""
    if not store.delete_log_session(profile_name=name, client_id=client_id):
        raise EntryNotFound(f"'{name}' has no logged session '{client_id}'.", field="id")
    return replan(store, name, today)


def replan(store: Store, name: str, today: date) -> tuple[Plan | None, str]:
    """The rest of the profile's plan regenerated from its whole log, stored as active;
    without a plan there is nothing to regenerate (the log is kept all the same)."""
    try:
        current = plans(store, name)
    except NoPlanError as exc:
        return None, exc.message
    if today >= plan_end(current.original):
        return None, "the plan has ended: make a new one."
    history = store.log_sessions(profile_name=name)
    profile = following_runs(store, name, current.profile, today)
    try:
        adapted = adapt_plan(profile, current.original, history, today=today,
                             tests=store.field_tests(profile_name=name))
    except PlanError as exc:
        return None, str(exc)
    saved = store.save_plan(profile_name=name, start=adapted.start, weeks=len(adapted.weeks),
                            document=adapted.to_document(), regenerated=True)
    # earlier regenerations are superseded: derived data, rebuilt from plan and log
    stale = [i for i in store.regenerated_plan_ids(profile_name=name) if i != saved.id]
    store.delete_plans(plan_ids=stale)
    return adapted, ""


def as_planned(session: Session, *, on: date, duration_min: float | None = None,
               session_rpe: float | None = None, pain: int | None = None,
               notes: str = "") -> LoggedSession:
    """A log entry saying the planned session was done exactly as prescribed."""
    sets = []
    for item in session.items:
        sides = [Side.LEFT, Side.RIGHT] if item.per_side else [Side.BOTH]
        for dose in item.sets:
            for side in sides:
                measure = ({"hold_s": dose.hold_s} if isinstance(dose, HoldSet)
                           else {"reps": dose.reps})
                sets.append({"exercise": item.exercise, "side": side.value, **measure})
    return session_from_data({
        "date": on.isoformat(), "duration_min": duration_min or session.estimated_minutes,
        "session_rpe": session_rpe, "pain": pain, "notes": notes, "sets": sets})


# -- the running week the activities show ------------------------------------------------

def corrections(stored: Sequence[StoredActivity]) -> dict[str, RunType]:
    """The runner's own classification of runs, by activity id."""
    return {s.activity.id: RunType(s.kind) for s in stored if s.kind is not None}


def learned_week(store: Store, name: str, today: date) -> LearnedWeek | None:
    """The running week of the last 4-8 weeks of imported runs; None with too few (or no
    such profile yet)."""
    if not store.has_profile(name=name):
        return None
    stored = store.activities(profile_name=name)
    if not stored:
        return None
    return learn_week([s.activity for s in stored], today, corrections=corrections(stored))


def following_runs(store: Store, name: str, profile: Profile, today: date) -> Profile:
    """The profile with the running week its imported runs show (when they show one):
    plans follow what the runner actually runs, not what they typed months ago."""
    learned = learned_week(store, name, today)
    week = merge_week(profile.running.week, learned)
    if week == profile.running.week:
        return profile
    running = profile.running.model_copy(update={"week": week})
    return profile.model_copy(update={"running": running})


def followed_week(store: Store, name: str, today: date) -> RunningWeek | None:
    """The running week plans follow now: the one the runs show, else the profile's."""
    stored = store.get_profile(name=name)
    if stored is None:
        return None
    profile = profile_from_data(stored.document, source=f"stored profile '{name}'")
    return following_runs(store, name, profile, today).running.week


def running_week_reasons(store: Store, name: str, today: date) -> list[str]:
    """How the learned running week differs from the profile's, in plain words."""
    stored = store.get_profile(name=name)
    learned = learned_week(store, name, today)
    if stored is None or learned is None:
        return []
    typed = profile_from_data(stored.document, source=f"stored profile '{name}'").running.week
    return describe(week_changes(typed, learned.week), learned)


# -- today and progress -------------------------------------------------------------------

def today(store: Store, name: str, day: date) -> Today:
    """What is planned and logged on ``day``. Answers are kept per process while the
    active plan and the log stay as they were (one small query checks that)."""
    key = ("today", store.account, name, day, store.freshness(profile_name=name))
    shown = store.kept.get(key)
    if not isinstance(shown, Today):
        shown = _today(store, name, day)
        # kept under the freshness read before the answer was worked out: a write since
        # (ours, if the plan followed the log; another worker's) makes the next read
        # work it out again, never serve this one as current
        store.kept.put(key, shown)
    return shown


def kept_today(store: Store, name: str, day: date) -> Today | None:
    """``today()`` if its kept answer is known to be current without a query (the store
    can tell nothing was written since), else None: for callers that must not block."""
    fresh = store.known_freshness(profile_name=name)
    shown = None if fresh is None else store.kept.get(("today", store.account, name, day,
                                                        fresh))
    return shown if isinstance(shown, Today) else None


def _today(store: Store, name: str, day: date) -> Today:
    stored = _stored(store, name)
    shown = _today_from_documents(store, name, stored, day)
    if shown is not None:
        return shown
    current = fresh_plans(store, name, day)
    planned = planned_history(current)
    on_day = tuple(s for _, s in planned.sessions() if s.date == day)
    later = [s.date for _, s in planned.sessions() if s.date > day]
    logged = tuple(store.log_sessions(profile_name=name, since=day, until=day))
    return Today(day, on_day, logged, min(later, default=None),
                 return_advice(store, name, current.profile, current.original.start, day))


def _today_from_documents(store: Store, name: str, stored: _Stored,
                          day: date) -> Today | None:
    """``_today`` read straight out of the two stored plan documents, validating only the
    day's sessions: validating both plans was most of a cold answer's cost (~5 ms of a
    ~7 ms CPU at 10,000 athletes, bench/RESULTS.md, issue 13). None where
    ``_current_documents`` is None (then ``_today`` takes the long way)."""
    current = _current_documents(store, name, stored, day)
    if current is None:
        return None
    _, history = current
    try:
        on_day = tuple(Session.model_validate(s) for when, s in history if when == day)
    except ValidationError:
        return None
    later = min((when for when, _ in history if when > day), default=None)
    logged = tuple(store.log_sessions(profile_name=name, since=day, until=day))
    original_start = date.fromisoformat(stored.original.document["start"])
    return Today(day, on_day, logged, later,
                 return_advice(store, name, stored.profile, original_start, day))


def _current_documents(store: Store, name: str, stored: _Stored, day: date
                       ) -> tuple[date, list[tuple[date, dict[str, Any]]]] | None:
    """``planned_history``'s start and sessions (not validated) out of the stored plan
    documents, when they are current on ``day``. None when the plan must follow the log
    or a lapse first (``fresh_plans`` does that), or a document is not of the shape the
    store writes (then the caller validates, and a bad one fails as before)."""
    if _log_moved(store, name, stored.active.created_at):
        return None
    current = _document_history(stored.original.document, stored.active.document)
    if current is None:
        return None
    try:
        carried = stored.active.document.get("continues")
        continues = None if carried is None else Continues.model_validate(carried)
        if lapsed(continues, date.fromisoformat(stored.active.document["start"]), day):
            return None
    except (ValidationError, TypeError, ValueError, KeyError):
        return None
    return current


def return_advice(store: Store, name: str, profile: Profile, original_start: date,
                  day: date) -> ReturnStatus | None:
    """The return stage the log and field tests show on ``day``, after a recent strain."""
    if profile.strain is None:
        return None
    history = store.log_sessions(profile_name=name, until=day)
    return returning(profile, original_start, history,
                     store.field_tests(profile_name=name), day)


def planned_history(current: Plans) -> Plan:
    """What was planned for each day: the original plan up to the active plan's start,
    the active plan after it (the log's past stays as it was planned)."""
    return _history(current.original, current.active)


def _history(original: Plan, active: Plan) -> Plan:
    made = planned_from(active)
    if active.continues is None or made <= original.start:
        return active
    # both parts are validated plans already: join them without validating again
    before = [w.model_copy(update={"sessions": [s for s in w.sessions if s.date < made]})
              for w in original.weeks]
    weeks_before = (active.start - original.start).days // 7
    first, *later = active.weeks
    if weeks_before < len(before):  # the week the regeneration began in holds both
        joined = before[weeks_before]
        first = first.model_copy(update={"sessions": [*joined.sessions, *first.sessions]})
    weeks = [*before[:weeks_before], first, *later]
    return original.model_copy(update={"weeks": weeks, "continues": None})


def planned_days(store: Store, profile_ids: Sequence[int]) -> dict[int, tuple[date, ...]]:
    """The day of each session ``planned_history`` holds, for each of these profiles that
    has a plan (any account's: a coach's roster). Kept per pair of plans (stored plans
    never change), so only plans not seen before are read and validated, in one query;
    the validated plans themselves are not kept."""
    pairs = store.coaching.plan_pairs(profile_ids)
    days: dict[int, tuple[date, ...]] = {}
    missing: dict[int, tuple[object, ...]] = {}
    for profile_id, pair in pairs.items():
        key: tuple[object, ...] = ("planned days", *pair.original, *pair.active)
        found = store.kept.get(key)
        if isinstance(found, tuple):
            days[profile_id] = found
        else:
            missing[profile_id] = key
    if missing:
        wanted = [plan_id for p in missing for plan_id in (pairs[p].original[0],
                                                            pairs[p].active[0])]
        outlines = store.coaching.plan_outlines(wanted)
        stored: dict[int, StoredPlan] = {}
        for profile_id, key in missing.items():
            pair = pairs[profile_id]
            outline = (outlines.get(pair.original[0]), outlines.get(pair.active[0]))
            found_days = (None if outline[0] is None or outline[1] is None
                          else _document_days(outline[0], outline[1]))
            if found_days is None:  # no outline (SQLite), or an unexpected shape
                if not stored:
                    stored = store.coaching.plans(wanted)
                original, active = stored[pair.original[0]], stored[pair.active[0]]
                found_days = _document_days(original.document, active.document)
            if found_days is None:  # not the shape the store writes: validate them
                history = _history(_validated(store, original), _validated(store, active))
                found_days = tuple(s.date for _, s in history.sessions())
            days[profile_id] = found_days
            store.kept.put(key, found_days)
    return days


def _document_days(original: dict[str, Any], active: dict[str, Any]
                   ) -> tuple[date, ...] | None:
    """``_history``'s session days read straight out of two stored plan documents (as
    ``Plan.to_document`` wrote them, or outlines of them), without validating thousands
    of objects: a new worker's first roster of 200 athletes validated 400 plans. None for
    a document of another shape (the caller validates, and a bad one fails as before)."""
    history = _document_history(original, active)
    return None if history is None else tuple(day for day, _ in history[1])


def _document_history(original: dict[str, Any], active: dict[str, Any]
                      ) -> tuple[date, list[tuple[date, dict[str, Any]]]] | None:
    """``_history``'s start and sessions, each with its day, as they stand in two stored
    plan documents (not validated); None for documents of another shape."""
    try:
        if original["schema"] != PLAN_SCHEMA or active["schema"] != PLAN_SCHEMA:
            return None
        active_weeks = _week_sessions(active)
        active_start = date.fromisoformat(active["start"])
        original_start = date.fromisoformat(original["start"])
        carried = active.get("continues")
        made = (date.fromisoformat(carried["planned_from"] or active["start"])
                if carried is not None else active_start)
        if carried is None or made <= original_start:
            return active_start, [dated for week in active_weeks for dated in week]
        before = [[(day, s) for day, s in week if day < made]
                  for week in _week_sessions(original)]
        weeks_before = (active_start - original_start).days // 7
        first, *later = active_weeks
        if weeks_before < len(before):
            first = [*before[weeks_before], *first]
        weeks = [*before[:weeks_before], first, *later]
        return original_start, [dated for week in weeks for dated in week]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _week_sessions(document: dict[str, Any]) -> list[list[tuple[date, dict[str, Any]]]]:
    return [[(date.fromisoformat(s["date"]), s) for s in week["sessions"]]
            for week in document["weeks"]]


def progress(store: Store, name: str, day: date, *, weeks: int) -> ProgressReport:
    """The progress report on ``day``: the planned days read out of the stored plan
    documents where they are current (else from the validated plans, after following the
    log), and only the part of the log the report looks at."""
    stored = _stored(store, name)
    current = _current_documents(store, name, stored, day)
    if current is None:
        planned = Planned.of(planned_history(fresh_plans(store, name, day)))
    else:
        planned = Planned(current[0], tuple(when for when, _ in current[1]))
    history = store.log_sessions(profile_name=name, until=day,
                                 since=log_needed_from(day, weeks, planned.start))
    tests = [t for t in store.field_tests(profile_name=name) if t.date <= day]
    return progress_report(history, tests, load_catalogue(), day, plan=planned, weeks=weeks)


def record_tests(store: Store, name: str, tests: Sequence[FieldTest], day: date) -> int:
    for test in tests:
        refuse_ahead(test.date, day, f"field test {test.id}: date")
    saved = store.save_field_tests(profile_name=name, tests=tests)
    changed = len(saved.inserted) + len(saved.updated)
    if changed and current_strain(store, name):
        replan(store, name, day)  # the return criteria may have moved: the plan follows
    return changed


def current_strain(store: Store, name: str) -> bool:
    stored = store.get_profile(name=name)
    return stored is not None and bool(stored.document.get("injury", {}).get("hamstring_strain"))
