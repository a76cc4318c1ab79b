"""The training log on the terminal: today's session, what a log did to the plan, the
log itself and the field tests. JSON documents are built here too, so that each
command's two formats sit side by side."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from hamstride.catalogue import Exercise
from hamstride.cli.plan_render import count, session_block, session_title
from hamstride.coach import LogOutcome, Today
from hamstride.training import pain
from hamstride.training.analytics import (
    CAVEAT,
    NORDIC_FORCE_N,
    FieldTestBalance,
    Flag,
    field_test_balance,
)
from hamstride.training.dose_text import compact, duration
from hamstride.training.log import FieldTest, LoggedSession, TestKind
from hamstride.training.plan import Item, Plan, Session
from hamstride.training.weeks import day_label

CUES = 2
FROM_LOG = re.compile(r"From your log: (?P<why>.+?\.)(?= |$)(?P<load> Use a heavier load than "
                      r"last time\.)?")
NEW_PLAN = "make a new one with `hamstride plan PROFILE`"


def _number(value: float | None, suffix: str = "") -> str:
    return "" if value is None else f"{value:g}{suffix}"


# -- today ------------------------------------------------------------------------------

def today_document(found: Today) -> Any:
    """The session object of the plan contract; a list for two bouts; a rest-day marker."""
    if not found.sessions:
        return {"rest_day": True, "next": found.next_day.isoformat() if found.next_day else None}
    documents = [s.model_dump(mode="json") for s in found.sessions]
    return documents[0] if len(documents) == 1 else documents


def print_today(found: Today, names: Mapping[str, Exercise], console: Console) -> None:
    for session in found.sessions:
        console.print(_session(session, names))
    if found.logged:
        console.print(Text("Already logged on this day:", style="bold green"))
        for entry in found.logged:
            console.print(Padding(Text(brief(entry)), (0, 0, 0, 2), expand=False))
    if not found.sessions:
        console.print(Text(_rest_line(found), style="bold"))
    if found.returning is not None:
        console.print(Text(found.returning.advice(), style="bold yellow"))
        for criterion in found.returning.criteria:
            mark = "met" if criterion.met else "not yet"
            console.print(Padding(Text(f"{mark}: {criterion.detail}"), (0, 0, 0, 2),
                                  expand=False))


def _rest_line(found: Today) -> str:
    what = "Nothing planned" if found.logged else "Rest day"
    if found.next_day is None:
        return f"{what}. No more sessions in this plan: {NEW_PLAN}."
    return f"{what}. Next session: {day_label(found.next_day, year=True)}."


def brief(entry: LoggedSession) -> str:
    """``s-1a2b…: 12 sets, RPE 6, pain 1, 25 min``."""
    parts = [count(len(entry.sets), "set")]
    if entry.session_rpe is not None:
        parts.append(f"RPE {entry.session_rpe:g}")
    if entry.max_pain is not None:
        parts.append(f"pain {entry.max_pain}")
    if entry.morning_pain is not None:
        parts.append(f"morning pain {entry.morning_pain}")
    if entry.duration_min is not None:
        parts.append(f"{entry.duration_min:.0f} min")
    return f"{entry.id}: {', '.join(parts)}"


def _session(session: Session, names: Mapping[str, Exercise]) -> RenderableType:
    return session_block(session, _items(session, names), (1, 0, 1, 2))


def _items(session: Session, names: Mapping[str, Exercise]) -> Table:
    """One numbered entry per item; cues and the reason hang under its name."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(max_width=88)
    for n, item in enumerate(session.items, start=1):
        grid.add_row(f"{n}.", _item(item, names.get(item.exercise)))
    return grid


def _item(item: Item, exercise: Exercise | None) -> RenderableType:
    prescription = [_dose(item), *([f"tempo {item.tempo}"] if item.tempo else []),
                    *([f"rest {duration(item.rest_s)}"] if item.rest_s else [])]
    heading = Text.assemble((exercise.name if exercise else item.exercise, "bold"),
                            "  ", (" · ".join(prescription), "cyan"))
    return Group(heading, *_hanging("•", [Text(c) for c in (exercise.cues[:CUES] if exercise
                                                             else [])]),
                 *_hanging("Why:", [Text(item.notes, style="dim italic")] if item.notes else []))


def _hanging(label: str, texts: Sequence[Text]) -> list[Table]:
    """Each text after ``label``, wrapped lines indented under the text."""
    if not texts:
        return []
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim" if label.endswith(":") else "")
    grid.add_column()
    for text in texts:
        grid.add_row(label, text)
    return [grid]


def _dose(item: Item) -> str:
    return f"{compact(item)} per side" if item.per_side else compact(item)


# -- what a log did ---------------------------------------------------------------------

def outcome_lines(outcome: LogOutcome, names: Mapping[str, Exercise]) -> list[str]:
    lines = []
    if outcome.inserted:
        lines.append(f"Logged {_ids(outcome.inserted, 'new session')}.")
    if outcome.updated:
        lines.append(f"Updated {_ids(outcome.updated, 'session')}.")
    if outcome.unchanged:
        lines.append(f"Already logged, nothing changed: {_ids(outcome.unchanged, 'session')}.")
    return lines + plan_lines(outcome.replanned, outcome.note, names)


def _ids(ids: Sequence[str], noun: str) -> str:
    return f"{count(len(ids), noun)} ({', '.join(ids)})"


