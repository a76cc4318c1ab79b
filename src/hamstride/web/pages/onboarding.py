"""Onboarding: the profile form. The same validation as the CLI (profile_from_data); an
error re-renders the form with the answers kept and the message next to its field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from hamstride import coach
from hamstride.errors import HamstrideError, PlanError, Problem, ProfileError
from hamstride.store import Store
from hamstride.training.planner import DEFAULT_WEEKS
from hamstride.training.profile import profile_from_data
from hamstride.vocabulary import Day, Equipment, Goal, Level, Priority, RaceDistance, RunType, Side
from hamstride.web.deps import StoreDep, TodayDep
from hamstride.web.pages.common import PageRoute, current_profile, render

router = APIRouter(route_class=PageRoute)

RACES = 3
RACE_PARTS = ("date", "name", "priority", "distance")
SOURCE = "your answers"
MAX_FORM_FIELDS = 200

DAY_NAMES = {Day.MON: "Monday", Day.TUE: "Tuesday", Day.WED: "Wednesday", Day.THU: "Thursday",
             Day.FRI: "Friday", Day.SAT: "Saturday", Day.SUN: "Sunday"}
LEVELS = {Level.NOVICE: "Novice: new to strength work",
          Level.INTERMEDIATE: "Intermediate: a few months of regular lifting",
          Level.ADVANCED: "Advanced: years of it, Nordics included"}
GOALS = {Goal.PREVENT_INJURY: "Stay injury-free", Goal.PERFORMANCE: "Run faster",
         Goal.RETURN_FROM_STRAIN: "Come back from a hamstring strain"}
RUNS = {RunType.REST: "Rest", RunType.EASY: "Easy", RunType.INTERVALS: "Intervals",
        RunType.TEMPO: "Tempo", RunType.HILLS: "Hills", RunType.LONG: "Long run",
        RunType.RACE: "Race"}




def _field_labels() -> dict[str, str]:
    """What the runner reads as each input's name, for the list of fixes at the top."""
    labels = {"name": "Name", "level": "Strength training experience", "goal": "Goal",
              "session_minutes": "Minutes per strength session", "equipment": "Equipment",
              "strength_days": "Strength days", "running.weekly_km": "Kilometres per week",
              "races": "Races", "strain.date": "Date of the strain", "strain.side": "Side"}
    for day, text in DAY_NAMES.items():
        labels[f"running.week.{day.value}"] = f"Running on {text}"
    for n in range(RACES):
        for part in RACE_PARTS:
            labels[f"race{n}.{part}"] = f"Race {n + 1}, {part}"
    return labels


FIELD_LABELS = _field_labels()


def label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _blank_answers() -> dict[str, Any]:
    answers: dict[str, Any] = {"name": "", "level": "", "goal": "", "session_minutes": "30",
                               "equipment": [], "strength_days": [],
                               "running.weekly_km": "", "strain.date": "", "strain.side": ""}
    for day in Day:
        answers[f"running.week.{day.value}"] = RunType.REST.value
    for n in range(RACES):
        for part in RACE_PARTS:
            answers[f"race{n}.{part}"] = ""
    return answers


def answers_from_profile(document: dict[str, Any]) -> dict[str, Any]:
    """The form's answers for a stored profile (to edit it)."""
    answers = _blank_answers()
    running = document.get("running", {})
    answers.update(name=document.get("name", ""), level=document.get("level", ""),
                   goal=document.get("goal", ""),
                   session_minutes=str(document.get("session_minutes", "")),
                   equipment=list(document.get("equipment", [])),
                   strength_days=list(document.get("strength_days", [])))
    answers["running.weekly_km"] = _number(running.get("weekly_km", ""))
    for day, run in running.get("week", {}).items():
        answers[f"running.week.{day}"] = run
    for n, race in enumerate(running.get("races", [])[:RACES]):
        for part in RACE_PARTS:
            answers[f"race{n}.{part}"] = str(race.get(part, ""))
    strain = (document.get("injury") or {}).get("hamstring_strain")
    if strain:
        answers["strain.date"], answers["strain.side"] = strain["date"], strain["side"]
    return answers


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answers_from_form(form: FormData) -> dict[str, Any]:
    answers = _blank_answers()
    for key in answers:
        if isinstance(answers[key], list):
            answers[key] = [str(v) for v in form.getlist(key)]
        else:
            value = form.get(key)
            answers[key] = value.strip() if isinstance(value, str) else answers[key]
    return answers


