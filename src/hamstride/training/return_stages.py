"""Return from a strain by criteria, not by the calendar: what the runner has recorded in,
the current stage, what it allows and what to do next out. Pure: no clock, no store.

Stages (Lorenz & Domzalski 2020, EVIDENCE.md section 6; Askling 2013 for the L-protocol):

- ``protect``: the Askling L-protocol, walking; runs stay easy walk/jog at most.
- ``walk_jog``: stage 1 met (the L-protocol pain-free during and the next morning, the
  injured side >= 70% of the other in a field test, a pain-free self-check): walk/jog up to
  30 min, easy runs only. Heavy hamstring loading may start here, never in the 2 protected
  weeks (Askling 2013).
- ``speed``: the injured side >= 85% (the cautious end of 80-85%) and still pain-free:
  intervals, hills, tempo, strides and races may come back.

Product choices where the evidence gives no number (docs/rules.md says so): 3 pain-free
L-protocol sessions running count as "pain-free"; only low-load tests (single-leg bridge,
isometric hold) judge the side-to-side result, since a Nordic test is heavy eccentric work;
the self-check is the field-test kind ``self_check`` (pain 0-10 per leg on a brisk walk, a
jog on the spot and a slow straight-leg raise); a stage is re-tested 7 days after the last
test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from hamstride.training.log import FieldTest, LoggedSession, TestKind
from hamstride.training.profile import Clearance, Strain
from hamstride.vocabulary import RunType, Side

PROTECTED_DAYS = 14  # the first 2 weeks (rule 8)
STAGE_1_RATIO = 0.70  # Lorenz & Domzalski 2020
SPEED_RATIO = 0.85  # Lorenz & Domzalski 2020: 80-85%; the cautious end
PAIN_FREE_SESSIONS = 3  # product choice
RETEST_DAYS = 7  # product choice
STRENGTH_TESTS = (TestKind.SINGLE_LEG_BRIDGE, TestKind.ISOMETRIC_HOLD)
SPEED_RUNS = (RunType.INTERVALS, RunType.TEMPO, RunType.HILLS, RunType.RACE)
L_PROTOCOL = frozenset({"askling_extender", "askling_diver", "askling_glider"})


class Stage(StrEnum):
    PROTECT = "protect"
    WALK_JOG = "walk_jog"
    SPEED = "speed"


RUNS = {
    Stage.PROTECT: "Runs: walk; walk/jog begins at stage 1 (no intervals, hills, tempo, "
                   "strides, races or long runs).",
    Stage.WALK_JOG: "Runs: walk/jog up to 30 min at an easy effort; intervals, hills, tempo, "
                    "strides, races and the long run wait for the speed stage.",
    Stage.SPEED: "Runs: speed work and races may come back gradually; stop at any pain in "
                 "the hamstring.",
}
KEEP_EASY: dict[Stage, tuple[RunType, ...]] = {
    Stage.PROTECT: (*SPEED_RUNS, RunType.LONG),  # stage 1 is walk/jog up to 30 min
    Stage.WALK_JOG: (*SPEED_RUNS, RunType.LONG), Stage.SPEED: ()}


@dataclass(frozen=True)
class Criterion:
    name: str
    met: bool
    detail: str
    on: date | None = None  # the day the record that met it was made

    def to_document(self) -> dict[str, Any]:
        return {"name": self.name, "met": self.met, "detail": self.detail,
                "on": self.on.isoformat() if self.on else None}


@dataclass(frozen=True)
class ReturnStatus:
    stage: Stage
    criteria: tuple[Criterion, ...]
    heavy_from: date | None  # the first day heavy hamstring loading may come (None: not yet)
    keep_easy: tuple[RunType, ...]  # runs to do as easy runs at this stage
    next_step: str
    retry_on: date  # when to record the criteria again

    def heavy_allowed(self, day: date) -> bool:
        return self.heavy_from is not None and day >= self.heavy_from

    def advice(self) -> str:
        """The stage in one paragraph, for plans, ``hamstride today`` and the web."""
        heavy = ("no Nordics or other heavy hamstring work until stage 1 is met"
                 if self.heavy_from is None else
                 f"heavy hamstring work (the Nordic table from week 1) from {self.heavy_from}")
        record = "" if self.stage is Stage.SPEED else (
            f" Record the criteria from {self.retry_on}: log the L-protocol with its pain "
            "and next-morning pain, a field test of kind self_check and one of kind "
            "single_leg_bridge; the plan follows.")
        return (f"Return stage: {self.stage.value.replace('_', '/')} (Lorenz & Domzalski "
                f"2020; Askling 2013). {RUNS[self.stage]} Strength: {heavy}. "
                f"{self.next_step}{record}")

    def run_instead(self, run: RunType) -> str:
        """What to do on a day the profile has ``run`` and this stage keeps it easy."""
        if self.stage is Stage.PROTECT:
            return f"walk instead of today's {run} until stage 1 is met"
        return f"make today's {run} an easy walk/jog of up to 30 min"

    def to_document(self) -> dict[str, Any]:
        return {"stage": self.stage.value,
                "criteria": [c.to_document() for c in self.criteria],
                "heavy_from": self.heavy_from.isoformat() if self.heavy_from else None,
                "keep_easy": [r.value for r in self.keep_easy],
                "next_step": self.next_step, "retry_on": self.retry_on.isoformat(),
                "advice": self.advice()}


STAGE_ORDER = (Stage.PROTECT, Stage.WALK_JOG, Stage.SPEED)


def return_status(strain: Strain, original_start: date, log: Sequence[LoggedSession],
                  tests: Sequence[FieldTest], today: date, *,
                  cleared: Clearance | None = None) -> ReturnStatus:
    """The stage the runner's records show as of ``today``; a physiotherapist's clearance
    (from its day on) stands for the criteria of the stage it clears to, never for the two
    protected weeks after the strain (Askling 2013)."""
    since = [t for t in tests if strain.date <= t.date <= today]
    pain_free = _l_protocol_pain_free(log, strain.date, today)
    check = _self_check(since, strain.side)
    ratio, ratio_test = _ratio(since, strain.side)
    stage_1 = Criterion("side_to_side_70", ratio is not None and ratio >= STAGE_1_RATIO,
                        _ratio_detail(ratio, STAGE_1_RATIO), ratio_test)
    speed = Criterion("side_to_side_85", ratio is not None and ratio >= SPEED_RATIO,
                      _ratio_detail(ratio, SPEED_RATIO), ratio_test)
    criteria: tuple[Criterion, ...] = (pain_free, check, stage_1, speed)
    base = pain_free.met and check.met
    stage = (Stage.SPEED if base and speed.met else
             Stage.WALK_JOG if base and stage_1.met else Stage.PROTECT)
    by_records = stage
    if cleared is not None and cleared.on <= today:
        clearance = Stage(cleared.stage)
        if STAGE_ORDER.index(clearance) > STAGE_ORDER.index(stage):
            stage = clearance
            criteria = (*criteria, Criterion(
                "cleared", True, f"cleared to {clearance.value.replace('_', '/')}"
                + (f" by {cleared.by}" if cleared.by else "")
                + (f": {cleared.reason}" if cleared.reason else ""), cleared.on))
    heavy_from = None
    if stage is not Stage.PROTECT:
        met = [c.on for c in (pain_free, check, stage_1) if c.on is not None]
        met_on = (max(met) if by_records is not Stage.PROTECT or cleared is None
                  else cleared.on)
        heavy_from = max(met_on + timedelta(days=1),
                         original_start + timedelta(days=PROTECTED_DAYS))
    last_test = max((t.date for t in since), default=None)
    retry = today if last_test is None else max(today, last_test + timedelta(days=RETEST_DAYS))
    return ReturnStatus(stage, criteria, heavy_from, KEEP_EASY[stage],
                        _next_step(stage, criteria), retry)


def _l_protocol_pain_free(log: Sequence[LoggedSession], since: date,
                          today: date) -> Criterion:
    """The last L-protocol sessions pain-free during and the next morning."""
    bouts = sorted((s for s in log if since <= s.date <= today
                    and any(x.exercise in L_PROTOCOL for x in s.sets)),
                   key=lambda s: (s.date, s.id))[-PAIN_FREE_SESSIONS:]
    clean = [s for s in bouts if not _pain(s) and s.morning_pain == 0]
    met = len(bouts) == PAIN_FREE_SESSIONS and len(clean) == len(bouts)
    detail = (f"{len(clean)} of the last {PAIN_FREE_SESSIONS} L-protocol sessions logged "
              "pain-free during them and the next morning")
    return Criterion("l_protocol_pain_free", met, detail, bouts[-1].date if met else None)


def _pain(session: LoggedSession) -> int:
    values = [p for p in (session.pain, *(x.pain for x in session.sets
                                          if x.exercise in L_PROTOCOL)) if p is not None]
    return max(values, default=0)


def _injured(test: FieldTest, side: Side) -> tuple[float, float]:
    return (test.left, test.right) if side is Side.LEFT else (test.right, test.left)


def _self_check(tests: Sequence[FieldTest], side: Side) -> Criterion:
    checks = [t for t in tests if t.kind is TestKind.SELF_CHECK]
    if not checks:
        return Criterion("self_check_pain_free", False, "no self-check recorded yet")
    latest = checks[-1]
    pain = _injured(latest, side)[0]
    return Criterion("self_check_pain_free", pain == 0,
                     f"self-check on {latest.date}: pain {pain:g}/10 on the injured side",
                     latest.date if pain == 0 else None)


def _ratio(tests: Sequence[FieldTest], side: Side) -> tuple[float | None, date | None]:
    strength = [t for t in tests if t.kind in STRENGTH_TESTS]
    if not strength:
        return None, None
    injured, other = _injured(strength[-1], side)
    return (injured / other if other else None), strength[-1].date


def _ratio_detail(ratio: float | None, needed: float) -> str:
    if ratio is None:
        return "no single-leg bridge or isometric hold test recorded since the strain"
    return f"injured side at {ratio:.0%} of the other (needs {needed:.0%})"


def _next_step(stage: Stage, criteria: tuple[Criterion, ...]) -> str:
    missing = [c for c in criteria if not c.met]
    if stage is Stage.SPEED:
        return "Speed work may come back gradually; stop at any pain in the hamstring."
    wanted = [c for c in missing if (stage is Stage.PROTECT) != (c.name == "side_to_side_85")]
    details = list(dict.fromkeys(c.detail for c in wanted))  # one line per missing record
    goal = "stage 1" if stage is Stage.PROTECT else "the speed stage"
    return f"For {goal}: " + "; ".join(details) + "."
