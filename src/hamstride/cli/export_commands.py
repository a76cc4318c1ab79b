"""``export fit``: planned strength sessions as FIT workout files for a watch."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import typer

from hamstride import coach
from hamstride.activities.fit_workout import sessions_fits
from hamstride.catalogue import load_catalogue
from hamstride.errors import InputError
from hamstride.store import Store, resolve_db_url
from hamstride.training.plan import Plan, Session
from hamstride.training.weeks import Weeks


def export_fit(*, day: date | None, week: int | None, output: Path, db: str | None,
               profile: str | None, today: date) -> None:
    if (day is None) == (week is None):
        raise InputError("give a SESSION date or --week N (one of them).", field="session")
    if output.exists() and not output.is_dir():
        raise InputError(f"--output: {output} is a file, not a folder.", field="output")
    with Store.open(resolve_db_url(db)) as store:
        name = coach.profile_name(store, profile)
        plan = coach.planned_history(coach.fresh_plans(store, name, today))
    sessions = _chosen(plan, day=day, week=week)
    try:  # the README's `-o watch/`: made on first use, only once there is something to write
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--output: cannot make the folder {output} ({exc.strerror}).",
                         field="output") from exc
    for file_name, data in sessions_fits(sessions, catalogue=load_catalogue()):
        path = output / file_name
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise InputError(f"cannot write {path} ({exc.strerror}).") from exc
        typer.echo(f"Wrote {path} ({len(data)} bytes)")


def _chosen(plan: Plan, *, day: date | None, week: int | None) -> list[Session]:
    weeks = plan.weeks
    if week is not None:
        found = [w for w in weeks if w.week == week]
        if not found:
            raise InputError(f"--week: the plan has weeks 1-{len(weeks)}, not {week}.",
                             field="week")
        if not found[0].sessions:
            named = Weeks.of_plan(plan.start).label(plan.start + timedelta(weeks=week - 1))
            raise InputError(f"--week: {named} has no strength session.", field="week")
        return list(found[0].sessions)
    sessions = [s for w in weeks for s in w.sessions if s.date == day]
    if not sessions:
        raise InputError(f"SESSION: no strength session is planned on {day}; "
                         "`hamstride plan` or the calendar shows the days.", field="session")
    return sessions
