"""Runs: upload watch files or a Strava export, see the running week the plan follows,
the load chart, and each run with its kind (a tap corrects it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from hamstride import coach, running
from hamstride.activities.sources import sources_from_upload
from hamstride.charts import render_to_bytes
from hamstride.errors import InputError
from hamstride.store import Store
from hamstride.training.load import LoadReport
from hamstride.training.running_week import DAY_NAMES
from hamstride.vocabulary import RunType
from hamstride.web.api.runs import MAX_FILES, MAX_UPLOAD_BYTES
from hamstride.web.deps import StoreDep, TodayDep
from hamstride.web.pages.common import PageRoute, inline_svg, render

router = APIRouter(route_class=PageRoute)

SHOWN = 30  # latest activities listed
NO_FILES = ("Choose one or more activity files (.fit, .gpx, .tcx, .gz) or a Strava export "
            ".zip, then Import.")
LOAD_WEEKS = 12
KINDS = [k.value for k in RunType if k is not RunType.REST]


def _chart(report: LoadReport) -> Markup:
    return inline_svg(render_to_bytes(report, "svg"), "Load chart")


def _context(store: Store, name: str, today: date) -> dict[str, Any]:
    views = running.listing(store, name)
    report = running.load(store, name, today, weeks=LOAD_WEEKS)
    learned = running.running_week(store, name, today)
    return {
        "title": "Runs", "active": "runs", "name": name, "kinds": KINDS,
        "activities": list(reversed(views))[:SHOWN], "total": len(views),
        "report": report, "chart": _chart(report) if report.has_running else None,
        "latest_run": next((v.activity.start.date() for v in reversed(views)
                            if v.activity.counts_as_running), None),
        "learned": learned, "day_names": DAY_NAMES, "load_weeks": LOAD_WEEKS,
        "reasons": coach.running_week_reasons(store, name, today),
    }


@router.get("/runs", response_class=HTMLResponse)
async def runs_page(request: Request, store: StoreDep, today: TodayDep) -> HTMLResponse:
    name = await run_in_threadpool(coach.profile_name, store, None)
    context = await run_in_threadpool(_context, store, name, today)
    return render(request, "runs.html", context)


def _import(store: Store, name: str, today: date,
            files: list[tuple[str, bytes]]) -> running.ImportReport:
    sources = []
    refused = []
    for label, data in files:
        if len(data) > MAX_UPLOAD_BYTES:
            refused.append(running.ImportLine(label, running.SKIPPED, "the file is too large"))
        else:
            sources += sources_from_upload(label, data)
    return running.import_sources(store, name, sources, today, refused=refused)


@router.post("/runs", response_class=HTMLResponse)
async def upload(request: Request, store: StoreDep, today: TodayDep) -> HTMLResponse:
    name = await run_in_threadpool(coach.profile_name, store, None)
    form = await request.form(max_files=MAX_FILES)
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not uploads:  # the Runs page again, the message at the file field
        context = await run_in_threadpool(_context, store, name, today)
        return render(request, "runs.html", {**context, "upload_error": NO_FILES},
                      status_code=422)
    files = [(u.filename or "upload", await u.read(MAX_UPLOAD_BYTES + 1)) for u in uploads]
    done = await run_in_threadpool(_import, store, name, today, files)
    context = await run_in_threadpool(_context, store, name, today)
    return render(request, "runs.html", {**context, "imported": done})


@router.post("/runs/{activity_id}/kind")
async def correct(request: Request, activity_id: str, store: StoreDep,
                  today: TodayDep) -> RedirectResponse:
    name = await run_in_threadpool(coach.profile_name, store, None)
    form = await request.form()
    value = str(form.get("kind", ""))
    if value not in [*KINDS, "auto"]:
        raise InputError(f"kind: '{value}' is not one of {', '.join(KINDS)} or auto.",
                         field="kind")
    kind = None if value == "auto" else RunType(value)
    await run_in_threadpool(running.set_kind, store, name, activity_id, kind, today)
    return RedirectResponse(f"/runs#{activity_id}", status_code=303)
