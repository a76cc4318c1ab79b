"""The athlete profile: who the runner is, what they own, how they run.

Read from JSON or TOML with the same fields; every error names the field.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hamstride.errors import ProfileError
from hamstride.files import read_text
from hamstride.validation import problems
from hamstride.vocabulary import (
    Day,
    Equipment,
    Goal,
    Level,
    Priority,
    RaceDistance,
    RunType,
    Side,
)

Name = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
MAX_PROFILE_BYTES = 100_000
CalendarDay = date  # for annotations inside Race, whose field ``date`` hides the type


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Race(_Strict):
    date: date
    name: Name
    priority: Priority
    distance: RaceDistance | None = None

    @model_validator(mode="after")
    def _not_before_the_plan(self, info: ValidationInfo) -> Race:
        """Validated for a plan starting on ``plan_start`` (the onboarding form's context),
        a race before it is one more problem found at once (issue 10 item 11)."""
        start = (info.context or {}).get("plan_start")
        if start is not None and self.date < start:
            raise ValueError(self.before(start))
        return self

    def before(self, start: CalendarDay) -> str:
        """Why a race before the plan start is refused (the planner says the same)."""
        return (f"{self.name} on {self.date} is before the plan starts ({start}); remove "
                "it or give its new date")


class RunningWeek(_Strict):
    """The usual week of running; days left out are rest days."""

    mon: RunType = RunType.REST
    tue: RunType = RunType.REST
    wed: RunType = RunType.REST
    thu: RunType = RunType.REST
    fri: RunType = RunType.REST
    sat: RunType = RunType.REST
    sun: RunType = RunType.REST

    def on(self, day: Day) -> RunType:
        run: RunType = getattr(self, day.value)
        return run


class Running(_Strict):
    weekly_km: float = Field(default=0, ge=0, le=400)
    week: RunningWeek = Field(default=RunningWeek(), validate_default=True)
    races: list[Race] = Field(default=[], max_length=50)

    @field_validator("week")
    @classmethod
    def _runs_for_the_distance(cls, week: RunningWeek, info: ValidationInfo) -> RunningWeek:
        """Kilometres a week need a day to run them on (issue 10 item 3)."""
        km = info.data.get("weekly_km") or 0
        if km > 0 and all(week.on(d) is RunType.REST for d in Day):
            raise ValueError(f"{km:g} km a week but every day is a rest day: give the days "
                             "you run, or set the weekly distance to 0")
        return week


class Strain(_Strict):
    date: date
    side: Side


class Injury(_Strict):
    hamstring_strain: Strain | None = None


ExerciseId = Annotated[str, StringConstraints(min_length=1, max_length=60,
                                              pattern=r"^[a-z0-9_]+$")]
Said = Annotated[str, StringConstraints(max_length=500, strip_whitespace=True)]
WARM_UP = "dynamic_warm_up"
L_PROTOCOL = frozenset({"askling_extender", "askling_diver", "askling_glider"})


class Hold(_Strict):
    """An exercise a coach or physiotherapist holds ("no Nordics until cleared"): the
    planner leaves it out and the checker refuses a plan that has it."""

    exercise: ExerciseId
    by: Said = ""
    reason: Said = ""

    @field_validator("exercise")
    @classmethod
    def _not_the_warm_up(cls, exercise: str) -> str:
        if exercise == WARM_UP:
            raise ValueError("the warm-up starts every session and cannot be held")
        if exercise in L_PROTOCOL:
            raise ValueError(f"{exercise} is part of the L-protocol, the low-load return "
                             "from a strain (Askling 2013), and cannot be held; hold the "
                             "heavier exercises instead")
        return exercise


class Clearance(_Strict):
    """A physiotherapist's clearance to a return-from-strain stage: it stands for that
    stage's criteria (Lorenz & Domzalski 2020) from ``on``; the two protected weeks after
    the strain still hold (Askling 2013)."""

    stage: Literal["walk_jog", "speed"]
    on: date
    by: Said = ""
    reason: Said = ""


class Care(_Strict):
    """What the runner's coaches and physiotherapists prescribed (hamstride.coaching
    fills it in from their prescriptions; a profile file may hold it too)."""

    held: list[Hold] = Field(default=[], max_length=100)
    cleared: Clearance | None = None

    @field_validator("held")
    @classmethod
    def _once_each(cls, held: list[Hold]) -> list[Hold]:
        ids = [h.exercise for h in held]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"holds {', '.join(repeated)} more than once")
        return held

    @property
    def empty(self) -> bool:
        return not self.held and self.cleared is None


class Profile(_Strict):
    name: Name
    level: Level
    goal: Goal
    session_minutes: int = Field(ge=10, le=90)
    equipment: list[Equipment] = Field(default=[], max_length=len(Equipment))
    strength_days: list[Day] = Field(default=list(Day), min_length=1, max_length=7)

    @field_validator("equipment", "strength_days")
    @classmethod
    def _no_repeats(cls, values: list[Any]) -> list[Any]:
        repeated = sorted({str(v) for v in values if values.count(v) > 1})
        if repeated:
            raise ValueError(f"lists {', '.join(repeated)} more than once")
        return values
    running: Running = Running()
    injury: Injury = Field(default=Injury(), validate_default=True)
    care: Care = Care()

    @field_validator("injury")
    @classmethod
    def _strain_for_return(cls, injury: Injury, info: ValidationInfo) -> Injury:
        if info.data.get("goal") is Goal.RETURN_FROM_STRAIN and injury.hamstring_strain is None:
            raise PydanticCustomError(  # its own type: the form says it in plain words
                "strain_needed",
                "goal return_from_strain needs injury.hamstring_strain with its date and side")
        return injury

    @property
    def strain(self) -> Strain | None:
        return self.injury.hamstring_strain

    @property
    def owned(self) -> frozenset[Equipment]:
        return frozenset(self.equipment)

    @property
    def held(self) -> frozenset[str]:
        """The ids of the exercises held by a prescription."""
        return frozenset(h.exercise for h in self.care.held)

    def to_document(self) -> dict[str, Any]:
        """The JSON-ready form, as a profile file would hold it (no ``care`` while
        nothing is prescribed)."""
        return self.model_dump(mode="json", exclude={"care"} if self.care.empty else None)


def profile_from_data(data: Any, *, source: str = "profile",
                      plan_start: date | None = None) -> Profile:
    """Validate already-parsed data; the message names the first bad field, and the
    error's ``problems`` every one (a form shows them all at once). With ``plan_start``
    a race before it is one of them."""
    try:
        return Profile.model_validate(data, context={"plan_start": plan_start})
    except ValidationError as exc:
        found = problems(exc)
        given = exc.errors()[0].get("input")
        shown = f" (got {given!r:.60})" if isinstance(given, str | int | float) else ""
        first = found[0]
        raise ProfileError(f"{source}: {first.field}: {first.message}{shown}.",
                           field=first.field, problems=found) from exc


def parse_profile_text(text: str, *, source: str, fmt: str) -> Profile:
    """Parse profile text in ``json`` or ``toml``."""
    if len(text.encode("utf-8")) > MAX_PROFILE_BYTES:
        raise ProfileError(f"{source}: the profile is larger than {MAX_PROFILE_BYTES} bytes.")
    try:
        data = tomllib.loads(text) if fmt == "toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ProfileError(f"{source}: not valid {fmt.upper()}: {exc}.") from exc
    return profile_from_data(data, source=source)


def load_profile(path: Path) -> Profile:
    """Read a profile file; ``.toml`` is TOML, anything else is tried as JSON."""
    text = read_text(path, what="profile", limit=MAX_PROFILE_BYTES,
                     expected="JSON or TOML", error=ProfileError)
    fmt = "toml" if path.suffix.lower() == ".toml" else "json"
    return parse_profile_text(text, source=str(path), fmt=fmt)
