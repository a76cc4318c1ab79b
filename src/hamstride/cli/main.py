"""The ``hamstride`` command line. Options are declared here; each command imports its
implementation (and with it pydantic, SQLAlchemy, YAML) only when it runs, so that
``hamstride --help`` stays fast.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hamstride import __version__, clock
from hamstride.cli.edge import EdgeGroup
from hamstride.cli.options import (
    FieldTestKind,
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
ProfileNameOption = Annotated[str | None, typer.Option(
    "--profile", metavar="NAME",
    help="Whose plan and log (default: the profile whose plan was made or changed last).")]
DateOption = Annotated[date | None, typer.Option(
    "--date", parser=iso_date, metavar="YYYY-MM-DD", help="The day to act on (default: today).")]
FormatOption = Annotated[ListFormat, typer.Option("--format", help="Output format.")]
PlotOption = Annotated[Path | None, typer.Option(
    "--plot", metavar="FILE", help="Also draw the chart to FILE (.png or .svg).")]
ProfileArgument = Annotated[Path, typer.Argument(
    metavar="PROFILE", show_default=False,
    help="Profile file: .toml is read as TOML, anything else as JSON.")]


def _group(name: str, summary: str, *, bare: bool = False) -> typer.Typer:
    """A command group under ``hamstride NAME``; ``bare``: the group runs on its own too
    (``hamstride log`` records), else it shows its help."""
    group = typer.Typer(help=summary, no_args_is_help=not bare, add_completion=False,
                        pretty_exceptions_enable=False)
    app.add_typer(group, name=name)
    return group


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

    commands.plan(profile, start=start or clock.today(), weeks=weeks, fmt=fmt, output=output,
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

    commands.equipment(profile, start=start or clock.today(), fmt=fmt)


@app.command()
def plans(
    db: DbOption = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")]
    = ListFormat.TABLE,
) -> None:
    """List the stored plans, newest first."""
    from hamstride.cli import commands

    commands.plans(db=db, fmt=fmt)


# -- the training log -----------------------------------------------------------------------

@app.command()
def today(
    on: DateOption = None,
    fmt: FormatOption = ListFormat.TABLE,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """Show the session due today (or on --date), with cues and why each item is there."""
    from hamstride.cli import log_commands

    log_commands.today(db=db, profile=profile, day=on or clock.today(), fmt=fmt)


log_app = _group("log", "Record a session (asks in a terminal), or list and delete logged "
                        "sessions.", bare=True)


@log_app.callback(invoke_without_command=True)
def log(
    ctx: typer.Context,
    on: Annotated[date | None, typer.Option(
        "--date", parser=iso_date, metavar="YYYY-MM-DD",
        help="Day of the session, and the day the plan adapts on (default: today; never "
             "later than today). With --from: no entry may be later. With --morning: picks "
             "the session.")] = None,
    client_id: Annotated[str | None, typer.Option(
        "--id", metavar="ID", help="Your id for the session (default: one from its content, "
                                   "so logging the same session twice stores it once).")]
    = None,
    duration: Annotated[float | None, typer.Option(
        "--duration", metavar="MIN", min=0, max=600, help="Minutes the session took.")] = None,
    session_rpe: Annotated[float | None, typer.Option(
        "--session-rpe", metavar="X", min=0, max=10,
        help="How hard the whole session was, 0-10 (Borg CR-10).")] = None,
    pain: Annotated[int | None, typer.Option(
        "--pain", metavar="N", min=0, max=10, help="Pain during the session, 0-10.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", metavar="TEXT", help="Notes.")] = None,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="SPEC",
        help="A set: EXERCISE:REPS or EXERCISE:SECONDSs, then ,load=KG|BAND ,side=left|right|"
             "both ,rpe=X ,pain=N; squat:8x3 is three sets. Repeat for more.")] = None,
    as_planned: Annotated[bool, typer.Option(
        "--as-planned", help="The planned session of --date, done as prescribed.")] = False,
    source: Annotated[Path | None, typer.Option(
        "--from", metavar="FILE", help="Sessions from a JSON file (docs/log.schema.json) or a "
                                       "CSV file (.csv, one row per set); see docs/log.md.")]
    = None,
    morning: Annotated[int | None, typer.Option(
        "--morning", metavar="PAIN", min=0, max=10,
        help="Next-morning pain, 0-10, for the session given by --id or --date (default: "
             "the latest).")] = None,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help="Never ask; without recording flags this is an error.")] = False,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """Record a session: from flags, a file, or by answering questions in a terminal."""
    if ctx.invoked_subcommand is not None:
        return
    from hamstride.cli import log_commands

    request = log_commands.LogRequest(
        today=on or clock.today(), now=clock.today(), dated=on is not None,
        client_id=client_id,
        fields={"duration_min": duration, "session_rpe": session_rpe, "pain": pain,
                "notes": notes},
        specs=tuple(sets or ()), as_planned=as_planned, source=source, morning=morning,
        no_input=no_input)
    raise typer.Exit(log_commands.record(request, db=db, profile=profile))


@log_app.command("list")
def log_list(
    since: Annotated[date | None, typer.Option(
        "--since", parser=iso_date, metavar="YYYY-MM-DD", help="First day shown.")] = None,
    until: Annotated[date | None, typer.Option(
        "--until", parser=iso_date, metavar="YYYY-MM-DD", help="Last day shown.")] = None,
    fmt: FormatOption = ListFormat.TABLE,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """List logged sessions, oldest first (JSON: docs/log.schema.json documents)."""
    from hamstride.cli import log_commands

    log_commands.log_list(db=db, profile=profile, since=since, until=until, fmt=fmt)


@log_app.command("delete")
def log_delete(
    client_id: Annotated[str, typer.Argument(metavar="ID", show_default=False,
                                             help="The session's id (see `hamstride log list`).")],
    on: DateOption = None,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """Delete a logged session; the rest of the plan follows the log again."""
    from hamstride.cli import log_commands

    log_commands.log_delete(client_id, db=db, profile=profile, today=on or clock.today())


test_app = _group("field-test", "Record a field test of both legs, or list them with their "
                               "asymmetry.", bare=True)


@test_app.callback(invoke_without_command=True)
def field_test(
    ctx: typer.Context,
    kind: Annotated[FieldTestKind | None, typer.Option(
        "--kind", help="The test: single-leg bridge (reps), Nordic break angle (degrees), "
                       "Nordic force (N) or isometric hold (s).")] = None,
    left: Annotated[float | None, typer.Option(
        "--left", metavar="X", min=0, help="The left leg's result.")] = None,
    right: Annotated[float | None, typer.Option(
        "--right", metavar="X", min=0, help="The right leg's result.")] = None,
    on: DateOption = None,
    client_id: Annotated[str | None, typer.Option(
        "--id", metavar="ID", help="Your id for the result (default: one from its content).")]
    = None,
    notes: Annotated[str | None, typer.Option("--notes", metavar="TEXT", help="Notes.")] = None,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """Record a field test: --kind, --left and --right."""
    if ctx.invoked_subcommand is not None:
        return
    missing = [flag for flag, value in (("--kind", kind), ("--left", left), ("--right", right))
               if value is None]
    if missing:
        raise typer.BadParameter(f"missing {', '.join(missing)} (or `hamstride field-test "
                                 "list` to see the tests).", param_hint="'hamstride field-test'")
    from hamstride.cli import log_commands

    day = on or clock.today()
    log_commands.field_test({"id": client_id, "date": day.isoformat(), "kind": kind,
                             "left": left, "right": right, "notes": notes},
                            db=db, profile=profile, today=clock.today())


@test_app.command("list")
def field_test_list(
    fmt: FormatOption = ListFormat.TABLE,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """List the field tests with the asymmetry between the legs."""
    from hamstride.cli import log_commands

    log_commands.field_tests(db=db, profile=profile, fmt=fmt)


@app.command()
def progress(
    weeks: Annotated[int, typer.Option(min=1, max=520, help="Weeks to look back.")] = 12,
    on: DateOption = None,
    fmt: FormatOption = ListFormat.TABLE,
    plot: PlotOption = None,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """Volume, adherence, load, asymmetry and dose from the log (hamstride.progress/1)."""
    from hamstride.cli import log_commands

    log_commands.progress(db=db, profile=profile, day=on or clock.today(), weeks=weeks,
                          fmt=fmt, plot=plot)


# -- runs ---------------------------------------------------------------------------------

runs_app = _group("runs", "Your runs: import watch files and Strava exports, list them, "
                          "correct a run's kind, running load, and the running week the "
                          "plan follows.")


@runs_app.command("import")
def runs_import(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", show_default=False,
        help="FIT, GPX or TCX files (also .gz), folders, or a Strava bulk export (its "
             "folder or .zip).")],
    on: DateOption = None,
    fmt: FormatOption = ListFormat.TABLE,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """Import activities; each file is imported, a duplicate, or skipped with a reason."""
    from hamstride.cli import runs_commands

    runs_commands.import_paths(paths, db=db, profile=profile, today=on or clock.today(),
                               fmt=fmt)


@runs_app.command("list")
def runs_list(
    fmt: FormatOption = ListFormat.TABLE,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """List the imported activities, oldest first, with each run's kind."""
    from hamstride.cli import runs_commands

    runs_commands.list_runs(db=db, profile=profile, fmt=fmt)


