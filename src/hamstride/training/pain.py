"""The pain pause: what a painful session does to the heavy hamstring work after it.

Pain-monitoring model (Silbernagel 2007, EVIDENCE.md 6): up to 5/10 during exercise is
acceptable if it has settled by the next morning; above 5 is too much. So pain above 5
during a session with hamstring work, or 5/10 or more the next morning, pauses heavy
hamstring loading (Nordics and every ``hamstring_load: high`` exercise) from that
session on: not just that session's items. The pause ends by a rule: a later session
with hamstring work logged at 0-3/10 during it and 0-3/10 the next morning (settled).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from hamstride.training.log import LoggedSession

TOO_MUCH_DURING = 5  # above this during a session (Silbernagel 2007)
TOO_MUCH_MORNING = 5  # this or more the next morning: it has not settled
SETTLED = 3  # 0-3 is safe (Silbernagel 2007)
PAUSES = "pause until it settles"  # in every advice text: how interfaces find it
RED_FLAGS = ("sudden sharp pain or a pop during the exercise", "bruising at the back of the "
             "thigh", "pain at rest or at night", "pain that stops you walking normally")


@dataclass(frozen=True)
class PainPause:
    since: date  # the session that started it
    pain: int
    when: str  # "during the session" or "the next morning"

    def advice(self) -> str:
        """What the runner reads: the pause, how it ends, where it hurts, red flags."""
        return (f"Pain {self.pain}/10 {self.when} after hamstring work on {self.since}: "
                "Nordics and other heavy hamstring work pause until it settles (above 5/10 is "
                "too much, Silbernagel 2007). Note where it hurts: the back of the thigh, "
                "the knee or the hip. The pause ends when a lighter session is logged at "
                "0-3/10 during it and 0-3/10 the next morning. See a physiotherapist or "
                f"doctor before training on with any red flag: {', '.join(RED_FLAGS)}.")


def pain_pause(done: Sequence[LoggedSession],
               has_hamstring_work: Callable[[LoggedSession], bool]) -> PainPause | None:
    """The pause the log shows now, if any: the sessions walked in date order."""
    paused: PainPause | None = None
    for session in sorted(done, key=lambda s: (s.date, s.id)):
        if not has_hamstring_work(session):
            continue
        during, morning = session.max_pain, session.morning_pain
        if morning is not None and morning >= TOO_MUCH_MORNING:
            paused = PainPause(session.date, morning, "the next morning")
        elif during is not None and during > TOO_MUCH_DURING:
            paused = PainPause(session.date, during, "during the session")
        elif (paused is not None and morning is not None and morning <= SETTLED
              and (during or 0) <= SETTLED):
            paused = None
    return paused
