"""``today``, ``log``, ``field-test`` and ``progress``: parse, call the coach, render.

The coach (``hamstride.coach``) holds the use cases; nothing here decides anything about
training. ``today`` is always handed in by ``main`` (``--date`` or the clock).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from hamstride import coach
from hamstride.catalogue import Exercise, load_catalogue
from hamstride.cli import log_input, log_prompt, log_render, progress_render
from hamstride.cli.edge import BAD_INPUT, OK, check_writable
from hamstride.cli.options import ListFormat
from hamstride.cli.plan_render import count
from hamstride.errors import EntryNotFound, InputError
from hamstride.store import Store, resolve_db_url
from hamstride.training.log import LogError, LoggedSession, field_test_from_data
from hamstride.training.plan import Session
from hamstride.training.weeks import day_label

RECORD_FLAGS = "--set, --as-planned, --from or --morning"


def _console() -> Console:
    return Console(highlight=False)


def _json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _names() -> dict[str, Exercise]:
    return dict(load_catalogue().items())


@contextmanager
def _profile(db: str | None, profile: str | None) -> Iterator[tuple[Store, str]]:
    """The store and the profile's name (``--profile``, else the latest plan's)."""
    with Store.open(resolve_db_url(db)) as store:
        yield store, coach.profile_name(store, profile)


# -- today ------------------------------------------------------------------------------

def today(*, db: str | None, profile: str | None, day: date, fmt: ListFormat) -> None:
    with _profile(db, profile) as (store, name):
        found = coach.today(store, name, day)
    if fmt is ListFormat.JSON:
        _json(log_render.today_document(found))
    else:
        log_render.print_today(found, _names(), _console())


# -- log --------------------------------------------------------------------------------

@dataclass(frozen=True)
class LogRequest:
    """What ``hamstride log`` was asked to record."""

    today: date  # --date, else the clock: the session's date and the day the plan adapts on
    now: date  # the clock (HAMSTRIDE_TODAY in tests): nothing is logged after it
    dated: bool  # --date was given
    client_id: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # session fields given as flags
    specs: tuple[str, ...] = ()
    as_planned: bool = False
    source: Path | None = None
    morning: int | None = None
    no_input: bool = False

    @property
    def recording(self) -> bool:
        """Whether any flag says what to record (else hamstride asks, or refuses)."""
        return bool(self.specs or self.as_planned or self.source or self.morning is not None
                    or any(v is not None for v in self.fields.values()))


def record(request: LogRequest, *, db: str | None, profile: str | None) -> int:
    """Record what the request says; the exit status (2 when a batch had bad entries)."""
    _check_combination(request)
    coach.refuse_ahead(request.today, request.now, "--date")
    with _profile(db, profile) as (store, name):
        if request.morning is not None:
            _morning(store, name, request.morning, request)
            return OK
        if request.source is not None:
            return _batch(store, name, log_input.read_file(request.source), request.today)
        entries = _entries(store, name, request)
        outcome = coach.log(store, name, entries, request.today)
    typer.echo("\n".join(log_render.outcome_lines(outcome, _names())))
    return OK


def _check_combination(request: LogRequest) -> None:
    ways = [flag for flag, used in (("--set", request.specs), ("--as-planned", request.as_planned),
                                    ("--from", request.source),
                                    ("--morning", request.morning is not None)) if used]
    if len(ways) > 1:
        raise InputError(f"{' and '.join(ways)} cannot be combined: record one way at a time.")
    given = [log_input.FLAGS[k] for k, v in request.fields.items() if v is not None]
    if request.source is not None and (given or request.client_id):
        flags = ", ".join(given or ["--id"])
        raise InputError(f"--from cannot be combined with {flags}: the file holds the "
                         "sessions' fields.")
    if request.morning is not None and given:
        raise InputError(f"--morning cannot be combined with {', '.join(given)}: it records "
                         "only next-morning pain, on the session picked by --id or --date.")


def _entries(store: Store, name: str, request: LogRequest) -> list[LoggedSession]:
    if request.as_planned:
        found = coach.today(store, name, request.today)
        return _as_planned(found.sessions, request.today, request.fields, request.client_id)
    if request.recording:
        fields = {"id": request.client_id, "date": request.today.isoformat(), **request.fields}
        raw = log_input.from_flags(fields, request.specs)
        return [log_input.to_session(raw, request.today)]
    if request.no_input or not log_prompt.stdin_is_interactive():
        raise InputError(f"nothing to log: give {RECORD_FLAGS} (see `hamstride log --help`), "
                         "or run `hamstride log` in a terminal to be asked.")
    return _ask(store, name, request)


def _as_planned(sessions: Sequence[Session], day: date, fields: dict[str, Any],
                client_id: str | None) -> list[LoggedSession]:
    """The day's planned sessions (both bouts on an L-protocol day), as prescribed."""
    if not sessions:
        raise InputError(f"--as-planned: nothing was planned on {day_label(day, year=True)}; "
                         "`hamstride today --date DAY` shows a day's plan, or log the sets "
                         "with --set.", field="date")
    given = {k: v for k, v in fields.items() if v is not None}
    entries = [coach.as_planned(session, on=day, **given) for session in sessions]
    if client_id is None:
        return entries
    ids = [client_id, *(f"{client_id}-{n}" for n in range(2, len(entries) + 1))]
    return [log_input.to_session(log_input.RawEntry({**e.to_document(), "id": i},
                                                    label="--id"), day)
            for e, i in zip(entries, ids, strict=True)]


