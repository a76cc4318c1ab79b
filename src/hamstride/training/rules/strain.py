"""Rule 8, return from a strain dated within 8 weeks of the start: the Askling
L-protocol first (Askling 2013, 2014), no Nordics and no other heavy eccentric work in
the first 2 weeks, and a pain-monitoring note on every session (Silbernagel 2007).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from hamstride.training.profile import Profile
from hamstride.training.rules.base import PlanView, Violation, violation

RULE = "8-return"
RECENT_DAYS = 56  # a strain within 8 weeks of the start
PROTECTED_DAYS = 14  # the first 2 weeks
PAIN_SOURCE = "Silbernagel 2007"


def recent_strain(profile: Profile, start: date) -> bool:
    strain = profile.strain
    return strain is not None and 0 <= (start - strain.date).days <= RECENT_DAYS


def protected_until(start: date) -> date:
    """The first day after the protected first two weeks."""
    return start + timedelta(days=PROTECTED_DAYS)


def check(view: PlanView) -> Iterator[Violation]:
    if not recent_strain(view.profile, view.original_start):
        return
    until = protected_until(view.original_start)
    for s in view.sessions:
        if PAIN_SOURCE not in s.session.notes:
            yield violation(RULE, s.date, f"'{s.session.title}' has no pain-monitoring note "
                            f"({PAIN_SOURCE}) after a recent strain.")
        if s.date >= until:
            continue
        heavy = [e.id for _, e in s.work() if e.is_heavy_eccentric]
        if heavy:
            yield violation(RULE, s.date, f"{', '.join(heavy)} in the first 2 weeks after a "
                            "recent strain: L-protocol first, no heavy eccentric work yet "
                            "(Askling 2013).")
        yield from _l_protocol_first(s.date, [e for _, e in s.work()])


def _l_protocol_first(day: date, exercises: list[object]) -> Iterator[Violation]:
    from hamstride.catalogue import Exercise

    work = [e for e in exercises if isinstance(e, Exercise)]
    hamstring = [e for e in work if e.is_hamstring_work]
    if not hamstring:
        return
    if not any(e.is_l_protocol for e in work):
        yield violation(RULE, day, "hamstring work without the Askling L-protocol in the "
                        "first 2 weeks after a recent strain (Askling 2013).")
        return
    first_other = next((i for i, e in enumerate(work) if not e.is_l_protocol), len(work))
    if any(e.is_l_protocol for e in work[first_other:]):
        yield violation(RULE, day, "the L-protocol items must come first in the session "
                        "in the first 2 weeks after a recent strain (Askling 2013).")
