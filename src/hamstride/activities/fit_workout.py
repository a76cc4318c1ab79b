"""FIT workout export: a planned session as a workout file a Garmin device can run.

One session is one file: ``file_id`` (type workout), one ``workout`` message (sport
training, sub-sport strength training) and the ``workout_step`` messages, in the order
of the Garmin FIT SDK's "Encoding Workout Files" recipe.

How a session becomes steps (docs/activities.md, "FIT workout export"):

- A *block* is one item, or two neighbouring items with one superset letter (done in
  alternation, resting once per round, as docs/plan.md says).
- A block is done in *rounds*: round k is set k of each item of the block, then the rest
  (``rest_s``; no rest step when it is 0). A set is a rep step (``duration_type`` reps)
  or a hold step (``duration_type`` time); the warm-up is intensity warmup, the rest of
  the work intensity active, rests intensity rest.
- Neighbouring rounds that are the same are written once and followed by a repeat step
  (``repeat_until_steps_cmplt`` back to the round's first step, ``repeat_steps`` = how
  many times it is done in all), so 3 x 8 becomes [work, rest, repeat x3] and the
  Nordic 12, 10, 8 stays three rounds.
- Per-side items get one step per side, left then right, each with the per-side dose.
  A product choice: the watch's rep counter and hold timer then match what is done on
  each leg, where doubling the reps would count both legs as one set and run a 40 s
  timer across a side switch.

Exercises map to the FIT profile's ``exercise_category`` / ``exercise_name`` through
``FIT_EXERCISES``; where the profile has no such exercise the step carries the nearest
category, no exercise name, and the catalogue title as its name. Strings are cut to the
254 bytes a FIT string field can hold (its size is one byte, with the terminator),
never inside a UTF-8 character.

The bytes are written with fit-tool; any error it raises becomes a ``PlanFormatError``.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from enum import Enum
from itertools import groupby
from typing import Any, NamedTuple

from fit_tool.exceptions import FitError
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    BandedExercisesExerciseName,
    CalfRaiseExerciseName,
    DeadliftExerciseName,
    ExerciseCategory,
    FileType,
    HipRaiseExerciseName,
    Intensity,
    LegCurlExerciseName,
    LegRaiseExerciseName,
    LungeExerciseName,
    Manufacturer,
    Sport,
    SquatExerciseName,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from hamstride.catalogue import Catalogue, Exercise
from hamstride.errors import PlanFormatError
from hamstride.training.dose_text import describe, set_of, set_text, tempo_words
from hamstride.training.plan import Item, RepSet, Session, SetDose, Week

MAX_STRING_BYTES = 254  # a FIT field's size is one byte and a string ends with a NUL
SIDES = ("left", "right")
REST_NAME = "Rest"
FILE_SUFFIX = "hamstride.fit"


class FitExercise(NamedTuple):
    """An exercise in the FIT profile's terms; ``name`` is None where it has no match."""

    category: ExerciseCategory
    name: Enum | None = None


