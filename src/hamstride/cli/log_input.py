"""Log entries as the runner hands them over: ``--set`` specs, a JSON or CSV file.

Everything here only reshapes text into the session dicts of docs/log.schema.json;
``session_from_data`` and ``coach.validate_entries`` judge them, and ``to_session``
says which flag, entry, row or set a problem is in. The CSV format itself is
``activities.log_csv`` (its reader and its writer). See docs/log.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from hamstride import coach
from hamstride.activities import log_csv
from hamstride.activities.log_csv import RawEntry as RawEntry  # the entries this module reads
from hamstride.activities.log_csv import value_of
from hamstride.catalogue import load_catalogue
from hamstride.cli.catalogue_render import suggestions
from hamstride.cli.edge import MAX_READ_BYTES
from hamstride.files import read_text
from hamstride.training.log import MAX_SETS, Band, LogError, LoggedSession, session_from_data

SOURCE = "log entry"
SPEC_HELP = ("EXERCISE:REPS or EXERCISE:SECONDSs, e.g. squat:8 or isometric_bridge_hold:30s, "
             "then ,load=KG|BAND ,side=left|right|both ,rpe=X ,pain=N; squat:8x3 is 3 sets")
AMOUNT = re.compile(r"^(?P<n>\d+)\s*(?P<s>s?)\s*(?:[x×]\s*(?P<times>\d+))?$", re.IGNORECASE)
KG = re.compile(r"^(?P<kg>[-+]?\d+(?:\.\d+)?)\s*(?:kg)?$", re.IGNORECASE)
SET_OPTIONS = {"load", "side", "rpe", "pain"}
SET_FIELD = re.compile(r"^sets\[(?P<n>\d+)\](?:\.(?P<rest>.+))?$")
FLAGS = {"id": "--id", "date": "--date", "duration_min": "--duration",
         "session_rpe": "--session-rpe", "pain": "--pain", "notes": "--notes"}


# -- one session from the command line ---------------------------------------------------

def parse_amount(text: str) -> tuple[dict[str, int], int]:
    """``8`` -> reps, ``30s`` -> seconds held, with an optional ``xN`` repetition."""
    match = AMOUNT.match(text.strip())
    if match is None:
        raise LogError(f"'{text}' is not reps or seconds (e.g. 8, 30s, 8x3).", field="reps")
    key = "hold_s" if match["s"] else "reps"
    return {key: int(match["n"])}, int(match["times"] or 1)


def parse_load(text: str) -> dict[str, Any]:
    """Kilograms (``20``, ``20kg``) or a band colour (``green``)."""
    value = text.strip().lower()
    if value in {b.value for b in Band}:
        return {"band": value}
    match = KG.match(value)
    if match is None:
        colours = ", ".join(b.value for b in Band)
        raise LogError(f"load is kilograms or a band colour ({colours}), not '{text}'.",
                       field="load")
    return {"load_kg": float(match["kg"])}


def parse_set(spec: str) -> list[dict[str, Any]]:
    """The sets one ``--set`` spec stands for."""
    head, *options = [part.strip() for part in spec.split(",")]
    exercise, sep, amount = head.partition(":")
    if not sep or not exercise.strip():
        raise _spec_error(spec, f"expected {SPEC_HELP}")
    try:
        measure, times = parse_amount(amount)
        logged: dict[str, Any] = {"exercise": exercise.strip(), **measure}
        for option in filter(None, options):
            logged.update(_set_option(option))
    except LogError as exc:
        raise _spec_error(spec, exc.message) from exc
    if not 1 <= times <= MAX_SETS:
        raise _spec_error(spec, f"x{times}: 1 to {MAX_SETS} sets")
    return [dict(logged) for _ in range(times)]


def _set_option(option: str) -> dict[str, Any]:
    key, sep, value = (part.strip() for part in option.partition("="))
    key = key.lower()
    if not sep or key not in SET_OPTIONS:
        raise LogError(f"'{option}' is not one of load=KG|BAND, side=left|right|both, rpe=X, "
                       "pain=N.", field="set")
    if key == "load":
        return parse_load(value)
    return {key: value.lower() if key == "side" else value_of(key, value)}


def _spec_error(spec: str, reason: str) -> LogError:
    return LogError(f"--set '{spec}': {reason.rstrip('.')}.", field="set")


def from_flags(fields: Mapping[str, Any], specs: Iterable[str]) -> RawEntry:
    """The session the flags describe (``fields``: the session fields given)."""
    sets: list[dict[str, Any]] = []
    labels: list[str] = []
    for spec in specs:
        parsed = parse_set(spec)
        sets += parsed
        labels += [f"--set '{spec}'"] * len(parsed)
    data = {k: v for k, v in fields.items() if v is not None}
    return RawEntry({**data, "sets": sets}, set_labels=tuple(labels))


# -- validation --------------------------------------------------------------------------

def to_session(raw: RawEntry, today: date) -> LoggedSession:
    """The validated session; a LogError naming the flag, entry, row and field if not."""
    if raw.problem is not None:
        raise LogError(raw.problem)
    try:
        entry = session_from_data(raw.data, source=SOURCE)
        coach.validate_entries([entry], today)
    except LogError as exc:
        raise LogError(describe(raw, exc), field=exc.field) from exc
    return entry


def describe(raw: RawEntry, exc: LogError) -> str:
    where = exc.field or "(top level)"
    body = exc.message.removeprefix(f"{SOURCE}: ").removeprefix(f"{where}: ")
    body += _did_you_mean(raw, where, body)
    match = SET_FIELD.match(where)
    if match and int(match["n"]) < len(raw.set_labels):
        set_label = raw.set_labels[int(match["n"])]
        if raw.label:
            return f"{raw.label} ({set_label}): {where}: {body}"
        return f"{set_label}: {match['rest'] or 'set'}: {body}"
    if raw.label:
        return f"{raw.label}{raw.where}: {where}: {body}"
    return f"{FLAGS.get(where, where)}: {body}"


def _did_you_mean(raw: RawEntry, where: str, body: str) -> str:
    match = SET_FIELD.match(where)
    if not (match and match["rest"] == "exercise" and "unknown exercise" in body):
        return ""
    try:
        wanted = str(raw.data["sets"][int(match["n"])]["exercise"])
    except (KeyError, IndexError, TypeError):
        return ""
    close = suggestions(wanted, dict(load_catalogue().items()))
    return f" Did you mean {', '.join(close)}?" if close else ""


# -- files -------------------------------------------------------------------------------

def read_file(path: Path) -> list[RawEntry]:
    """The entries of a JSON file (one session or a list) or a CSV file (``.csv``)."""
    text = read_text(path, what="log", limit=MAX_READ_BYTES, expected="a JSON or CSV log",
                     error=LogError).removeprefix("\ufeff")
    entries = log_csv.read(text, str(path)) if path.suffix.lower() == ".csv" \
        else _json_entries(text, path)
    if not entries:
        raise LogError(f"{path}: no sessions in the file.", field="from")
    return entries


def _json_entries(text: str, path: Path) -> list[RawEntry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LogError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                       f"{exc.msg}); a log file is JSON (one session or a list of them) or "
                       "CSV (a name ending in .csv).", field="from") from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise LogError(f"{path}: expected one session object or a list of them "
                       "(docs/log.schema.json).", field="from")
    return [RawEntry(item, label=f"entry {n}") for n, item in enumerate(data, start=1)]
