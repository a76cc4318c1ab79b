"""Rule 8, return from a strain dated within 8 weeks of the start: the Askling
L-protocol first (Askling 2013, 2014), all three of its exercises in the first 2 weeks,
no heavy hamstring loading in them (every exercise the catalogue marks
``hamstring_load: high``: Nordics, Romanian deadlifts, loaded curls), and on every session
one pain rule: hamstring work only as far as it is pain-free (Askling 2013; the 4-5/10
tendon model of Silbernagel 2007 is not for an acute muscle strain).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from hamstride.training.profile import Profile
from hamstride.training.rules.base import PlanView, Violation, violation

RULE = "8-return"
RECENT_DAYS = 56  # a strain within 8 weeks of the start
PROTECTED_DAYS = 14  # the first 2 weeks
PAIN_RULE = "pain-free"  # one pain rule after a strain: Askling 2013, not the tendon model
L_PROTOCOL = ("askling_extender", "askling_diver", "askling_glider")


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
    yield from _whole_protocol(view, until)
    yield from _before_criteria(view)
    for s in view.sessions:
        if PAIN_RULE not in s.session.notes:
            yield violation(RULE, s.date, f"'{s.session.title}' has no pain-monitoring note "
                            "(hamstring work only as far as it is pain-free, Askling 2013) "
                            "after a recent strain.")
        if s.date >= until:
            continue
        heavy = [e.id for _, e in s.work() if e.is_heavy_hamstring]
        if heavy:
            yield violation(RULE, s.date, f"{', '.join(heavy)} in the first 2 weeks after a "
                            "recent strain: L-protocol first, no heavy hamstring loading "
                            "yet (Askling 2013).")
        yield from _l_protocol_first(s.date, [e for _, e in s.work()])


def _before_criteria(view: PlanView) -> Iterator[Violation]:
    """Heavy hamstring loading only once the return criteria are met, when the plan
    carries them (plans regenerated from the log do): Askling 2013; Lorenz & Domzalski
    2020."""
    carried = view.plan.continues
    state = carried.return_state if carried is not None else None
    if state is None:
        return
    for s in view.sessions:
        if state.heavy_from is not None and s.date >= state.heavy_from:
            continue
        heavy = [e.id for _, e in s.work() if e.is_heavy_hamstring]
        if heavy:
            yield violation(RULE, s.date, f"{', '.join(heavy)} before the return criteria "
                            f"are met (stage {state.stage}): heavy hamstring loading waits "
                            "for a pain-free L-protocol and self-check and the injured side "
                            "at 70% of the other (Askling 2013; Lorenz & Domzalski 2020).")


def _whole_protocol(view: PlanView, until: date) -> Iterator[Violation]:
    """Extender, diver and glider all in the first 2 weeks (Askling 2013), judged when
    the plan holds those weeks and prescribes the L-protocol in them."""
    if view.planned_from != view.original_start:  # a plan part-way through
        return
    early = {e.id for s in view.sessions if s.date < until for _, e in s.work()}
    if not early & set(L_PROTOCOL):
        return
    missing = [x for x in L_PROTOCOL if x not in early]
    if missing:
        yield violation(RULE, view.plan.start, f"the first 2 weeks after a recent strain lack "
                        f"{', '.join(missing)}: the L-protocol is all three exercises "
                        "(Askling 2013).")


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
