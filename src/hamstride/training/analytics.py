"""Progress analytics: what the log says about volume, adherence, load, balance and dose.

Pure functions over the training log (``LoggedSession``, ``FieldTest``), an optional
plan and the catalogue; ``today`` is passed in, never read from a clock. Each result is
a frozen dataclass whose ``to_document()`` gives JSON-ready dicts; ``progress_report``
bundles them into the document of ``hamstride progress --format json``
(``hamstride.progress/1``). Single passes and dict accumulation: a five-year log is
summarised in milliseconds.

Counting rules, chosen to be simple and honest:

- A set is one logged set row. It counts once for each PRIMARY muscle of its exercise,
  and once in the week's ``total_sets`` (the figure the progress page shows as "sets
  this week" and draws as the week's bar); warm-ups and exercises missing from the
  catalogue never count. A row logged for one side (left or right) is still one set:
  the log records what was done, and the per-side comparison of ``asymmetry`` shows the
  balance between the legs.
- Time under tension: reps x the catalogue tempo (``x``, explosive, is 1 s; 3 s a rep
  without a tempo), or the hold in seconds, credited to each primary muscle.
- Hip- vs knee-dominant sets count hamstring work only (``is_hamstring_work``: the
  source article's mislabelled exercises never do), by emphasis (Bourne 2017, 2018).
- Adherence: a logged session on a planned session's date counts for it (at most one
  each). A session planned for today is pending, not missed, until it is logged.
- Session load = session RPE x minutes (Foster 2001); a session without both is
  skipped, never counted as zero.
- Asymmetry is information, not diagnosis (Green 2018): see ``CAVEAT``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hamstride.catalogue import Catalogue
from hamstride.errors import InputError
from hamstride.training.log import FieldTest, LoggedSession, LoggedSet, Side, TestKind
from hamstride.training.plan import Plan
from hamstride.training.timing import rep_seconds
from hamstride.training.weeks import ISO, Weeks
from hamstride.vocabulary import Day, Muscle

SCHEMA = "hamstride.progress/1"
DEFAULT_WEEKS = 12
MAX_WEEKS = 520
KEY_EXERCISES = 4
NORDIC = "nordic_hamstring_curl"
PER_SIDE_DAYS = 28
IMBALANCE_PCT = (15.0, 20.0)  # Bourne 2015
IMBALANCE_RR = {15.0: 2.4, 20.0: 3.4}
NORDIC_FORCE_N = 256.0  # Opar 2015
BRIDGE_REFERENCE_REPS = 26  # Freckleton 2014
CAVEAT = ("Information, not diagnosis: no strength ratio predicted injury in a "
          "meta-analysis (Green 2018); thresholds come from rugby and Australian football.")
MUSCLE_ORDER = {m.value: n for n, m in enumerate(Muscle)}


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week (a plan's weeks: training/weeks.py)."""
    return ISO.start(day)


def _percent(part: float, whole: float) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


# -- weekly volume ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Counts:
    """What one logged set of an exercise counts for."""

    muscles: tuple[str, ...]
    rep_s: int
    emphasis: str | None  # "hip" or "knee" for hamstring work


def _counts(catalogue: Catalogue, exercise_id: str) -> _Counts | None:
    exercise = catalogue.get(exercise_id)
    if exercise is None or exercise.is_warm_up:
        return None
    return _Counts(tuple(m.value for m in exercise.muscles.primary),
                   rep_seconds(exercise.dose.tempo),
                   exercise.hamstring_emphasis.value if exercise.is_hamstring_work else None)


@dataclass(frozen=True)
class WeekVolume:
    week_start: date
    sets: dict[str, int]  # muscle -> sets
    tut_s: dict[str, int]  # muscle -> seconds under tension
    hip_sets: int  # hip-dominant hamstring sets
    knee_sets: int  # knee-dominant hamstring sets
    total_sets: int  # every counted set once, whatever its muscles

    def to_document(self) -> dict[str, Any]:
        return {"week_start": self.week_start.isoformat(), "total_sets": self.total_sets,
                "sets": dict(self.sets),
                "tut_s": dict(self.tut_s),
                "hamstring_sets": {"hip": self.hip_sets, "knee": self.knee_sets}}


