"""Benchmark: a coach's roster of 200 athletes (issue 12), in process and over HTTP.

Run: python bench/roster_bench.py [--athletes 200] [--iterations 100] [--seed 2026]
     [--no-http] [--wrk-seconds 10] [--profile N] [--keep]

Fills a fresh SQLite database (a temporary folder) the way the app would: one coach
account and --athletes athlete accounts linked to it, each with a profile (levels, goals,
equipment, strength days and running weeks varied; a race ahead for some, a hamstring
strain for a few) and a plan made 8 weeks ago with ``coach.make_plan``, about 3 runs a
week for those 8 weeks (``save_activities``), the plan's sessions logged for 8 weeks
(most of them, with the planned sets and pain values, some above 5/10, some morning
pain), the plan following the log (``coach.replan``, as logging does), two field tests
(some lopsided), comments from both sides and a few prescriptions. Then times
``coaching.roster`` N times each way:

- cold (write): a tiny write between calls (an audit event of the coach's): the data
  version moves, so the roster is worked out from the database each time, as on a
  server where athletes keep logging; what else is kept (validated plans by id) stays;
- cold (empty): every kept answer dropped between calls (``store.kept`` emptied), as in
  a worker that has just started: plans are validated again too;
- warm: the kept answer (nothing written since).

The timings run on the database opened afresh after the fill, with what is alive then
frozen out of the cycle collector, as in a `hamstride serve` worker: what the roster keeps
(and the garbage it makes) is what the collector scans, as on a server.

With HTTP (once the web app has ``GET /coach`` and ``GET /api/v1/coach/roster``):
``hamstride serve --accounts`` on the bench database, N sequential GETs with httpx of each
(the page with the coach's session cookie, the JSON with an API token), cold (a write
between requests, from this process) and warm; and wrk for requests/s when installed.
``--profile N`` prints the top N functions of cProfile over the cold (write) roster.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hamstride import accounts, coach, coaching
from hamstride.accounts import Caller
from hamstride.store import Store
from hamstride.training.activity import Activity, SourceFormat, Sport
from hamstride.training.log import FieldTest, LoggedSession, LoggedSet, Side, TestKind
from hamstride.training.profile import profile_from_data

TODAY = date(2026, 12, 7)  # a Monday
WEEKS_BACK = 8
PASSWORD = "a bench password"
COACH_EMAIL = "coach@example.org"
EQUIPMENT = ("barbell", "dumbbells", "bench", "box", "step", "leg_curl_machine",
             "hip_extension_bench", "nordic_anchor", "wall", "slider", "stability_ball",
             "resistance_band", "kettlebell", "chair")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RUN_TYPES = ("easy", "intervals", "tempo", "hills", "long")
HOLDABLE = ("nordic_hamstring_curl", "romanian_deadlift", "single_leg_glute_bridge")


# -- the data -----------------------------------------------------------------------------

def profile_document(n: int, rng: random.Random) -> dict[str, object]:
    """A varied athlete: level, goal, equipment, strength days, running week, races."""
    run_days = sorted(rng.sample(range(7), rng.randint(3, 5)))
    week = {DAYS[d]: rng.choice(RUN_TYPES[:4]) for d in run_days}
    week[DAYS[run_days[-1]]] = "long"
    free = [DAYS[d] for d in range(7) if d not in run_days] or list(DAYS)
    strength = sorted(set(rng.sample(free, min(len(free), rng.randint(2, 3)))),
                      key=DAYS.index)
    document: dict[str, object] = {
        "name": f"Athlete {n:03d}",
        "level": rng.choice(("novice", "intermediate", "intermediate", "advanced")),
        "goal": rng.choice(("prevent_injury", "prevent_injury", "performance")),
        "session_minutes": rng.choice((20, 30, 30, 45, 60)),
        "equipment": rng.sample(EQUIPMENT, rng.randint(2, len(EQUIPMENT))),
        "strength_days": strength,
        "running": {"weekly_km": rng.choice((20, 30, 40, 55, 70)), "week": week,
                    "races": []},
    }
    if rng.random() < 0.4:  # a race ahead, an A race for some
        when = TODAY + timedelta(days=rng.randint(10, 120))
        document["running"] = {**document["running"],  # type: ignore[dict-item]
                               "races": [{"date": when.isoformat(), "name": f"Race {n}",
                                          "priority": rng.choice("ABC")}]}
    if n % 25 == 3:  # a few returning from a strain
        document["goal"] = "return_from_strain"
        document["injury"] = {"hamstring_strain": {
            "date": (TODAY - timedelta(days=WEEKS_BACK * 7 + rng.randint(3, 10))).isoformat(),
            "side": rng.choice(("left", "right"))}}
    return document


def runs(profile: dict[str, object], rng: random.Random) -> list[Activity]:
    """About three runs a week over the last 8 weeks, on the profile's running days."""
    week = profile["running"]["week"]  # type: ignore[index]
    found = []
    for back in range(WEEKS_BACK * 7, 0, -1):
        day = TODAY - timedelta(days=back)
        kind = week.get(DAYS[day.weekday()])
        if kind is None or rng.random() < 0.15:
            continue
        km = {"long": rng.uniform(14, 24), "easy": rng.uniform(6, 10)}.get(
            kind, rng.uniform(8, 13))
        if back <= 7 and rng.random() < 0.1:  # a load spike for some
            km *= 2
        start = datetime(day.year, day.month, day.day, rng.randint(6, 19), rng.randint(0, 59),
                         tzinfo=UTC)
        found.append(Activity(sport=Sport.RUNNING, start=start, duration_s=km * 330,
                              moving_s=km * 320, distance_m=km * 1000, avg_hr=150,
                              source=SourceFormat.FIT))
    return found


