"""Exports: the active plan as an iCalendar feed, the log as CSV and as JSON.

Thin routes: the formats are written in ``hamstride.activities`` (``calendar_ics``,
``log_csv``), beside the FIT writers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from hamstride import coach
from hamstride.activities import calendar_ics
from hamstride.activities import log_csv as log_csv_format
from hamstride.training import log as training_log
from hamstride.training.plan import plan_from_data
from hamstride.web.api._shared import ProfileName, attachment, errors, require_plan
from hamstride.web.deps import StoreDep, TodayDep

router = APIRouter(prefix="/profiles/{name}", tags=["exports"])


def _file(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": what}, **errors(404, 422)}


# -- the calendar ---------------------------------------------------------------------------

@router.get("/calendar.ics", summary="The plan as a calendar", response_class=Response,
            responses=_file("text/calendar", "An iCalendar feed (RFC 5545)."))
def calendar_feed(name: ProfileName, store: StoreDep, today: TodayDep,
                  download: bool = False) -> Response:
    """One all-day event per planned session of the active plan: the title as summary,
    each item (name, sets x reps or hold, tempo, rest, notes) in the description.
    Subscribe to the URL, or ``?download=1`` to save it as a file."""
    require_plan(store, name)
    coach.fresh_plans(store, name, today)  # follow a log written since the last read
    stored = store.active_plan(profile_name=name)
    assert stored is not None
    plan = plan_from_data(stored.document, source=f"stored plan {stored.id}")
    headers = attachment(name, ".ics") if download else None
    return Response(content=calendar_ics.calendar(name, plan, stored.created_at),
                    media_type="text/calendar; charset=utf-8", headers=headers)


# -- the log --------------------------------------------------------------------------------

@router.get("/log.csv", summary="The log as CSV", response_class=Response,
            responses=_file("text/csv", "One row per set."))
def log_csv(name: ProfileName, store: StoreDep) -> Response:
    """The whole log, one row per logged set (a session without sets is one row), with
    the session's fields repeated on each of its rows. A download."""
    text = log_csv_format.write(store.log_sessions(profile_name=name))
    return Response(content=text, media_type="text/csv; charset=utf-8",
                    headers=attachment(name, "-log.csv"))


@router.get("/log.json", summary="The log as JSON", response_class=Response,
            responses=_file("application/json", "The list of log documents."))
def log_json(name: ProfileName, store: StoreDep) -> Response:
    """The whole log as a list of log documents (docs/log.schema.json), as a download:
    a body `POST /profiles/{name}/log` takes back."""
    text = training_log.log_json(store.log_sessions(profile_name=name))
    return Response(content=text, media_type="application/json",
                    headers=attachment(name, "-log.json"))