@dataclass(frozen=True)
class Volume:
    muscles: tuple[str, ...]  # every muscle trained in the window, in vocabulary order
    weeks: tuple[WeekVolume, ...]  # oldest first, one per ISO week, empty weeks included

    @property
    def this_week(self) -> WeekVolume:
        """The week that holds ``today``: the last one."""
        return self.weeks[-1]

    def to_document(self) -> dict[str, Any]:
        return {"muscles": list(self.muscles), "weeks": [w.to_document() for w in self.weeks]}


@dataclass
class _WeekTally:
    sets: Counter[str] = field(default_factory=Counter)
    tut: Counter[str] = field(default_factory=Counter)
    emphasis: Counter[str] = field(default_factory=Counter)
    total: int = 0


def _check_weeks(weeks: int) -> None:
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"weeks: 1 to {MAX_WEEKS} weeks, not {weeks}.", field="weeks")


def weekly_volume(sessions: Iterable[LoggedSession], catalogue: Catalogue, weeks: int,
                  today: date, by: Weeks = ISO) -> Volume:
    """Sets and time under tension per muscle, and hip/knee hamstring sets, for each of
    the last ``weeks`` weeks (``by``'s) up to ``today`` (the current week included)."""
    _check_weeks(weeks)
    first = by.start(today) - timedelta(weeks=weeks - 1)
    tallies = {first + timedelta(weeks=n): _WeekTally() for n in range(weeks)}
    known: dict[str, _Counts | None] = {}
    for session in sessions:
        if first <= session.date <= today:
            _tally(session, tallies[by.start(session.date)], catalogue, known)
    muscles = sorted({m for t in tallies.values() for m in t.sets}, key=MUSCLE_ORDER.__getitem__)
    return Volume(tuple(muscles), tuple(
        WeekVolume(start, {m: t.sets[m] for m in muscles}, {m: t.tut[m] for m in muscles},
                   t.emphasis["hip"], t.emphasis["knee"], t.total)
        for start, t in tallies.items()))


def _tally(session: LoggedSession, tally: _WeekTally, catalogue: Catalogue,
           known: dict[str, _Counts | None]) -> None:
    for logged in session.sets:
        if logged.exercise not in known:
            known[logged.exercise] = _counts(catalogue, logged.exercise)
        counts = known[logged.exercise]
        if counts is None:
            continue
        seconds = logged.hold_s if logged.reps is None else logged.reps * counts.rep_s
        tally.total += 1
        for muscle in counts.muscles:
            tally.sets[muscle] += 1
            tally.tut[muscle] += seconds or 0
        if counts.emphasis is not None:
            tally.emphasis[counts.emphasis] += 1


# -- adherence -------------------------------------------------------------------------

@dataclass(frozen=True)
class AdherenceWeek:
    week_start: date
    planned: int  # planned sessions due in the week
    done: int

    @property
    def percent(self) -> float | None:
        return _percent(self.done, self.planned)

    def to_document(self) -> dict[str, Any]:
        return {"week_start": self.week_start.isoformat(), "planned": self.planned,
                "done": self.done, "percent": self.percent}


@dataclass(frozen=True)
class Adherence:
    planned: int  # planned sessions due: before today, or today and already logged
    done: int
    pending: int  # planned for today and not logged yet
    unplanned: int  # logged from the plan's start to today on a day with nothing planned
    current_streak: int  # planned sessions done in a row, counting back from the latest
    longest_streak: int
    missed: tuple[date, ...]
    weeks: tuple[AdherenceWeek, ...]

    @property
    def percent(self) -> float | None:
        return _percent(self.done, self.planned)

    def to_document(self) -> dict[str, Any]:
        return {"planned": self.planned, "done": self.done, "percent": self.percent,
                "pending": self.pending, "unplanned": self.unplanned,
                "current_streak": self.current_streak, "longest_streak": self.longest_streak,
                "missed": [d.isoformat() for d in self.missed],
                "weeks": [w.to_document() for w in self.weeks]}


@dataclass(frozen=True)
class Planned:
    """What progress needs of a plan: its start and the day of each planned session
    (a stored plan's document gives them without validating the whole plan)."""

    start: date
    days: tuple[date, ...]

    @classmethod
    def of(cls, plan: Plan) -> Planned:
        return cls(plan.start, tuple(s.date for _, s in plan.sessions()))


