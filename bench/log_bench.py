"""Benchmark: `hamstride today` and `hamstride progress` on a five-year training log.

Run: python bench/log_bench.py [--sessions 800] [--sets 25] [--repeat 5]
Builds a SQLite database (in a temporary folder) with one runner, a current plan and a
five-year log of about 800 sessions and 20,000 sets plus field tests, then times:
- the use cases in-process (coach.today, coach.progress, and the replan that follows
  logging a session), best of --repeat;
- the real commands end to end (`hamstride today`, `hamstride progress --format json`,
  and `progress --plot`), each a fresh process, best of --repeat.
"""

from __future__ import annotations

import argparse
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from hamstride import coach
from hamstride.catalogue import load_catalogue
from hamstride.store import Store
from hamstride.training.log import FieldTest, LoggedSession, LoggedSet, Side, TestKind
from hamstride.training.planner import generate_plan
from hamstride.training.profile import profile_from_data

TODAY = date(2027, 1, 6)
EXERCISES = ("nordic_hamstring_curl", "romanian_deadlift", "hip_extension_45",
             "lying_leg_curl", "back_squat", "single_leg_heel_raise", "single_leg_glute_bridge")
PROFILE = {
    "name": "Five-year runner", "level": "advanced", "goal": "performance",
    "session_minutes": 45,
    "equipment": ["barbell", "dumbbells", "bench", "leg_curl_machine", "hip_extension_bench",
                  "nordic_anchor", "step"],
    "running": {"weekly_km": 60, "week": {"tue": "intervals", "thu": "easy", "sun": "long"}},
}


def build_log(count: int, sets_each: int, rng: random.Random) -> list[LoggedSession]:
    first = TODAY - timedelta(days=5 * 365)
    step = (5 * 365) / count
    log = []
    for n in range(count):
        day = first + timedelta(days=int(n * step))
        sets = [LoggedSet.model_validate({
            "exercise": EXERCISES[k % len(EXERCISES)], "reps": rng.randint(5, 12),
            "load_kg": rng.choice([None, 20.0, 40.0]), "rpe": rng.randint(5, 9),
            "side": Side.BOTH, "pain": rng.choice([None, 0, 1, 2])})
            for k in range(sets_each)]
        log.append(LoggedSession(id=f"b-{n}", date=day, duration_min=40,
                                 session_rpe=rng.randint(4, 8), pain=rng.randint(0, 3),
                                 morning_pain=0, sets=sets))
    return log


def best(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=800)
    parser.add_argument("--sets", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2026)
    folder = Path(tempfile.mkdtemp(prefix="hamstride-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    store = Store.open(url)
    profile = profile_from_data(PROFILE)
    store.save_profile(name=profile.name, document=profile.to_document())
    made = generate_plan(profile, start=TODAY - timedelta(days=2), weeks=16)
    store.save_plan(profile_name=profile.name, start=made.start, weeks=16,
                    document=made.to_document())
    log = build_log(args.sessions, args.sets, rng)
    began = time.perf_counter()
    store.save_log_sessions(profile_name=profile.name, sessions=log)
    stored_s = time.perf_counter() - began
    tests = [FieldTest(id=f"t-{y}", date=TODAY - timedelta(days=365 * y),
                       kind=TestKind.SINGLE_LEG_BRIDGE, left=20 + y, right=24)
             for y in range(5)]
    store.save_field_tests(profile_name=profile.name, tests=tests)
    load_catalogue()
    name = profile.name
    total_sets = sum(len(s.sets) for s in log)
    print(f"python {platform.python_version()} on {platform.machine()}; log: {len(log)} "
          f"sessions, {total_sets} sets over 5 years (stored in {stored_s:.2f} s)")
    timings = {
        "coach.today": best(args.repeat, lambda: coach.today(store, name, TODAY)),
        "coach.progress (12 weeks)": best(
            args.repeat, lambda: coach.progress(store, name, TODAY, weeks=12)),
        "coach.progress (260 weeks)": best(
            args.repeat, lambda: coach.progress(store, name, TODAY, weeks=260)),
        "coach.replan (after a log)": best(
            args.repeat, lambda: coach.replan(store, name, TODAY)),
    }
    for label, seconds in timings.items():
        print(f"{label:34s} {seconds * 1000:8.1f} ms")
    timings.clear()
    cli = [sys.executable, "-m", "hamstride.cli.main"]
    common = ["--db", url, "--date", TODAY.isoformat()]
    plot = folder / "progress.png"
    for label, command in (
        ("hamstride today", [*cli, "today", *common]),
        ("hamstride progress --format json", [*cli, "progress", *common, "--format", "json"]),
        ("hamstride progress --plot", [*cli, "progress", *common, "--plot", str(plot)]),
    ):
        timings[label] = best(args.repeat, lambda c=command: subprocess.run(  # type: ignore[misc]
            c, check=True, capture_output=True))
    for label, seconds in timings.items():
        print(f"{label:34s} {seconds * 1000:8.1f} ms")
    store.close()



if __name__ == "__main__":
    main()
