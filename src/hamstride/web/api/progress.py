"""Progress: the report of ``hamstride progress`` as JSON, and its chart as PNG or SVG."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from hamstride import coach
from hamstride.charts import render_to_bytes
from hamstride.store import Store
from hamstride.training.analytics import DEFAULT_WEEKS, MAX_WEEKS, ProgressReport
from hamstride.web.api._shared import Day, ProfileName, errors, require_plan
from hamstride.web.deps import StoreDep, TodayDep

router = APIRouter(prefix="/profiles/{name}", tags=["progress"])

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}

Weeks = Annotated[int, Query(ge=1, le=MAX_WEEKS, description="ISO weeks in the window.")]
On = Annotated[Day | None, Query(alias="date", description="The report's day (default: today).")]


def _report(store: Store, name: str, day: date, weeks: int) -> ProgressReport:
    require_plan(store, name)
    return coach.progress(store, name, day, weeks=weeks)


@router.get("/progress", summary="The progress report", responses=errors(404, 422))
def progress(name: ProfileName, store: StoreDep, today: TodayDep,
             weeks: Weeks = DEFAULT_WEEKS, on: On = None) -> dict[str, Any]:
    """Volume per muscle, hip vs knee hamstring work, adherence and streaks, session load,
    between-leg asymmetry with its caveat, and dose history (hamstride.progress/1)."""
    return _report(store, name, on or today, weeks).to_document()


def _chart(store: Store, name: str, day: date, weeks: int, fmt: str) -> Response:
    report = _report(store, name, day, weeks)
    data = render_to_bytes(report, fmt)  # charts.py draws one chart at a time
    return Response(content=data, media_type=MEDIA_TYPES[fmt])


def _image(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": "The chart."},
            **errors(404, 422)}


@router.get("/progress.png", summary="The progress chart (PNG)", response_class=Response,
            responses=_image("image/png"))
def progress_png(name: ProfileName, store: StoreDep, today: TodayDep,
                 weeks: Weeks = DEFAULT_WEEKS, on: On = None) -> Response:
    """The same four panels as `hamstride progress --chart`, as a PNG."""
    return _chart(store, name, on or today, weeks, "png")


@router.get("/progress.svg", summary="The progress chart (SVG)", response_class=Response,
            responses=_image("image/svg+xml"))
def progress_svg(name: ProfileName, store: StoreDep, today: TodayDep,
                 weeks: Weeks = DEFAULT_WEEKS, on: On = None) -> Response:
    """The same chart as an SVG (real text: searchable and small)."""
    return _chart(store, name, on or today, weeks, "svg")
