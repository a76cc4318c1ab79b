"""What a runner reads as "week 3": one rule for every interface (issue 10 item 8).

A plan's weeks run seven days from its start day: a plan that starts on a Saturday has
weeks from Saturday to Friday, and "week 3" is the third of them. Every weekly figure
(sets per muscle, adherence, session load, running distance and its spike flag, the
"this week" tiles) is counted in the same weeks, those of the runner's plan, so the
week the plan calls week 3 holds the sets the progress page counts for it. Without a
plan, weeks run Monday to Sunday (ISO weeks). Wherever a week is named, its dates are
shown with it: "week 3 (Sat 16 – Fri 22 Jan)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hamstride.vocabulary import Day

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Weeks:
    """The weeks of a plan that starts on ``origin``: they begin on its weekday and are
    numbered from it; ISO weeks (Monday to Sunday, no numbers) without one."""

    origin: date | None = None

    @classmethod
    def of_plan(cls, start: date | None) -> Weeks:
        """The weeks of a plan starting on ``start``; ISO weeks when there is none."""
        return cls(start)

    @property
    def first_weekday(self) -> int:
        """The weekday a week begins on (0 is Monday)."""
        return 0 if self.origin is None else self.origin.weekday()

    def start(self, day: date) -> date:
        """The first day of ``day``'s week."""
        return day - timedelta(days=(day.weekday() - self.first_weekday) % 7)

    def dates(self, day: date) -> tuple[date, date]:
        """The first and last day of ``day``'s week."""
        first = self.start(day)
        return first, first + timedelta(days=6)

    def number(self, day: date) -> int | None:
        """The plan week ``day`` falls in (1 for the first); None without a plan or
        before it."""
        if self.origin is None or day < self.origin:
            return None
        return (day - self.origin).days // 7 + 1

    def label(self, day: date) -> str:
        """``day``'s week as a runner reads it: "week 3 (Sat 16 – Fri 22 Jan)" in a
        plan, "the week of Mon 4 – Sun 10 Jan" otherwise."""
        span = span_label(*self.dates(day))
        n = self.number(day)
        return f"week {n} ({span})" if n is not None else f"the week of {span}"


ISO = Weeks()


def day_label(day: date, *, year: bool = False) -> str:
    """"Sat 16 Jan", with the year when asked: "Sat 16 Jan 2027"."""
    weekday = Day.of(day.weekday()).value.title()
    return f"{weekday} {day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


def span_label(first: date, last: date, *, year: bool = False) -> str:
    """"Sat 16 – Fri 22 Jan", "Mon 28 Dec – Sun 3 Jan"; the month once when it is the
    same for both ends."""
    weekday = Day.of(first.weekday()).value.title()
    same_month = (first.year, first.month) == (last.year, last.month)
    start = f"{weekday} {first.day}" if same_month else day_label(first, year=year and
                                                                   first.year != last.year)
    return f"{start} – {day_label(last, year=year)}"