def profile_data(answers: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """The profile document the answers describe, and which race rows became
    ``running.races[0..]`` (blank rows are left out)."""
    data: dict[str, Any] = {"equipment": answers["equipment"],
                            "strength_days": answers["strength_days"]}
    for key in ("name", "level", "goal", "session_minutes"):
        if answers[key] != "":
            data[key] = answers[key]
    running: dict[str, Any] = {
        "week": {day.value: answers[f"running.week.{day.value}"] for day in Day}}
    if answers["running.weekly_km"] != "":
        running["weekly_km"] = answers["running.weekly_km"]
    rows: list[int] = []
    races = []
    for n in range(RACES):
        race = {part: answers[f"race{n}.{part}"] for part in RACE_PARTS}
        if any(race.values()):
            races.append({k: v for k, v in race.items() if v != ""})
            rows.append(n)
    running["races"] = races
    data["running"] = running
    strain = {k: answers[f"strain.{k}"] for k in ("date", "side") if answers[f"strain.{k}"]}
    if strain:
        data["injury"] = {"hamstring_strain": strain}
    return data, rows


_RACE_FIELD = re.compile(r"^running\.races\[(\d+)\](?:\.(\w+))?")


def form_field(field: str | None, race_rows: list[int]) -> str:
    """The form input (or group) an error's profile field belongs to; "" for the top."""
    if not field:
        return ""
    race = _RACE_FIELD.match(field)
    if race:
        index = int(race.group(1))
        row = race_rows[index] if index < len(race_rows) else index
        return f"race{row}.{race.group(2) or 'date'}"
    if field.startswith("running.races"):
        return "races"
    if field == "running.week":  # kilometres with no running day: said at the kilometres
        return "running.weekly_km"
    if field.startswith("injury"):
        part = field.rsplit(".", 1)[-1]
        return f"strain.{part if part in ('date', 'side') else 'date'}"
    base = re.sub(r"\[\d+\]$", "", field)
    return base if base in _blank_answers() else ""


def _short(message: str, field: str | None) -> str:
    """A message without its "source: field: " prefix (it is shown at the field)."""
    for prefix in (f"{SOURCE}: {field}: ", f"{field}: ", f"{SOURCE}: "):
        if message.startswith(prefix):
            return message.removeprefix(prefix)
    return message


def form_errors(exc: HamstrideError, race_rows: list[int]) -> dict[str, str]:
    """Every problem's plain words by the form input it belongs to ("" for the top of
    the form); two problems at one input are said together."""
    found = exc.problems or (Problem(exc.field or "", exc.message,
                                     _short(exc.message, exc.field)),)
    said: dict[str, list[str]] = {}
    for problem in found:
        words = said.setdefault(form_field(problem.field, race_rows), [])
        if problem.plain not in words:
            words.append(problem.plain)
    return {key: " ".join(w if w.endswith(".") else w + "." for w in words)
            for key, words in said.items()}


def _form(request: Request, answers: dict[str, Any], *,
          errors: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    return render(request, "start.html", {
        "title": "Your profile", "active": "start", "a": answers, "errors": errors or {},
        "labels": FIELD_LABELS, "levels": LEVELS, "goals": GOALS, "runs": RUNS,
        "days": DAY_NAMES, "equipment": [(e.value, label(e.value)) for e in Equipment],
        "priorities": [p.value for p in Priority],
        "distances": [d.value for d in RaceDistance], "sides": [s.value for s in Side],
        "races": range(RACES), "weeks": DEFAULT_WEEKS}, status_code=status_code)


@router.get("/start", response_class=HTMLResponse)
def start_form(request: Request, store: StoreDep) -> HTMLResponse:
    name = current_profile(store)
    stored = store.get_profile(name=name) if name else None
    answers = answers_from_profile(stored.document) if stored else _blank_answers()
    return _form(request, answers)


@router.post("/start", response_model=None)
async def start_submit(request: Request, store: StoreDep, today: TodayDep) -> Response:
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    return await run_in_threadpool(_submit, request, answers_from_form(form), store, today)


def _submit(request: Request, answers: dict[str, Any], store: Store, today: date) -> Response:
    data, race_rows = profile_data(answers)
    try:
        profile = profile_from_data(data, source=SOURCE, plan_start=today)
        coach.make_plan(store, profile, start=today, weeks=DEFAULT_WEEKS, today=today)
    except (ProfileError, PlanError) as exc:
        return _form(request, answers, errors=form_errors(exc, race_rows), status_code=422)
    return RedirectResponse("/plan?new=1", status_code=303)