def logged(store: Store, name: str, n: int, rng: random.Random) -> list[LoggedSession]:
    """Most of the planned sessions of the last 8 weeks, with their sets and pain."""
    plan = coach.plans(store, name).active
    entries: list[LoggedSession] = []
    sore = rng.random() < 0.15  # a few athletes in pain lately
    for _, session in plan.sessions():
        if session.date >= TODAY or rng.random() < 0.2:
            continue
        recent = (TODAY - session.date).days < 14
        pain = rng.choice((0, 0, 1, 2, 3))
        if sore and recent:
            pain = rng.choice((4, 6, 7))
        sets = []
        for item in session.items:
            sides = (Side.LEFT, Side.RIGHT) if item.per_side else (Side.BOTH,)
            for dose in item.sets:
                for side in sides:
                    measure = ({"hold_s": dose.hold_s} if hasattr(dose, "hold_s")
                               else {"reps": dose.reps})
                    sets.append(LoggedSet.model_validate({
                        "exercise": item.exercise, "side": side, **measure,
                        "rpe": rng.randint(5, 9), "pain": min(10, pain + rng.randint(0, 1))}))
        morning = rng.choice((None, 0, 1, 2)) if not (sore and recent) else rng.choice((3, 5))
        entries.append(LoggedSession(
            id=f"s-{n}-{session.date.isoformat()}-{len(entries)}", date=session.date,
            duration_min=session.estimated_minutes, session_rpe=rng.randint(4, 8), pain=pain,
            morning_pain=morning, sets=sets))
    return entries


def tests(n: int, rng: random.Random) -> list[FieldTest]:
    lopsided = rng.random() < 0.2
    found = []
    for k, back in enumerate((50, 10)):
        left = rng.uniform(18, 30)
        right = left * (rng.uniform(0.7, 0.82) if lopsided and k else rng.uniform(0.92, 1.06))
        found.append(FieldTest(id=f"t-{n}-{k}", date=TODAY - timedelta(days=back),
                               kind=TestKind.SINGLE_LEG_BRIDGE, left=round(left),
                               right=round(right)))
    return found


