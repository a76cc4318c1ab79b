"""Rule 12, the pain pause (Silbernagel 2007; training/pain.py): a plan regenerated
after pain above 5/10 during hamstring work, or 5/10 or more the next morning, holds no
heavy hamstring work (Nordics and every ``hamstring_load: high`` exercise) until a
lighter session has settled it, and every session says so.
"""

from __future__ import annotations

from collections.abc import Iterator

from hamstride.training.rules.base import PlanView, Violation, violation

RULE = "12-pain-pause"
SAYS = "until it settles"


def check(view: PlanView) -> Iterator[Violation]:
    carried = view.plan.continues
    if carried is None or carried.pain_pause_since is None:
        return
    since = carried.pain_pause_since
    for s in view.sessions:
        heavy = [e.id for _, e in s.work() if e.is_heavy_hamstring]
        if heavy:
            yield violation(RULE, s.date, f"{', '.join(heavy)} while the pain logged on "
                            f"{since} has not settled: heavy hamstring work pauses until a "
                            "lighter session is pain-free (Silbernagel 2007).")
        if SAYS not in s.session.notes:
            yield violation(RULE, s.date, f"'{s.session.title}' does not say that heavy "
                            f"hamstring work pauses after the pain logged on {since}.")
