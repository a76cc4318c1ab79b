"""Catalogue entries as a table, one entry as readable text, and equipment advice."""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from hamstride.catalogue import Exercise
from hamstride.training.advice import Advice
from hamstride.training.dose_text import compact, describe_default, duration, tempo_words
from hamstride.vocabulary import Equipment, Muscle, Pattern

WIDTH = 88
MAX_TABLE_WIDTH = 110
_MARKER = re.compile(r"^(- |\d+\. )")


def usable(exercises: Iterable[Exercise], *, equipment: set[Equipment] | None,
           muscle: Muscle | None, pattern: Pattern | None) -> list[Exercise]:
    """Entries doable with ``equipment`` (None: any), training ``muscle`` as a primary."""
    return [e for e in exercises
            if (equipment is None or e.usable_with(equipment))
            and (muscle is None or muscle in e.muscles.primary)
            and (pattern is None or e.pattern is pattern)]


def _words(values: Iterable[str]) -> str:
    return ", ".join(v.replace("_", " ") for v in values)


def exercises_table(exercises: Sequence[Exercise], *, width: int) -> Table:
    """Id with the name under it, one muscle a line, no borders: it fits 80 columns.
    The id, bias and level columns have a fixed width; the others share the rest of the
    line and wrap between words (never inside one: a column is as wide as its longest)."""
    rows = [((e.id, e.name), _words([e.pattern]),
             "\n".join(_words([m]) for m in e.muscles.primary), e.hamstring_emphasis.value,
             _words(e.equipment) or "body weight", e.level.value) for e in exercises]
    title = f"{len(exercises)} exercises (primary muscles; bias: the hamstring emphasis)"
    table = Table(title=title, title_justify="left", header_style="bold underline", box=None,
                  padding=(0, 1, 0, 0), pad_edge=False, expand=True,
                  width=min(width, MAX_TABLE_WIDTH))
    headers = ("Id / name", "Pattern", "Muscles", "Bias", "Equipment", "Level")
    for i, header in enumerate(headers):
        longest = max(len(w) for r in rows for w in str(r[i][0] if i == 0 else r[i]).split())
        fixed = header in ("Id / name", "Bias", "Level")
        table.add_column(header, width=max(longest, len(header)) if fixed else None,
                         min_width=longest, ratio=None if fixed else 1)
    for (ident, name), *cells in rows:
        table.add_row(Text.assemble((ident, "bold"), "\n", name), *map(escape, cells))
    return table


def suggestions(wanted: str, exercises: Mapping[str, Exercise]) -> list[str]:
    """Ids close to ``wanted``: by spelling, or whose id, name or alias contains it."""
    needle = wanted.lower().replace(" ", "_")
    containing = [i for i, e in exercises.items()
                  if needle in i or any(wanted.lower() in a.lower() for a in (e.name, *e.aliases))]
    close = difflib.get_close_matches(needle, list(exercises), n=3, cutoff=0.6)
    return list(dict.fromkeys([*close, *containing]))[:5]


# -- one exercise as text -----------------------------------------------------------------

def dose_text(e: Exercise) -> str:
    """"3x8-12 per side, tempo 3 s down, 1 s up, rest 90 s" (training/dose_text.py)."""
    d = describe_default(e)
    parts = [compact(d) + (" per side" if d.per_side else "")]
    if d.tempo:
        parts.append(f"tempo {tempo_words(d.tempo)}")
    parts.append(f"rest {duration(d.rest_s)}")
    return ", ".join(parts)


def exercise_text(e: Exercise, names: Mapping[str, Exercise]) -> str:
    return "\n".join(_exercise_lines(e, names)).rstrip() + "\n"


def _exercise_lines(e: Exercise, names: Mapping[str, Exercise]) -> Iterator[str]:
    yield f"{e.name} ({e.id})"
    if e.aliases:
        yield from _wrap(f"Also called: {', '.join(e.aliases)}")
    yield ""
    trains = _words(e.muscles.primary)
    if e.muscles.secondary:
        trains += f"; also {_words(e.muscles.secondary)}"
    yield from _wrap(f"Trains: {trains}")
    yield (f"Pattern: {_words([e.pattern])}; hamstring emphasis: {e.hamstring_emphasis.value}; "
           f"contraction: {e.contraction.value}")
    optional = f" (optional: {_words(e.optional_equipment)})" if e.optional_equipment else ""
    yield from _wrap(f"Equipment: {_words(e.equipment) or 'none (body weight)'}{optional}")
    yield f"Level: {e.level.value}"
    yield f"Default dose: {dose_text(e)}"
    yield from _section("How to do it", [f"{n}. {t}" for n, t in enumerate(e.instructions, 1)])
    yield from _section("Cues", [f"- {c}" for c in e.cues])
    yield from _section("Common faults", [f"- {c}" for c in e.common_faults])
    yield from _section("Easier and harder", [
        f"Easier: {_refs(e.regressions, names)}", f"Harder: {_refs(e.progressions, names)}"])
    sources = ", ".join(e.evidence.sources) or "none"
    yield from _section("Evidence", [f"Sources: {sources}", e.evidence.summary])
    if e.article is not None:
        better = _refs([e.article.alternative], names)
        yield from _section("About the article's claim", [
            f"Claimed: {e.article.claimed}", f"Really: {e.article.really}",
            f"Better: {better}; see `hamstride exercise {e.article.alternative}`"])


def _refs(ids: Iterable[str], names: Mapping[str, Exercise]) -> str:
    shown = [f"{names[i].name} ({i})" if i in names else i for i in ids]
    return ", ".join(shown) or "none listed"


def _section(title: str, paragraphs: Iterable[str]) -> Iterator[str]:
    yield ""
    yield title
    for paragraph in paragraphs:
        yield from _wrap(paragraph, indent="  ")


def _wrap(text: str, *, indent: str = "") -> list[str]:
    marker = _MARKER.match(text)
    hang = indent + " " * (len(marker.group()) if marker else 0)
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=hang) or [indent]


# -- equipment advice ---------------------------------------------------------------------

def advice_table(advice: Sequence[Advice], names: Mapping[str, Exercise]) -> Table:
    table = Table(title="Equipment you do not own, cheapest first", title_justify="left",
                  header_style="bold", show_lines=True)
    for header in ("Equipment", "Cost", "What it is", "Unlocks", "Your plan"):
        table.add_column(header, ratio=2 if header in ("Unlocks", "Your plan") else 1)
    for a in advice:
        table.add_row(*map(escape, (_words([a.equipment]), a.cost, a.what,
                                    _name_list(a.unlocks, names) or "nothing new",
                                    _change(a, names))))
    return table


def _name_list(ids: Iterable[str], names: Mapping[str, Exercise]) -> str:
    return ", ".join(names[i].name if i in names else i for i in ids)


def _change(a: Advice, names: Mapping[str, Exercise]) -> str:
    lines = []
    if a.plan_gains:
        lines.append(f"gains {_name_list(a.plan_gains, names)}")
    if a.plan_loses:
        lines.append(f"loses {_name_list(a.plan_loses, names)}")
    return "\n".join(lines) or "stays the same"
