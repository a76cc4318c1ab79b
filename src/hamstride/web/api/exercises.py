"""Exercises: the catalogue, filtered by equipment and muscle."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from hamstride.catalogue import load_catalogue
from hamstride.vocabulary import Equipment, Muscle
from hamstride.web.api._shared import errors

router = APIRouter(prefix="/exercises", tags=["exercises"])


@router.get("", summary="List the exercises", responses=errors(422))
def list_exercises(
    equipment: Annotated[list[Equipment] | None, Query(
        description="only exercises doable with these items (repeat the parameter)")] = None,
    body_weight: bool = False,
    muscle: Muscle | None = None,
) -> list[dict[str, Any]]:
    """Catalogue entries; ``equipment`` keeps those whose required items are all listed,
    ``body_weight=true`` those that need nothing."""
    have = set(equipment or [])
    found = []
    for exercise in load_catalogue().values():
        if (equipment is not None or body_weight) and not exercise.usable_with(have):
            continue
        if muscle is not None and muscle not in exercise.muscles.primary:
            continue
        found.append(exercise.model_dump(mode="json"))
    return found


@router.get("/{exercise_id}", summary="Get an exercise", responses=errors(404, 422))
def get_exercise(exercise_id: str) -> dict[str, Any]:
    """One catalogue entry (404 for an unknown id)."""
    return load_catalogue()[exercise_id].model_dump(mode="json")
