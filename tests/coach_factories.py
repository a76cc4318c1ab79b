"""A store holding one runner's profile and a 12-week plan, for the coach tests."""

from __future__ import annotations

from datetime import date

from hamstride.store import Store
from hamstride.training.planner import generate_plan
from hamstride.training.profile import Profile
from tests.training.factories import make_profile

START = date(2027, 1, 4)


def store_with_plan(db_url: str, weeks: int = 12) -> tuple[Store, Profile]:
    store = Store.open(db_url)
    profile = make_profile(week={"sat": "long"})
    store.save_profile(name=profile.name, document=profile.to_document())
    made = generate_plan(profile, start=START, weeks=weeks)
    store.save_plan(profile_name=profile.name, start=START, weeks=weeks,
                    document=made.to_document())
    return store, profile
