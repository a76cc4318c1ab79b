"""Benchmark: 16-week plans for 1,000 varied generated profiles, plans per second.

Run: python bench/plan_bench.py [--profiles N] [--weeks W] [--seed S] [--repeat R]
Prints plans/s for generation alone and for generation plus the checker (what the CLI
and the API do: every generated plan is verified before it is returned), best of R
runs (5), with the garbage collector paused while timing as timeit does (--keep-gc
leaves it running). Single process, single core. The profiles come from a seeded RNG,
so runs are comparable.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import time
from datetime import date, timedelta
from typing import Any

from hamstride.catalogue import load_catalogue
from hamstride.training.planner import generate_plan
from hamstride.training.profile import Profile, profile_from_data
from hamstride.vocabulary import Day, Equipment, RunType

START = date(2027, 1, 4)


def random_profile(rng: random.Random, n: int) -> dict[str, Any]:
    runs = [r.value for r in RunType if r is not RunType.RACE]
    data: dict[str, Any] = {
        "name": f"runner {n}",
        "level": rng.choice(["novice", "intermediate", "advanced"]),
        "goal": rng.choice(["prevent_injury", "performance", "return_from_strain"]),
        "session_minutes": rng.randint(10, 90),
        "equipment": [e.value for e in Equipment if rng.random() < 0.4],
        "strength_days": [d.value for d in Day if rng.random() < 0.6] or ["wed"],
        "running": {
            "weekly_km": rng.randint(10, 120),
            "week": {d.value: rng.choice(runs) for d in Day},
            "races": [
                {"date": (START + timedelta(days=rng.randint(0, 111))).isoformat(),
                 "name": f"race {i}", "priority": rng.choice("ABC")}
                for i in range(rng.randint(0, 2))
            ],
        },
    }
    if data["goal"] == "return_from_strain" or rng.random() < 0.1:
        strain = START - timedelta(days=rng.randint(0, 100))
        data["injury"] = {"hamstring_strain": {"date": strain.isoformat(), "side": "left"}}
    return data


def run(profiles: list[Profile], weeks: int, verify: bool, keep_gc: bool = False) -> float:
    """Seconds for one pass; the collector is paused while timing (as timeit does)
    unless ``keep_gc``."""
    catalogue = load_catalogue()
    gc.collect()
    if not keep_gc:
        gc.disable()
    try:
        began = time.perf_counter()
        for profile in profiles:
            generate_plan(profile, start=START, weeks=weeks, catalogue=catalogue,
                          verify=verify)
        return time.perf_counter() - began
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=16)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep-gc", action="store_true",
                        help="leave the garbage collector running while timing")
    parser.add_argument("--repeat", type=int, default=5, help="best of N runs (timeit-style)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    profiles = [profile_from_data(random_profile(rng, n)) for n in range(args.profiles)]
    load_catalogue()
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{platform.processor() or 'unknown cpu'}; garbage collector "
          f"{'running' if args.keep_gc else 'paused'} while timing")
    for label, verify in (("generate only", False), ("generate + check", True)):
        seconds = min(run(profiles, args.weeks, verify, args.keep_gc)
                      for _ in range(args.repeat))
        print(f"{label:18s} {args.profiles} plans x {args.weeks} weeks: {seconds:.2f} s, "
              f"{args.profiles / seconds:.0f} plans/s")


if __name__ == "__main__":
    main()
