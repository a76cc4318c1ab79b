"""Rule 13, intensity: heavy lifts (the catalogue's ``rm`` doses: back squat, Romanian
deadlift, leg press, hip thrust) carry their load as a repetition maximum between 4 and
10 (Ronnestad: 3x4-10RM; Balsalobre-Fernandez 2016 for heavy loads in trained runners),
no set asks for more reps than that load allows, and through a build their reps never
rise: heavy strength progresses by load at low reps (Blagrove 2018), not by more reps.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from hamstride.catalogue.model import RM_HIGHEST, RM_LOWEST
from hamstride.training.plan import RepSet, SetDose
from hamstride.training.rules.base import PlanView, Violation, violation

RULE = "13-intensity"
BUILD = "build"


def check(view: PlanView) -> Iterator[Violation]:
    reached: dict[str, int] = {}  # the lowest RM of each heavy lift in the current build
    previous_phase = None
    for week in view.plan.weeks:
        if week.phase != BUILD or previous_phase != BUILD:
            reached = {}  # a new build (after maintenance, a taper or a deload) starts over
        previous_phase = week.phase
        for s in view.in_week(week):
            for item, exercise in s.work():
                if not exercise.is_heavy_lift:
                    if item.rm is not None:
                        yield violation(RULE, s.date, f"{exercise.name} has an RM load, but "
                                        "the catalogue loads it by reps, not by RM.")
                    continue
                yield from _load(s.date, exercise.name, item.rm, item.sets)
                if item.rm is None or week.phase != BUILD:
                    continue
                lowest = reached.get(exercise.id)
                if lowest is not None and item.rm > lowest:
                    yield violation(RULE, s.date, f"{exercise.name} goes back up from "
                                    f"{lowest}RM to {item.rm}RM in a build: heavy lifts "
                                    "progress by load at low reps (Ronnestad; "
                                    "Blagrove 2018).")
                reached[exercise.id] = min(item.rm, lowest or item.rm)


def _load(day: date, name: str, rm: int | None,
          sets: Sequence[SetDose]) -> Iterator[Violation]:
    if rm is None or not RM_LOWEST <= rm <= RM_HIGHEST:
        given = "no load" if rm is None else f"{rm}RM"
        yield violation(RULE, day, f"{name} is a heavy lift with {given}: prescribe it at a "
                        f"{RM_LOWEST}-{RM_HIGHEST}RM load (Ronnestad: 3x4-10RM).")
        return
    over = [s.reps for s in sets if isinstance(s, RepSet) and s.reps > rm]
    if over:
        yield violation(RULE, day, f"{name}: {max(over)} reps at a {rm}RM load, more than "
                        "that load allows.")
