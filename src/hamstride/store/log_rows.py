"""Training-log models to table rows and back, in bulk.

Reading turns rows into plain dicts and validates them all in one pydantic-core call: on a
five-year log (800 sessions, 20,000 sets) that is faster than ``model_construct`` per
model, and a row that is not a valid entry (edited by hand, say) raises ``StoreError``
instead of slipping through.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, Connection, select
from sqlalchemy.orm import Session

from hamstride.errors import StoreError
from hamstride.store.models import FieldTestRow, LogSession, LogSet
from hamstride.training.log import FieldTest, LoggedSession

_T = TypeVar("_T")
_SESSIONS = TypeAdapter(list[LoggedSession])
_FIELD_TESTS = TypeAdapter(list[FieldTest])

_SESSION_COLUMNS = (
    LogSession.id,
    LogSession.client_id,
    LogSession.date,
    LogSession.duration_min,
    LogSession.session_rpe,
    LogSession.pain,
    LogSession.morning_pain,
    LogSession.notes,
)
_SET_COLUMNS = (
    LogSet.session_id,
    LogSet.exercise,
    LogSet.reps,
    LogSet.hold_s,
    LogSet.load_kg,
    LogSet.band,
    LogSet.side,
    LogSet.rpe,
    LogSet.pain,
)
FIELD_TEST_COLUMNS = (
    FieldTestRow.client_id,
    FieldTestRow.date,
    FieldTestRow.kind,
    FieldTestRow.left,
    FieldTestRow.right,
    FieldTestRow.notes,
)
_SESSION_KEYS = ("id", *(column.key for column in _SESSION_COLUMNS[2:]))
FIELD_TEST_KEYS = ("id", *(column.key for column in FIELD_TEST_COLUMNS[1:]))


# -- writing --------------------------------------------------------------------


def session_values(entry: LoggedSession) -> dict[str, Any]:
    """The ``log_sessions`` columns of one entry, without keys and timestamps."""
    return {
        "date": entry.date,
        "duration_min": entry.duration_min,
        "session_rpe": entry.session_rpe,
        "pain": entry.pain,
        "morning_pain": entry.morning_pain,
        "notes": entry.notes,
    }


def set_rows(session_id: int, entry: LoggedSession) -> list[dict[str, Any]]:
    """The ``log_sets`` rows of one entry, numbered in the entry's order."""
    return [
        {
            "session_id": session_id,
            "position": position,
            "exercise": logged.exercise,
            "reps": logged.reps,
            "hold_s": logged.hold_s,
            "load_kg": logged.load_kg,
            "band": None if logged.band is None else str(logged.band),
            "side": str(logged.side),
            "rpe": logged.rpe,
            "pain": logged.pain,
        }
        for position, logged in enumerate(entry.sets)
    ]


def field_test_values(test: FieldTest) -> dict[str, Any]:
    """The ``field_tests`` columns of one result, without keys and timestamps."""
    return {
        "date": test.date,
        "kind": str(test.kind),
        "left": test.left,
        "right": test.right,
        "notes": test.notes,
    }


# -- reading --------------------------------------------------------------------


def load_sessions(
    connection: Connection, where: Sequence[ColumnElement[bool]]
) -> list[tuple[int, LoggedSession]]:
    """Sessions matching ``where`` (conditions on ``log_sessions``), by date then id, each
    with its row id and its sets in order. Two queries, whatever the number of sessions."""
    heads = connection.execute(
        select(*_SESSION_COLUMNS)
        .where(*where)
        .order_by(LogSession.date, LogSession.client_id)
    ).all()
    return sessions_of(connection, heads, where)


SESSION_COLUMNS = _SESSION_COLUMNS
"""The columns ``sessions_of`` takes rows of, in order (the row id first)."""


def sessions_of(connection: Connection, heads: Sequence[Sequence[Any]],
                where: Sequence[ColumnElement[bool]]) -> list[tuple[int, LoggedSession]]:
    """``load_sessions`` from its first query's rows (``SESSION_COLUMNS``, in order): the
    sets of the sessions ``where`` matches are read in one more query."""
    if not heads:
        return []
    sets_of: dict[int, list[dict[str, Any]]] = {}
    set_query = (
        select(*_SET_COLUMNS)
        .join(LogSession, LogSet.session_id == LogSession.id)
        .where(*where)
        .order_by(LogSet.session_id, LogSet.position)
    )
    for session_id, exercise, reps, hold_s, load_kg, band, side, rpe, pain in connection.execute(
        set_query
    ).all():
        found = sets_of.get(session_id)
        if found is None:
            found = sets_of[session_id] = []
        found.append({"exercise": exercise, "reps": reps, "hold_s": hold_s, "load_kg": load_kg,
                      "band": band, "side": side, "rpe": rpe, "pain": pain})
    documents = [
        {**dict(zip(_SESSION_KEYS, values, strict=True)), "sets": sets_of.get(row_id, [])}
        for row_id, *values in heads
    ]
    try:
        sessions = _SESSIONS.validate_python(documents)
    except ValidationError as exc:
        raise StoreError(f"the stored training log is invalid: {_first(exc)}") from exc
    return [(head[0], session) for head, session in zip(heads, sessions, strict=True)]


def load_field_tests(db: Session | Connection, where: Sequence[ColumnElement[bool]]
                     ) -> list[FieldTest]:
    """Field tests matching ``where``, by date then id."""
    rows = (db if isinstance(db, Connection) else db.connection()).execute(
        select(*FIELD_TEST_COLUMNS)
        .where(*where)
        .order_by(FieldTestRow.date, FieldTestRow.client_id)
    )
    return field_tests_of(rows)


def field_tests_of(rows: Iterable[Sequence[Any]]) -> list[FieldTest]:
    """Field tests from rows of ``FIELD_TEST_COLUMNS``, validated in one call."""
    documents = [dict(zip(FIELD_TEST_KEYS, row, strict=True)) for row in rows]
    try:
        return _FIELD_TESTS.validate_python(documents)
    except ValidationError as exc:
        raise StoreError(f"the stored field tests are invalid: {_first(exc)}") from exc


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"


def chunks(values: Iterable[_T], size: int = 500) -> list[list[_T]]:
    """``values`` in lists of at most ``size``, to keep ``IN (...)`` lists bounded."""
    items = list(values)
    return [items[start : start + size] for start in range(0, len(items), size)]
