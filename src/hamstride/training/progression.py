"""Auto-progression: what the log says about each exercise's next dose.

Rules are data plus small pure functions (the wger pattern): each step is a function of
what was logged, walked over the history and tested as a series of values.

- Double progression (Presland 2018; Lacome 2020 for low, consistent volumes): when
  every set reaches the top of the rep range at RPE <= 7 in two sessions running, take
  the next step: one more set, then load, then the catalogue's progression. A session
  that falls short of the bottom of the range holds the dose.
- Pain monitoring (Silbernagel 2007): pain <= 3 progresses as planned; 4-5 that has
  settled by the next morning holds; > 5, not settled next morning, or rising week on
  week steps back (a lower dose, or the catalogue's regression).
- After a recent strain, hamstring work follows one stricter rule: only as far as it is
  pain-free, during and the next morning (Askling 2013); any pain steps it back. The 4-5/10
  allowance is tendon evidence (Silbernagel 2007), not for an acute muscle strain.
- Heavy lifts (the catalogue's ``rm`` doses) progress by load at low reps, never by
  adding reps (Ronnestad; Blagrove 2018): every set done at its reps adds load next
  time, a set short of the others keeps the load, and pain steps back as above.
- Nordics (Mjølsnes 2004; Ripley 2021): the table week follows the weeks with Nordics
  logged; after a lapse of 3 weeks or more the table restarts at week 1, never at the
  old dose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hamstride.catalogue import Catalogue, Exercise
from hamstride.training.log import LoggedSession, LoggedSet
from hamstride.training.rules import nordic
from hamstride.vocabulary import Equipment, Level

NORDIC = "nordic_hamstring_curl"


@dataclass(frozen=True)
class Thresholds:
    """The numbers of the rules, in one place (EVIDENCE.md sections 1 and 6)."""

    pain_safe: int = 3  # 0-3 safe (Silbernagel 2007)
    pain_acceptable: int = 5  # 4-5 acceptable if settled next morning
    easy_rpe: float = 7.0  # every set at RPE <= 7 counts as "easy enough"
    sessions_at_top: int = 2  # two sessions running at the top of the range
    extra_sets: int = 1  # sets beyond the catalogue dose before load or a new exercise


RULES = Thresholds()
LOADS = frozenset({Equipment.DUMBBELLS, Equipment.KETTLEBELL, Equipment.BARBELL,
                   Equipment.LEG_CURL_MACHINE, Equipment.LEG_PRESS_MACHINE,
                   Equipment.HIP_EXTENSION_BENCH, Equipment.RESISTANCE_BAND})


class Action(StrEnum):
    PROGRESS = "progress"  # as planned: the next step of the plan
    ADVANCE = "advance"  # past the top of the range: a set, load, or the progression
    HOLD = "hold"
    STEP_BACK = "step_back"


@dataclass(frozen=True)
class Decision:
    """The next prescription for one exercise, and why."""

    exercise: str
    action: Action
    step: int  # the planner's progression step to resume at (0 = bottom of the range)
    extra_sets: int  # sets added (+) or taken (-) on top of the planned sets
    substitute: str | None  # a progression or regression id to use instead
    add_load: bool
    reason: str

    def to_document(self) -> dict[str, object]:
        return {"exercise": self.exercise, "action": self.action.value, "step": self.step,
                "extra_sets": self.extra_sets, "substitute": self.substitute,
                "add_load": self.add_load, "reason": self.reason}


@dataclass(frozen=True)
class NordicState:
    table_week: int  # the last table week logged (0: none)
    last: date | None
    lapse_days: int | None  # days since the last Nordic session, as of ``today``
    reason: str


def _sets_of(session: LoggedSession, exercise_id: str) -> list[LoggedSet]:
    return [s for s in session.sets if s.exercise == exercise_id]


def _pain(session: LoggedSession, sets: Sequence[LoggedSet]) -> int | None:
    values = [p for p in (session.pain, *(s.pain for s in sets)) if p is not None]
    return max(values) if values else None


def _measure(logged: LoggedSet) -> int:
    return logged.reps if logged.reps is not None else (logged.hold_s or 0)


def current_step(exercise: Exercise, sets: Sequence[LoggedSet]) -> int:
    """The planner step whose dose matches what was done (0 = bottom of the range; for
    a heavy lift, the top of its rep range, the lightest load)."""
    dose = exercise.dose
    best = max((_measure(s) for s in sets), default=0)
    if dose.rm:
        top, low = dose.reps_max or 0, dose.reps or 0
        return max(0, top - max(low, min(best, top)))
    if dose.hold_s is not None:
        return max(0, (best - dose.hold_s) // 5 * 2)
    low = dose.reps or 1
    return max(0, min(best, dose.reps_max or low) - low)


def _at_top_easily(exercise: Exercise, session: LoggedSession,
                   sets: Sequence[LoggedSet]) -> bool:
    top = exercise.dose.reps_max
    if top is None or not sets:
        return False
    for s in sets:
        rpe = s.rpe if s.rpe is not None else session.session_rpe
        if s.reps is None or s.reps < top or rpe is None or rpe > RULES.easy_rpe:
            return False
    return True


def _fell_short(exercise: Exercise, sets: Sequence[LoggedSet]) -> bool:
    dose = exercise.dose
    floor = dose.reps if dose.reps is not None else dose.hold_s
    return floor is not None and any(_measure(s) < floor for s in sets)


def _weekly_max_pain(history: Sequence[tuple[LoggedSession, list[LoggedSet]]]) -> list[int]:
    """Highest pain per calendar week (Monday start), oldest first, weeks with reports."""
    by_week: dict[date, int] = {}
    for session, sets in history:
        pain = _pain(session, sets)
        if pain is not None:
            monday = session.date - timedelta(days=session.date.weekday())
            by_week[monday] = max(by_week.get(monday, 0), pain)
    return [by_week[w] for w in sorted(by_week)]


def pain_action(history: Sequence[tuple[LoggedSession, list[LoggedSet]]]) -> tuple[
        Action | None, str]:
    """The pain-monitoring model on an exercise's history (latest last)."""
    session, sets = history[-1]
    pain = _pain(session, sets)
    morning = session.morning_pain
    weekly = _weekly_max_pain(history)
    if pain is not None and pain > RULES.pain_acceptable:
        return Action.STEP_BACK, f"pain {pain}/10 during it is above 5 (Silbernagel 2007)"
    if morning is not None and morning > RULES.pain_safe:
        return Action.STEP_BACK, (f"pain {morning}/10 the next morning had not settled "
                                  "(Silbernagel 2007)")
    if len(weekly) >= 2 and weekly[-1] > weekly[-2] and weekly[-1] > RULES.pain_safe:
        return Action.STEP_BACK, (f"pain rose week on week ({weekly[-2]} then {weekly[-1]}/10; "
                                  "Silbernagel 2007)")
    if pain is not None and pain > RULES.pain_safe:
        if morning is None:
            return Action.HOLD, (f"pain {pain}/10: holding until next-morning pain is "
                                 "recorded (Silbernagel 2007)")
        return Action.HOLD, (f"pain {pain}/10 that settled by the next morning: hold "
                             "(Silbernagel 2007)")
    return None, ""


