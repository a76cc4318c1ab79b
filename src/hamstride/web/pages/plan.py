"""The plan calendar: one row per plan week, one cell per day, with the runs, the races,
the strength sessions and what is already logged; plus the exports."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hamstride import coach
from hamstride.coaching import describe
from hamstride.store import Store
from hamstride.training.calendar import RunCalendar
from hamstride.training.plan import Session
from hamstride.training.profile import Race
from hamstride.training.weeks import span_label
from hamstride.vocabulary import RunType
from hamstride.web.deps import StoreDep, TodayDep
from hamstride.web.pages.common import PageRoute, render
from hamstride.web.pages.onboarding import RUNS

router = APIRouter(route_class=PageRoute)


@dataclass(frozen=True)
class DayCell:
    day: date
    run: RunType
    run_label: str
    race: Race | None
    closed: str  # why no strength work (race blackout), or ""
    sessions: tuple[tuple[int, Session, str], ...]  # (index on the day, session, title)
    logged: int
    today: bool
    past: bool


@dataclass(frozen=True)
class WeekRow:
    number: int
    phase: str
    days: tuple[DayCell, ...]

    @property
    def dates(self) -> str:
        """"Sat 16 – Fri 22 Jan": a week is never named without its dates."""
        return span_label(self.days[0].day, self.days[-1].day)


_DAY_PREFIX = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun): ")


def short_title(title: str) -> str:
    """The title without its "Mon: " (the calendar shows the day already)."""
    return _DAY_PREFIX.sub("", title)


def calendar_rows(store: Store, name: str, today: date) -> list[WeekRow]:
    current = coach.fresh_plans(store, name, today)
    planned = coach.planned_history(current)
    runs = RunCalendar(coach.following_runs(store, name, current.profile, today))  # real week
    by_day: dict[date, list[Session]] = defaultdict(list)
    phase_of: dict[date, str] = {}
    for week, session in planned.sessions():
        by_day[session.date].append(session)
        phase_of[session.date] = week.phase
    logged = Counter(s.date for s in store.log_sessions(profile_name=name))
    start = current.original.start
    rows = []
    for n, week in enumerate(current.original.weeks):
        days = []
        phases = []
        for d in range(7):
            day = start + timedelta(days=7 * n + d)
            run = runs.run_on(day)
            blackout = runs.blackout(day)
            race = next((r for r in runs.races if r.date == day), None)
            sessions = tuple((i, s, short_title(s.title))
                             for i, s in enumerate(by_day.get(day, [])))
            if day in phase_of:
                phases.append(phase_of[day])
            days.append(DayCell(day, run, RUNS.get(run, run.value), race,
                                blackout.reason if blackout and not race else "",
                                sessions, logged[day], day == today, day < today))
        rows.append(WeekRow(n + 1, phases[0] if phases else week.phase, tuple(days)))
    return rows


def exports(request: Request, name: str) -> dict[str, str]:
    """Links to the API's exports for the profile (absolute, for subscribing)."""
    base = str(request.base_url).rstrip("/") + f"/api/v1/profiles/{quote(name, safe='')}"
    ics = f"{base}/calendar.ics"
    return {"ics": ics, "webcal": "webcal://" + ics.split("://", 1)[1],
            "csv": f"{base}/log.csv", "json": f"{base}/log.json"}


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, store: StoreDep, today: TodayDep,
              new: bool = False) -> HTMLResponse:
    name = coach.profile_name(store, None)
    rows = calendar_rows(store, name, today)
    stored = store.get_profile(name=name)
    prescribed = store.coaching.prescriptions([stored.id]) if stored is not None else []
    return render(request, "plan.html", {
        "title": "Your plan", "active": "plan", "name": name, "rows": rows, "new": new,
        "today": today, "exports": exports(request, name),
        "prescribed": [(describe(p), p) for p in prescribed]})
