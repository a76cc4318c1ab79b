"""A plan as Rich tables (for the terminal) or as a Markdown document (for printing)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from hamstride.catalogue import Exercise
from hamstride.training.dose_text import compact, duration
from hamstride.training.plan import Item, Plan, Session, Week
from hamstride.training.weeks import Weeks, day_label, span_label
from hamstride.vocabulary import Day

HEADERS = ("Exercise", "Sets", "Per side", "Tempo", "Rest", "Superset", "Notes")


# -- cells shared by both formats ---------------------------------------------------------

def row(item: Item, names: Mapping[str, Exercise]) -> tuple[str, ...]:
    exercise = names[item.exercise].name if item.exercise in names else item.exercise
    return (exercise, compact(item), "yes" if item.per_side else "", item.tempo or "",
            duration(item.rest_s) if item.rest_s else "", item.superset or "", item.notes)


def week_heading(plan: Plan, week: Week) -> str:
    first, last = Weeks.of_plan(plan.start).dates(plan.start + timedelta(weeks=week.week - 1))
    return f"Week {week.week} · {week.phase} · {span_label(first, last, year=True)}"


def session_title(session: Session) -> str:
    """The title without the weekday prefix the date already shows."""
    weekday = Day.of(session.date.weekday()).value.title()
    return session.title.removeprefix(f"{weekday}: ")


def session_heading(session: Session) -> str:
    return (f"{day_label(session.date, year=True)} · {session_title(session)} · "
            f"about {session.estimated_minutes:.0f} min")


def _title(plan: Plan) -> str:
    who = f" for {plan.athlete}" if plan.athlete else ""
    return f"Strength plan{who}"


def _subtitle(plan: Plan) -> str:
    sessions = sum(len(week.sessions) for week in plan.weeks)
    return (f"{count(len(plan.weeks), 'week')} from {day_label(plan.start, year=True)}, "
            f"{count(sessions, 'session')}")


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# -- Rich ---------------------------------------------------------------------------------

def print_table(plan: Plan, names: Mapping[str, Exercise], console: Console) -> None:
    console.print(Text(_title(plan), style="bold"))
    console.print(_subtitle(plan))
    for note in plan.notes:
        console.print(Padding(Text(note, style="italic"), (0, 0, 0, 2), expand=False))
    for week in plan.weeks:
        console.print()
        console.print(Rule(Text(week_heading(plan, week), style="bold cyan"), align="left"))
        if not week.sessions:
            console.print(Text("No strength sessions this week.", style="dim"))
        for session in week.sessions:
            console.print(_session(session, names))


def session_block(session: Session, body: RenderableType,
                  pad: tuple[int, int, int, int] = (0, 0, 1, 2)) -> RenderableType:
    """A session's heading (date, title, minutes) and notes above ``body``."""
    heading = Text.assemble((day_label(session.date, year=True), "bold"), " · ",
                            (session_title(session), "bold"),
                            (f" · about {session.estimated_minutes:.0f} min", "dim"))
    parts: list[RenderableType] = [heading]
    if session.notes:
        parts.append(Padding(Text(session.notes, style="italic"), (0, 0, 0, 2), expand=False))
    parts.append(Padding(body, pad, expand=False))
    return Group(*parts)


def _session(session: Session, names: Mapping[str, Exercise]) -> RenderableType:
    return session_block(session, _items_table(session, names))


def _items_table(session: Session, names: Mapping[str, Exercise]) -> Table:
    """Notes go under the exercise name, where a narrow terminal still has room for them;
    the tempo and superset columns appear only when the session uses them."""
    shown = [h for h in HEADERS if h != "Notes" and _used(h, session)]
    table = Table(show_edge=False, pad_edge=False, header_style="bold", expand=False)
    for header in shown:
        wide = header == "Exercise"
        table.add_column(header, no_wrap=not wide, min_width=20 if wide else None,
                         max_width=64 if wide else None)
    for item in session.items:
        cells = dict(zip(HEADERS, row(item, names), strict=True))
        name: RenderableType = Text(cells["Exercise"])
        if cells["Notes"]:
            notes = Padding(Text(cells["Notes"], style="dim italic"), (0, 0, 0, 2), expand=False)
            name = Group(name, notes)
        table.add_row(name, *(cells[h] for h in shown[1:]))
    return table


def _used(header: str, session: Session) -> bool:
    if header == "Tempo":
        return any(item.tempo for item in session.items)
    if header == "Superset":
        return any(item.superset for item in session.items)
    return True


# -- Markdown -----------------------------------------------------------------------------

def markdown(plan: Plan, names: Mapping[str, Exercise]) -> str:
    return "\n".join(_markdown_lines(plan, names)).rstrip("\n") + "\n"


def _markdown_lines(plan: Plan, names: Mapping[str, Exercise]) -> Iterator[str]:
    yield f"# {_md(_title(plan))}"
    yield ""
    yield _md(_subtitle(plan))
    yield ""
    for note in plan.notes:
        yield f"> {_md(note)}"
        yield ""
    for week in plan.weeks:
        yield f"## {_md(week_heading(plan, week))}"
        yield ""
        if not week.sessions:
            yield "No strength sessions this week."
            yield ""
        for session in week.sessions:
            yield from _markdown_session(session, names)


def _markdown_session(session: Session, names: Mapping[str, Exercise]) -> Iterator[str]:
    yield f"### {_md(session_heading(session))}"
    yield ""
    if session.notes:
        yield f"*{_md(session.notes)}*"
        yield ""
    shown = [h for h in HEADERS if _used(h, session)]
    yield "| " + " | ".join(shown) + " |"
    yield "|" + "|".join("---" for _ in shown) + "|"
    for item in session.items:
        cells = dict(zip(HEADERS, row(item, names), strict=True))
        yield "| " + " | ".join(_cell(cells[h]) for h in shown) + " |"
    yield ""


def _md(text: str) -> str:
    """Text that Markdown shows as written (no accidental emphasis or HTML)."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _md(text) or " "
