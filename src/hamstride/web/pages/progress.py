"""Progress: the CLI's chart (charts.render_to_bytes, inline SVG) and headline numbers."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from hamstride import coach
from hamstride.charts import render_to_bytes
from hamstride.training.analytics import DEFAULT_WEEKS, ProgressReport
from hamstride.training.weeks import span_label
from hamstride.web.deps import StoreDep, TodayDep
from hamstride.web.pages.common import PageRoute, render
from hamstride.web.pages.plan import exports

router = APIRouter(route_class=PageRoute)

WEEK_CHOICES = (4, 8, 12, 26, 52)
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)


def inline_svg(report: ProgressReport) -> Markup:
    """The chart's SVG without its XML prologue, ready to sit in the page."""
    svg = render_to_bytes(report, "svg").decode("utf-8")
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = svg.replace("<svg ", '<svg role="img" aria-label="Progress chart" class="chart" ', 1)
    return Markup(svg)  # our own chart, drawn by matplotlib


@router.get("/progress", response_class=HTMLResponse)
async def progress_page(request: Request, store: StoreDep, today: TodayDep,
                        weeks: int = DEFAULT_WEEKS) -> HTMLResponse:
    weeks = weeks if weeks in WEEK_CHOICES else DEFAULT_WEEKS
    name = await run_in_threadpool(coach.profile_name, store, None)
    report = await run_in_threadpool(coach.progress, store, name, today, weeks=weeks)
    this_week = await run_in_threadpool(store.log_sessions, profile_name=name,
                                        since=report.by.start(today), until=today)
    logged = await run_in_threadpool(store.log_sessions, profile_name=name, until=today)
    chart = await run_in_threadpool(inline_svg, report) if logged else None
    adherence = report.adherence
    return render(request, "progress.html", {
        "title": "Progress", "active": "progress", "name": name, "weeks": weeks,
        "choices": WEEK_CHOICES, "chart": chart, "adherence": adherence,
        "percent": None if adherence is None or adherence.percent is None
        else round(adherence.percent),
        "sessions": len(logged), "week_sets": sum(len(s.sets) for s in this_week),
        "week_dates": span_label(*report.by.dates(today)),
        "exports": exports(request, name),
        "chart_url": f"/api/v1/profiles/{quote(name, safe='')}/progress.svg?weeks={weeks}"})
