"""Plans: make a profile's plan, read it and its history, and check any plan."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, Field, WithJsonSchema

from hamstride import coach
from hamstride.catalogue import load_catalogue
from hamstride.errors import InputError
from hamstride.training.checker import check_plan
from hamstride.training.plan import json_schema as plan_json_schema
from hamstride.training.plan import plan_from_data
from hamstride.training.planner import DEFAULT_WEEKS, MAX_WEEKS
from hamstride.training.profile import profile_from_data
from hamstride.web.api._shared import (
    JSON_BODY,
    Day,
    ProfileName,
    StrictBody,
    errors,
    inline_schema,
    location,
    prefixed,
    require_plan,
)
from hamstride.web.api.profiles import PROFILE_SCHEMA
from hamstride.web.deps import StoreDep, TodayDep

router = APIRouter(tags=["plans"])

PLAN_SCHEMA = inline_schema(plan_json_schema())


class PlanRequest(StrictBody):
    start: Day | None = Field(default=None, description="The first day (default: today).")
    weeks: int = Field(default=DEFAULT_WEEKS, ge=1, le=MAX_WEEKS,
                       description="The plan's length in weeks.")


class PlanSummary(BaseModel):
    id: int
    start: date
    weeks: int
    active: bool  # the plan the profile follows now
    created_at: datetime
    regenerated: bool  # made from the training log (it has a 'continues' block)


class CheckRequest(StrictBody):
    plan: Annotated[dict[str, Any], WithJsonSchema(PLAN_SCHEMA)]
    profile: Annotated[dict[str, Any], WithJsonSchema(PROFILE_SCHEMA)]


class ViolationDoc(BaseModel):
    rule: str
    date: date | None
    message: str


class CheckResult(BaseModel):
    ok: bool
    violations: list[ViolationDoc]


@router.post("/profiles/{name}/plans", status_code=201, summary="Make a plan",
             dependencies=JSON_BODY, responses=errors(404, 415, 422, 503))
def make_plan(name: ProfileName, store: StoreDep, today: TodayDep, response: Response,
              body: Annotated[PlanRequest | None, Body()] = None) -> dict[str, Any]:
    """Generate a plan from the stored profile and store it as the profile's active plan
    (the one the log then updates). The body may be empty: it starts today and runs 12
    weeks. 422 (PlanError) when no safe plan fits the profile. Returns the plan document
    (hamstride.plan/1, docs/plan.schema.json)."""
    request = body or PlanRequest()
    stored = store.get_profile(name=name)
    assert stored is not None  # ProfileName checked it
    profile = profile_from_data(stored.document, source=f"stored profile '{name}'")
    made, _ = coach.make_plan(store, profile, start=request.start or today,
                              weeks=request.weeks, today=today)
    response.headers["Location"] = location("profiles", name, "plan")
    return made.to_document()


@router.get("/profiles/{name}/plan", summary="Get the active plan",
            responses=errors(404, 422))
def active_plan(name: ProfileName, store: StoreDep, today: TodayDep) -> dict[str, Any]:
    """The plan the profile follows now: the one made last, or its update from the log
    (then it starts after the last logged session and carries a ``continues`` block)."""
    require_plan(store, name)
    coach.fresh_plans(store, name, today)  # follow a log written since the last read
    stored = store.active_plan(profile_name=name)
    assert stored is not None
    return stored.document


@router.get("/profiles/{name}/plans", summary="List a profile's plans",
            responses=errors(404, 422))
def list_plans(name: ProfileName, store: StoreDep) -> list[PlanSummary]:
    """Every plan of the profile, newest first: the ones made, and their updates from the
    log (``regenerated``)."""
    return [PlanSummary(id=p.id, start=p.start, weeks=p.weeks, active=p.active,
                        created_at=p.created_at, regenerated="continues" in p.document)
            for p in store.list_plans(profile_name=name)]


@router.post("/plans/check", summary="Check a plan against a profile", dependencies=JSON_BODY,
             responses=errors(415, 422))
def check(body: CheckRequest) -> CheckResult:
    """Run every rule on any plan (generated or hand-written) for the profile, as
    `hamstride check` does. ``ok`` is false when a rule is broken; a plan or profile that
    cannot be read is 422 naming the field (``plan.weeks[0].sessions[1].items[0].sets``)."""
    try:
        plan = plan_from_data(body.plan, source="plan")
    except InputError as exc:
        raise prefixed(exc, "plan") from exc
    try:
        profile = profile_from_data(body.profile, source="profile")
    except InputError as exc:
        raise prefixed(exc, "profile") from exc
    try:
        violations = check_plan(plan, profile, load_catalogue(), source="plan")
    except InputError as exc:  # an exercise the catalogue does not know
        raise prefixed(exc, "plan") from exc
    return CheckResult(ok=not violations,
                       violations=[ViolationDoc(rule=v.rule, date=v.date, message=v.message)
                                   for v in violations])
