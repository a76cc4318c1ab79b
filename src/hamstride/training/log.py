"""The training log: what the runner actually did, as plain validated data.

A logged session carries an id. Clients may send their own (the phone and the web app
will); without one, the id is derived from the entry's content, so sending the same
entry twice stores it once. Sending an entry with a known id and new content edits it.
JSON contract: docs/log.schema.json (generated from these models).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from hamstride.catalogue.model import ExerciseId
from hamstride.errors import InputError
from hamstride.validation import first_problem

ClientId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
Notes = Annotated[str, StringConstraints(max_length=2000)]
Rpe = Annotated[float, Field(ge=0, le=10)]  # Borg CR-10 (Foster 2001)
Pain = Annotated[int, Field(ge=0, le=10)]
# a plausible calendar: a year-1 date would break every chart of the log after it
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]
MAX_SETS = 200


class LogError(InputError):
    """A log entry or field test from outside is invalid."""


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Band(StrEnum):
    """Resistance-band colours, lightest to heaviest in the common colour scheme."""

    YELLOW = "yellow"
    RED = "red"
    GREEN = "green"
    BLUE = "blue"
    BLACK = "black"
    SILVER = "silver"
    GOLD = "gold"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoggedSet(_Strict):
    exercise: ExerciseId
    reps: int | None = Field(default=None, ge=0, le=200)
    hold_s: int | None = Field(default=None, ge=0, le=900)
    load_kg: float | None = Field(default=None, ge=0, le=500)
    band: Band | None = None
    side: Side = Side.BOTH
    rpe: Rpe | None = None
    pain: Pain | None = None

    @model_validator(mode="after")
    def _one_measure(self) -> Self:
        if (self.reps is None) == (self.hold_s is None):
            raise ValueError("a set has either reps or hold_s")
        if self.load_kg is not None and self.band is not None:
            raise ValueError("a set's load is kg or a band colour, not both")
        return self


class LoggedSession(_Strict):
    id: ClientId
    date: Day
    duration_min: float | None = Field(default=None, ge=0, le=600)
    session_rpe: Rpe | None = None
    pain: Pain | None = None
    morning_pain: Pain | None = None  # next-morning soreness or pain
    notes: Notes = ""
    sets: list[LoggedSet] = Field(default=[], max_length=MAX_SETS)

    @property
    def max_pain(self) -> int | None:
        """The highest pain reported during the session, in any set or overall."""
        values = [p for p in (self.pain, *(s.pain for s in self.sets)) if p is not None]
        return max(values) if values else None

    @property
    def load(self) -> float | None:
        """Session load = session RPE x minutes (Foster 2001)."""
        if self.session_rpe is None or self.duration_min is None:
            return None
        return self.session_rpe * self.duration_min

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class TestKind(StrEnum):
    SINGLE_LEG_BRIDGE = "single_leg_bridge"  # reps to failure, heel on a 60 cm box
    NORDIC_ANGLE = "nordic_angle"  # break angle, degrees from vertical
    NORDIC_FORCE = "nordic_force"  # Nordic-device force, N
    ISOMETRIC_HOLD = "isometric_hold"  # seconds
    # after a strain: pain 0-10 per leg on a brisk walk, a jog on the spot and a slow
    # straight-leg raise (the return criteria, training/return_stages.py)
    SELF_CHECK = "self_check"

    @property
    def unit(self) -> str:
        return _UNITS[self]


_UNITS = {TestKind.SINGLE_LEG_BRIDGE: "reps", TestKind.NORDIC_ANGLE: "degrees",
          TestKind.NORDIC_FORCE: "N", TestKind.ISOMETRIC_HOLD: "s",
          TestKind.SELF_CHECK: "pain /10"}
_LIMITS = {TestKind.SINGLE_LEG_BRIDGE: 200, TestKind.NORDIC_ANGLE: 90,
           TestKind.NORDIC_FORCE: 2000, TestKind.ISOMETRIC_HOLD: 900,
           TestKind.SELF_CHECK: 10}


class FieldTest(_Strict):
    id: ClientId
    date: Day
    kind: TestKind
    left: float = Field(ge=0)
    right: float = Field(ge=0)
    notes: Notes = ""

    @model_validator(mode="after")
    def _plausible(self) -> Self:
        limit = _LIMITS[self.kind]
        if self.left > limit or self.right > limit:
            raise ValueError(f"{self.kind} results go up to {limit} {self.kind.unit}")
        return self

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def content_id(data: dict[str, Any], prefix: str) -> str:
    """A stable id from an entry's content: the same entry gives the same id."""
    canonical = json.dumps({k: v for k, v in data.items() if k != "id"}, sort_keys=True,
                           default=str, separators=(",", ":"))
    return f"{prefix}-{hashlib.sha256(canonical.encode()).hexdigest()[:20]}"


def _validate(model: type[_Strict], data: Any, source: str, prefix: str) -> Any:
    """Validate; an entry without an id gets one from its validated content, so the same
    session sent from flags, a JSON file or a CSV row (7 or 7.0, a missing or empty note)
    gets the same id."""
    needs_id = isinstance(data, dict) and not data.get("id")
    if needs_id:
        data = {**data, "id": "pending"}
    try:
        entry = model.model_validate(data)
    except ValidationError as exc:
        where, message = first_problem(exc)
        raise LogError(f"{source}: {where}: {message}.", field=where) from exc
    if needs_id:
        entry = entry.model_copy(update={"id": content_id(entry.model_dump(mode="json"), prefix)})
    return entry


def session_from_data(data: Any, *, source: str = "log entry") -> LoggedSession:
    """Validate one session; without an id, its content gives it one."""
    result: LoggedSession = _validate(LoggedSession, data, source, "s")
    return result


def field_test_from_data(data: Any, *, source: str = "field test") -> FieldTest:
    result: FieldTest = _validate(FieldTest, data, source, "t")
    return result


def log_json(entries: Iterable[LoggedSession]) -> str:
    """The log as JSON text: a list of session documents (docs/log.schema.json), the body
    ``POST /profiles/{name}/log`` and ``hamstride log --from`` take back."""
    return json.dumps([e.to_document() for e in entries], indent=2, ensure_ascii=False) + "\n"


def check_exercises(session: LoggedSession, known: set[str] | frozenset[str], *,
                    source: str = "log entry") -> None:
    """Every set names a catalogue exercise."""
    for n, logged in enumerate(session.sets):
        if logged.exercise not in known:
            raise LogError(f"{source}: sets[{n}].exercise: unknown exercise "
                           f"'{logged.exercise}' (not in the exercise catalogue).",
                           field=f"sets[{n}].exercise",
                           cli_hint="`hamstride exercises` lists them.")


def log_schema() -> dict[str, Any]:
    """docs/log.schema.json: one session object, or a list of them."""
    one = LoggedSession.model_json_schema(mode="validation")
    defs = one.pop("$defs", {})
    defs["LoggedSession"] = one
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://hamstride.invalid/log.schema.json",
        "title": "hamstride training log batch",
        "description": "One logged session, or a list of them. 'id' is optional on input: "
                       "without it the content gives a stable id.",
        "oneOf": [{"$ref": "#/$defs/LoggedSession"},
                  {"type": "array", "items": {"$ref": "#/$defs/LoggedSession"}}],
        "$defs": defs,
    }
