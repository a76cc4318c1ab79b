"""What moved when a plan was regenerated: the runner is told, not surprised.

Sessions are compared calendar week by calendar week from a day on: a date the old plan
had and the new one has not, paired in order with a date the new plan has and the old
one had not, is a move; what is left unpaired was dropped or added.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from hamstride.training.plan import Plan


@dataclass(frozen=True, slots=True)
class Move:
    title: str
    before: date | None  # None: a session the new plan adds
    after: date | None  # None: a session the new plan drops

    def describe(self) -> str:
        if self.before is None:
            return f"{self.title}: added on {_day(self.after)}"
        if self.after is None:
            return f"{self.title}: no longer on {_day(self.before)}"
        return f"{self.title}: moved from {_day(self.before)} to {_day(self.after)}"


def _day(on: date | None) -> str:
    return "" if on is None else on.strftime("%a %d %b")


def moved_sessions(before: Plan, after: Plan, *, since: date,
                   until: date = date.max) -> list[Move]:
    """The sessions from ``since`` to before ``until`` whose day changed between plans."""
    old, new = _by_week(before, since, until), _by_week(after, since, until)
    moves: list[Move] = []
    for monday in sorted(old.keys() | new.keys()):
        old_days, new_days = old.get(monday, {}), new.get(monday, {})
        gone = sorted(old_days.keys() - new_days.keys())
        came = sorted(new_days.keys() - old_days.keys())
        for n in range(max(len(gone), len(came))):
            was = gone[n] if n < len(gone) else None
            now = came[n] if n < len(came) else None
            title = new_days[now] if now is not None else old_days[was] if was else ""
            moves.append(Move(title, was, now))
    return moves


def _by_week(plan: Plan, since: date, until: date) -> dict[date, dict[date, str]]:
    weeks: dict[date, dict[date, str]] = defaultdict(dict)
    for _, session in plan.sessions():
        if since <= session.date < until:
            monday = session.date - timedelta(days=session.date.weekday())
            weeks[monday].setdefault(session.date, session.title)
    return weeks
