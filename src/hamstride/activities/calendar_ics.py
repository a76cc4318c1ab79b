"""The plan as an iCalendar feed (RFC 5545), written with the icalendar library.

One all-day event per planned session on its date (runners fit the session around their
runs, so no time slot is invented). Each event's UID comes from the profile, the date and
the session title, so re-importing or re-subscribing updates the events instead of
duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from hamstride import __version__
from hamstride.catalogue import load_catalogue
from hamstride.training.dose_text import details as dose_details
from hamstride.training.plan import Plan, Session, Week

UID_DOMAIN = "hamstride"


def describe(week: Week, session: Session) -> str:
    """The event's text: each item (name, dose, tempo, rest, notes), then the session's."""
    catalogue = load_catalogue()
    lines = [f"Week {week.week} ({week.phase}), about {session.estimated_minutes:.0f} min."]
    for item in session.items:
        known = catalogue.get(item.exercise)
        details = [dose_details(item)]  # with "each side", the load, tempo and rest
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
