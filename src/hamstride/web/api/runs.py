"""Runs: upload activity files, list them, correct a run's kind, running load, the learned
running week, and planned sessions as FIT workouts for a watch.

Uploads go through the same readers and the same use case as `hamstride runs import`:
each file gets its own result (imported, duplicate, skipped with the reason); a bad file
never fails the request.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import Field

from hamstride import coach, running
from hamstride.activities.fit_workout import sessions_fits
from hamstride.activities.sources import Source, sources_from_upload
from hamstride.catalogue import load_catalogue
from hamstride.charts import render_to_bytes
from hamstride.errors import InputError, MediaTypeError, NotFoundError
from hamstride.store import Store
from hamstride.training.load import MAX_WEEKS, LoadReport
from hamstride.vocabulary import RunType
from hamstride.web.api._shared import (
    JSON_BODY,
    Day,
    ProfileName,
    StrictBody,
    errors,
    require_plan,
)
from hamstride.web.deps import StoreDep, TodayDep

router = APIRouter(prefix="/profiles/{name}", tags=["runs"])

MAX_FILES = 500  # files in one upload request
MAX_UPLOAD_BYTES = 512 * 1024 * 1024  # one uploaded file (a Strava export .zip included)
CHART_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
FIT_TYPE = "application/vnd.ant.fit"

On = Annotated[Day | None, Query(alias="date", description="The day (default: today).")]
Weeks = Annotated[int, Query(ge=1, le=MAX_WEEKS, description="ISO weeks shown.")]
RestHr = Annotated[int | None, Query(ge=25, le=120, description="Resting heart rate.")]
MaxHr = Annotated[int | None, Query(ge=100, le=260, description="Maximum heart rate.")]
Uploads = Annotated[list[UploadFile], File(
    description="FIT, GPX or TCX files (also .gz), or a Strava bulk export .zip.")]


# -- import ---------------------------------------------------------------------------------

def _multipart(request: Request) -> None:
    """Files come as multipart/form-data; anything else is the client's fault (415)."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "multipart/form-data":
        raise MediaTypeError("upload the files as multipart/form-data (field `files`), not "
                             f"'{kind or 'unspecified'}'.", field="Content-Type")


