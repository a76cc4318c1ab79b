"""Rule 1: every session fits the runner's minutes, with an honest estimate."""

from __future__ import annotations

from collections.abc import Iterator

from hamstride.training.rules.base import PlanView, Violation, violation
from hamstride.training.timing import estimate_minutes, estimate_seconds

RULE = "1-time"
TOLERANCE_MIN = 0.1  # the estimate is rounded to a tenth of a minute


def check(view: PlanView) -> Iterator[Violation]:
    budget = view.profile.session_minutes
    for s in view.sessions:
        seconds = estimate_seconds(s.session.items)
        actual = estimate_minutes(s.session.items)
        stated = s.session.estimated_minutes
        if abs(actual - stated) > TOLERANCE_MIN + 1e-9:
            yield violation(RULE, s.date, f"'{s.session.title}' says {stated} min but its "
                            f"items take {actual} min (work, rests and 30 s set-up per item).")
        if seconds > budget * 60:
            yield violation(RULE, s.date, f"'{s.session.title}' takes {actual} min, more than "
                            f"the profile's {budget} min.")