@runs_app.command("kind")
def runs_kind(
    activity_id: Annotated[str, typer.Argument(
        metavar="ID", show_default=False, help="The activity's id (see `hamstride runs list`).")],
    kind: Annotated[str, typer.Argument(
        metavar="KIND", show_default=False,
        help="easy, long, intervals, tempo, hills, race, or auto (the classifier decides).")],
    on: DateOption = None,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """Correct the kind of a run; the plan follows the corrected running week."""
    allowed = [k.value for k in RunType if k is not RunType.REST] + ["auto"]
    if kind not in allowed:
        raise typer.BadParameter(f"'{kind}' is not one of {', '.join(allowed)}.",
                                 param_hint="'KIND'")
    from hamstride.cli import runs_commands

    runs_commands.set_kind(activity_id, kind, db=db, profile=profile,
                           today=on or clock.today())


@runs_app.command("load")
def runs_load(
    weeks: Annotated[int, typer.Option(min=1, max=520, help="Weeks to show.")] = 12,
    rest_hr: Annotated[int | None, typer.Option(
        "--rest-hr", metavar="BPM", min=25, max=120,
        help="Your resting heart rate, for heart-rate loads (default 60).")] = None,
    max_hr: Annotated[int | None, typer.Option(
        "--max-hr", metavar="BPM", min=100, max=260,
        help="Your maximum heart rate (default: the highest your runs recorded).")] = None,
    on: DateOption = None,
    fmt: FormatOption = ListFormat.TABLE,
    plot: PlotOption = None,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """Weekly running and strength load, distance spikes and the acute:chronic trend."""
    from hamstride.cli import runs_commands

    runs_commands.load(db=db, profile=profile, today=on or clock.today(), weeks=weeks,
                       rest_hr=rest_hr, max_hr=max_hr, fmt=fmt, plot=plot)


@runs_app.command("week")
def runs_week(
    on: DateOption = None,
    fmt: FormatOption = ListFormat.TABLE,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """The running week your runs show, which your plan follows, and how it differs."""
    from hamstride.cli import runs_commands

    runs_commands.week(db=db, profile=profile, today=on or clock.today(), fmt=fmt)


export_app = _group("export", "Send planned strength sessions to a watch.")


@export_app.command("fit")
def export_fit(
    session: Annotated[date | None, typer.Argument(
        parser=iso_date, metavar="SESSION", show_default=False,
        help="The date (YYYY-MM-DD) of a planned session.")] = None,
    week: Annotated[int | None, typer.Option(
        "--week", metavar="N", min=1, help="Every session of plan week N instead.")] = None,
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="DIR", help="Folder for the .fit files.")] = Path(),
    on: DateOption = None,
    db: DbOption = None,
    profile: ProfileNameOption = None,
) -> None:
    """Write FIT workout files (strength training, reps, rests, repeats) for a watch."""
    from hamstride.cli import export_commands

    export_commands.export_fit(day=session, week=week, output=output, db=db,
                               profile=profile, today=on or clock.today())


# -- accounts -----------------------------------------------------------------------------

user_app = _group("user", "Manage the accounts of a server with accounts on (docs/deploy.md).")


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(metavar="EMAIL", show_default=False,
                                         help="The account's e-mail address.")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from standard input (one line); "
        "without it the account signs in after a password reset.")] = False,
    role: Annotated[str, typer.Option(
        "--role", metavar="ROLE", help="athlete, coach or admin.")] = "athlete",
    digest: Annotated[bool, typer.Option(
        "--digest", help="Opt in to the weekly e-mail digest.")] = False,
    invite: Annotated[str | None, typer.Option(
        "--invite", metavar="URL", help="Print an invitation link on the server at URL "
        "(https://...) with which the person chooses their password.")] = None,
    db: DbOption = None,
) -> None:
    """Add an account. The first one takes over everything made before accounts were on."""
    from hamstride.cli import user_commands

    user_commands.add(email, password_stdin=password_stdin, role=role, digest=digest, db=db,
                      invite_url=invite)


