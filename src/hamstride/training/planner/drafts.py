"""Items while a session is being built: mutable drafts that become plan items.

Doses come from the catalogue, scaled by level (novices start at 2 sets; Presland 2018,
Lacome 2020: low volume works) and stepped up week by week with a double progression:
reps climb to the top of the range, then load goes up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from hamstride.catalogue import Exercise
from hamstride.training.plan import HoldSet, Item, RepSet, hold_set, rep_set, trusted
from hamstride.training.planner import notes
from hamstride.training.rules import nordic
from hamstride.vocabulary import Equipment, Level

WARM_UP_SHARE = 0.2  # of the session budget
WARM_UP_MIN_S, WARM_UP_MAX_S = 120, 300
NOVICE_SETS = 2
RM_STEP_REPS = 2  # a heavy lift drops 2 reps (and adds load) every 2 weeks
NOVICE_WEEKS = 4  # weeks a novice stays at NOVICE_SETS
HOLD_STEP_S, HOLD_MAX_S = 5, 60


WARM_UP_NOTE = (
    "Dynamic warm-up first, counted in the session time; Nordics only after it "
    "(Mjølsnes 2004)."
)


class Role(StrEnum):
    WARM_UP = "warm_up"
    L_PROTOCOL = "l_protocol"
    KNEE = "knee"
    HIP = "hip"
    QUAD = "quad"
    CALF = "calf"
    PLYO = "plyometric"  # jumps, hops and bounds (rule 15)


@dataclass(eq=False, slots=True)  # compared by identity (list.remove must not match twins)
class Draft:
    exercise: Exercise
    role: Role
    sets: list[RepSet | HoldSet]
    per_side: bool
    rest_s: int
    tempo: str | None
    equipment: list[Equipment]
    notes: list[str] = field(default_factory=list)
    trimmable: bool = True
    superset: str | None = None
    rm: int | None = None  # each set at this repetition-maximum load (heavy lifts)

    def copy(self) -> Draft:
        """A fresh draft with its own set and note lists (set objects are immutable)."""
        return Draft(self.exercise, self.role, list(self.sets), self.per_side, self.rest_s,
                     self.tempo, self.equipment, list(self.notes), self.trimmable,
                     self.superset, self.rm)

    def to_item(self) -> Item:
        return trusted(Item,
            exercise=self.exercise.id, equipment=self.equipment, sets=self.sets,
            per_side=self.per_side, rest_s=self.rest_s, tempo=self.tempo,
            superset=self.superset, rm=self.rm, notes=" ".join(self.notes),
        )


def _equipment(exercise: Exercise, owned: frozenset[Equipment]) -> list[Equipment]:
    """What the item uses: required equipment (a household stand-in replaces what the
    runner lacks) and the load options they own."""
    stand_ins = {h.equipment for h in exercise.substitutes_for(owned)}
    extra = [e for e in exercise.optional_equipment if e in owned]
    return [*(e for e in exercise.equipment if e not in stand_ins), *extra]


def household_notes(exercise: Exercise, owned: frozenset[Equipment]) -> list[str]:
    """Say what to use instead of the equipment the runner does not have."""
    return [f"No {h.equipment.value.replace('_', ' ')}: use {h.use}."
            for h in exercise.substitutes_for(owned)]


def warm_up(exercise: Exercise, budget_minutes: int, *, short: bool = False) -> Draft:
    """A fifth of the session, 2-5 min; ``short`` (2 min) before a low-load bout."""
    hold = int(budget_minutes * 60 * WARM_UP_SHARE) // 30 * 30
    hold = WARM_UP_MIN_S if short else max(WARM_UP_MIN_S, min(WARM_UP_MAX_S, hold))
    return Draft(exercise, Role.WARM_UP, [hold_set(hold)], False, 0, None, [],
                 [WARM_UP_NOTE], trimmable=False)


def nordic_item(exercise: Exercise, index: int, level: Level,
                owned: frozenset[Equipment]) -> Draft:
    """The table dose for Nordic week ``index``: low end of a range for novices."""
    table_row = nordic.row(index)
    pick = {Level.NOVICE: 0.0, Level.INTERMEDIATE: 0.5, Level.ADVANCED: 1.0}[level]
    reps = [round(lo + (hi - lo) * pick) for lo, hi in
            zip(table_row.min_reps, table_row.max_reps, strict=True)]
    return Draft(exercise, Role.KNEE, [rep_set(r) for r in reps], False,
                 exercise.dose.rest_s, exercise.dose.tempo, _equipment(exercise, owned),
                 trimmable=False)


def protocol_item(exercise: Exercise, owned: frozenset[Equipment]) -> Draft:
    """An Askling L-protocol item at the published dose (Askling 2013)."""
    dose = exercise.dose
    reps = dose.reps or 1
    return Draft(exercise, Role.L_PROTOCOL, [rep_set(reps) for _ in range(dose.sets)],
                 dose.per_side, dose.rest_s, dose.tempo, _equipment(exercise, owned),
                 household_notes(exercise, owned), trimmable=False)


def effective_step(exercise: Exercise, level: Level, step: int) -> int:
    """The smallest step giving the same dose: progression stops at the top of the range."""
    dose = exercise.dose
    if dose.hold_s is not None:
        top = 2 * max(0, -(-(max(dose.hold_s, HOLD_MAX_S) - dose.hold_s) // HOLD_STEP_S))
    elif dose.rm:
        top = 2 * -(-((dose.reps_max or 0) - (dose.reps or 0)) // RM_STEP_REPS)
    else:
        top = (dose.reps_max or dose.reps or 1) - (dose.reps or 1)
    if level is Level.NOVICE:
        top = max(top, NOVICE_WEEKS)
    return min(step, top)  # a novice's first weeks are part of the step (role_item)


def role_item(exercise: Exercise, role: Role, level: Level, step: int,
              owned: frozenset[Equipment], novice_start: bool | None = None) -> Draft:
    """The catalogue dose at progression ``step`` (0 = first week of the phase).
    ``novice_start`` says whether a novice is still in their first weeks (by default,
    while ``step`` is below NOVICE_WEEKS)."""
    dose = exercise.dose
    sets = dose.sets
    if novice_start is None:
        novice_start = step < NOVICE_WEEKS
    if level is Level.NOVICE and novice_start:
        sets = min(sets, NOVICE_SETS)
    if dose.hold_s is not None:
        hold = min(max(dose.hold_s, HOLD_MAX_S), dose.hold_s + HOLD_STEP_S * (step // 2))
        doses: list[RepSet | HoldSet] = [hold_set(hold) for _ in range(sets)]
    elif dose.rm:
        reps = rm_reps(exercise, step)
        doses = [rep_set(reps) for _ in range(sets)]
        return Draft(exercise, role, doses, dose.per_side, dose.rest_s, dose.tempo,
                     _equipment(exercise, owned), [notes.heavy_lift(reps)], rm=reps)
    else:
        low = dose.reps or 1
        reps = min(dose.reps_max or low, low + step)
        doses = [rep_set(reps) for _ in range(sets)]
    return Draft(exercise, role, doses, dose.per_side, dose.rest_s, dose.tempo,
                 _equipment(exercise, owned), household_notes(exercise, owned))


def rm_reps(exercise: Exercise, step: int) -> int:
    """A heavy lift's repetition maximum at ``step``: from the top of its range down by
    2 reps every 2 weeks to the bottom, the load rising as the reps fall (Ronnestad's
    3x4-10RM; the 2-and-2 ladder is a product choice)."""
    dose = exercise.dose
    top, low = dose.reps_max or 0, dose.reps or 0
    return max(low, top - RM_STEP_REPS * (step // 2))
