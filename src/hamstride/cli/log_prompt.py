"""``hamstride log`` in a terminal: the questions, each answer checked by the log model
as it is given and asked again when it is wrong (earlier answers are kept)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import typer

from hamstride.catalogue import Exercise
from hamstride.cli.catalogue_render import suggestions
from hamstride.cli.log_input import SOURCE, parse_amount, parse_load
from hamstride.training.log import LogError, session_from_data
from hamstride.training.weeks import day_label

Prompt = Callable[[str, str], str]
Confirm = Callable[[str], bool]
Parse = Callable[[str], dict[str, Any]]
SESSION_QUESTIONS = (
    ("session_rpe", "Session RPE: how hard was the whole session, 0-10 (blank to skip)"),
    ("pain", "Pain during the session, 0-10 (blank to skip)"),
    ("duration_min", "Duration in minutes"),
    ("notes", "Notes (blank for none)"),
)


def stdin_is_interactive() -> bool:
    return sys.stdin.isatty()


def default_prompt(text: str, default: str) -> str:
    answer: str = typer.prompt(text, default=default, show_default=bool(default))
    return answer


def default_confirm(text: str) -> bool:
    answer: bool = typer.confirm(text, default=True)
    return answer


def _retry(problem: str) -> None:
    typer.echo(f"  {problem.rstrip('.')}. Please try again.", err=True)


def _problem(exc: LogError) -> str:
    return exc.message.removeprefix(f"{SOURCE}: ").removeprefix(f"{exc.field}: ")


def ask_date(today: date, prompt: Prompt = default_prompt, *, latest: date | None = None
             ) -> date:
    """A session date, ``today`` by default, no later than ``latest`` (default ``today``)."""
    latest = latest or today
    while True:
        answer = prompt("Date of the session (YYYY-MM-DD)", today.isoformat()).strip()
        try:
            day = date.fromisoformat(answer)
        except ValueError:
            _retry(f"'{answer}' is not a date YYYY-MM-DD")
            continue
        if day <= latest:
            return day
        _retry(f"{day} is in the future")


def ask_as_planned(day: date, today: date, bouts: int, confirm: Confirm = default_confirm
                   ) -> bool:
    which = "today's" if day == today else f"the {day_label(day)}"
    noun = "sessions (both bouts)" if bouts > 1 else "session"
    return confirm(f"Did you do {which} {noun} as planned?")


def ask_session(day: date, estimate: float | None, prompt: Prompt = default_prompt
                ) -> dict[str, Any]:
    """Session RPE, pain, minutes and notes, typed; unanswered ones are left out."""
    answers: dict[str, Any] = {}
    for key, label in SESSION_QUESTIONS:
        default = f"{estimate:.0f}" if key == "duration_min" and estimate else ""
        while True:
            answer = prompt(label, default).strip()
            if not answer:
                break
            try:
                entry = session_from_data({"date": day.isoformat(), key: answer}, source=SOURCE)
            except LogError as exc:
                _retry(_problem(exc))
                continue
            answers[key] = getattr(entry, key)
            break
    return answers


def ask_sets(day: date, planned: Sequence[str], known: Mapping[str, Exercise],
             prompt: Prompt = default_prompt) -> list[dict[str, Any]]:
    """Sets one by one until a blank exercise; ``8x3`` gives three sets at once."""
    if planned:
        typer.echo(f"Planned that day: {', '.join(dict.fromkeys(planned))}.")
    sets: list[dict[str, Any]] = []
    while True:
        exercise = _ask_exercise(len(sets) + 1, known, prompt)
        if exercise is None:
            return sets
        logged, times = _ask_amount(day, exercise, prompt)
        for key, label, parse in _SET_QUESTIONS:
            logged = _ask_set_field(day, logged, key, label, parse, prompt)
        sets += [dict(logged) for _ in range(times)]


def _ask_exercise(n: int, known: Mapping[str, Exercise], prompt: Prompt) -> str | None:
    while True:
        answer = prompt(f"Set {n}: exercise id, e.g. squat (blank when done)", "").strip()
        if not answer or answer in known:
            return answer or None
        close = suggestions(answer, known)
        hint_text = f" Did you mean {', '.join(close)}?" if close else ""
        _retry(f"unknown exercise '{answer}'.{hint_text} `hamstride exercises` lists them")


def _ask_amount(day: date, exercise: str, prompt: Prompt) -> tuple[dict[str, Any], int]:
    while True:
        answer = prompt("  Reps, or seconds held (e.g. 8, 30s; 8x3 for three such sets)", "")
        try:
            measure, times = parse_amount(answer)
            logged = _valid_set(day, {"exercise": exercise, **measure})
        except LogError as exc:
            _retry(_problem(exc))
            continue
        return logged, times


def _ask_set_field(day: date, logged: dict[str, Any], key: str, label: str, parse: Parse,
                   prompt: Prompt) -> dict[str, Any]:
    while True:
        answer = prompt(f"  {label}", "both" if key == "side" else "").strip()
        if not answer:
            return logged
        try:
            return _valid_set(day, {**logged, **parse(answer)})
        except LogError as exc:
            _retry(_problem(exc).removeprefix("sets[0]."))


def _valid_set(day: date, logged: dict[str, Any]) -> dict[str, Any]:
    """The set with typed values, or a LogError about it."""
    entry = session_from_data({"date": day.isoformat(), "sets": [logged]}, source=SOURCE)
    return entry.sets[0].model_dump(mode="json", exclude_defaults=True)


_SET_QUESTIONS: tuple[tuple[str, str, Parse], ...] = (
    ("load", "Load: kg or a band colour (blank for none)", parse_load),
    ("side", "Side (left, right or both)", lambda text: {"side": text.lower()}),
    ("rpe", "RPE of the set, 0-10 (blank to skip)", lambda text: {"rpe": text}),
    ("pain", "Pain during the set, 0-10 (blank to skip)", lambda text: {"pain": text}),
)
