"""How a plan item's dose reads, in one place for every interface: ``compact`` for
tables (the CLI, Markdown plans), ``spoken`` for sentences (the web, the calendar)."""

from __future__ import annotations

from hamstride.training.plan import HoldSet, Item, RepSet


def duration(seconds: int) -> str:
    """"45 s", "90 s", "3 min", "2 min 30 s": minutes from two minutes up."""
    if seconds < 120:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def compact(item: Item) -> str:
    """``3x8``, ``12/10/8``, ``3x30 s``, ``30/45 s``, ``3x6RM`` (a heavy lift's load)."""
    sets = item.sets
    reps = [s.reps for s in sets if isinstance(s, RepSet)]
    holds = [s.hold_s for s in sets if isinstance(s, HoldSet)]
    if reps and not holds:
        text = f"{len(reps)}x{reps[0]}" if len(set(reps)) == 1 else "/".join(map(str, reps))
        if item.rm is not None:
            text += "RM" if set(reps) == {item.rm} else f" at {item.rm}RM"
        return text
    if holds and not reps:
        if len(set(holds)) == 1:
            return f"{len(holds)}x{duration(holds[0])}"
        return "/".join(map(str, holds)) + " s"
    return "/".join(str(s.reps) if isinstance(s, RepSet) else duration(s.hold_s)
                    for s in sets)


def spoken(item: Item) -> str:
    """"3 × 8 reps", "2 × 30 s hold", "1 × 5 min", "3 sets: 8, 8, 6 reps", with "each
    side" and a heavy lift's "at your 6RM load"."""
    holds = [d.hold_s for d in item.sets if isinstance(d, HoldSet)]
    doses = [duration(d.hold_s) if isinstance(d, HoldSet) else str(d.reps) for d in item.sets]
    unit = "reps" if not holds else "hold" if max(holds) < 90 else ""
    text = (f"{len(doses)} × {doses[0]} {unit}" if len(set(doses)) == 1
            else f"{len(doses)} sets: {', '.join(doses)} {unit}").rstrip()
    if item.per_side:
        text += " each side"
    if item.rm is not None:
        text += f" at your {item.rm}RM load"
    return text
