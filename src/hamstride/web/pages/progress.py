"""Progress: one chart per panel of the CLI's chart (charts.render_panel, inline SVG drawn
for a phone) and the headline numbers, each read from the same report as the charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from hamstride import coach
from hamstride.charts import PANELS, TITLES, missing, render_panel
from hamstride.training.analytics import CAVEAT, DEFAULT_WEEKS, ProgressReport
from hamstride.training.weeks import day_label
from hamstride.web.deps import StoreDep, TodayDep
from hamstride.web.pages.common import PageRoute, inline_svg, render
from hamstride.web.pages.plan import exports

router = APIRouter(route_class=PageRoute)

WEEK_CHOICES = (4, 8, 12, 26, 52)
NOTES = {
    "dose": "Total reps (or seconds held) each session, for your most-logged hamstring "
            "exercises.",
    "volume": "Grey bars: the sets you logged each week, each set once (warm-ups not "
              "counted); the last bar, this week so far, is the “sets this week” above. "
              "Lines: sets for each muscle an exercise mainly works, so one bridge set "
              "counts for the glutes and for the hamstrings.",
    "asymmetry": "How far the weaker leg is below the stronger in each field test; the red "
                 f"lines are 15% and 20% (Bourne 2015). {CAVEAT}",
    "adherence": "The planned sessions you did, week by week; “2/3” marks a week with a "
                 "miss.",
}


@dataclass(frozen=True)
class Chart:
    """One panel of the progress chart, as the page shows it."""

    key: str
    title: str
    note: str
    svg: Markup | None  # None when there is nothing to draw yet
    missing: str | None  # then: what to do for it, in plain words


def chart(report: ProgressReport, panel: str) -> Chart:
    hint = missing(report, panel)
    svg = None if hint else inline_svg(render_panel(report, panel, "svg"), TITLES[panel])
    return Chart(panel, TITLES[panel], NOTES[panel], svg, hint)


def charts(report: ProgressReport) -> list[Chart]:
    return [chart(report, panel) for panel in PANELS]


def week_label(week_start: date) -> str:
    """What the "sets this week" tile counts: "sets this week (Mon 4 Jan – today)"."""
    return f"sets this week ({day_label(week_start)} – today)"  # the plan's week so far


@router.get("/progress", response_class=HTMLResponse)
async def progress_page(request: Request, store: StoreDep, today: TodayDep,
                        weeks: int = DEFAULT_WEEKS) -> HTMLResponse:
    weeks = weeks if weeks in WEEK_CHOICES else DEFAULT_WEEKS
    name = await run_in_threadpool(coach.profile_name, store, None)
    report = await run_in_threadpool(coach.progress, store, name, today, weeks=weeks)
    drawn = await run_in_threadpool(charts, report)
    adherence, this_week = report.adherence, report.volume.this_week
    return render(request, "progress.html", {
        "title": "Progress", "active": "progress", "name": name, "weeks": weeks,
        "choices": WEEK_CHOICES, "charts": drawn, "adherence": adherence,
        "any_chart": any(c.svg for c in drawn),
        "percent": None if adherence is None or adherence.percent is None
        else round(adherence.percent),
        "week_sets": this_week.total_sets, "week_label": week_label(this_week.week_start),
        "exports": exports(request, name),
        "chart_url": f"/api/v1/profiles/{quote(name, safe='')}/progress.svg?weeks={weeks}"})