def adherence(plan: Plan | Planned, sessions: Iterable[LoggedSession],
              today: date) -> Adherence:
    """Planned sessions due by ``today`` against the sessions logged on their dates."""
    logged = Counter(s.date for s in sessions if s.date <= today)
    outcomes: list[tuple[date, bool]] = []
    pending = 0
    days = plan.days if isinstance(plan, Planned) else Planned.of(plan).days
    for planned in sorted(days):
        if planned > today:
            break
        done = logged[planned] > 0
        if done:
            logged[planned] -= 1
        elif planned == today:
            pending += 1
            continue
        outcomes.append((planned, done))
    unplanned = sum(n for d, n in logged.items() if d >= plan.start)
    current, longest = _streaks([done for _, done in outcomes])
    return Adherence(len(outcomes), sum(done for _, done in outcomes), pending, unplanned,
                     current, longest, tuple(d for d, done in outcomes if not done),
                     _adherence_weeks(outcomes, Weeks.of_plan(plan.start)))


def _streaks(done: Sequence[bool]) -> tuple[int, int]:
    """(current, longest) runs of True; the current one ends at the last element."""
    run = longest = 0
    for ok in done:
        run = run + 1 if ok else 0
        longest = max(longest, run)
    return run, longest


def _adherence_weeks(outcomes: Sequence[tuple[date, bool]],
                     by: Weeks) -> tuple[AdherenceWeek, ...]:
    planned: Counter[date] = Counter()
    done: Counter[date] = Counter()
    for day, ok in outcomes:
        planned[by.start(day)] += 1
        done[by.start(day)] += ok
    return tuple(AdherenceWeek(w, planned[w], done[w]) for w in sorted(planned))


# -- session load (Foster 2001) --------------------------------------------------------

@dataclass(frozen=True)
class SessionLoad:
    id: str
    date: date
    rpe: float
    minutes: float
    load: float  # arbitrary units: RPE x minutes

    def to_document(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.date.isoformat(), "rpe": self.rpe,
                "minutes": self.minutes, "load": self.load}


@dataclass(frozen=True)
class WeekLoad:
    week_start: date
    load: float
    sessions: int  # sessions with a load in the week

    def to_document(self) -> dict[str, Any]:
        return {"week_start": self.week_start.isoformat(), "load": self.load,
                "sessions": self.sessions}


@dataclass(frozen=True)
class Loads:
    sessions: tuple[SessionLoad, ...]  # by date
    weeks: tuple[WeekLoad, ...]  # weeks with at least one loaded session, oldest first
    skipped: int  # sessions without both RPE and minutes
    source: str = "Foster 2001"

    def to_document(self) -> dict[str, Any]:
        return {"source": self.source, "skipped": self.skipped,
                "sessions": [s.to_document() for s in self.sessions],
                "weeks": [w.to_document() for w in self.weeks]}


def session_loads(sessions: Iterable[LoggedSession], by: Weeks = ISO) -> Loads:
    """Session RPE x minutes per session and per ISO week; incomplete sessions skipped."""
    scored: list[SessionLoad] = []
    skipped = 0
    for s in sessions:
        if s.session_rpe is None or s.duration_min is None:
            skipped += 1
            continue
        scored.append(SessionLoad(s.id, s.date, s.session_rpe, s.duration_min,
                                  round(s.session_rpe * s.duration_min, 1)))
    scored.sort(key=lambda s: (s.date, s.id))
    weekly: dict[date, list[float]] = {}
    for scored_load in scored:
        weekly.setdefault(by.start(scored_load.date), []).append(scored_load.load)
    weeks = tuple(WeekLoad(w, round(sum(v), 1), len(v)) for w, v in weekly.items())
    return Loads(tuple(scored), weeks, skipped)


# -- asymmetry -------------------------------------------------------------------------

@dataclass(frozen=True)
class Flag:
    code: str  # imbalance_15, imbalance_20, nordic_force_low, bridge_reference
    message: str
    source: str  # a key of hamstride.evidence.SOURCES

    def to_document(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "source": self.source}


