"""``runs import``, ``runs list``, ``runs kind``, ``runs load``, ``runs week``: parse, call
``hamstride.running``, render. Nothing here decides anything about training.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from hamstride import coach, running
from hamstride.activities.sources import collect
from hamstride.cli.options import ListFormat
from hamstride.store import Store, resolve_db_url
from hamstride.training.load import LoadReport
from hamstride.vocabulary import RunType

AUTO = "auto"
SHORT_ID = 10  # "a-" and 8 hex digits: `runs kind` takes any unique start of an id


def _console() -> Console:
    return Console(highlight=False)


def _json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@contextmanager
def _profile(db: str | None, profile: str | None) -> Iterator[tuple[Store, str]]:
    with Store.open(resolve_db_url(db)) as store:
        yield store, coach.profile_name(store, profile)


# -- import -----------------------------------------------------------------------------

def import_paths(paths: Sequence[Path], *, db: str | None, profile: str | None, today: date,
                 fmt: ListFormat) -> None:
    sources = collect(paths)  # unusable arguments stop here, before anything is stored
    with _profile(db, profile) as (store, name), _progress(len(sources)) as step:
        report = running.import_sources(store, name, sources, today, after_each=step)
    if fmt is ListFormat.JSON:
        _json([line.to_document() for line in report.lines])
        return
    console = _console()
    for line in report.lines:
        console.print(_line_text(line), soft_wrap=True)
    console.print(report.summary())
    for change in report.plan_changes:
        console.print(f"Plan: {change}", soft_wrap=True)
    if report.plan_note and report.counts.get(running.IMPORTED):
        console.print(f"Plan unchanged: {report.plan_note}", soft_wrap=True)


def _line_text(line: running.ImportLine) -> str:
    if line.status == running.SKIPPED:
        return f"skipped    {line.path}: {line.reason}"
    why = f": {line.reason}" if line.reason else ""
    return f"{line.status:<10} {line.path} ({line.activity_id}){why}"


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A progress bar on stderr for bulk imports in a terminal; nothing otherwise."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda _line: None
        return
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("import", total=total)
        seen: set[str] = set()

        def step(line: running.ImportLine) -> None:
            if line.path not in seen:  # one file may give several lines
                seen.add(line.path)
                bar.advance(task)

        yield step


# -- list -------------------------------------------------------------------------------

def list_runs(*, db: str | None, profile: str | None, fmt: ListFormat) -> None:
    with _profile(db, profile) as (store, name):
        rows = running.listing(store, name)
    if fmt is ListFormat.JSON:
        _json([row.to_document() for row in rows])
        return
    if not rows:
        typer.echo("No activities yet: `hamstride runs import PATH` reads FIT, GPX and TCX "
                   "files and Strava exports.")
        return
    # no borders: the id and the date must fit whole in an 80-column terminal
    table = Table(title="Activities", title_justify="left", box=None, pad_edge=False)
    for header, right in (("start", False), ("sport", False), ("kind", False), ("km", True),
                          ("time", True), ("up m", True), ("HR", True), ("id", False)):
        table.add_column(header, justify="right" if right else "left", no_wrap=True)
    for row in rows:
        kind = "" if row.kind is None else row.kind.value + ("*" if row.corrected else "")
        if row.activity.too_short:
            kind = "too short"
        a = row.activity
        table.add_row(a.start.strftime("%Y-%m-%d %H:%M"), a.sport.value, kind,
                      _number(a.distance_m, 1000, "{:.1f}"), _clock(a.duration_s),
                      _number(a.elevation_gain_m, 1, "{:.0f}"),
                      "" if a.avg_hr is None else str(a.avg_hr), row.id[:SHORT_ID])
    console = _console()
    console.print(table)
    if any(row.corrected for row in rows):
        console.print("* kind set by you (`hamstride runs kind ID auto` undoes it)")


def _number(value: float | None, per: float, shape: str) -> str:
    return "" if value is None else shape.format(value / per)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


# -- kind -------------------------------------------------------------------------------

def set_kind(activity_id: str, kind: str, *, db: str | None, profile: str | None,
             today: date) -> None:
    chosen = None if kind == AUTO else RunType(kind)
    with _profile(db, profile) as (store, name):
        done = running.set_kind(store, name, activity_id, chosen, today)
    view = done.activity
    kind = "" if view.kind is None else view.kind.value
    said = f"{kind} (the classifier's)" if chosen is None else kind
    console = _console()
    console.print(f"{view.id} ({view.start:%Y-%m-%d %H:%M}): {said}.")
    for change in done.plan_changes:
        console.print(f"Plan: {change}", soft_wrap=True)
    if done.plan_note:
        console.print(f"Plan unchanged: {done.plan_note}", soft_wrap=True)


# -- load -------------------------------------------------------------------------------

def load(*, db: str | None, profile: str | None, today: date, weeks: int,
         rest_hr: int | None, max_hr: int | None, fmt: ListFormat, plot: Path | None) -> None:
    with _profile(db, profile) as (store, name):
        report = running.load(store, name, today, weeks=weeks, rest_hr=rest_hr, max_hr=max_hr)
    if plot is not None:
        from hamstride.charts import render_progress

        render_progress(report, plot)
    if fmt is ListFormat.JSON:
        _json(report.to_document())
        return
    _print_load(report, _console())
    if plot is not None:
        typer.echo(f"Wrote the chart to {plot}.", err=True)


def _print_load(report: LoadReport, console: Console) -> None:
    table = Table("week", "runs", "km", "time", "running load", "strength load", "other",
                  title=f"Running and strength load, {report.since} to {report.today}",
                  title_justify="left")
    for week in report.weeks:
        basis = f" ({week.running_basis.value})" if week.running_basis else ""
        table.add_row(week.week_start.isoformat(), str(week.runs), f"{week.running_km:.1f}",
                      _clock(week.running_minutes * 60), f"{week.running_load:.0f}{basis}",
                      f"{week.strength_load:.0f}", str(week.other_activities or ""))
    console.print(table)
    for flag in report.flags:
        console.print(f"Flag: {flag.message}", soft_wrap=True)
    console.print(report.ratio.message, soft_wrap=True)
    console.print(f"[dim]{report.caveat}[/dim]", soft_wrap=True)


# -- week -------------------------------------------------------------------------------

def week(*, db: str | None, profile: str | None, today: date, fmt: ListFormat) -> None:
    with _profile(db, profile) as (store, name):
        learned = running.running_week(store, name, today)
        reasons = coach.running_week_reasons(store, name, today)
    if fmt is ListFormat.JSON:
        document = None if learned is None else learned.to_document()
        _json({"learned": document, "changes": reasons})
        return
    if learned is None:
        typer.echo("No running week learned yet: it needs runs in at least 4 of the last 8 "
                   "complete weeks. Plans follow the week in your profile.")
        return
    table = Table("day", "run", "weeks run", "kinds seen",
                  title=f"Your running week, learned from {learned.weeks} weeks since "
                        f"{learned.since}", title_justify="left")
    for day in learned.days:
        kinds = ", ".join(f"{kind.value} {n}" for kind, n in day.kinds.items())
        table.add_row(day.day.value, learned.week.on(day.day).value,
                      f"{day.weeks_run}/{learned.weeks}", kinds)
    console = _console()
    console.print(table)
    for reason in reasons:
        console.print(reason, soft_wrap=True)
