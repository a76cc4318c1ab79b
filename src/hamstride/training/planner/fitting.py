"""Fitting a session into the runner's minutes (rule 1), in this order: pair the two
accessory items as a superset (the article's "leg lifts, then a wall sit" is such a
pair), take sets off the least important items, drop items whose work another session
of the week also covers, and last trim the protocol items. Nordic doses are never
changed here: they follow their table. The session's main item is never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from hamstride.training.planner.drafts import Draft, Role
from hamstride.training.timing import estimate_seconds

ACCESSORIES = (Role.QUAD, Role.CALF)


@dataclass
class FitReport:
    paired: bool = False
    trimmed: bool = False
    dropped: list[str] = field(default_factory=list)
    protocol_trimmed: bool = False


def fits(drafts: list[Draft], budget_s: int) -> bool:
    return estimate_seconds(drafts) <= budget_s


def fit(drafts: list[Draft], budget_s: int, droppable: set[Role], *,
        protect_protocol: bool = False) -> FitReport:
    """Shrink ``drafts`` in place until they fit ``budget_s`` (or cannot shrink further)."""
    report = FitReport()
    if fits(drafts, budget_s):
        return report
    report.paired = _pair_accessories(drafts)
    while not fits(drafts, budget_s):
        if take_a_set(drafts, lambda d: d.trimmable):
            report.trimmed = True
        elif (gone := drop_one(drafts, droppable)) is not None:
            report.dropped.append(gone)
        elif not protect_protocol and take_a_set(drafts, lambda d: d.role is Role.L_PROTOCOL):
            report.protocol_trimmed = True
        else:
            break
    return report


def _pair_accessories(drafts: list[Draft]) -> bool:
    pair = [d for d in drafts if d.role in ACCESSORIES and d.superset is None]
    if len(pair) != 2:
        return False
    a, b = pair
    rounds = min(len(a.sets), len(b.sets))
    rest = max(a.rest_s, b.rest_s)
    for d in pair:
        del d.sets[rounds:]
        d.rest_s = rest
        d.superset = "A"
    # neighbours: move the second right after the first
    drafts.remove(b)
    drafts.insert(drafts.index(a) + 1, b)
    return True


def take_a_set(drafts: list[Draft], eligible: Callable[[Draft], bool]) -> bool:
    """Remove one set from the lowest-priority eligible item with more than one."""
    for draft in reversed(drafts):
        if eligible(draft) and len(draft.sets) > 1:
            partner = _partner(drafts, draft)
            if partner is not None and len(partner.sets) > 1:
                partner.sets.pop()
            elif partner is not None:
                continue
            draft.sets.pop()
            return True
    return False


def _partner(drafts: list[Draft], draft: Draft) -> Draft | None:
    if draft.superset is None:
        return None
    return next((d for d in drafts if d is not draft and d.superset == draft.superset), None)


def drop_one(drafts: list[Draft], droppable: set[Role]) -> str | None:
    """Drop the last droppable item; never the warm-up, a protocol item or a Nordic."""
    for draft in reversed(drafts):
        if draft.role in droppable and draft.trimmable:
            drafts.remove(draft)
            partner = _partner(drafts, draft)
            if partner is not None:
                partner.superset = None
            return draft.exercise.id
    return None