@dataclass(frozen=True)
class FieldTestBalance:
    """One field test: the between-limb difference as a share of the stronger side."""

    test_id: str
    date: date
    kind: TestKind
    left: float
    right: float
    percent: float | None  # None when both sides are zero
    weaker: Side | None  # None when equal
    flags: tuple[Flag, ...]

    def to_document(self) -> dict[str, Any]:
        return {"id": self.test_id, "date": self.date.isoformat(), "kind": self.kind.value,
                "unit": self.kind.unit, "left": self.left, "right": self.right,
                "percent": self.percent, "weaker": self.weaker.value if self.weaker else None,
                "flags": [f.to_document() for f in self.flags]}


@dataclass(frozen=True)
class SideWork:
    """Work logged per side for one exercise over the last four weeks."""

    exercise: str
    unit: str  # "reps" or "s"
    left: int
    right: int
    percent: float | None  # (more - less) / more x 100
    less: Side | None  # the side that got less work; None when equal

    def to_document(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "unit": self.unit, "left": self.left,
                "right": self.right, "percent": self.percent,
                "less": self.less.value if self.less else None}


@dataclass(frozen=True)
class Asymmetry:
    tests: tuple[FieldTestBalance, ...]  # by date, then kind
    per_side: tuple[SideWork, ...]  # by exercise
    per_side_since: date
    caveat: str = CAVEAT

    def trend(self) -> dict[TestKind, list[tuple[date, float]]]:
        """Asymmetry % per test date, for each kind of test (for the chart)."""
        found: dict[TestKind, list[tuple[date, float]]] = {}
        for t in self.tests:
            if t.percent is not None:
                found.setdefault(t.kind, []).append((t.date, t.percent))
        return found

    def to_document(self) -> dict[str, Any]:
        return {"caveat": self.caveat, "tests": [t.to_document() for t in self.tests],
                "trend": {kind.value: [{"date": d.isoformat(), "percent": p} for d, p in pts]
                          for kind, pts in self.trend().items()},
                "per_side_since": self.per_side_since.isoformat(),
                "per_side": [s.to_document() for s in self.per_side]}


def _difference(left: float, right: float) -> tuple[float | None, Side | None]:
    """(stronger - weaker) / stronger x 100, and the weaker side."""
    stronger = max(left, right)
    weaker = None if left == right else (Side.LEFT if left < right else Side.RIGHT)
    return _percent(abs(left - right), stronger), weaker


def field_test_balance(test: FieldTest) -> FieldTestBalance:
    percent, weaker = _difference(test.left, test.right)
    flags = [*_imbalance_flags(test.kind, percent, weaker), *_reference_flags(test)]
    return FieldTestBalance(test.id, test.date, test.kind, test.left, test.right, percent, weaker,
                       tuple(flags))


def _imbalance_flags(kind: TestKind, percent: float | None,
                     weaker: Side | None) -> Iterable[Flag]:
    if percent is None or weaker is None:
        return
    test_name = kind.value.replace("_", " ").replace("single leg", "single-leg")
    measured = "" if kind is TestKind.NORDIC_FORCE else (
        f", measured there as Nordic-device force, not the {test_name}")
    for threshold in IMBALANCE_PCT:
        if percent >= threshold:
            yield Flag(f"imbalance_{threshold:.0f}",
                       f"{weaker.value.capitalize()} is {percent}% weaker. A between-leg "
                       f"imbalance of {threshold:.0f}% or more went with "
                       f"{IMBALANCE_RR[threshold]} times the hamstring-injury risk in rugby "
                       f"players (Bourne 2015){measured}.", "Bourne 2015")


def _reference_flags(test: FieldTest) -> Iterable[Flag]:
    legs = f"left {test.left:g} {test.kind.unit}, right {test.right:g} {test.kind.unit}"
    if test.kind is TestKind.NORDIC_FORCE:
        low = [s for s, v in (("left", test.left), ("right", test.right)) if v < NORDIC_FORCE_N]
        if low:
            yield Flag("nordic_force_low",
                       f"{' and '.join(low).capitalize()} below {NORDIC_FORCE_N:.0f} N ({legs}). "
                       f"Preseason Nordic force under {NORDIC_FORCE_N:.0f} N went with 2.7 times "
                       "the risk in Australian footballers (Opar 2015).", "Opar 2015")
    elif test.kind is TestKind.SINGLE_LEG_BRIDGE:
        yield Flag("bridge_reference",
                   f"Single-leg bridge {legs}. For reference, 482 Australian footballers "
                   f"averaged about {BRIDGE_REFERENCE_REPS} reps; their weaker leg went with "
                   "later injury (Freckleton 2014).", "Freckleton 2014")


