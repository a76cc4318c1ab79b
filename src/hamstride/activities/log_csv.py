"""The training log as CSV: one row per logged set, the one format hamstride writes and
reads back (``hamstride log --from FILE.csv``, ``GET /profiles/{name}/log.csv``).

A session's fields repeat on each of its rows; a session without sets is one row with
the set columns empty. Rows with the same ``id`` (else the same ``date``) are one
session. The reader gives entries before validation (``RawEntry``): the model
(``training.log.session_from_data``) judges them, and the labels say which rows an error
came from. docs/log.md describes the columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hamstride.training.log import LogError, LoggedSession

# the session's columns, then the set's; any order and any subset is read
SESSION_COLUMNS = ("id", "date", "duration_min", "session_rpe", "pain", "morning_pain",
                   "notes")
SET_COLUMNS = {"exercise": "exercise", "reps": "reps", "hold_s": "hold_s",
               "load_kg": "load_kg", "band": "band", "side": "side", "rpe": "rpe",
               "set_pain": "pain"}  # CSV column -> the set's field
COLUMNS = (*SESSION_COLUMNS, *SET_COLUMNS)
TEXT_COLUMNS = frozenset({"id", "date", "notes", "exercise", "band", "side"})


@dataclass(frozen=True)
class RawEntry:
    """One session before validation, with what to call it and each of its sets."""

    data: Any
    label: str = ""  # "entry 3"; empty for the flags of one command
    where: str = ""  # " (rows 4, 5)" for CSV
    set_labels: tuple[str, ...] = ()  # "--set 'squat:8'" or "row 4", one per set
    problem: str | None = None  # found while reading, before any validation


def value_of(column: str, text: str) -> Any:
    """A number where the column holds one (so that ids match the JSON of the same
    session); anything else as written, for the model to judge."""
    if column in TEXT_COLUMNS:
        return text
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


# -- writing --------------------------------------------------------------------------------

def rows(entries: Iterable[LoggedSession]) -> Iterator[dict[str, Any]]:
    """One row per set; a session without sets is one row with the set columns empty."""
    for entry in entries:
        session = {"id": entry.id, "date": entry.date.isoformat(),
                   "duration_min": entry.duration_min, "session_rpe": entry.session_rpe,
                   "pain": entry.pain, "morning_pain": entry.morning_pain, "notes": entry.notes}
        if not entry.sets:
            yield {k: _written(v) for k, v in session.items()}
        for logged in entry.sets:
            row = {**session, "exercise": logged.exercise, "reps": logged.reps,
                   "hold_s": logged.hold_s, "load_kg": logged.load_kg,
                   "band": logged.band.value if logged.band else None,
                   "side": logged.side.value, "rpe": logged.rpe, "set_pain": logged.pain}
            yield {k: _written(v) for k, v in row.items()}


def write(entries: Iterable[LoggedSession]) -> str:
    """The CSV text of the entries, header first (CRLF line ends, as RFC 4180 says)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows(entries))
    return buffer.getvalue()


def _written(value: Any) -> Any:
    return "" if value is None else value


# -- reading --------------------------------------------------------------------------------

@dataclass
class _Rows:
    """The CSV rows of one session."""

    session: dict[str, str] = field(default_factory=dict)
    first_row: dict[str, int] = field(default_factory=dict)
    sets: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    set_rows: list[str] = field(default_factory=list)
    problem: str | None = None

    def add(self, row: int, cells: Mapping[str, str]) -> None:
        self.rows.append(row)
        for column in SESSION_COLUMNS:
            value = cells.get(column)
            if value is None:
                continue
            known = self.session.setdefault(column, value)
            self.first_row.setdefault(column, row)
            if known != value and self.problem is None:
                self.problem = (f"row {row}: {column}: '{value}' differs from '{known}' on row "
                                f"{self.first_row[column]} of the same session.")
        logged = {SET_COLUMNS[c]: value_of(c, cells[c]) for c in SET_COLUMNS if c in cells}
        if logged:
            self.sets.append(logged)
            self.set_rows.append(f"row {row}")

    def entry(self, n: int) -> RawEntry:
        listed = ", ".join(map(str, self.rows))
        where = f" (row{'s' if len(self.rows) > 1 else ''} {listed})"
        data = {k: value_of(k, v) for k, v in self.session.items()}
        problem = f"entry {n}{where}: {self.problem}" if self.problem else None
        return RawEntry({**data, "sets": self.sets}, label=f"entry {n}", where=where,
                        set_labels=tuple(self.set_rows), problem=problem)


def read(text: str, source: str) -> list[RawEntry]:
    """The sessions of a log CSV, in the order they first appear; ``source`` names the
    file in messages. A bad header or row shape is a LogError; a bad value is left for
    the model, in its entry."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [name.strip() for name in reader.fieldnames or []]
    except csv.Error as exc:
        raise LogError(f"{source}: not valid CSV ({exc}).", field="from") from exc
    unknown = [name for name in header if name not in COLUMNS]
    if not header or unknown:
        what = f"unknown column(s) {', '.join(map(repr, unknown))}" if unknown else "no header"
        raise LogError(f"{source}: {what}; the header is {','.join(COLUMNS)} (any order, "
                       "any subset).", field="from")
    reader.fieldnames = header
    sessions: dict[str, _Rows] = {}
    try:
        for row in reader:
            if None in row:
                raise LogError(f"{source}: row {reader.line_num}: more cells than the header "
                               "has columns.", field="from")
            # cells are trimmed, notes kept as written (the writer's round trip)
            cells = {k: v if k == "notes" else v.strip() for k, v in row.items()
                     if v is not None and v.strip()}
            if not cells:
                continue
            key = f"id:{cells['id']}" if "id" in cells else f"date:{cells.get('date', '')}"
            sessions.setdefault(key, _Rows()).add(reader.line_num, cells)
    except csv.Error as exc:
        raise LogError(f"{source}: row {reader.line_num}: not valid CSV ({exc}).",
                       field="from") from exc
    return [found.entry(n) for n, found in enumerate(sessions.values(), start=1)]
