"""Exports: the active plan as an iCalendar feed, the log as CSV and as JSON.

The calendar has one all-day event per planned session on its date (runners fit the
session around their runs, so no time slot is invented). Each event's UID comes from the
profile, the date and the session title, so re-importing or re-subscribing updates the
events instead of duplicating them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Response
from icalendar import Calendar, Event

from hamstride import __version__, coach
from hamstride.catalogue import load_catalogue
from hamstride.training.dose_text import duration, spoken
from hamstride.training.log import LoggedSession
from hamstride.training.plan import Plan, Session, Week, plan_from_data
from hamstride.web.api._shared import ProfileName, attachment, errors, require_plan
from hamstride.web.deps import StoreDep, TodayDep

router = APIRouter(prefix="/profiles/{name}", tags=["exports"])

CSV_COLUMNS = ("id", "date", "duration_min", "session_rpe", "pain", "morning_pain", "notes",
               "exercise", "reps", "hold_s", "load_kg", "band", "side", "rpe", "set_pain")
UID_DOMAIN = "hamstride"


def _file(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": what}, **errors(404, 422)}


# -- the calendar ---------------------------------------------------------------------------

def describe(week: Week, session: Session) -> str:
    """The event's text: each item (name, dose, tempo, rest, notes), then the session's."""
    catalogue = load_catalogue()
    lines = [f"Week {week.week} ({week.phase}), about {session.estimated_minutes:.0f} min."]
    for item in session.items:
        known = catalogue.get(item.exercise)
        details = [spoken(item)]  # with "each side" and the load
        if item.tempo:
            details.append(f"tempo {item.tempo}")
        if item.rest_s:
            details.append(f"rest {duration(item.rest_s)}")
        if item.superset:
            details.append(f"superset {item.superset}")
        lines.append(f"- {known.name if known else item.exercise}: {', '.join(details)}")
        if item.notes:
            lines.append(f"  {item.notes}")
    if session.notes:
        lines.append(session.notes)
    return "\n".join(lines)


def _uids(name: str, plan: Plan) -> Iterator[str]:
    """Stable per profile, date and title; a repeat on one day gets a counter."""
    seen: dict[str, int] = {}
    for _, session in plan.sessions():
        key = hashlib.sha256(f"{name}\0{session.date}\0{session.title}".encode()).hexdigest()
        uid = f"{session.date:%Y%m%d}-{key[:16]}"
        seen[uid] = seen.get(uid, 0) + 1
        suffix = "" if seen[uid] == 1 else f"-{seen[uid]}"
        yield f"{uid}{suffix}@{UID_DOMAIN}"


def calendar(name: str, plan: Plan, stamp: datetime) -> bytes:
    """The iCalendar text; ``stamp`` (DTSTAMP) is when the plan was stored, so the same
    plan gives the same bytes."""
    cal = Calendar()
    cal.add("prodid", f"-//hamstride//hamstride {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"hamstride: {name}")
    for (week, session), uid in zip(plan.sessions(), _uids(name, plan), strict=True):
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", session.date)
        event.add("dtend", session.date + timedelta(days=1))
        event.add("summary", session.title)
        event.add("description", describe(week, session))
        event.add("categories", ["hamstride", week.phase])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


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
    return Response(content=calendar(name, plan, stored.created_at),
                    media_type="text/calendar; charset=utf-8", headers=headers)


# -- the log --------------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    return "" if value is None else value


def log_rows(entries: list[LoggedSession]) -> Iterator[dict[str, Any]]:
    """One row per set; a session without sets is one row with the set columns empty."""
    for entry in entries:
        session = {"id": entry.id, "date": entry.date.isoformat(),
                   "duration_min": entry.duration_min, "session_rpe": entry.session_rpe,
                   "pain": entry.pain, "morning_pain": entry.morning_pain, "notes": entry.notes}
        if not entry.sets:
            yield {k: _cell(v) for k, v in session.items()}
        for logged in entry.sets:
            row = {**session, "exercise": logged.exercise, "reps": logged.reps,
                   "hold_s": logged.hold_s, "load_kg": logged.load_kg,
                   "band": logged.band.value if logged.band else None,
                   "side": logged.side.value, "rpe": logged.rpe, "set_pain": logged.pain}
            yield {k: _cell(v) for k, v in row.items()}


@router.get("/log.csv", summary="The log as CSV", response_class=Response,
            responses=_file("text/csv", "One row per set."))
def log_csv(name: ProfileName, store: StoreDep) -> Response:
    """The whole log, one row per logged set (a session without sets is one row), with
    the session's fields repeated on each of its rows. A download."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(log_rows(store.log_sessions(profile_name=name)))
    return Response(content=buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers=attachment(name, "-log.csv"))


@router.get("/log.json", summary="The log as JSON", response_class=Response,
            responses=_file("application/json", "The list of log documents."))
def log_json(name: ProfileName, store: StoreDep) -> Response:
    """The whole log as a list of log documents (docs/log.schema.json), as a download:
    a body `POST /profiles/{name}/log` takes back."""
    documents = [e.to_document() for e in store.log_sessions(profile_name=name)]
    text = json.dumps(documents, indent=2, ensure_ascii=False) + "\n"
    return Response(content=text, media_type="application/json",
                    headers=attachment(name, "-log.json"))
