"""The home page: onboarding for a first visit; today's session and the way around after."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hamstride import coach
from hamstride.web.deps import StoreDep, TodayDep
from hamstride.web.pages.common import PageRoute, current_profile, render

router = APIRouter(route_class=PageRoute)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep, today: TodayDep) -> HTMLResponse:
    name = current_profile(store)
    day = coach.today(store, name, today) if name else None
    return render(request, "home.html", {"title": "hamstride", "active": "home", "name": name,
                                         "day": day, "today": today})