_C = ExerciseCategory
FIT_EXERCISES: dict[str, FitExercise] = {
    # no FIT exercise: nearest category, catalogue title as the step name
    "askling_diver": FitExercise(_C.DEADLIFT),  # a single-leg hip hinge
    "askling_extender": FitExercise(_C.LEG_CURL),  # knee extension that lengthens the hamstring
    "askling_glider": FitExercise(_C.LUNGE),  # a split-stance slide
    "bent_knee_calf_raise": FitExercise(_C.CALF_RAISE),  # FIT has it single-leg only
    "bounding": FitExercise(_C.PLYO),  # FIT's plyo names are squat and box jumps
    "bridge_walkout": FitExercise(_C.HIP_RAISE),
    "copenhagen_plank": FitExercise(_C.PLANK),
    "dynamic_warm_up": FitExercise(_C.WARM_UP),  # a sequence of drills, not one exercise
    "hip_extension_45": FitExercise(_C.HYPEREXTENSION),
    "isometric_bridge_hold": FitExercise(_C.HIP_RAISE),
    "leg_lift": FitExercise(_C.LEG_RAISE),  # standing hip flexion
    "nordic_hamstring_curl": FitExercise(_C.LEG_CURL),
    "pogo_jumps": FitExercise(_C.PLYO),
    "single_leg_hops": FitExercise(_C.PLYO),
    "standing_leg_curl": FitExercise(_C.DEADLIFT),  # really a single-leg hip hinge
    # FIT has the exercise (a generic name where only the set-up differs, the dumbbell
    # version where FIT has no other and the catalogue offers dumbbells as the load)
    "back_squat": FitExercise(_C.SQUAT, SquatExerciseName.BARBELL_BACK_SQUAT),
    "band_leg_curl": FitExercise(_C.BANDED_EXERCISES,
                                 BandedExercisesExerciseName.HAMSTRING_CURLS),
    "bulgarian_split_squat": FitExercise(_C.LUNGE,
                                         LungeExerciseName.DUMBBELL_BULGARIAN_SPLIT_SQUAT),
    "calf_raise": FitExercise(_C.CALF_RAISE, CalfRaiseExerciseName.STANDING_CALF_RAISE),
    "dumbbell_romanian_deadlift": FitExercise(_C.DEADLIFT, DeadliftExerciseName.ROMANIAN_DEADLIFT),
    "eccentric_slider_leg_curl": FitExercise(_C.LEG_CURL, LegCurlExerciseName.SLIDING_LEG_CURL),
    "glute_bridge": FitExercise(_C.HIP_RAISE, HipRaiseExerciseName.HIP_RAISE),
    "hip_thrust": FitExercise(_C.HIP_RAISE, HipRaiseExerciseName.BARBELL_HIP_THRUST_WITH_BENCH),
    "kettlebell_swing": FitExercise(_C.HIP_RAISE, HipRaiseExerciseName.KETTLEBELL_SWING),
    "leg_press": FitExercise(_C.SQUAT, SquatExerciseName.LEG_PRESS),
    "lying_leg_curl": FitExercise(_C.LEG_CURL, LegCurlExerciseName.LEG_CURL),
    "romanian_deadlift": FitExercise(_C.DEADLIFT, DeadliftExerciseName.ROMANIAN_DEADLIFT),
    "seated_leg_curl": FitExercise(_C.LEG_CURL, LegCurlExerciseName.LEG_CURL),
    "single_leg_glute_bridge": FitExercise(_C.HIP_RAISE,
                                           HipRaiseExerciseName.SINGLE_LEG_HIP_RAISE),
    "single_leg_heel_raise": FitExercise(_C.CALF_RAISE,
                                         CalfRaiseExerciseName.SINGLE_LEG_STANDING_CALF_RAISE),
    "single_leg_hip_thrust": FitExercise(_C.HIP_RAISE, HipRaiseExerciseName.SINGLE_LEG_HIP_RAISE),
    "single_leg_romanian_deadlift": FitExercise(
        _C.DEADLIFT, DeadliftExerciseName.SINGLE_LEG_ROMANIAN_DEADLIFT_WITH_DUMBBELL),
    "slider_leg_curl": FitExercise(_C.LEG_CURL, LegCurlExerciseName.SLIDING_LEG_CURL),
    "split_squat": FitExercise(_C.SQUAT, SquatExerciseName.DUMBBELL_SPLIT_SQUAT),
    "squat": FitExercise(_C.SQUAT, SquatExerciseName.SQUAT),
    "stability_ball_leg_curl": FitExercise(
        _C.LEG_CURL, LegCurlExerciseName.SWISS_BALL_HIP_RAISE_AND_LEG_CURL),
    "step_up": FitExercise(_C.SQUAT, SquatExerciseName.STEP_UP),
    "straight_leg_curl": FitExercise(_C.LEG_RAISE, LegRaiseExerciseName.LYING_STRAIGHT_LEG_RAISE),
    "walking_lunge": FitExercise(_C.LUNGE, LungeExerciseName.WALKING_LUNGE),
    "wall_sit": FitExercise(_C.SQUAT, SquatExerciseName.BODY_WEIGHT_WALL_SQUAT),
}


# -- the structure: a session as a list of steps ------------------------------------------

