"""A database of accounts for the digest tests (tests/test_digest.py, the CLI and the
pages): who asked for which mail, with plans, a painful session and a coach's comment.

The digest's week is ``WEEK`` (Monday 7 Dec 2026); the plans start two weeks before, so
"last week" (30 Nov to 6 Dec) and "this week" both have planned sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hamstride import accounts, coach, coaching
from hamstride.accounts import Caller
from hamstride.store import Store
from hamstride.training.log import session_from_data
from hamstride.training.plan import Session
from hamstride.training.profile import profile_from_data
from tests.training.factories import profile_data

WEEK = date(2026, 12, 7)  # a Monday
PLAN_START = WEEK - timedelta(days=14)
ANN, BOB, CAT, DEE, EVE = (f"{n}@example.org" for n in ("ann", "bob", "cat", "dee", "eve"))
COMMENT = "Good work; ease off the Nordics if the pain stays."
BASE = "https://hamstride.example.org"


@dataclass(frozen=True)
class Seeded:
    ids: dict[str, int]  # e-mail -> account id
    last_week: list[date]  # Ann's planned days of last week
    this_week: list[Session]  # Ann's planned sessions of the digest's week


def _with_plan(store: Store, account: int, name: str) -> list[Session]:
    theirs = store.scoped(account)
    profile = profile_from_data(profile_data(name=name, week={"sat": "long"}))
    coach.make_plan(theirs, profile, start=PLAN_START, weeks=6, today=PLAN_START)
    return [s for _, s in coach.plans(theirs, name).active.sessions()]


def seed(store: Store) -> Seeded:
    """Ann (digest) with a plan, one of last week's sessions done at pain 7/10 and her
    coach's comment on it; Bob (no mail) with a plan; Cat, a coach (digest) of Ann and
    Eve; Dee (reminders only) with a plan; Eve (no mail) with a plan."""
    made = {
        ANN: accounts.add_account(store, email=ANN, password=None, digest_mail=True),
        BOB: accounts.add_account(store, email=BOB, password=None),
        CAT: accounts.add_account(store, email=CAT, password=None, role="coach",
                                  digest_mail=True),
        DEE: accounts.add_account(store, email=DEE, password=None),
        EVE: accounts.add_account(store, email=EVE, password=None),
    }
    store.accounts.set_reminders(made[DEE].id, True)
    sessions = _with_plan(store, made[ANN].id, "Ann")
    for email, name in ((BOB, "Bob"), (DEE, "Dee"), (EVE, "Eve")):
        _with_plan(store, made[email].id, name)
    last_week = [s.date for s in sessions if WEEK - timedelta(days=7) <= s.date < WEEK]
    store.scoped(made[ANN].id).save_log_sessions(profile_name="Ann", sessions=[
        session_from_data({"id": "done-1", "date": last_week[0].isoformat(), "pain": 7,
                           "sets": [{"exercise": "squat", "reps": 8}]})])
    cat = Caller(made[CAT].id, "coach", CAT)
    for email in (ANN, EVE):
        link = coaching.invite_athletes(store, cat, address="test")
        coaching.accept(store, Caller(made[email].id, "athlete", email), link.secret,
                        address="test")
    ann_profile = store.scoped(made[ANN].id).get_profile(name="Ann")
    assert ann_profile is not None
    coaching.comment(store, cat, ann_profile.id, last_week[0], COMMENT, by_coach=True)
    return Seeded({e: a.id for e, a in made.items()}, last_week,
                  [s for s in sessions if WEEK <= s.date < WEEK + timedelta(days=7)])
