"""``hamstride init``: answers from flags or prompts, validated by the profile model.

Every answer is kept as the text the runner typed; ``document`` turns the answers into a
profile dict and ``profile_from_data`` judges it, so the messages are the ones a profile
file gets. Only the shapes that have no profile field of their own (``DAY=RUN`` and
``DATE:NAME:PRIORITY``) are parsed here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from hamstride.cli.edge import write_text
from hamstride.cli.options import NONE_WORD, ProfileFormat, split_list
from hamstride.errors import InputError
from hamstride.training.profile import Profile, profile_from_data
from hamstride.vocabulary import Day, Equipment, Goal, Level, Priority, RunType, Side

Answer = str | list[str]
Answers = dict[str, Answer]
SOURCE = "profile"


@dataclass(frozen=True)
class Question:
    key: str
    flag: str
    field: str
    label: str
    hint: str
    required: bool = False


def _choices(values: Any) -> str:
    return ", ".join(v.value for v in values)


def _minutes_range() -> str:
    metadata = Profile.model_fields["session_minutes"].metadata
    low = next((m.ge for m in metadata if hasattr(m, "ge")), "?")
    high = next((m.le for m in metadata if hasattr(m, "le")), "?")
    return f"{low} to {high}"


QUESTIONS = (
    Question("name", "--name", "name", "Your name", "shown on the plan", required=True),
    Question("level", "--level", "level", "Strength-training level", _choices(Level),
             required=True),
    Question("goal", "--goal", "goal", "Goal", _choices(Goal), required=True),
    Question("minutes", "--minutes", "session_minutes", "Minutes per strength session",
             _minutes_range(), required=True),
    Question("equipment", "--equipment", "equipment", "Equipment you own (comma-separated)",
             f"{_choices(Equipment)}; blank for none"),
    Question("strength_days", "--strength-days", "strength_days",
             "Days you can do strength work (comma-separated)", f"{_choices(Day)}; blank for any"),
    Question("weekly_km", "--weekly-km", "running.weekly_km", "Running kilometres per week",
             "a number; blank for 0"),
    Question("week", "--week", "running.week", "Your usual running week (DAY=RUN, ...)",
             f"e.g. tue=intervals,sat=long; RUN is {_choices(RunType)}; other days rest"),
    Question("races", "--race", "running.races", "A race (DATE:NAME:PRIORITY)",
             f"e.g. 2027-03-14:City Marathon:A; priority {_choices(Priority)}; blank when done"),
    Question("strain_date", "--strain-date", "injury.hamstring_strain.date",
             "Date of a hamstring strain (YYYY-MM-DD)", "blank if none"),
    Question("strain_side", "--strain-side", "injury.hamstring_strain.side",
             "Side of the strain", _choices(Side)),
)
BY_KEY = {q.key: q for q in QUESTIONS}
# Stand-ins for unanswered required questions while one answer is checked on its own.
PLACEHOLDERS: Answers = {"name": "x", "level": Level.NOVICE.value,
                         "goal": Goal.PREVENT_INJURY.value, "minutes": "30"}


def document(answers: Mapping[str, Answer]) -> dict[str, Any]:
    """The profile dict the answers describe; a malformed DAY=RUN or race is an InputError."""
    doc: dict[str, Any] = {"name": answers.get("name"), "level": answers.get("level"),
                           "goal": answers.get("goal"), "session_minutes": answers.get("minutes")}
    if "equipment" in answers:
        doc["equipment"] = [w for w in split_list(answers["equipment"]) if w != NONE_WORD]
    if split_list(answers.get("strength_days")):
        doc["strength_days"] = split_list(answers["strength_days"])
    running = _running(answers)
    if running:
        doc["running"] = running
    if answers.get("strain_date") or answers.get("strain_side"):
        strain = {"date": answers.get("strain_date"), "side": answers.get("strain_side")}
        doc["injury"] = {"hamstring_strain": {k: v for k, v in strain.items() if v}}
    return {k: v for k, v in doc.items() if v is not None}


def _running(answers: Mapping[str, Answer]) -> dict[str, Any]:
    running: dict[str, Any] = {}
    if _text(answers.get("weekly_km")):
        running["weekly_km"] = _text(answers["weekly_km"])
    if split_list(answers.get("week")):
        running["week"] = dict(_day_run(entry) for entry in split_list(answers["week"]))
    races = answers.get("races")
    if races:
        running["races"] = [_race(r) for r in ([races] if isinstance(races, str) else races)]
    return running


def _text(answer: Answer | None) -> str:
    return answer.strip() if isinstance(answer, str) else ""


def _day_run(entry: str) -> tuple[str, str]:
    day, sep, run = entry.partition("=")
    if not sep:
        raise InputError(f"'{entry}' is not DAY=RUN (e.g. tue=intervals).",
                         field="running.week")
    return day.strip(), run.strip()


def _race(entry: str) -> dict[str, str]:
    when, sep1, rest = entry.strip().partition(":")
    name, sep2, priority = rest.rpartition(":")
    if not (sep1 and sep2):
        raise InputError(f"'{entry}' is not DATE:NAME:PRIORITY "
                         "(e.g. 2027-03-14:City Marathon:A).", field="running.races")
    return {"date": when.strip(), "name": name.strip(), "priority": priority.strip().upper()}


def validate(answers: Mapping[str, Answer], *, source: str = SOURCE) -> Profile:
    """The profile, or an InputError naming the field (and the flag that sets it)."""
    try:
        return profile_from_data(document(answers), source=source)
    except InputError as exc:
        question = question_for(exc.field)
        if question is None:
            raise
        raise InputError(f"{exc.message} Set it with {question.flag}.", field=exc.field) from exc


def question_for(field: str | None) -> Question | None:
    for question in QUESTIONS:
        if field is not None and (field == question.field
                                  or field.startswith((question.field + ".",
                                                       question.field + "["))):
            return question
    return None


def problem_with(answers: Mapping[str, Answer], key: str) -> str | None:
    """What is wrong with the answer to ``key`` on its own, or None if nothing is."""
    try:
        profile_from_data(document({**PLACEHOLDERS, **answers}), source=SOURCE)
    except InputError as exc:
        if question_for(exc.field) is BY_KEY[key]:
            return exc.message.removeprefix(f"{SOURCE}: ")
    return None


def missing_required(answers: Mapping[str, Answer]) -> list[str]:
    """Flags that must be given when hamstride cannot ask."""
    missing = [q.flag for q in QUESTIONS if q.required and not _given(answers.get(q.key))]
    if answers.get("goal") == Goal.RETURN_FROM_STRAIN.value:
        missing += [BY_KEY[k].flag for k in ("strain_date", "strain_side")
                    if not _given(answers.get(k))]
    return missing


def _given(answer: Answer | None) -> bool:
    return bool(answer) and (not isinstance(answer, str) or bool(answer.strip()))


Prompt = Callable[[str, str], str]


def default_prompt(text: str, default: str) -> str:
    answer: str = typer.prompt(text, default=default, show_default=bool(default))
    return answer


def ask(answers: Answers, prompt: Prompt = default_prompt) -> Answers:
    """Ask every question that was not answered with a flag; re-ask bad answers."""
    answers = dict(answers)
    for question in QUESTIONS:
        if question.key in answers or not _applies(question, answers):
            continue
        if question.key == "races":
            answers["races"] = _ask_races(answers, prompt)
        else:
            answers[question.key] = _ask_one(question, answers, prompt)
    return answers


def _applies(question: Question, answers: Answers) -> bool:
    if question.key == "strain_side":
        return bool(_text(answers.get("strain_date")))
    return True


def _ask_one(question: Question, answers: Answers, prompt: Prompt) -> str:
    hint = question.hint
    if _needed(question, answers) and not question.required:
        hint = (f"needed for the goal {Goal.RETURN_FROM_STRAIN.value}"
                if answers.get("goal") == Goal.RETURN_FROM_STRAIN.value
                else "needed because --strain-side was given")
    text = f"{question.label} [{hint}]"
    while True:
        answer = prompt(text, "").strip()
        if not answer and _needed(question, answers):
            typer.echo(f"  {question.label} is needed.", err=True)
            continue
        problem = _problem({**answers, question.key: answer}, question.key)
        if problem is None:
            return answer
        typer.echo(f"  {problem} Please try again.", err=True)


def _needed(question: Question, answers: Answers) -> bool:
    """Required, or part of a strain the profile must have (mirrors the profile's own
    check, so that hamstride asks instead of failing after the last question)."""
    strain_needed = (answers.get("goal") == Goal.RETURN_FROM_STRAIN.value
                     or _given(answers.get("strain_side")))
    return question.required or (strain_needed and question.key.startswith("strain_"))


def _ask_races(answers: Answers, prompt: Prompt) -> list[str]:
    question = BY_KEY["races"]
    races: list[str] = []
    while True:
        answer = prompt(f"{question.label} [{question.hint}]", "").strip()
        if not answer:
            return races
        problem = _problem({**answers, "races": [*races, answer]}, "races")
        if problem is None:
            races.append(answer)
        else:
            typer.echo(f"  {problem} Please try again.", err=True)


def _problem(answers: Answers, key: str) -> str | None:
    try:
        return problem_with(answers, key)
    except InputError as exc:  # a malformed DAY=RUN or race
        return exc.message


def stdin_is_interactive() -> bool:
    return sys.stdin.isatty()


def collect(flags: Answers, *, no_input: bool) -> Profile:
    """The profile from the flags, asking for the rest when a person is there to answer."""
    for key in flags:
        problem = _problem(flags, key)
        if problem is not None:
            raise InputError(f"{BY_KEY[key].flag}: {problem}", field=BY_KEY[key].field)
    if no_input or not stdin_is_interactive():
        missing = missing_required(flags)
        if missing:
            raise InputError(f"missing {', '.join(missing)}: hamstride cannot ask for them "
                             "because input is not a terminal or --no-input was given.")
        return validate(flags)
    return validate(ask(flags))


def render(profile: Profile, fmt: ProfileFormat) -> str:
    document = profile.to_document()
    if fmt is ProfileFormat.JSON:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    import tomli_w  # the well-kept writer; tomllib reads only

    header = "# An athlete profile for hamstride (written by `hamstride init`).\n"
    return header + tomli_w.dumps(_without_none(document))


def _without_none(value: Any) -> Any:
    """TOML has no null: leave unset fields out (and tables left empty by that)."""
    if isinstance(value, dict):
        kept = {k: _without_none(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in kept.items() if v != {}}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def choose_format(path: Path | None, fmt: ProfileFormat | None) -> tuple[Path, ProfileFormat]:
    """Where to write and how; a TOML profile must end in .toml to load back as TOML."""
    if path is None:
        fmt = fmt or ProfileFormat.TOML
        return Path(f"profile.{fmt.value}"), fmt
    suffix_fmt = ProfileFormat.TOML if path.suffix.lower() == ".toml" else ProfileFormat.JSON
    if fmt is not None and fmt is not suffix_fmt:
        raise InputError(f"{path}: a {fmt.value.upper()} profile needs a file name ending in "
                         f".{fmt.value} (files are read as TOML only when they end in .toml).")
    return path, suffix_fmt


def write(path: Path, profile: Profile, fmt: ProfileFormat, *, force: bool) -> None:
    write_text(path, render(profile, fmt), what="profile", force=force)
