"""Equipment advice: for each item a runner does not own, what it would unlock and how
their plan would change, cheapest first. Advice, not a shop: no brands, no links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hamstride.catalogue import Catalogue, load_catalogue
from hamstride.training.plan import Plan
from hamstride.training.profile import Profile
from hamstride.vocabulary import Equipment

# Rough cost tiers (0 = free or improvised ... 4 = a gym membership); order only.
COST: dict[Equipment, tuple[int, str]] = {
    Equipment.WALL: (0, "any wall"),
    Equipment.CHAIR: (0, "a sturdy chair"),
    Equipment.STEP: (0, "a stair step"),
    Equipment.NORDIC_ANCHOR: (0, "a partner holding your heels, or a strap or a sofa to "
                                 "hook them under"),
    Equipment.SLIDER: (0, "a towel or socks on a smooth floor, or a pair of sliders"),
    Equipment.RESISTANCE_BAND: (1, "a long resistance band"),
    Equipment.BOX: (2, "a sturdy box or bench about knee height"),
    Equipment.BENCH: (2, "a flat bench"),
    Equipment.STABILITY_BALL: (2, "a stability ball"),
    Equipment.DUMBBELLS: (2, "a pair of dumbbells"),
    Equipment.KETTLEBELL: (2, "a kettlebell"),
    Equipment.BARBELL: (3, "a barbell with plates"),
    Equipment.LEG_CURL_MACHINE: (4, "a gym's leg curl machine"),
    Equipment.LEG_PRESS_MACHINE: (4, "a gym's leg press"),
    Equipment.HIP_EXTENSION_BENCH: (4, "a gym's 45-degree hip extension bench"),
}
TIER_NAMES = ("free or improvised", "cheap", "moderate", "expensive", "gym")


@dataclass(frozen=True)
class Advice:
    equipment: Equipment
    cost: str
    what: str
    unlocks: list[str]
    plan_gains: list[str]
    plan_loses: list[str]

    def to_document(self) -> dict[str, object]:
        return {"equipment": self.equipment.value, "cost": self.cost, "what": self.what,
                "unlocks": self.unlocks, "plan_gains": self.plan_gains,
                "plan_loses": self.plan_loses}


def _used(plan: Plan) -> set[str]:
    return {item.exercise for _, s in plan.sessions() for item in s.items}


def advise(profile: Profile, *, start: date, weeks: int = 12,
           catalogue: Catalogue | None = None) -> list[Advice]:
    """Each missing item with what it unlocks and how the plan would change."""
    from hamstride.training.planner import generate_plan

    catalogue = catalogue or load_catalogue()
    owned = set(profile.owned)
    base = _used(generate_plan(profile, start=start, weeks=weeks, catalogue=catalogue))
    def within_level(have: set[Equipment]) -> set[str]:
        return {e.id for e in catalogue.usable_with(have) if e.level.rank <= profile.level.rank}

    before = within_level(owned)
    found = []
    for item in set(Equipment) - owned:
        richer = profile.model_copy(update={"equipment": [*profile.equipment, item]})
        after = _used(generate_plan(richer, start=start, weeks=weeks, catalogue=catalogue))
        unlocks = sorted(within_level(owned | {item}) - before)
        found.append(Advice(item, TIER_NAMES[COST[item][0]], COST[item][1], unlocks,
                            sorted(after - base), sorted(base - after)))
    # cheapest first; within a price tier, what changes the plan most
    return sorted(found, key=lambda a: (COST[a.equipment][0], -len(a.plan_gains),
                                        -len(a.unlocks), a.equipment.value))