def pain_free_action(history: Sequence[tuple[LoggedSession, list[LoggedSet]]]) -> tuple[
        Action | None, str]:
    """The pain rule for hamstring work after a recent strain: pain-free or step back."""
    session, sets = history[-1]
    pain, morning = _pain(session, sets), session.morning_pain
    if pain:
        return Action.STEP_BACK, (f"pain {pain}/10 during it after your strain: hamstring "
                                  "work stays pain-free (Askling 2013)")
    if morning:
        return Action.STEP_BACK, (f"pain {morning}/10 the next morning after your strain: "
                                  "hamstring work stays pain-free (Askling 2013)")
    return None, ""


def decide(exercise: Exercise, history: Sequence[tuple[LoggedSession, list[LoggedSet]]],
           catalogue: Catalogue, owned: frozenset[Equipment], level: Level, *,
           pain_free: bool = False) -> Decision:
    """The next dose of one exercise from its logged history (oldest first);
    ``pain_free``: the strict rule after a recent strain applies to it."""
    _, last_sets = history[-1]
    step = current_step(exercise, last_sets)
    action, reason = (pain_free_action if pain_free else pain_action)(history)
    if action is Action.STEP_BACK:
        return _step_back(exercise, step, len(last_sets), catalogue, owned, reason)
    if action is Action.HOLD:
        return Decision(exercise.id, Action.HOLD, step, 0, None, False, reason)
    if exercise.is_heavy_lift:
        return _by_load(exercise, step, last_sets)
    if _fell_short(exercise, last_sets):
        return Decision(exercise.id, Action.HOLD, step, 0, None, False,
                        "last session fell short of the range: hold (double progression)")
    recent = history[-RULES.sessions_at_top:]
    if len(recent) == RULES.sessions_at_top and all(
            _at_top_easily(exercise, s, sets) for s, sets in recent):
        return _advance(exercise, step, len(last_sets), catalogue, owned, level)
    return Decision(exercise.id, Action.PROGRESS, step + 1, 0, None, False,
                    "progressing as planned (pain 3/10 or less)")


def _advance(exercise: Exercise, step: int, sets_done: int, catalogue: Catalogue,
             owned: frozenset[Equipment], level: Level) -> Decision:
    why = "top of the range at RPE 7 or less twice running (double progression)"
    if sets_done < exercise.dose.sets + RULES.extra_sets:
        return Decision(exercise.id, Action.ADVANCE, step, RULES.extra_sets, None, False,
                        f"{why}: one more set")
    if LOADS.intersection(exercise.equipment) or LOADS.intersection(
            set(exercise.optional_equipment) & owned):
        return Decision(exercise.id, Action.ADVANCE, step, RULES.extra_sets, None, True,
                        f"{why}: add load")
    harder = _usable(exercise.progressions, catalogue, owned, level)
    if harder is not None:
        return Decision(exercise.id, Action.ADVANCE, 0, 0, harder, False,
                        f"{exercise.name} at the {why}: move on to {catalogue[harder].name}")
    return Decision(exercise.id, Action.ADVANCE, step, RULES.extra_sets, None, False,
                    f"{why}: slow the lowering down")


