"""What a coach or physiotherapist holds is not planned: an exercise held by a
prescription ("no Nordics until cleared") appears in no session. Not an evidence rule: the
clinician who sees the runner knows more than any plan (docs/rules.md)."""

from __future__ import annotations

from collections.abc import Iterator

from hamstride.training.rules.base import PlanView, Violation, violation

RULE = "care-held"


def check(view: PlanView) -> Iterator[Violation]:
    held = {h.exercise: h for h in view.profile.care.held}
    if not held:
        return
    for s in view.sessions:
        for item in s.session.items:
            hold = held.get(item.exercise)
            if hold is not None:
                who = f" by {hold.by}" if hold.by else ""
                yield violation(RULE, s.date, f"{item.exercise} is held{who}"
                                f"{': ' + hold.reason if hold.reason else ''}; a plan "
                                "leaves a held exercise out until it is cleared.")