def plan_lines(replanned: Plan | None, note: str, names: Mapping[str, Exercise]) -> list[str]:
    """What the plan now says after the log changed, or why it was not regenerated."""
    if replanned is None:
        return [f"The plan was not regenerated: {note}"] if note else []
    upcoming = [s for _, s in replanned.sessions()]
    if not upcoming:
        return [f"Plan updated from your log: no more sessions planned; {NEW_PLAN}."]
    first = upcoming[0]
    lines = [f"Plan updated from your log: next session {day_label(first.date, year=True)} · "
             f"{session_title(first)} · about {first.estimated_minutes:.0f} min."]
    paused = [f"  {n}" for n in replanned.notes if pain.PAUSES in n]
    return lines + paused + [f"  {line}" for line in _from_log(upcoming, names)]


def _from_log(sessions: Sequence[Session], names: Mapping[str, Exercise]) -> Iterator[str]:
    """The "From your log:" reasons of the regenerated plan, each with its exercises (the
    first note of each exercise counts)."""
    reasons: dict[str, list[str]] = {}
    seen: set[str] = set()
    for item in (item for session in sessions for item in session.items):
        match = FROM_LOG.search(item.notes)
        if match is None or item.exercise in seen:
            continue
        seen.add(item.exercise)
        name = names[item.exercise].name if item.exercise in names else item.exercise
        reasons.setdefault(match["why"] + (match["load"] or ""), []).append(name)
    for why, exercises in reasons.items():
        yield f"{', '.join(exercises)}: {why}"


# -- the log ----------------------------------------------------------------------------

def log_table(entries: Sequence[LoggedSession], title: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", header_style="bold",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for header in ("Date", "Id", "Sets", "RPE", "Pain", "Morning", "Min", "Load"):
        text = header in ("Date", "Id")
        table.add_column(header, justify="left" if text else "right", no_wrap=not text,
                         overflow="fold", min_width=10 if text else None)
    for e in entries:
        table.add_row(e.date.isoformat(), escape(e.id), str(len(e.sets)),
                      _number(e.session_rpe), _number(e.max_pain), _number(e.morning_pain),
                      "" if e.duration_min is None else f"{e.duration_min:.0f}",
                      "" if e.load is None else f"{e.load:.0f}")
    table.caption = "Pain: the highest reported in the session. Load: session RPE x minutes."
    table.caption_justify = "left"
    return table


# -- field tests ------------------------------------------------------------------------

KIND_NAMES = {"single_leg_bridge": "Single-leg bridge", "nordic_angle": "Nordic break angle",
              "nordic_force": "Nordic force", "isometric_hold": "Isometric hold",
              "self_check": "Self-check"}
FLAG_LABELS = {"imbalance_15": ">=15%", "imbalance_20": ">=20%",
               "nordic_force_low": f"< {NORDIC_FORCE_N:g} N", "bridge_reference": "26-rep ref."}


def kind_name(test: FieldTest | FieldTestBalance) -> str:
    return KIND_NAMES.get(test.kind.value, test.kind.value)


def shown_flags(balance: FieldTestBalance) -> list[Flag]:
    """The flags worth reading: of the imbalance flags only the highest threshold."""
    imbalance = [f for f in balance.flags if f.code.startswith("imbalance_")]
    return [f for f in balance.flags if f not in imbalance[:-1]]


def balance_line(balance: FieldTestBalance) -> str:
    if balance.weaker is None or balance.percent is None:
        return "Both sides are equal."
    stronger = "right" if balance.weaker.value == "left" else "left"
    return f"{balance.weaker.value.capitalize()} is {balance.percent:g}% weaker than {stronger}."


def recorded_lines(test: FieldTest) -> list[str]:
    if test.kind is TestKind.SELF_CHECK:  # pain, not strength: no balance to show
        return [f"Recorded the self-check of {day_label(test.date, year=True)} ({test.id}): "
                f"pain left {test.left:g}/10, right {test.right:g}/10. `hamstride today` "
                "shows the return stage."]
    balance = field_test_balance(test)
    unit = test.kind.unit
    lines = [f"Recorded the {kind_name(test).lower()} test of "
             f"{day_label(test.date, year=True)} ({test.id}): left {test.left:g} {unit}, "
             f"right {test.right:g} {unit}.", balance_line(balance)]
    lines += [f"  {flag.message}" for flag in shown_flags(balance)]
    return [*lines, CAVEAT]


def tests_document(tests: Sequence[FieldTest]) -> list[dict[str, Any]]:
    return [{**field_test_balance(t).to_document(), "notes": t.notes} for t in tests]


def balances(balances: Sequence[FieldTestBalance], title: str) -> Group:
    """A table of the tests, then each flag's message once, then the caveat."""
    table = Table(title=title, title_justify="left", title_style="bold", header_style="bold",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for header in ("Date", "Test", "Left", "Right", "Weaker", "Flags"):
        table.add_column(header, justify="right" if header in ("Left", "Right") else "left")
    notes: dict[str, None] = {}
    for b in balances:
        flags = shown_flags(b)
        table.add_row(b.date.isoformat(), kind_name(b), f"{b.left:g} {b.kind.unit}",
                      f"{b.right:g} {b.kind.unit}", _asymmetry(b),
                      ", ".join(FLAG_LABELS.get(f.code, f.code) for f in flags))
        notes.update((f"{b.date.isoformat()} {kind_name(b).lower()}: {f.message}", None)
                     for f in flags)
    notes_grid = _hanging("•", [Text(note) for note in notes])
    return Group(table, *notes_grid, Text(CAVEAT, style="italic"))


def tests_view(tests: Sequence[FieldTest], title: str) -> Group:
    return balances([field_test_balance(t) for t in tests], title)


def _asymmetry(balance: FieldTestBalance) -> str:
    if balance.weaker is None or balance.percent is None:
        return "equal"
    return f"{balance.weaker.value} {balance.percent:g}%"
