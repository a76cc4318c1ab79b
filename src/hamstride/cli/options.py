"""Parsing of option values that the shell hands over as strings. Light (stdlib and the
vocabulary only): ``main`` uses it at import time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

import typer

from hamstride.vocabulary import Equipment

NONE_WORD = "none"


class PlanFormat(StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"
    JSON = "json"


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class TextFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class ProfileFormat(StrEnum):
    TOML = "toml"
    JSON = "json"


def iso_date(value: str) -> date:
    """A ``YYYY-MM-DD`` date; the message says what is wrong with it."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        reason = str(exc).removeprefix("Invalid isoformat string: ")
        raise typer.BadParameter(f"'{value}' is not a date YYYY-MM-DD ({reason}).") from exc


def split_list(values: Iterable[str] | str | None) -> list[str]:
    """``a,b`` or several ``--flag a --flag b``, as one list of stripped words."""
    if values is None:
        return []
    chunks = [values] if isinstance(values, str) else list(values)
    return [word.strip() for chunk in chunks for word in chunk.split(",") if word.strip()]


def equipment_set(values: Iterable[str] | str | None, *, flag: str = "--equipment"
                  ) -> set[Equipment]:
    """Equipment names (or ``none`` for body weight only); unknown names list the valid ones."""
    words = split_list(values)
    known = [NONE_WORD, *(e.value for e in Equipment)]
    unknown = [w for w in words if w not in known]
    if unknown:
        valid = ", ".join(known)
        raise typer.BadParameter(f"unknown equipment {', '.join(map(repr, unknown))}; "
                                 f"valid values: {valid}.", param_hint=f"'{flag}'")
    return {Equipment(w) for w in words if w != NONE_WORD}


class FieldTestKind(StrEnum):
    """The field tests (``hamstride.training.log.TestKind``), without importing pydantic."""

    SINGLE_LEG_BRIDGE = "single_leg_bridge"
    NORDIC_ANGLE = "nordic_angle"
    NORDIC_FORCE = "nordic_force"
    ISOMETRIC_HOLD = "isometric_hold"
    SELF_CHECK = "self_check"
