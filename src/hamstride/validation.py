"""Pydantic's validation errors, told the hamstride way: where, and what is wrong.

Used at every boundary that validates outside data (profiles, plans, log entries), so
each names the bad field the same way: ``running.races[0].date``. ``problems`` keeps
every error pydantic found, each also in plain words for a form (issue 10 item 11):
"Enter a whole number" rather than "Input should be a valid integer, unable to parse
string as an integer".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from hamstride.errors import Problem


def location(loc: tuple[int | str, ...]) -> str:
    """``("sets", 0, "reps")`` -> ``"sets[0].reps"``; an empty path is the top level."""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
    return text.lstrip(".") or "(top level)"


def _items(ctx: Mapping[str, Any], key: str) -> str:
    n = ctx.get(key)
    return f"{n} item{'s' if n != 1 else ''}"


# pydantic's error type -> the plain words (ctx holds the limits)
_PLAIN: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": lambda ctx: "Please fill this in",
    "string_too_short": lambda ctx: "Please fill this in",
    "string_too_long": lambda ctx: f"Keep it to {ctx.get('max_length')} characters or fewer",
    "int_parsing": lambda ctx: "Enter a whole number",
    "int_from_float": lambda ctx: "Enter a whole number",
    "int_type": lambda ctx: "Enter a whole number",
    "float_parsing": lambda ctx: "Enter a number",
    "float_type": lambda ctx: "Enter a number",
    "greater_than_equal": lambda ctx: f"Must be at least {ctx.get('ge')}",
    "greater_than": lambda ctx: f"Must be more than {ctx.get('gt')}",
    "less_than_equal": lambda ctx: f"Must be at most {ctx.get('le')}",
    "less_than": lambda ctx: f"Must be less than {ctx.get('lt')}",
    "enum": lambda ctx: f"Choose one of {ctx.get('expected', 'the options')}",
    "literal_error": lambda ctx: f"Choose one of {ctx.get('expected', 'the options')}",
    "date_parsing": lambda ctx: "Enter a date as YYYY-MM-DD",
    "date_from_datetime_parsing": lambda ctx: "Enter a date as YYYY-MM-DD",
    "date_from_datetime_inexact": lambda ctx: "Enter a date as YYYY-MM-DD",
    "date_type": lambda ctx: "Enter a date as YYYY-MM-DD",
    "too_short": lambda ctx: ("Pick at least one" if ctx.get("min_length") == 1
                              else f"Give at least {_items(ctx, 'min_length')}"),
    "too_long": lambda ctx: f"Give at most {_items(ctx, 'max_length')}",
    "extra_forbidden": lambda ctx: "Unknown field",
    "strain_needed": lambda ctx: ("Coming back from a strain needs the date of the strain "
                                  "and its side"),
}


def _message(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    return error["msg"].removeprefix("Value error, ")


def _plain(error: ErrorDetails) -> str:
    words = _PLAIN.get(error["type"])
    if words is not None:
        return words(error.get("ctx") or {})
    message = _message(error)  # our own validators' words (value_error) are plain already
    return message[:1].upper() + message[1:]


def problems(exc: ValidationError) -> list[Problem]:
    """Every error, in pydantic's order: field path, message, plain words."""
    return [Problem(location(tuple(e["loc"])), _message(e), _plain(e)) for e in exc.errors()]


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """The first error's field path and message, without pydantic's prefixes."""
    first = problems(exc)[0]
    return first.field, first.message
