"""A day's session: the overview, and the player that walks through it set by set."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from hamstride import coach
from hamstride.catalogue import load_catalogue
from hamstride.catalogue.model import tempo_seconds
from hamstride.errors import HamstrideError
from hamstride.store import Store
from hamstride.training.dose_text import describe, duration, set_text, spoken, tempo_words
from hamstride.training.plan import HoldSet, Session
from hamstride.web.deps import SettingsDep, StoreDep, TodayDep
from hamstride.web.pages.common import PageRoute, render

router = APIRouter(route_class=PageRoute)


class NoSessionError(HamstrideError):
    """Nothing is planned on the day asked for."""

    status = 404


def long_date(day: date) -> str:
    """"Tuesday 5 January 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise NoSessionError(f"'{text[:40]}' is not a date (use YYYY-MM-DD).") from None


def tempo_parts(tempo: str | None) -> tuple[int, int] | None:
    """(seconds down, seconds pause and up) of an "ecc-pause-con" tempo; x counts one."""
    if not tempo:
        return None
    down, pause, up = tempo_seconds(tempo)
    return max(down, 1), pause + max(up, 1)


def _sessions(store: Store, day_text: str) -> tuple[str, date, coach.Today]:
    name = coach.profile_name(store, None)
    day = parse_day(day_text)
    today = coach.today(store, name, day)
    if not today.sessions:
        raise NoSessionError(f"No strength session is planned on {long_date(day)}. "
                             "Pick a day with a session on the plan.")
    return name, day, today


def _pick(today: coach.Today, n: int) -> Session:
    if not 0 <= n < len(today.sessions):
        raise NoSessionError(f"There is no session {n + 1} on {long_date(today.day)}.")
    return today.sessions[n]


def session_parts(sessions: Sequence[Session]) -> list[dict[str, Any]]:
    """Each session with its number on the day and its items as the page shows them."""
    return [{"n": n, "session": s, "parts": _items(s)} for n, s in enumerate(sessions)]


def _items(session: Session) -> list[dict[str, Any]]:
    catalogue = load_catalogue()
    items = []
    for item in session.items:
        exercise = catalogue.get(item.exercise)
        items.append({"item": item, "exercise": exercise,
                      "name": exercise.name if exercise else item.exercise,
                      "dose": spoken(item), "tempo": tempo_words(item.tempo),
                      "rest": duration(item.rest_s)})
    return items


@router.get("/session/{day}", response_class=HTMLResponse)
def session_page(request: Request, day: str, store: StoreDep, today: TodayDep) -> HTMLResponse:
    name, on, planned = _sessions(store, day)
    sessions = session_parts(planned.sessions)
    accounts_on = bool(request.app.state.settings.accounts)
    stored = store.get_profile(name=name) if accounts_on else None
    return render(request, "session.html", {
        "title": planned.sessions[0].title, "active": "plan", "name": name, "day": on,
        "sessions": sessions, "logged": planned.logged, "future": on > today,
        "returning": planned.returning,
        # comments with the runner's coaches (accounts on: there are no coaches without)
        "comments": store.coaching.comments([stored.id], day=on) if stored else [],
        "comment_action": f"/session/{on.isoformat()}/comments" if stored else "",
        "notice": "Comment posted." if request.query_params.get("done") == "comment"
        else ""})


def player_data(name: str, day: date, n: int, session: Session, scale: float) -> dict[str, Any]:
    """Everything the player script needs, embedded in the page as JSON."""
    catalogue = load_catalogue()
    items = []
    for item in session.items:
        exercise = catalogue.get(item.exercise)
        tempo = tempo_parts(item.tempo)
        dose = describe(item, warm_up=exercise is not None and exercise.is_warm_up)
        items.append({
            "exercise": item.exercise, "name": exercise.name if exercise else item.exercise,
            # the role words a timed set: a warm-up is minutes of easy work, not a hold
            "role": "warm_up" if exercise is not None and exercise.is_warm_up else "work",
            "sets": [{**({"hold_s": d.hold_s} if isinstance(d, HoldSet) else {"reps": d.reps}),
                      "text": set_text(one, held=dose.held)}
                     for d, one in zip(item.sets, dose.sets, strict=True)],
            "per_side": item.per_side, "rest_s": item.rest_s, "tempo": item.tempo,
            "tempo_text": tempo_words(item.tempo), "down_s": tempo[0] if tempo else None,
            "up_s": tempo[1] if tempo else None, "notes": item.notes,
            "instructions": list(exercise.instructions) if exercise else [],
            "cues": list(exercise.cues) if exercise else [],
            "load": bool(exercise and exercise.optional_equipment)})
    return {"profile": name, "date": day.isoformat(), "n": n, "title": session.title,
            "minutes": session.estimated_minutes, "timer_scale": scale,
            "api": f"/api/v1/profiles/{quote(name, safe='')}/log", "items": items}


@router.get("/session/{day}/play", response_class=HTMLResponse)
def play_page(request: Request, day: str, store: StoreDep, today: TodayDep,
              settings: SettingsDep, n: int = 0) -> HTMLResponse:
    name, on, planned = _sessions(store, day)
    session = _pick(planned, n)
    if on > today:
        raise NoSessionError(f"This session is planned for {long_date(on)}; it can be "
                             "done and logged from that day on.")
    data = player_data(name, on, n, session, settings.timer_scale)
    payload = Markup(json.dumps(data).replace("<", "\\u003c"))  # JSON with "<" escaped
    return render(request, "play.html", {
        "title": session.title, "active": "plan", "day": on, "data": payload,
        "scale": settings.timer_scale, "name": name})