def _ask(store: Store, name: str, request: LogRequest) -> list[LoggedSession]:
    today, client_id = request.now, request.client_id
    day = log_prompt.ask_date(request.today, latest=today)
    found = coach.today(store, name, day)
    if found.sessions and log_prompt.ask_as_planned(day, today, len(found.sessions)):
        fields = log_prompt.ask_session(day, found.sessions[0].estimated_minutes)
        return _as_planned(found.sessions, day, fields, client_id)
    planned = [item.exercise for s in found.sessions for item in s.items]
    sets = log_prompt.ask_sets(day, planned, _names())
    fields = log_prompt.ask_session(day, None)
    data = {"id": client_id, "date": day.isoformat(), **fields, "sets": sets}
    raw = log_input.RawEntry({k: v for k, v in data.items() if v is not None})
    return [log_input.to_session(raw, today)]


def _batch(store: Store, name: str, raws: Sequence[log_input.RawEntry], today: date) -> int:
    """Every valid entry stored in one transaction; each invalid one reported."""
    valid: list[LoggedSession] = []
    problems: list[str] = []
    for raw in raws:
        try:
            valid.append(log_input.to_session(raw, today))
        except LogError as exc:
            problems.append(exc.message)
    outcome = coach.log(store, name, valid, today) if valid else None
    for problem in problems:
        typer.echo(f"error: {' '.join(problem.split())}", err=True)
    if outcome is not None:
        typer.echo("\n".join(log_render.outcome_lines(outcome, _names())))
    if problems and len(raws) > 1:
        typer.echo(f"{count(len(problems), 'entry')} of {len(raws)} not stored (see above); "
                   f"{count(len(valid), 'valid entry')} stored.", err=True)
    return BAD_INPUT if problems else OK


def _morning(store: Store, name: str, pain: int, request: LogRequest) -> None:
    entry, replanned = coach.morning(store, name, pain, client_id=request.client_id,
                                     on=request.today if request.dated else None,
                                     today=request.today)
    typer.echo(f"Recorded morning pain {pain}/10 on {entry.id} "
               f"({day_label(entry.date, year=True)}).")
    lines = log_render.plan_lines(replanned, "", _names())
    if lines:
        typer.echo("\n".join(lines))


def log_list(*, db: str | None, profile: str | None, since: date | None, until: date | None,
             fmt: ListFormat) -> None:
    with _profile(db, profile) as (store, name):
        entries = store.log_sessions(profile_name=name, since=since, until=until)
    if fmt is ListFormat.JSON:
        _json([e.to_document() for e in entries])
    elif not entries:
        typer.echo(f"No sessions logged for '{name}' in these dates; `hamstride log` "
                   "records one.")
    else:
        _console().print(log_render.log_table(entries, f"Training log of {name}"))


def log_delete(client_id: str, *, db: str | None, profile: str | None, today: date) -> None:
    with _profile(db, profile) as (store, name):
        try:
            replanned, note = coach.delete_entry(store, name, client_id, today)
        except EntryNotFound as exc:
            raise InputError(f"no logged session '{client_id}' for '{name}'; `hamstride log "
                             "list` shows the ids.", field="id") from exc
    typer.echo(f"Deleted {client_id}.")
    lines = log_render.plan_lines(replanned, note, _names())
    if lines:
        typer.echo("\n".join(lines))


# -- field tests ------------------------------------------------------------------------

def field_test(data: dict[str, Any], *, db: str | None, profile: str | None,
               today: date) -> None:
    test = field_test_from_data({k: v for k, v in data.items() if v is not None},
                                source="field test")
    with _profile(db, profile) as (store, name):
        changed = coach.record_tests(store, name, [test], today)
    lines = log_render.recorded_lines(test)
    if not changed:
        lines[0] = lines[0].replace("Recorded", "Already recorded, nothing changed:", 1)
    typer.echo("\n".join(lines))


def field_tests(*, db: str | None, profile: str | None, fmt: ListFormat) -> None:
    with _profile(db, profile) as (store, name):
        tests = store.field_tests(profile_name=name)
    if fmt is ListFormat.JSON:
        _json(log_render.tests_document(tests))
    elif not tests:
        typer.echo(f"No field tests recorded for '{name}'; `hamstride field-test --kind ...` "
                   "records one.")
    else:
        _console().print(log_render.tests_view(tests, f"Field tests of {name}"))


# -- progress ---------------------------------------------------------------------------

def progress(*, db: str | None, profile: str | None, day: date, weeks: int, fmt: ListFormat,
             plot: Path | None) -> None:
    from hamstride import charts

    if plot is not None:
        _check_plot(plot, charts.FORMATS)
    with _profile(db, profile) as (store, name):
        report = coach.progress(store, name, day, weeks=weeks)
    if fmt is ListFormat.JSON:
        _json(report.to_document())
    else:
        progress_render.print_report(report, _names(), _console())
    if plot is not None:
        charts.render_progress(report, plot)
        typer.echo(f"Wrote the progress chart to {plot}.", err=True)


def _check_plot(path: Path, formats: Sequence[str]) -> None:
    if path.suffix.lower().lstrip(".") not in formats:
        raise InputError(f"--plot {path}: a chart is written as .png or .svg, not "
                         f"'{path.suffix or '(no suffix)'}'.", field="plot")
    check_writable(path, what="chart")

