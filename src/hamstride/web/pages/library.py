"""The exercise library: search and filters (server-side, live with htmx), and one page
per exercise with its instructions, cues, faults, variations and evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from hamstride.catalogue import Exercise, load_catalogue
from hamstride.errors import CatalogueError
from hamstride.evidence import SOURCES
from hamstride.training.dose_text import describe_default, details
from hamstride.vocabulary import Equipment, Muscle
from hamstride.web.pages.common import PageRoute, render
from hamstride.web.pages.onboarding import label

router = APIRouter(route_class=PageRoute)


def matches(exercise: Exercise, text: str, have: set[str], body_weight: bool,
            muscle: str) -> bool:
    """Name or alias contains ``text``; required equipment within ``have`` (when any
    item is ticked, or body weight only); ``muscle`` among the primary muscles."""
    words = text.casefold().split()
    haystack = " ".join([exercise.name, exercise.id.replace("_", " "), *exercise.aliases])
    if any(w not in haystack.casefold() for w in words):
        return False
    if (have or body_weight) and not {e.value for e in exercise.equipment} <= have:
        return False
    return not muscle or muscle in {m.value for m in exercise.muscles.primary}


@router.get("/exercises", response_class=HTMLResponse)
def library(request: Request, q: str = "",
            equipment: Annotated[list[str] | None, Query()] = None,
            body_weight: bool = False, muscle: str = "") -> HTMLResponse:
    have = {e for e in equipment or [] if e in Equipment.__members__.values()}
    muscle = muscle if muscle in {m.value for m in Muscle} else ""
    found = sorted((e for e in load_catalogue().values()
                    if matches(e, q[:100], have, body_weight, muscle)), key=lambda e: e.name)
    context = {"title": "Exercise library", "active": "library", "found": found, "q": q[:100],
               "have": have, "body_weight": body_weight, "muscle": muscle, "label": label,
               "equipment": [e.value for e in Equipment], "muscles": [m.value for m in Muscle]}
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request")
    return render(request, "library_results.html" if partial else "library.html", context)


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
def exercise_page(request: Request, exercise_id: str) -> HTMLResponse:
    catalogue = load_catalogue()
    exercise = catalogue.get(exercise_id)
    if exercise is None:
        raise CatalogueError(f"There is no exercise '{exercise_id[:60]}' in the library.")
    names = {e.id: e.name for e in catalogue.values()}
    return render(request, "exercise.html", {
        "title": exercise.name, "active": "library", "x": exercise, "names": names,
        "dose": details(describe_default(exercise)),
        "sources": [(s, SOURCES.get(s, "")) for s in exercise.evidence.sources],
        "label": label})