def fill(url: str, count: int, rng: random.Random) -> tuple[Store, Caller, int]:
    """The coach and their athletes; the store, the coach and the number of rows' owners."""
    store = Store.open(url)
    made = accounts.add_account(store, email=COACH_EMAIL, password=PASSWORD, role="coach")
    physio = Caller(made.id, made.role, made.email)
    start = TODAY - timedelta(weeks=WEEKS_BACK)
    for n in range(count):
        athlete = accounts.add_account(store, email=f"athlete{n:03d}@example.org",
                                       password=None)
        store.coaching.link(physio.account, athlete.id)
        theirs = store.scoped(athlete.id)
        document = profile_document(n, rng)
        name = str(document["name"])
        coach.make_plan(theirs, profile_from_data(document), start=start, weeks=16,
                        today=start)
        theirs.save_activities(profile_name=name, activities=runs(document, rng),
                               label="bench.fit")
        theirs.save_log_sessions(profile_name=name, sessions=logged(theirs, name, n, rng))
        theirs.save_field_tests(profile_name=name, tests=tests(n, rng))
        coach.replan(theirs, name, TODAY)  # the plan follows the log, as logging does
        profile_id = coaching.own_profile_id(theirs, name)
        for k in range(rng.choice((0, 1, 1, 2, 3))):
            day = TODAY - timedelta(days=rng.randint(1, 20))
            by_coach = k % 2 == 1
            store.coaching.add_comment(
                profile_id=profile_id, day=day,
                author_id=physio.account if by_coach else athlete.id,
                author=COACH_EMAIL if by_coach else str(athlete.email), by_coach=by_coach,
                body="How did the Nordics feel?" if by_coach else "Sore hamstring today")
        if n % 20 == 7:  # a few prescriptions (the plan follows them)
            coaching.prescribe(store, physio, profile_id, kind="hold",
                               value={"exercise": rng.choice(HOLDABLE)},
                               reason="until the tendon settles", today=TODAY)
        elif n % 20 == 13:
            coaching.prescribe(store, physio, profile_id, kind="minutes",
                               value={"minutes": 20}, reason="race block", today=TODAY)
    return store, physio, count


# -- timing -------------------------------------------------------------------------------

def percentiles(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return (f"p50 {q[49]:7.1f}   p95 {q[94]:7.1f}   p99 {q[98]:7.1f}   max {ms[-1]:7.1f} ms"
            f"   (n={len(ms)})")


def timed(iterations: int, before: Callable[[], object], action: Callable[[], object],
          ) -> list[float]:
    times = []
    for _ in range(iterations):
        before()
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return times


def nudge(store: Store, physio: Caller) -> Callable[[], None]:
    """A tiny write that changes no roster answer: one audit event of the coach's."""
    def write() -> None:
        store.accounts.record(physio.account, "bench", address="bench", detail="")
    return write


def forget(store: Store) -> None:
    """Every kept answer the roster reads dropped, as in a worker that just started."""
    for kind in ("roster", "planned days", "plan", "freshness", "today"):
        store.kept.forget(kind)


def in_process(store: Store, physio: Caller, args: argparse.Namespace) -> None:
    def call() -> object:
        return coaching.roster(store, physio, TODAY)

    rows = coaching.roster(store, physio, TODAY)
    flagged = sum(1 for r in rows if r.status.flags)
    print(f"roster: {len(rows)} rows, {flagged} flagged "
          f"({sum(1 for r in rows if r.status.pain)} for pain)")
    print(f"cold (write)   {percentiles(timed(args.iterations, nudge(store, physio), call))}")
    empty_runs = max(10, args.iterations // 5)
    print(f"cold (empty)   {percentiles(timed(empty_runs, lambda: forget(store), call))}")
    call()
    print(f"warm           {percentiles(timed(args.iterations * 10, lambda: None, call))}")
    if args.profile:
        profiler = cProfile.Profile()
        write = nudge(store, physio)
        for _ in range(20):
            write()
            profiler.enable()
            call()
            profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.profile)
        stats.sort_stats("tottime").print_stats(args.profile)


# -- over HTTP ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def over_http(url: str, store: Store, physio: Caller, args: argparse.Namespace) -> None:
    import httpx

    account = store.accounts.get(physio.account)
    assert account is not None
    cookie = accounts.open_session(store, account, address="bench", label="bench")
    token = accounts.make_token(store, physio.account, address="bench", label="bench")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HAMSTRIDE_TODAY": TODAY.isoformat(), "HAMSTRIDE_ACCOUNTS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "hamstride.cli.main", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(args.workers), "--db", url, "--accounts"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.get("/api/v1/hello")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)
            cookie_name = session_cookie_name()
            gets = (("GET /coach (HTML page)", "/coach", {"Cookie": f"{cookie_name}={cookie}"}),
                    ("GET /api/v1/coach/roster", "/api/v1/coach/roster",
                     {"Authorization": f"Bearer {token}"}))
            write = nudge(store, physio)
            for label, path, headers in gets:
                answer = client.get(path, headers=headers)
                if answer.status_code == 404:
                    print(f"{label}: not in this app yet (404)")
                    continue
                if answer.status_code != 200:
                    raise SystemExit(f"{path}: {answer.status_code} {answer.text[:200]}")
                size = len(answer.content)

                def get(path: str = path, headers: dict[str, str] = headers) -> object:
                    return client.get(path, headers=headers).raise_for_status()

                for _ in range(2 * args.workers):  # every worker has read the data once
                    write()
                    get()
                print(f"{label:26s} {size / 1024:6.0f} KiB")
                print(f"  cold (write) {percentiles(timed(args.iterations, write, get))}")
                print(f"  warm         {percentiles(timed(args.iterations, lambda: None, get))}")
                if args.wrk_seconds and shutil.which("wrk"):
                    print(f"  wrk warm     {wrk(base, path, headers, args)}")
    finally:
        server.terminate()
        server.wait(timeout=20)


