"""What each command does once its options are parsed: call the core or the store, render.

Imported by ``main`` inside the command functions, so the heavy imports here cost nothing
for ``--help``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hamstride import clock, coach
from hamstride.catalogue import Exercise, load_catalogue
from hamstride.cli import catalogue_render, plan_render, profile_init
from hamstride.cli.edge import FOUND_PROBLEMS, OK, check_writable, read_text, write_text
from hamstride.cli.options import ListFormat, PlanFormat, ProfileFormat, TextFormat
from hamstride.errors import CatalogueError, PlanError
from hamstride.store import Store, StoredPlan, resolve_db_url
from hamstride.training.advice import advise
from hamstride.training.checker import check_plan
from hamstride.training.plan import Plan, plan_from_json
from hamstride.training.planner import generate_plan
from hamstride.training.profile import Profile, load_profile
from hamstride.training.rules.base import Violation
from hamstride.vocabulary import Equipment, Muscle, Pattern

FILE_WIDTH = 100


def _console() -> Console:
    return Console(highlight=False)


def _note(message: str) -> None:
    """A progress line for the person, on stderr, so stdout stays the document."""
    typer.echo(message, err=True)


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _names() -> dict[str, Exercise]:
    """The catalogue as a plain dict: ``in`` and ``get`` work on it (see the report on
    ``Catalogue.__getitem__``, which raises CatalogueError instead of KeyError)."""
    return dict(load_catalogue().items())


def _store(db: str | None) -> Store:
    return Store.open(resolve_db_url(db))


# -- init -----------------------------------------------------------------------------------

def init(path: Path | None, flags: profile_init.Answers, *, fmt: ProfileFormat | None,
         force: bool, no_input: bool, db: str | None, save: bool) -> None:
    target, fmt = profile_init.choose_format(path, fmt)
    check_writable(target, what="profile", force=force)
    profile = profile_init.collect(flags, no_input=no_input)
    profile_init.write(target, profile, fmt, force=force)
    _note(f"Wrote {target}.")
    if save:
        with _store(db) as store:
            coach.save_profile(store, profile)
            _note(f"Saved the profile '{profile.name}' in {store.url}.")
    _note(f"Next: hamstride plan {target}")


# -- plan -----------------------------------------------------------------------------------

def plan(profile_path: Path, *, start: date, weeks: int, fmt: PlanFormat,
         output: Path | None, db: str | None, save: bool) -> None:
    if output is not None:
        check_writable(output, what="plan")
    profile = load_profile(profile_path)
    try:
        made, saved = _make(profile, start=start, weeks=weeks, db=db, save=save)
    except PlanError as exc:
        if exc.field != "weeks":
            raise
        raise PlanError(f"--{exc.message}", field=exc.field) from exc
    if output is None:
        _print_plan(made, fmt)
    else:
        write_text(output, _plan_text(made, fmt), what="plan")
        sessions = plan_render.count(sum(1 for _ in made.sessions()), "session")
        length = plan_render.count(len(made.weeks), "week")
        _note(f"Wrote the {fmt.value} plan ({length}, {sessions}) to {output}.")
    if len(made.weeks) > weeks:
        _note(f"The plan runs {len(made.weeks)} weeks, not {weeks}, so that it holds your A "
              "race, its taper and its recovery.")
    if saved:
        _note(saved)


def _make(profile: Profile, *, start: date, weeks: int, db: str | None,
          save: bool) -> tuple[Plan, str | None]:
    """The plan, made and stored by the one use case (it follows the runs imported for
    the profile) before any output, so a store error stops the run; and the line that
    says where it was stored, for after the output. ``--no-save`` opens no database."""
    if not save:
        return generate_plan(profile, start=start, weeks=weeks), None
    with _store(db) as store:
        made, stored = coach.make_plan(store, profile, start=start, weeks=weeks,
                                       today=clock.today())
        return made, (f"Saved as plan {stored.id}, the active plan of '{profile.name}' "
                      f"({store.url}).")


def _print_plan(made: Plan, fmt: PlanFormat) -> None:
    if fmt is PlanFormat.TABLE:
        plan_render.print_table(made, _names(), _console())
    else:
        typer.echo(_plan_text(made, fmt), nl=False)


def _plan_text(made: Plan, fmt: PlanFormat) -> str:
    if fmt is PlanFormat.JSON:
        return made.to_json()
    if fmt is PlanFormat.MARKDOWN:
        return plan_render.markdown(made, _names())
    buffer = io.StringIO()
    console = Console(file=buffer, width=FILE_WIDTH, color_system=None, highlight=False)
    plan_render.print_table(made, _names(), console)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


# -- check ----------------------------------------------------------------------------------

def check(plan_path: Path, profile_path: Path, *, fmt: ListFormat) -> int:
    """Print the violations; the exit status (1 when there is any)."""
    checked = plan_from_json(read_text(plan_path, what="plan"), source=str(plan_path))
    profile = load_profile(profile_path)
    try:
        violations = check_plan(checked, profile, load_catalogue(), source=str(plan_path))
    except CatalogueError as exc:  # an exercise id the catalogue does not know
        raise CatalogueError(f"{plan_path}: {exc.message}", field=exc.field) from exc
    if fmt is ListFormat.JSON:
        typer.echo(_json({"ok": not violations,
                          "violations": [v.to_document() for v in violations]}), nl=False)
    elif violations:
        _console().print(_violations_table(violations))
    else:
        typer.echo(f"ok: no violations in {plan_path}.")
    return FOUND_PROBLEMS if violations else OK


def _violations_table(violations: Sequence[Violation]) -> Table:
    table = Table(title=plan_render.count(len(violations), "violation"), title_justify="left",
                  header_style="bold")
    table.add_column("Rule", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Message")
    for v in violations:
        table.add_row(escape(v.rule), v.date.isoformat() if v.date else "", escape(v.message))
    return table


# -- the catalogue --------------------------------------------------------------------------

def exercises(*, equipment: set[Equipment] | None, muscle: Muscle | None,
              pattern: Pattern | None, fmt: ListFormat) -> None:
    found = catalogue_render.usable(load_catalogue().values(), equipment=equipment,
                                    muscle=muscle, pattern=pattern)
    if fmt is ListFormat.JSON:
        typer.echo(_json([e.model_dump(mode="json") for e in found]), nl=False)
    elif not found:
        typer.echo("No exercise matches.")
    else:
        console = _console()
        console.print(catalogue_render.exercises_table(found, width=console.width))


def exercise(exercise_id: str, *, fmt: TextFormat) -> None:
    catalogue = _names()
    if exercise_id not in catalogue:
        close = catalogue_render.suggestions(exercise_id, catalogue)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise CatalogueError(f"unknown exercise id '{exercise_id}'.{hint} "
                             "`hamstride exercises` lists them all.", field="exercise")
    found = catalogue[exercise_id]
    if fmt is TextFormat.JSON:
        typer.echo(_json(found.model_dump(mode="json")), nl=False)
    else:
        typer.echo(catalogue_render.exercise_text(found, catalogue), nl=False)


def equipment(profile_path: Path, *, start: date, fmt: ListFormat) -> None:
    profile = load_profile(profile_path)
    advice = advise(profile, start=start)
    if fmt is ListFormat.JSON:
        typer.echo(_json([a.to_document() for a in advice]), nl=False)
    elif not advice:
        typer.echo("You own every piece of equipment hamstride knows about.")
    else:
        _console().print(catalogue_render.advice_table(advice, _names()))


# -- plans ----------------------------------------------------------------------------------

def plans(*, db: str | None, fmt: ListFormat) -> None:
    with _store(db) as store:
        stored = store.list_plans()
        url = store.url
    if fmt is ListFormat.JSON:
        typer.echo(_json([_plan_document(p) for p in stored]), nl=False)
    elif not stored:
        typer.echo(f"No plans stored in {url} yet; `hamstride plan PROFILE` makes one.")
    else:
        _console().print(_plans_table(stored, url))


def _plan_document(p: StoredPlan) -> dict[str, Any]:
    return {"id": p.id, "profile": p.profile_name, "start": p.start.isoformat(),
            "weeks": p.weeks, "active": p.active, "created": p.created_at.isoformat()}


def _plans_table(stored: Sequence[StoredPlan], url: str) -> Table:
    table = Table(title=f"Plans in {escape(url)}", title_justify="left", header_style="bold")
    for header in ("Id", "Profile", "Start", "Weeks", "Active", "Created (UTC)"):
        table.add_column(header, justify="right" if header in ("Id", "Weeks") else "left")
    for p in stored:
        table.add_row(str(p.id), escape(p.profile_name), p.start.isoformat(), str(p.weeks),
                      "yes" if p.active else "", f"{p.created_at:%Y-%m-%d %H:%M}")
    return table
