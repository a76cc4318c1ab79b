"""The plan document (``hamstride.plan/1``): one model and one serializer for the CLI,
the files and the API. docs/plan.schema.json is generated from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from hamstride.catalogue.model import ExerciseId, Tempo
from hamstride.errors import PlanFormatError
from hamstride.validation import first_problem
from hamstride.vocabulary import Equipment

SCHEMA_ID: Literal["hamstride.plan/1"] = "hamstride.plan/1"
Note = Annotated[str, StringConstraints(max_length=2000)]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_M = TypeVar("_M", bound=BaseModel)


class RepSet(_Doc):
    reps: int = Field(ge=1, le=100)


class HoldSet(_Doc):
    hold_s: int = Field(ge=1, le=900)


SetDose = RepSet | HoldSet


@cache
def rep_set(reps: int) -> RepSet:
    """A shared, immutable set of ``reps`` (sets are frozen, so one instance serves all)."""
    return RepSet(reps=reps)


@cache
def hold_set(hold_s: int) -> HoldSet:
    return HoldSet(hold_s=hold_s)


class Item(_Doc):
    exercise: ExerciseId
    equipment: list[Equipment] = []
    sets: list[SetDose] = Field(min_length=1, max_length=10)
    per_side: bool = False
    rest_s: int = Field(default=60, ge=0, le=600)
    tempo: Tempo | None = None
    superset: Annotated[str, StringConstraints(pattern=r"^[A-Z]$")] | None = None
    rm: int | None = Field(default=None, ge=1, le=20)  # each set at this N-rep-max load
    notes: Note = ""


class Session(_Doc):
    date: date
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    estimated_minutes: float = Field(ge=0, le=600)
    notes: Note = ""
    items: list[Item] = Field(min_length=1, max_length=30)


class Week(_Doc):
    week: int = Field(ge=1, le=104)
    phase: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    sessions: list[Session] = []


class ReturnState(_Doc):
    """The return-from-strain stage the log and field tests showed when the plan was
    made (training/return_stages.py): heavy hamstring loading only from ``heavy_from``."""

    stage: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    heavy_from: date | None = None  # None: the criteria are not met yet


class LoggedDay(_Doc):
    """A strength session the log holds in the plan's first week, before it plans."""

    date: date
    nordic: bool = False


LOGGED_IN_WEEK_MAX = 14  # two sessions a day: more in one week and no plan can follow


class Continues(_Doc):
    """Where a plan regenerated from the training log picks up: the original plan's
    start and what the log shows so far, so the rules judge the whole history.

    The plan's weeks stay the original plan's weeks (its start is the first day of the
    week it picks up in); it plans from ``planned_from`` and ``logged`` holds the
    strength sessions logged earlier in that first week, which count towards its limits.
    """

    original_start: date
    planned_from: date | None = None  # None: from the plan's start
    logged: list[LoggedDay] = Field(default=[], max_length=LOGGED_IN_WEEK_MAX)
    nordic_week: int = Field(default=0, ge=0, le=520)  # table week reached (0: none yet)
    last_nordic: date | None = None
    last_heavy_eccentric: date | None = None
    last_hamstring: date | None = None
    return_state: ReturnState | None = None  # after a recent strain
    pain_pause_since: date | None = None  # heavy hamstring work paused by pain (pain.py)


class Plan(_Doc):
    schema_: Literal["hamstride.plan/1"] = Field(default=SCHEMA_ID, alias="schema")
    start: date
    athlete: Annotated[str, StringConstraints(max_length=100)] | None = None
    notes: list[Note] = []
    continues: Continues | None = None
    weeks: list[Week] = Field(max_length=104)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def sessions(self) -> Iterator[tuple[Week, Session]]:
        for week in self.weeks:
            for session in week.sessions:
                yield week, session

    def to_document(self) -> dict[str, Any]:
        document = self.model_dump(mode="json", by_alias=True)
        if document["continues"] is None:  # only plans regenerated from a log carry it
            del document["continues"]
        return document

    def to_json(self) -> str:
        """The canonical serialization: stable key order, UTF-8, two-space indent."""
        return json.dumps(self.to_document(), indent=2, ensure_ascii=False) + "\n"


def trusted(cls: type[_M], **values: Any) -> _M:
    """Build a model from values the planner already guarantees, skipping validation.

    Like ``model_construct`` for models whose every field is given, without its
    per-call bookkeeping; tests check that what it builds re-validates unchanged.
    """
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", _FIELDS_SET.get(cls) or _fields_set(cls))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


_set = object.__setattr__
_FIELDS_SET: dict[type[BaseModel], set[str]] = {}


def _fields_set(cls: type[BaseModel]) -> set[str]:
    """Every field is given to ``trusted``; frozen models never change the set."""
    return _FIELDS_SET.setdefault(cls, set(cls.model_fields))


def plan_from_data(data: Any, *, source: str = "plan") -> Plan:
    """Validate a plan document; the message names the first bad field."""
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        where, msg = first_problem(exc)
        raise PlanFormatError(f"{source}: {where}: {msg}.", field=where) from exc


def plan_from_json(text: str, *, source: str = "plan") -> Plan:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFormatError(f"{source}: not valid JSON: {exc}.") from exc
    return plan_from_data(data, source=source)


def json_schema() -> dict[str, Any]:
    """The JSON Schema published as docs/plan.schema.json."""
    schema = Plan.model_json_schema(by_alias=True, mode="serialization")
    schema["$id"] = "https://hamstride.invalid/plan.schema.json"
    schema["title"] = "hamstride plan (hamstride.plan/1)"
    return schema