def asymmetry(tests: Iterable[FieldTest], sessions: Iterable[LoggedSession],
              today: date) -> Asymmetry:
    """Field-test balance (tests up to ``today``) and the last four weeks' per-side work."""
    # a self-check records pain, not strength: it has no balance to show
    balances = sorted((field_test_balance(t) for t in tests
                       if t.date <= today and t.kind is not TestKind.SELF_CHECK),
                      key=lambda b: (b.date, b.kind.value, b.test_id))
    since = today - timedelta(days=PER_SIDE_DAYS - 1)
    return Asymmetry(tuple(balances), _per_side(sessions, since, today), since)


def _per_side(sessions: Iterable[LoggedSession], since: date,
              today: date) -> tuple[SideWork, ...]:
    totals: dict[tuple[str, str], dict[Side, int]] = {}
    for session in sessions:
        if not since <= session.date <= today:
            continue
        for s in session.sets:
            if s.side is Side.BOTH:
                continue
            unit, amount = ("s", s.hold_s or 0) if s.reps is None else ("reps", s.reps)
            sides = totals.setdefault((s.exercise, unit), {Side.LEFT: 0, Side.RIGHT: 0})
            sides[s.side] += amount
    found = []
    for (exercise, unit), sides in sorted(totals.items()):
        percent, less = _difference(sides[Side.LEFT], sides[Side.RIGHT])
        found.append(SideWork(exercise, unit, sides[Side.LEFT], sides[Side.RIGHT], percent,
                              less))
    return tuple(found)


# -- dose history ----------------------------------------------------------------------

@dataclass(frozen=True)
class DosePoint:
    """One exercise on one date; per-side rows add up (left + right)."""

    date: date
    sets: int
    reps: int  # total reps
    top_set_reps: int
    hold_s: int  # total seconds held
    top_hold_s: int
    max_load_kg: float | None

    def to_document(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "sets": self.sets, "reps": self.reps,
                "top_set_reps": self.top_set_reps, "hold_s": self.hold_s,
                "top_hold_s": self.top_hold_s, "max_load_kg": self.max_load_kg}


@dataclass(frozen=True)
class DoseSeries:
    exercise: str
    name: str
    points: tuple[DosePoint, ...]  # by date

    @property
    def unit(self) -> str:
        """The series' main measure: "reps" when any reps were logged, else "s"."""
        return "reps" if any(p.reps for p in self.points) else "s"

    def totals(self) -> list[tuple[date, int]]:
        """Total reps (or seconds held) per date: the line of the dose chart."""
        by_reps = self.unit == "reps"
        return [(p.date, p.reps if by_reps else p.hold_s) for p in self.points]

    def to_document(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "name": self.name, "unit": self.unit,
                "points": [p.to_document() for p in self.points]}


@dataclass(slots=True)
class _DoseTally:
    sets: int = 0
    reps: int = 0
    top_reps: int = 0
    hold_s: int = 0
    top_hold_s: int = 0
    max_load_kg: float | None = None

    def add(self, logged: LoggedSet) -> None:
        self.sets += 1
        if logged.reps is not None:
            self.reps += logged.reps
            self.top_reps = max(self.top_reps, logged.reps)
        if logged.hold_s is not None:
            self.hold_s += logged.hold_s
            self.top_hold_s = max(self.top_hold_s, logged.hold_s)
        load = logged.load_kg
        if load is not None and (self.max_load_kg is None or load > self.max_load_kg):
            self.max_load_kg = load

    def point(self, day: date) -> DosePoint:
        return DosePoint(day, self.sets, self.reps, self.top_reps, self.hold_s,
                         self.top_hold_s, self.max_load_kg)


