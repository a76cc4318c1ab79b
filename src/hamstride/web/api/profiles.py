"""Profiles: the runner's profile document, stored by name.

``PUT /profiles/{name}`` creates or replaces (201 / 200); ``POST /profiles`` only creates
(409 when the name is taken), so a client that means "new" never overwrites by mistake.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, WithJsonSchema

from hamstride import coach
from hamstride.errors import ConflictError, ProfileError
from hamstride.store import Store
from hamstride.training.profile import Profile, profile_from_data
from hamstride.web.api._shared import (
    JSON_BODY,
    ProfileName,
    errors,
    inline_schema,
    location,
)
from hamstride.web.deps import StoreDep

router = APIRouter(prefix="/profiles", tags=["profiles"])

PROFILE_SCHEMA = inline_schema(Profile.model_json_schema(mode="validation"))
ProfileBody = Annotated[Any, WithJsonSchema(PROFILE_SCHEMA), Body(
    description="A profile document (see docs/profile.md), as `hamstride init` writes.")]


class ProfileSummary(BaseModel):
    name: str
    created_at: datetime
    updated_at: datetime
    active_plan: int | None  # the id of the active plan, if any


def _profile(body: Any) -> Profile:
    profile = profile_from_data(body, source="profile")
    if "/" in profile.name or profile.name in (".", ".."):
        raise ProfileError(f"profile: name: '{profile.name}' cannot be part of a URL (no '/', "
                           "not '.' or '..'); the API finds profiles by name.", field="name")
    return profile


def _save(store: Store, profile: Profile) -> dict[str, Any]:
    return coach.save_profile(store, profile).document


@router.get("", summary="List the profiles")
def list_profiles(store: StoreDep) -> list[ProfileSummary]:
    """Every stored profile by name, with the id of its active plan (null: none yet)."""
    active = {p.profile_name: p.id for p in store.list_plans() if p.active}
    return [ProfileSummary(name=p.name, created_at=p.created_at, updated_at=p.updated_at,
                           active_plan=active.get(p.name)) for p in store.list_profiles()]


@router.post("", status_code=201, summary="Create a profile", dependencies=JSON_BODY,
             responses=errors(409, 415, 422, 503))
def create_profile(body: ProfileBody, store: StoreDep, response: Response) -> dict[str, Any]:
    """Store a new profile; 409 if one with its name exists (PUT replaces instead).
    Returns the stored document (defaults filled in)."""
    profile = _profile(body)
    if store.get_profile(name=profile.name) is not None:
        raise ConflictError(f"a profile named '{profile.name}' exists; PUT it to replace it.",
                            field="name")
    response.headers["Location"] = location("profiles", profile.name)
    return _save(store, profile)


@router.get("/{name}", summary="Get a profile", responses=errors(404, 422))
def get_profile(name: ProfileName, store: StoreDep) -> dict[str, Any]:
    """The stored profile document."""
    stored = store.get_profile(name=name)
    assert stored is not None  # ProfileName checked it
    return stored.document


@router.put("/{name}", summary="Create or replace a profile", dependencies=JSON_BODY,
            responses={201: {"description": "Created"}, **errors(415, 422, 503)})
def put_profile(name: str, body: ProfileBody, store: StoreDep,
                response: Response) -> dict[str, Any]:
    """Store the profile under ``name`` (the document's ``name`` must be the same): 201 when
    it is new, 200 when it replaced one. Its plans stay as they were; the next plan, or the
    next plan update from the log, uses the new profile. Returns the stored document."""
    profile = _profile(body)
    if profile.name != name:
        raise ProfileError(f"profile: name: '{profile.name}' is not the name in the path "
                           f"('{name}').", field="name")
    if store.get_profile(name=name) is None:
        response.status_code = 201
        response.headers["Location"] = location("profiles", name)
    return _save(store, profile)