def session_cookie_name() -> str:
    from hamstride.web import auth

    return str(getattr(auth, "SESSION_COOKIE", "hamstride_session"))


def wrk(base: str, path: str, headers: dict[str, str], args: argparse.Namespace) -> str:
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.wrk_seconds}s", "--latency"]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run([*command, base + path], capture_output=True, text=True,
                            check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"\s50%\s+(\S+)", output)
    p99 = re.search(r"\s99%\s+(\S+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return (f"{float(rate.group(1)) if rate else 0:7.0f} req/s   p50 "
            f"{p50.group(1) if p50 else '?':>8s}   p99 {p99.group(1) if p99 else '?':>8s}"
            f"   ({args.connections} connections, {args.wrk_seconds} s)"
            + (f"   non-2xx {errors.group(1)}" if errors else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--athletes", type=int, default=200)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-http", action="store_true", help="in process only")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--wrk-seconds", type=int, default=10, help="0: no wrk")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print cProfile's top N functions of the cold roster")
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hamstride-roster-bench-"))
    url = f"sqlite:///{folder / 'roster.db'}"
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} cpus; {args.athletes} athletes, seed {args.seed}")
    began = time.perf_counter()
    store, physio, _ = fill(url, args.athletes, random.Random(args.seed))
    filled = time.perf_counter() - began
    print(f"filled in {filled:.1f} s: {sizes(store)}")
    # timed as in a server's worker: the database opened afresh (nothing kept yet), and
    # what is alive by then frozen out of the cycle collector, as `hamstride serve` does
    store.close()
    store = Store.open(url)
    gc.collect()
    gc.freeze()
    try:
        in_process(store, physio, args)
        if not args.no_http:
            over_http(url, store, physio, args)
    finally:
        store.close()
        if args.keep:
            print(f"database kept: {url}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def sizes(store: Store) -> str:
    from sqlalchemy import func, select

    from hamstride.store.models import ActivityRow, Comment, LogSession, LogSet, Plan

    counted = []
    with store.engine.connect() as connection:
        for label, model in (("plans", Plan), ("sessions", LogSession), ("sets", LogSet),
                             ("runs", ActivityRow), ("comments", Comment)):
            total = connection.execute(select(func.count()).select_from(model)).scalar()
            counted.append(f"{total} {label}")
    return ", ".join(counted)


if __name__ == "__main__":
    main()