def dose_history(sessions: Iterable[LoggedSession], exercise_ids: Sequence[str],
                 catalogue: Catalogue | None = None) -> tuple[DoseSeries, ...]:
    """For each of ``exercise_ids`` (in that order): totals, top set and heaviest load per
    date. ``catalogue`` only supplies display names."""
    by_exercise: dict[str, list[DosePoint]] = {e: [] for e in exercise_ids}
    tallies: dict[tuple[str, date], _DoseTally] = {}
    for session in sessions:
        for logged in session.sets:
            if logged.exercise in by_exercise:
                key = (logged.exercise, session.date)
                if key not in tallies:
                    tallies[key] = _DoseTally()
                tallies[key].add(logged)
    for (exercise, day), tally in sorted(tallies.items()):
        by_exercise[exercise].append(tally.point(day))
    return tuple(DoseSeries(e, _name(e, catalogue), tuple(points))
                 for e, points in by_exercise.items())


def _name(exercise_id: str, catalogue: Catalogue | None) -> str:
    exercise = catalogue.get(exercise_id) if catalogue is not None else None
    return exercise.name if exercise is not None else exercise_id.replace("_", " ").capitalize()


def key_exercises(sessions: Iterable[LoggedSession], catalogue: Catalogue,
                  limit: int = KEY_EXERCISES) -> list[str]:
    """The dose lines worth drawing: the Nordic first when logged (the best evidence,
    van Dyk 2019), then the hamstring exercises logged on the most days (ties: most
    sets, then id); at most ``limit``."""
    days: Counter[str] = Counter()
    sets: Counter[str] = Counter()
    for session in sessions:
        logged = [s.exercise for s in session.sets]
        sets.update(logged)
        days.update(set(logged))
    ranked = sorted(days, key=lambda e: (e != NORDIC, -days[e], -sets[e], e))
    picked = [e for e in ranked if (x := catalogue.get(e)) is not None and x.is_hamstring_work]
    return picked[:limit]


# -- the report ------------------------------------------------------------------------

@dataclass(frozen=True)
class ProgressReport:
    today: date
    since: date  # the first day of the window's first week
    weeks: int
    volume: Volume
    adherence: Adherence | None  # None without a plan
    loads: Loads  # sessions in the window
    asymmetry: Asymmetry  # every field test up to today; per-side work of four weeks
    dose: tuple[DoseSeries, ...]  # key exercises, sessions in the window
    by: Weeks = ISO  # the plan's weeks (training/weeks.py)

    def to_document(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "today": self.today.isoformat(),
                "since": self.since.isoformat(), "weeks": self.weeks,
                "week_starts_on": Day.of(self.by.first_weekday).value,
                "volume": self.volume.to_document(),
                "adherence": self.adherence.to_document() if self.adherence else None,
                "loads": self.loads.to_document(), "asymmetry": self.asymmetry.to_document(),
                "dose": [d.to_document() for d in self.dose]}


def log_needed_from(today: date, weeks: int, plan_start: date | None) -> date:
    """The first day of the log ``progress_report`` looks at: the window's first week,
    the per-side weeks, and the plan's start (adherence counts from there); a longer log
    gives the same report (years of it cost a server most of a report's time)."""
    _check_weeks(weeks)
    since = Weeks.of_plan(plan_start).start(today) - timedelta(weeks=weeks - 1)
    first = min(since, today - timedelta(days=PER_SIDE_DAYS - 1))
    return first if plan_start is None else min(first, plan_start)


def progress_report(sessions: Sequence[LoggedSession], tests: Sequence[FieldTest],
                    catalogue: Catalogue, today: date, *, plan: Plan | Planned | None = None,
                    weeks: int = DEFAULT_WEEKS,
                    exercises: Sequence[str] | None = None) -> ProgressReport:
    """Everything above for the last ``weeks`` weeks up to ``today``, in the plan's weeks
    (ISO weeks without one, training/weeks.py); adherence
    covers the whole plan so far. ``exercises`` picks the dose lines (default: the
    most-logged hamstring exercises of the window)."""
    _check_weeks(weeks)
    by = Weeks.of_plan(plan.start if plan is not None else None)
    since = by.start(today) - timedelta(weeks=weeks - 1)
    recent = [s for s in sessions if since <= s.date <= today]
    keys = list(exercises) if exercises is not None else key_exercises(recent, catalogue)
    return ProgressReport(
        today, since, weeks, weekly_volume(recent, catalogue, weeks, today, by),
        adherence(plan, sessions, today) if plan is not None else None,
        session_loads(recent, by), asymmetry(tests, sessions, today),
        dose_history(recent, keys, catalogue), by)