def _upload_sources(upload: UploadFile) -> tuple[list[Source], running.ImportLine | None]:
    """The sources in one uploaded file, or the line saying why it was skipped."""
    label = upload.filename or "upload"
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return [], running.ImportLine(label, running.SKIPPED, f"larger than "
                                      f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    return sources_from_upload(label, data), None


@router.post("/activities", summary="Import activity files", responses=errors(404, 415, 422),
             dependencies=[Depends(_multipart)])
def import_activities(name: ProfileName, store: StoreDep, today: TodayDep,
                      files: Uploads) -> dict[str, Any]:
    """Multipart upload (field `files`, repeated). One result per activity read or file
    skipped, as `hamstride runs import --format json`; with new runs the plan follows the
    running week they show, and `plan_changes` says what moved and why."""
    if len(files) > MAX_FILES:
        raise InputError(f"files: at most {MAX_FILES} files in one upload, got {len(files)}.",
                         field="files")
    sources: list[Source] = []
    refused: list[running.ImportLine] = []
    for upload in files:
        found, skipped = _upload_sources(upload)
        sources += found
        refused += [skipped] if skipped else []
    report = running.import_sources(store, name, sources, today, refused=refused)
    return {"results": [line.to_document() for line in report.lines],
            "counts": report.counts, "plan_changes": list(report.plan_changes),
            "plan_note": report.plan_note}


# -- the activities -------------------------------------------------------------------------

@router.get("/activities", summary="List the activities", responses=errors(404, 422))
def list_activities(name: ProfileName, store: StoreDep) -> list[dict[str, Any]]:
    """Oldest first; runs carry their kind (`corrected`: set by the runner)."""
    return [view.to_document() for view in running.listing(store, name)]


class KindBody(StrictBody):
    kind: RunType | None = Field(description="easy, long, intervals, tempo, hills or race; "
                                             "null: the classifier decides again.")


@router.put("/activities/{activity_id}/kind", summary="Correct a run's kind",
            dependencies=JSON_BODY, responses=errors(404, 415, 422))
def set_kind(name: ProfileName, activity_id: str, body: KindBody, store: StoreDep,
             today: TodayDep) -> dict[str, Any]:
    """The plan follows the corrected running week; `plan_changes` says what moved."""
    done = running.set_kind(store, name, activity_id, body.kind, today)
    return {**done.activity.to_document(), "plan_changes": list(done.plan_changes),
            "plan_note": done.plan_note}


# -- load and the running week ---------------------------------------------------------------

def _load(store: Store, name: str, day: date, weeks: int, rest_hr: int | None,
          max_hr: int | None) -> LoadReport:
    return running.load(store, name, day, weeks=weeks, rest_hr=rest_hr, max_hr=max_hr)


@router.get("/load", summary="Running and strength load", responses=errors(404, 422))
def load(name: ProfileName, store: StoreDep, today: TodayDep, weeks: Weeks = 12,
         rest_hr: RestHr = None, max_hr: MaxHr = None, on: On = None) -> dict[str, Any]:
    """Weekly distance, time and load (running and strength), the daily acute:chronic
    trend (EWMA) with its caveat, and distance spikes (hamstride.load/1, docs/running.md)."""
    return _load(store, name, on or today, weeks, rest_hr, max_hr).to_document()


def _chart(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": "The chart."},
            **errors(404, 422)}


@router.get("/load.{fmt}", summary="The load chart (PNG or SVG)", response_class=Response,
            responses=_chart("image/png"))
def load_chart(name: ProfileName, fmt: str, store: StoreDep, today: TodayDep,
               weeks: Weeks = 12, rest_hr: RestHr = None, max_hr: MaxHr = None,
               on: On = None) -> Response:
    """Weekly running and strength load, weekly distance with spikes, and the trend."""
    if fmt not in CHART_TYPES:
        raise NotFoundError(f"no chart as '{fmt}': load.png or load.svg.", field="fmt")
    report = _load(store, name, on or today, weeks, rest_hr, max_hr)
    return Response(render_to_bytes(report, fmt), media_type=CHART_TYPES[fmt])


@router.get("/running-week", summary="The running week the runs show",
            responses=errors(404, 422))
def running_week(name: ProfileName, store: StoreDep, today: TodayDep,
                 on: On = None) -> dict[str, Any]:
    """The week learned from the last 4-8 weeks of runs (null without enough), which the
    plan follows, and how it differs from the profile's week, in words."""
    day = on or today
    learned = running.running_week(store, name, day)
    return {"learned": None if learned is None else learned.to_document(),
            "changes": coach.running_week_reasons(store, name, day)}


# -- FIT workouts ----------------------------------------------------------------------------

@router.get("/sessions/{day}/workout.fit", summary="A planned session as a FIT workout",
            response_class=Response, responses={
                200: {"content": {FIT_TYPE: {}}, "description": "A FIT workout file."},
                **errors(404, 422)})
def workout(name: ProfileName, day: Day, store: StoreDep, today: TodayDep,
            n: Annotated[int, Query(ge=1, le=3, description="Which session of the day.")]
            = 1) -> Response:
    """Strength training with rep-count and timed steps, rests and repeats, for a watch."""
    require_plan(store, name)
    plan = coach.planned_history(coach.fresh_plans(store, name, today))
    sessions = [s for _, s in plan.sessions() if s.date == day]
    if len(sessions) < n:
        raise NotFoundError(f"no strength session {n} is planned on {day}.", field="day")
    file_name, data = sessions_fits(sessions, catalogue=load_catalogue())[n - 1]
    return Response(data, media_type=FIT_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{file_name}"'})
