"""Pydantic's validation errors, told the hamstride way: where, and what is wrong.

Used at every boundary that validates outside data (profiles, plans, log entries), so
each names the first bad field the same way: ``running.races[0].date``.
"""

from __future__ import annotations

from pydantic import ValidationError


def location(loc: tuple[int | str, ...]) -> str:
    """``("sets", 0, "reps")`` -> ``"sets[0].reps"``; an empty path is the top level."""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
    return text.lstrip(".") or "(top level)"


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """The first error's field path and message, without pydantic's prefixes."""
    first = exc.errors()[0]
    if first["type"] == "extra_forbidden":
        return location(tuple(first["loc"])), "unknown field"
    return location(tuple(first["loc"])), first["msg"].removeprefix("Value error, ")
