"""``hamstride progress`` as Rich tables: weekly volume, load and adherence, asymmetry
with its caveat, and the dose of the key exercises."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from rich import box
from rich.console import Console, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from hamstride.catalogue import Exercise
from hamstride.cli.log_render import balances
from hamstride.cli.plan_render import count
from hamstride.training.analytics import (
    Adherence,
    Asymmetry,
    DosePoint,
    DoseSeries,
    ProgressReport,
)
from hamstride.training.weeks import MONTHS, day_label


def print_report(report: ProgressReport, names: Mapping[str, Exercise], console: Console
                 ) -> None:
    console.print(Text(f"Progress, {day_label(report.since, year=True)} to "
                       f"{day_label(report.today, year=True)} "
                       f"({count(report.weeks, 'week')})", style="bold"))
    for part in _parts(report, names):
        console.print()
        console.print(part)


def _parts(report: ProgressReport, names: Mapping[str, Exercise]
           ) -> Iterator[RenderableType]:
    yield _volume(report)
    yield _weeks(report)
    yield Text(_adherence_line(report.adherence))
    yield from _asymmetry(report.asymmetry, names)
    yield _dose(report.dose)


def _table(title: str, *headers: str, text: int = 1) -> Table:
    """The first ``text`` columns left-aligned, the rest (numbers) right-aligned."""
    table = Table(title=title, title_justify="left", title_style="bold", header_style="bold",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for n, header in enumerate(headers):
        table.add_column(header, justify="left" if n < text else "right")
    return table


def _week(report: ProgressReport, first: date) -> str:
    """"3 · Sat 16 Jan" for plan week 3 (the plan's numbering), "Mon 4 Jan" outside it."""
    n = report.by.number(first)
    return f"{n} · {day_label(first)}" if n is not None else day_label(first)


def _volume(report: ProgressReport) -> RenderableType:
    volume = report.volume
    if not volume.muscles:
        return Text("Weekly sets by muscle group: no sets logged in these weeks.")
    muscles = [m.replace("_", " ").capitalize() for m in volume.muscles]
    table = _table("Weekly sets by muscle group", "Week", *muscles, "Ham. hip",
                   "Ham. knee")
    for w in volume.weeks:
        table.add_row(_week(report, w.week_start),
                      *(str(w.sets[m] or "") for m in volume.muscles),
                      str(w.hip_sets or ""), str(w.knee_sets or ""))
    table.caption = ("Sets count once for each primary muscle; hamstring sets split by hip- "
                     "or knee-dominant emphasis (Bourne 2017).")
    table.caption_justify = "left"
    return table


def _weeks(report: ProgressReport) -> RenderableType:
    """Session load (Foster 2001) and adherence, week by week."""
    loads = {w.week_start: w for w in report.loads.weeks}
    done = {w.week_start: w for w in report.adherence.weeks} if report.adherence else {}
    table = _table("Weekly session load and adherence", "Week", "Sessions", "Load",
                   "Planned", "Done", "Adherence")
    for w in report.volume.weeks:
        load, planned = loads.get(w.week_start), done.get(w.week_start)
        table.add_row(_week(report, w.week_start), str(load.sessions) if load else "",
                      f"{load.load:g}" if load else "",
                      str(planned.planned) if planned else "",
                      str(planned.done) if planned else "",
                      f"{planned.percent:g}%" if planned and planned.percent is not None else "")
    skipped = (f" {count(report.loads.skipped, 'session')} without both RPE and minutes "
               "not counted." if report.loads.skipped else "")
    table.caption = f"Load = session RPE x minutes (Foster 2001).{skipped}"
    table.caption_justify = "left"
    return table


def _adherence_line(done: Adherence | None) -> str:
    if done is None:
        return "Adherence: no plan to compare with."
    if not done.planned:
        due = " (one due today)" if done.pending else ""
        return f"Adherence: no planned session was due yet{due}."
    line = (f"Adherence: {done.percent:g}% ({done.done} of "
            f"{count(done.planned, 'planned session')} done); streak {done.current_streak}, "
            f"longest {done.longest_streak}.")
    if done.pending:
        line += f" {count(done.pending, 'session')} due today."
    if done.missed:
        line += " Missed: " + ", ".join(day_label(d) for d in done.missed[-5:]) + "."
    return line


def _asymmetry(asymmetry: Asymmetry, names: Mapping[str, Exercise]
               ) -> Iterator[RenderableType]:
    if asymmetry.tests:
        yield balances(asymmetry.tests, "Between-leg asymmetry (field tests)")
    else:
        yield Text("Asymmetry: no field test yet; `hamstride field-test` records one.")
    if asymmetry.per_side:
        yield _per_side(asymmetry, names)
    if not asymmetry.tests:
        yield Text(asymmetry.caveat, style="italic")


def _per_side(asymmetry: Asymmetry, names: Mapping[str, Exercise]) -> Table:
    table = _table(f"Work per side since {day_label(asymmetry.per_side_since)}", "Exercise",
                   "Left", "Right", "Less work")
    for s in asymmetry.per_side:
        gap = f"{s.less.value}, {s.percent:g}%" if s.less and s.percent is not None else ""
        name = names[s.exercise].name if s.exercise in names else s.exercise
        table.add_row(escape(name), f"{s.left} {s.unit}", f"{s.right} {s.unit}",
                      gap)
    return table


def _dose(series: tuple[DoseSeries, ...]) -> RenderableType:
    shown = [s for s in series if s.points]
    if not shown:
        return Text("Dose: no hamstring exercise logged in these weeks.")
    table = _table("Dose per key exercise", "Exercise", "Last", "Last dose", "Change",
                   "Days", text=4)
    for s in shown:
        last = s.points[-1]
        table.add_row(escape(s.name), day_label(last.date), _dose_text(last), _change(s),
                      str(len(s.points)))
    return table


def _dose_text(point: DosePoint) -> str:
    parts = [count(point.sets, "set")]
    if point.reps:
        parts.append(f"{point.reps} reps")
    if point.hold_s:
        parts.append(f"{point.hold_s} s")
    if point.max_load_kg is not None:
        parts.append(f"{point.max_load_kg:g} kg")
    return " · ".join(parts)


def _change(series: DoseSeries) -> str:
    """Total reps (or seconds) and top load, last session against the first shown."""
    if len(series.points) < 2:
        return "first time"
    first, last = series.points[0], series.points[-1]
    totals = series.totals()
    change = [f"{totals[-1][1] - totals[0][1]:+d} {'reps' if series.unit == 'reps' else 's'}"]
    if first.max_load_kg is not None and last.max_load_kg is not None:
        change.append(f"{last.max_load_kg - first.max_load_kg:+g} kg")
    since = f"{first.date.day} {MONTHS[first.date.month - 1]}"
    return " · ".join(change) + f" since {since}"