def _by_load(exercise: Exercise, step: int, sets: Sequence[LoggedSet]) -> Decision:
    """A heavy lift progresses by load at low reps, never by adding reps (Ronnestad;
    Blagrove 2018): every set done at its reps adds load next time; a set short of the
    others keeps the load."""
    reps = [s.reps for s in sets if s.reps is not None]
    loads = [s.load_kg for s in sets if s.load_kg is not None]
    lifted = (f"{max(loads):g} kg for " + ", ".join(map(str, reps))) if loads and reps else ""
    what = f"last time {lifted}" if lifted else "last time"
    if reps and min(reps) < max(reps):
        return Decision(exercise.id, Action.HOLD, step, 0, None, False,
                        f"{what}: a set fell short of the others, so keep the load "
                        "(heavy lifts progress by load, not reps)")
    return Decision(exercise.id, Action.PROGRESS, step + 1, 0, None, True,
                    f"{what}, every set done: heavy lifts progress by load at low reps "
                    "(Ronnestad)")


def _step_back(exercise: Exercise, step: int, sets_done: int, catalogue: Catalogue,
               owned: frozenset[Equipment], reason: str) -> Decision:
    if step > 0:
        back = ("a lighter load at the top of the rep range" if exercise.is_heavy_lift
                else "the bottom of the range")
        return Decision(exercise.id, Action.STEP_BACK, 0, -1 if sets_done > 1 else 0, None,
                        False, f"{reason}: step back to {back}")
    easier = _usable(exercise.regressions, catalogue, owned, Level.ADVANCED)
    if easier is not None:
        return Decision(exercise.id, Action.STEP_BACK, 0, 0, easier, False,
                        f"{exercise.name}: {reason}: step back to {catalogue[easier].name}")
    return Decision(exercise.id, Action.STEP_BACK, 0, -1, None, False,
                    f"{reason}: one set fewer")


def _usable(ids: Sequence[str], catalogue: Catalogue, owned: frozenset[Equipment],
            level: Level) -> str | None:
    for candidate in ids:
        exercise = catalogue.get(candidate)
        if (exercise is not None and exercise.usable_with(owned)
                and exercise.level.rank <= level.rank and not exercise.is_heavy_eccentric):
            return candidate
    return None


def nordic_state(sessions: Sequence[LoggedSession], today: date,
                 origin: date | None = None) -> NordicState:
    """The Nordic table week the log has reached, walked week by week (Mjølsnes 2004):
    the weeks of the plan that began on ``origin`` (Monday to Sunday without one)."""
    dates = sorted({s.date for s in sessions if any(x.exercise == NORDIC for x in s.sets)})
    if not dates:
        return NordicState(0, None, None, "")
    index, last, week_start = 0, None, None
    for day in dates:
        first = (day - timedelta(days=day.weekday()) if origin is None
                 else origin + timedelta(days=7 * ((day - origin).days // 7)))
        if first != week_start:
            index = nordic.next_index(index, last, day)
            week_start = first
        last = day
    assert last is not None
    lapse = (today - last).days
    reason = ""
    if lapse >= nordic.LAPSE_DAYS:
        reason = (f"{lapse} days since the last Nordics: the table restarts at week 1, "
                  "never at the old dose (Ripley 2021)")
    return NordicState(index, last, lapse, reason)


def decisions(sessions: Sequence[LoggedSession], catalogue: Catalogue,
              owned: frozenset[Equipment], level: Level, *,
              recent_strain: bool = False) -> dict[str, Decision]:
    """A decision for every exercise in the log (the warm-up and Nordics excepted: the
    Nordic dose follows its table). After a ``recent_strain`` hamstring work follows the
    pain-free rule."""
    histories: dict[str, list[tuple[LoggedSession, list[LoggedSet]]]] = {}
    for session in sorted(sessions, key=lambda s: (s.date, s.id)):
        seen: dict[str, list[LoggedSet]] = {}
        for logged in session.sets:
            seen.setdefault(logged.exercise, []).append(logged)
        for exercise_id, sets in seen.items():
            histories.setdefault(exercise_id, []).append((session, sets))
    found = {}
    for exercise_id, history in histories.items():
        exercise = catalogue.get(exercise_id)
        if exercise is None or exercise.is_warm_up or exercise_id == NORDIC:
            continue
        found[exercise_id] = decide(exercise, history, catalogue, owned, level,
                                    pain_free=recent_strain and exercise.is_hamstring_work)
    return found
