"""The ``hamstride`` command line. Options are declared here; each command imports its
implementation (and with it pydantic, SQLAlchemy, YAML) only when it runs, so that
``hamstride --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hamstride import __version__
from hamstride.cli.edge import EdgeGroup
from hamstride.cli.options import (
    ListFormat,
    PlanFormat,
    ProfileFormat,
    TextFormat,
    iso_date,
)
from hamstride.vocabulary import Day, Equipment, Goal, Level, Muscle, Pattern, RunType, Side

app = typer.Typer(
    cls=EdgeGroup,
    name="hamstride",
    help="A hamstring-first, evidence-based strength coach for runners.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[str | None, typer.Option(
    "--db", metavar="URL",
    help="Database URL or SQLite file path (default: $HAMSTRIDE_DB, else a file in your "
         "user data folder).")]
NoSaveOption = Annotated[bool, typer.Option("--no-save", help="Do not store anything.")]
StartOption = Annotated[date | None, typer.Option(
    "--start", parser=iso_date, metavar="YYYY-MM-DD",
    help="First day of the plan (default: today).")]
ProfileArgument = Annotated[Path, typer.Argument(
    metavar="PROFILE", show_default=False,
    help="Profile file: .toml is read as TOML, anything else as JSON.")]


def _values(enum: Iterable[StrEnum]) -> str:
    return ", ".join(member.value for member in enum)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hamstride {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")]
    = False,
) -> None:
    """A hamstring-first, evidence-based strength coach for runners."""


@app.command()
def init(
    path: Annotated[Path | None, typer.Argument(
        metavar="PATH", show_default=False,
        help="Where to write the profile (default: profile.toml, or profile.json with "
             "--format json).")] = None,
    name: Annotated[str | None, typer.Option(help="Your name, shown on the plan.")] = None,
    level: Annotated[str | None, typer.Option(help=f"One of: {_values(Level)}.")] = None,
    goal: Annotated[str | None, typer.Option(help=f"One of: {_values(Goal)}.")] = None,
    minutes: Annotated[str | None, typer.Option(help="Minutes per strength session.")] = None,
    equipment: Annotated[str | None, typer.Option(
        metavar="A,B,...", help=f"What you own, or 'none'. Any of: {_values(Equipment)}.")]
    = None,
    strength_days: Annotated[str | None, typer.Option(
        metavar="DAY,...", help=f"Days free for strength work. Any of: {_values(Day)}.")]
    = None,
    weekly_km: Annotated[str | None, typer.Option(help="Running kilometres per week.")] = None,
    week: Annotated[str | None, typer.Option(
        metavar="DAY=RUN,...",
        help=f"Your usual running week, e.g. tue=intervals,sat=long. RUN: {_values(RunType)}.")]
    = None,
    race: Annotated[list[str] | None, typer.Option(
        metavar="DATE:NAME:PRIORITY", help="A race, e.g. 2027-03-14:City Marathon:A. "
                                           "Repeat for more.")] = None,
    strain_date: Annotated[str | None, typer.Option(
        metavar="YYYY-MM-DD", help="Date of a hamstring strain.")] = None,
    strain_side: Annotated[str | None, typer.Option(
        help=f"Side of the strain: {_values(Side)}.")] = None,
    fmt: Annotated[ProfileFormat | None, typer.Option(
        "--format", help="File format (default: from the file name, else toml).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]
    = False,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help="Never prompt; missing answers are an error.")] = False,
    db: DbOption = None,
    no_save: NoSaveOption = False,
) -> None:
    """Write a profile file, asking for every answer not given as an option."""
    from hamstride.cli import commands

    given = {"name": name, "level": level, "goal": goal, "minutes": minutes,
             "equipment": equipment, "strength_days": strength_days, "weekly_km": weekly_km,
             "week": week, "races": race or None, "strain_date": strain_date,
             "strain_side": strain_side}
    flags = {key: value for key, value in given.items() if value is not None}
    commands.init(path, flags, fmt=fmt, force=force, no_input=no_input, db=db,
                  save=not no_save)


@app.command()
def plan(
    profile: ProfileArgument,
    start: StartOption = None,
    weeks: Annotated[int, typer.Option(min=1, help="Length of the plan in weeks.")] = 12,
    fmt: Annotated[PlanFormat, typer.Option("--format", help="Output format.")]
    = PlanFormat.TABLE,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE instead of the terminal.")]
    = None,
    db: DbOption = None,
    no_save: NoSaveOption = False,
) -> None:
    """Generate a plan from a profile, store it as the active plan and show it."""
    from hamstride.cli import commands

    commands.plan(profile, start=start or date.today(), weeks=weeks, fmt=fmt, output=output,
                  db=db, save=not no_save)


@app.command()
def check(
    plan_file: Annotated[Path, typer.Argument(
        metavar="PLAN.json", show_default=False, help="A plan document (hamstride.plan/1 JSON).")],
    profile: Annotated[Path, typer.Option(
        "--profile", metavar="PROFILE", help="The profile to check the plan against.")],
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")]
    = ListFormat.TABLE,
) -> None:
    """Check any plan against every rule. Exit status 1 if a rule is broken."""
    from hamstride.cli import commands

    raise typer.Exit(commands.check(plan_file, profile, fmt=fmt))


@app.command()
def exercises(
    equipment: Annotated[list[str] | None, typer.Option(
        metavar="A,B,...",
        help="Only what this equipment allows; 'none' for body weight only.")] = None,
    muscle: Annotated[Muscle | None, typer.Option(help="Only with this primary muscle.")]
    = None,
    pattern: Annotated[Pattern | None, typer.Option(help="Only this movement pattern.")]
    = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")]
    = ListFormat.TABLE,
) -> None:
    """List the exercise catalogue."""
    from hamstride.cli import commands
    from hamstride.cli.options import equipment_set

    owned = equipment_set(equipment) if equipment else None
    commands.exercises(equipment=owned, muscle=muscle, pattern=pattern, fmt=fmt)


@app.command()
def exercise(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", show_default=False,
                                               help="An exercise id, e.g. nordic_hamstring_curl.")],
    fmt: Annotated[TextFormat, typer.Option("--format", help="Output format.")]
    = TextFormat.TEXT,
) -> None:
    """Show one exercise: how to do it, what it trains, and the evidence."""
    from hamstride.cli import commands

    commands.exercise(exercise_id, fmt=fmt)


@app.command("equipment")
def equipment_advice(
    profile: ProfileArgument,
    start: StartOption = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")]
    = ListFormat.TABLE,
) -> None:
    """What each piece of equipment you do not own would add to your plan."""
    from hamstride.cli import commands

    commands.equipment(profile, start=start or date.today(), fmt=fmt)


@app.command()
def plans(
    db: DbOption = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")]
    = ListFormat.TABLE,
) -> None:
    """List the stored plans, newest first."""
    from hamstride.cli import commands

    commands.plans(db=db, fmt=fmt)


def run() -> None:
    """The console script."""
    app(prog_name="hamstride")


if __name__ == "__main__":
    run()