@dataclass(frozen=True, slots=True)
class WorkStep:
    """One set of one exercise (one side of it for a per-side item)."""

    item: Item
    dose: SetDose
    side: str | None = None


@dataclass(frozen=True, slots=True)
class RestStep:
    seconds: int


@dataclass(frozen=True, slots=True)
class RepeatStep:
    """Go back to step ``first`` until the steps since it were done ``times`` times."""

    first: int
    times: int


Step = WorkStep | RestStep | RepeatStep
Round = tuple[tuple[Item, SetDose], ...]


def session_steps(session: Session) -> list[Step]:
    """The session's steps in order, as described in the module docstring."""
    steps: list[Step] = []
    for block in blocks(session.items):
        rest = max(item.rest_s for item in block)
        for round_, same in groupby(_rounds(block)):
            times = len(list(same))
            first = len(steps)
            steps.extend(_round_steps(round_, rest))
            if times > 1:
                steps.append(RepeatStep(first=first, times=times))
    return steps


def blocks(items: Sequence[Item]) -> list[list[Item]]:
    """Items grouped as they are done: neighbours with one superset letter share rounds."""
    grouped: list[list[Item]] = []
    for item in items:
        if grouped and item.superset is not None and grouped[-1][-1].superset == item.superset:
            grouped[-1].append(item)
        else:
            grouped.append([item])
    return grouped


def _rounds(block: Sequence[Item]) -> Iterator[Round]:
    """Round k is set k of every item that has one (a hand-written superset may be uneven)."""
    for k in range(max(len(item.sets) for item in block)):
        yield tuple((item, item.sets[k]) for item in block if k < len(item.sets))


def _round_steps(round_: Round, rest_s: int) -> list[Step]:
    steps: list[Step] = []
    for item, dose in round_:
        sides: Sequence[str | None] = SIDES if item.per_side else (None,)
        steps.extend(WorkStep(item=item, dose=dose, side=side) for side in sides)
    if rest_s > 0:
        steps.append(RestStep(seconds=rest_s))
    return steps


# -- strings ------------------------------------------------------------------------------

def fit_string(text: str, *, limit: int = MAX_STRING_BYTES, keep: str = "") -> str:
    """``text`` cut to ``limit`` UTF-8 bytes (never mid-character), then ``keep`` appended
    whole; NULs are dropped because a FIT string ends at the first one."""
    text, keep = text.replace("\0", ""), keep.replace("\0", "")
    room = max(limit - len(keep.encode("utf-8")), 0)
    # a cut inside a character leaves an incomplete tail, which "ignore" drops
    return text.encode("utf-8")[:room].decode("utf-8", "ignore") + keep


def step_name(exercise: Exercise, side: str | None) -> str:
    return fit_string(exercise.name, keep=f" ({side})" if side else "")


def step_notes(step: WorkStep) -> str:
    """What the watch can show under the name: dose, sides, tempo, superset."""
    item, dose = step.item, step.dose
    parts = [set_text(set_of(dose), held=describe(item).held)]
    if item.per_side:
        parts.append("each side, left then right")
    if item.tempo:
        parts.append(f"tempo {tempo_words(item.tempo)}")
    if item.superset:
        parts.append(f"superset {item.superset}")
    return fit_string(", ".join(parts))


# -- the messages -------------------------------------------------------------------------

def _work_message(step: WorkStep, exercise: Exercise) -> Any:
    message = WorkoutStepMessage()
    message.workout_step_name = step_name(exercise, step.side)
    message.notes = step_notes(step)
    message.intensity = Intensity.WARMUP if exercise.is_warm_up else Intensity.ACTIVE
    if isinstance(step.dose, RepSet):
        message.duration_type = WorkoutStepDuration.REPS
        message.duration_reps = step.dose.reps
    else:
        message.duration_type = WorkoutStepDuration.TIME
        message.duration_time = float(step.dose.hold_s)  # seconds; stored as ms
    message.target_type = WorkoutStepTarget.OPEN
    fit = FIT_EXERCISES.get(exercise.id)
    if fit is not None:  # a test keeps every catalogue exercise in the table
        message.exercise_category = fit.category.value
        if fit.name is not None:
            message.exercise_name = fit.name.value
    return message