@user_app.command("list")
def user_list(db: DbOption = None, fmt: FormatOption = ListFormat.TABLE) -> None:
    """List the accounts: e-mail, role, digest, profiles."""
    from hamstride.cli import user_commands

    user_commands.list_all(db=db, fmt=fmt)


@user_app.command("delete")
def user_delete(
    email: Annotated[str, typer.Argument(metavar="EMAIL", show_default=False,
                                         help="The account's e-mail address.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask to confirm.")] = False,
    db: DbOption = None,
) -> None:
    """Delete an account and every profile, plan, log entry and run it owns."""
    from hamstride.cli import user_commands

    user_commands.delete(email, yes=yes, db=db)

# -- mail ---------------------------------------------------------------------------------

digest_app = _group("digest", "The weekly e-mail digest and the session-day reminders "
                              "(docs/deploy.md).")


@digest_app.command("send")
def digest_send(
    week: Annotated[date | None, typer.Option(
        "--week", parser=iso_date, metavar="YYYY-MM-DD",
        help="Any day of the digest's week, Monday to Sunday (default: this week).")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", metavar="URL",
        help="The server's address for the links in the mails, like "
             "https://hamstride.example.org (default: $HAMSTRIDE_BASE_URL).")] = None,
    db: DbOption = None,
) -> None:
    """Send the week's digests and today's reminders not sent yet, through
    $HAMSTRIDE_SMTP_URL. Safe to run twice, even at once. Exit 1 if a mail failed."""
    from hamstride.cli import digest_commands

    raise typer.Exit(digest_commands.send(week=week, base_url=base_url, db=db,
                                          today=clock.today()))


