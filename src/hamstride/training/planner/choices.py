"""Which catalogue exercise fills each role, in order of preference.

The first usable entry wins (equipment owned, level within the runner's); sessions of a
week alternate between the first two for variety. Regressions come later in each list,
so novices land on them (rule 9). The source article's mislabelled exercises are only
used for what they really train (wall sit: quadriceps, heel raise: calves).
"""

from __future__ import annotations

from collections.abc import Sequence

from hamstride.catalogue import Catalogue, Exercise
from hamstride.training.planner.drafts import Role
from hamstride.vocabulary import Equipment, Level

NORDIC = "nordic_hamstring_curl"
PREFERENCES: dict[Role, tuple[str, ...]] = {
    Role.KNEE: ("lying_leg_curl", "seated_leg_curl", "slider_leg_curl",
                "stability_ball_leg_curl", "band_leg_curl", "bridge_walkout",
                "isometric_bridge_hold"),
    Role.HIP: ("hip_extension_45", "romanian_deadlift", "dumbbell_romanian_deadlift",
               "single_leg_romanian_deadlift", "hip_thrust", "single_leg_hip_thrust",
               "kettlebell_swing", "single_leg_glute_bridge", "glute_bridge"),
    Role.QUAD: ("back_squat", "leg_press", "bulgarian_split_squat", "squat", "split_squat",
                "step_up", "walking_lunge", "wall_sit"),
    Role.CALF: ("single_leg_heel_raise", "calf_raise", "bent_knee_calf_raise"),
}
# while a recent strain heals: low-load hamstring work only (Askling 2013)
RETURN_PREFERENCES: dict[Role, tuple[str, ...]] = {
    Role.KNEE: ("isometric_bridge_hold",),
    Role.HIP: ("glute_bridge",),
}
L_PROTOCOL = ("askling_extender", "askling_diver", "askling_glider")
# plyometrics in the order a build progresses through them (rule 15); level decides
# how far a runner gets, and bounding, closest to sprinting, is left out after a strain
PLYOMETRICS = ("pogo_jumps", "single_leg_hops", "bounding")
SPRINT_LIKE = frozenset({"bounding"})


def usable(catalogue: Catalogue, ids: Sequence[str], owned: frozenset[Equipment],
           level: Level, held: frozenset[str] = frozenset()) -> list[Exercise]:
    """The exercises of ``ids`` the runner can do: equipment owned, level within theirs,
    and not held by a coach's or physiotherapist's prescription."""
    found = []
    for exercise_id in ids:
        exercise = catalogue[exercise_id]
        if (exercise.usable_with(owned) and exercise.level.rank <= level.rank
                and exercise_id not in held):
            found.append(exercise)
    return found


class Chooser:
    """Exercise choices for one profile, looked up once."""

    def __init__(self, catalogue: Catalogue, owned: frozenset[Equipment], level: Level,
                 held: frozenset[str] = frozenset()):
        self.catalogue = catalogue
        self.held = held
        self._normal = {role: usable(catalogue, ids, owned, level, held)
                        for role, ids in PREFERENCES.items()}
        self._healing = {role: usable(catalogue, ids, owned, level, held)
                         for role, ids in RETURN_PREFERENCES.items()}
        self.protocol = {e.id: e for e in usable(catalogue, L_PROTOCOL, owned, level, held)}
        self.plyometrics = usable(catalogue, PLYOMETRICS, owned, level, held)
        nordic = catalogue[NORDIC]
        self.nordic = (nordic if set(nordic.equipment) <= owned and NORDIC not in held
                       else None)
        self.warm_up = catalogue["dynamic_warm_up"]
        self.owned = owned

    def next_step(self, exercise: Exercise) -> str | None:
        """The name of the first progression the runner has the equipment for."""
        for step_id in exercise.progressions:
            step = self.catalogue[step_id]
            if set(step.equipment) <= self.owned and step_id not in self.held:
                return step.name
        return None

    def pick(self, role: Role, variant: int, healing: bool = False,
             avoid: frozenset[str] = frozenset()) -> Exercise | None:
        """The exercise for ``role``; ``avoid`` names exercises the day does not allow."""
        options = (self._healing if healing and role in self._healing else self._normal)[role]
        if avoid:
            options = [e for e in options if e.id not in avoid]
        if not options:
            return None
        return options[variant % min(2, len(options))]