def _rest_message(step: RestStep) -> Any:
    message = WorkoutStepMessage()
    message.workout_step_name = REST_NAME
    message.intensity = Intensity.REST
    message.duration_type = WorkoutStepDuration.TIME
    message.duration_time = float(step.seconds)
    message.target_type = WorkoutStepTarget.OPEN
    return message


def _repeat_message(step: RepeatStep) -> Any:
    """As the FIT SDK recipe writes it: target type open, the count in target_value."""
    message = WorkoutStepMessage()
    message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
    message.duration_step = step.first
    message.target_type = WorkoutStepTarget.OPEN
    message.target_repeat_steps = step.times
    return message


def _step_message(index: int, step: Step, catalogue: Catalogue) -> Any:
    if isinstance(step, WorkStep):
        message = _work_message(step, catalogue[step.item.exercise])
    elif isinstance(step, RestStep):
        message = _rest_message(step)
    else:
        message = _repeat_message(step)
    message.message_index = index
    return message


def _file_id(session: Session, name: str) -> Any:
    """Same session, same bytes: the creation time is the session's day (00:00 UTC) and
    the serial number a hash of date, title and name, so each file has its own identity."""
    message = FileIdMessage()
    message.type = FileType.WORKOUT
    message.manufacturer = Manufacturer.DEVELOPMENT.value
    message.product = 0
    key = f"{session.date}\0{session.title}\0{name}".encode()
    message.serial_number = int.from_bytes(hashlib.sha256(key).digest()[:4], "big") or 1
    created = datetime.combine(session.date, time(0), tzinfo=UTC)
    message.time_created = round(created.timestamp() * 1000)  # fit-tool takes ms
    return message


def _workout(name: str, steps: int) -> Any:
    """``num_valid_steps`` counts every step, repeat steps included, as the SDK recipe does
    (fit-tool's strict check counts them out, as an old SDK example file did)."""
    message = WorkoutMessage()
    message.workout_name = fit_string(name)
    message.sport = Sport.TRAINING
    message.sub_sport = SubSport.STRENGTH_TRAINING
    message.num_valid_steps = steps
    return message


# -- the files ----------------------------------------------------------------------------

def workout_fit(session: Session, *, name: str, catalogue: Catalogue) -> bytes:
    """The session as a complete FIT workout file; ``name`` is what the watch lists."""
    steps = session_steps(session)
    try:
        messages = [_step_message(n, step, catalogue) for n, step in enumerate(steps)]
        builder = FitFileBuilder(auto_define=True)
        builder.add(_file_id(session, name))
        builder.add(_workout(name, len(messages)))
        builder.add_all(messages)
        data: bytes = builder.build().to_bytes()
    except (FitError, struct.error) as exc:  # struct: a value too large for its field
        raise PlanFormatError(f"session {session.date} cannot be written as a FIT workout: "
                              f"{exc}.") from exc
    return data


def fit_file_names(sessions: Sequence[Session]) -> list[str]:
    """``2027-01-04-hamstride.fit``; a second session on one day gets ``-2``, and so on."""
    seen: dict[str, int] = {}
    names = []
    for session in sessions:
        day = session.date.isoformat()
        seen[day] = seen.get(day, 0) + 1
        count = "" if seen[day] == 1 else f"-{seen[day]}"
        names.append(f"{day}{count}-{FILE_SUFFIX}")
    return names


def sessions_fits(sessions: Sequence[Session], *, catalogue: Catalogue
                  ) -> list[tuple[str, bytes]]:
    """One (file name, FIT bytes) per session, each workout named by the session title."""
    names = fit_file_names(sessions)
    return [(file_name, workout_fit(session, name=session.title, catalogue=catalogue))
            for file_name, session in zip(names, sessions, strict=True)]


def week_fits(week: Week, *, catalogue: Catalogue) -> list[tuple[str, bytes]]:
    """One (file name, FIT bytes) per session of the week."""
    return sessions_fits(week.sessions, catalogue=catalogue)