# -- the database as a whole ---------------------------------------------------------------

BackupFileArgument = Annotated[Path, typer.Argument(
    metavar="FILE", show_default=False, help="The backup file (a zip archive).")]


@app.command()
def backup(
    path: BackupFileArgument,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing FILE.")]
    = False,
    db: DbOption = None,
) -> None:
    """Write the whole database (profiles, plans, log, field tests, runs) to one file."""
    from hamstride.cli import backup_commands

    backup_commands.backup(path, db=db, force=force)


@app.command()
def restore(
    path: BackupFileArgument,
    db: DbOption = None,
) -> None:
    """Load a backup FILE into an empty database (SQLite or PostgreSQL), all or nothing."""
    from hamstride.cli import backup_commands

    backup_commands.restore(path, db=db)


# -- the web app --------------------------------------------------------------------------

@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    db: DbOption = None,
    accounts: Annotated[bool, typer.Option(
        "--accounts", help="Accounts mode (log-in, several users): needed to serve on any "
                           "address but this computer's own (see docs/deploy.md).")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", metavar="NAME",
        help="Also answer to this host name (repeatable; `.example.org`: the domain and "
             "its subdomains). Added to $HAMSTRIDE_ALLOWED_HOSTS; the --host is allowed "
             "already.")] = None,
) -> None:
    """Run the web app and the REST API (/api/v1, docs at /docs) until Ctrl-C."""
    from hamstride.cli import serve as serving

    serving.serve(host=host, port=port, workers=workers, db=db, accounts=accounts,
                  allowed_hosts=allowed_host or ())


def run() -> None:
    """The console script. A command lives for a second at most: the cyclic garbage
    collector only slows it down (building a five-year log's 20,000 objects triggers
    it dozens of times), so it is off; `serve` turns it back on for its workers."""
    gc.disable()
    app(prog_name="hamstride")


if __name__ == "__main__":
    run()
