"""How a dose reads, in one place for every interface (issue 10 item 10).

``describe`` (a plan item) and ``describe_default`` (an exercise's catalogue dose) turn
a dose into one pure ``DoseDescription``; a small formatter per output reads it:

- ``compact``: tables (the CLI, Markdown plans, the catalogue): ``3x8``, ``12/10/8``,
  ``3x30 s``, ``3x8-12``, ``3x6RM``;
- ``spoken``: sentences (the web, the calendar): "3 × 8 reps", "2 × 30 s hold",
  "1 × 3 min" (a warm-up is timed, never a "hold"), "each side", "at your 6RM load";
- ``set_text``: one set, as the player and the watch show it: "8 reps", "30 s hold";
- ``details``: the dose with its tempo and rest: "3 × 8 reps, 3 s down, 1 s up, rest 90 s";
- ``tempo_words``: a tempo ("3-1-1", parsed once by ``catalogue.model.tempo_phases``)
  as "3 s down, 1 s pause, 1 s up".

Whether a timed set is a hold is the exercise's role, not its length: a warm-up is
minutes of easy movement, an isometric is a hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from hamstride.catalogue import load_catalogue
from hamstride.catalogue.model import Dose, Exercise, tempo_phases
from hamstride.training.plan import HoldSet, Item, RepSet


@dataclass(frozen=True)
class SetDose:
    """One set: ``amount`` reps (up to ``top`` for a range), or seconds when ``timed``."""

    amount: int
    timed: bool = False
    top: int | None = None


@dataclass(frozen=True)
class DoseDescription:
    sets: tuple[SetDose, ...]
    per_side: bool = False
    held: bool = True  # a timed set is a hold (False: a warm-up, timed work)
    rm: str | None = None  # each set at this repetition-maximum load: "6", "4-10"
    tempo: str | None = None
    rest_s: int = 0


def describe(item: Item, *, warm_up: bool | None = None) -> DoseDescription:
    """A plan item's dose; ``warm_up`` defaults to the catalogue's role of its exercise."""
    if warm_up is None:
        exercise = load_catalogue().get(item.exercise)
        warm_up = exercise is not None and exercise.is_warm_up
    sets = tuple(set_of(s) for s in item.sets)
    return DoseDescription(sets, item.per_side, not warm_up,
                           None if item.rm is None else str(item.rm), item.tempo, item.rest_s)


def set_of(one: RepSet | HoldSet) -> SetDose:
    """One planned set's dose."""
    return SetDose(one.hold_s, True) if isinstance(one, HoldSet) else SetDose(one.reps)


def describe_default(exercise: Exercise) -> DoseDescription:
    """An exercise's default dose from the catalogue (a range of reps where it has one)."""
    d: Dose = exercise.dose
    one = (SetDose(d.hold_s, True) if d.hold_s is not None
           else SetDose(d.reps or 0, top=d.reps_max))
    rm = f"{d.reps}-{d.reps_max}" if d.rm else None
    return DoseDescription((one,) * d.sets, d.per_side, not exercise.is_warm_up, rm,
                           d.tempo, d.rest_s)


def duration(seconds: int) -> str:
    """"45 s", "90 s", "3 min", "2 min 30 s": minutes from two minutes up."""
    if seconds < 120:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def _amount(s: SetDose, dash: str) -> str:
    if s.timed:
        return duration(s.amount)
    return f"{s.amount}{dash}{s.top}" if s.top is not None else str(s.amount)


def _same(d: DoseDescription) -> bool:
    return len(set(d.sets)) == 1


def compact(dose: Item | DoseDescription) -> str:
    """``3x8``, ``12/10/8``, ``3x30 s``, ``30/45 s``, ``3x8-12``, ``3x6RM``."""
    d = describe(dose) if isinstance(dose, Item) else dose
    timed = {s.timed for s in d.sets}
    if _same(d):
        text = f"{len(d.sets)}x{_amount(d.sets[0], '-')}"
    elif timed == {True}:
        text = "/".join(str(s.amount) for s in d.sets) + " s"
    else:
        text = "/".join(_amount(s, "-") for s in d.sets)
    if d.rm is not None and timed == {False}:
        reps = {_amount(s, "-") for s in d.sets}
        text += "RM" if reps == {d.rm} else f" at {d.rm}RM"
    return text


def _unit(s: SetDose, held: bool) -> str:
    return ("hold" if held else "") if s.timed else "reps"


def set_text(s: SetDose, *, held: bool = True) -> str:
    """One set: "8 reps", "8–12 reps", "30 s hold", "3 min" (a warm-up)."""
    return f"{_amount(s, '–')} {_unit(s, held)}".rstrip()


def spoken(dose: Item | DoseDescription) -> str:
    """"3 × 8 reps", "2 × 30 s hold", "1 × 3 min", "3 sets: 8, 8, 6 reps", with "each
    side" and a heavy lift's "at your 6RM load"."""
    d = describe(dose) if isinstance(dose, Item) else dose
    amounts = [_amount(s, "–") for s in d.sets]
    unit = _unit(d.sets[-1], d.held)
    text = (f"{len(amounts)} × {amounts[0]} {unit}" if _same(d)
            else f"{len(amounts)} sets: {', '.join(amounts)} {unit}").rstrip()
    if d.per_side:
        text += " each side"
    if d.rm is not None:
        text += f" at your {d.rm.replace('-', '–')}RM load"
    return text


def tempo_words(tempo: str | None) -> str:
    """"3 s down, 1 s pause, 1 s up"; ``x`` is fast; no pause is left out."""
    if not tempo:
        return ""
    down, pause, up = tempo_phases(tempo)
    words = ["fast down" if down is None else f"{down} s down"]
    if pause:
        words.append(f"{pause} s pause")
    words.append("fast up" if up is None else f"{up} s up")
    return ", ".join(words)


def details(dose: Item | DoseDescription) -> str:
    """The spoken dose with its tempo and rest: "3 × 8 reps, tempo 3 s down, 1 s up,
    rest 90 s"."""
    d = describe(dose) if isinstance(dose, Item) else dose
    parts = [spoken(d)]
    if d.tempo:
        parts.append(f"tempo {tempo_words(d.tempo)}")
    if d.rest_s:
        parts.append(f"rest {duration(d.rest_s)}")
    return ", ".join(parts)
