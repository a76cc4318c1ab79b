"""Benchmark: hamstride at scale on PostgreSQL (issue 13): 10,000 athletes x 2 years.

Run: python bench/scale_bench.py [--athletes 10000] [--years 2] [--db URL] [--keep]
     [--skip-fill] [--workers 4] [--seconds 20] [--connections 20] [--single]
     [--explain] [--no-measure]

Needs wrk and a PostgreSQL server (default: the local one, 127.0.0.1:5432, user postgres,
trust auth). Without --db a fresh database ``hamstride_scale`` is made on it (an older one
of that name, this benchmark's, is dropped first) and dropped at the end unless --keep.

1. Fill, the way the app stores things, fast: the schema made by the app's migrations
   (``Store.open``), then every row written with PostgreSQL COPY, ids assigned here and
   the sequences moved past them. A handful of distinct real plans are made with the
   planner (``generate_plan``, varied profiles), and each athlete's plans are those
   documents moved by whole weeks: 2 years = 8 plans of 12 weeks (the last one's
   continuation from the log active, as after logging), the planned sessions logged
   (80% of them, the planned sets, 8-15 each, RPE and pain), the runs of the athlete's
   running week (~3-4 a week, activity documents as store/activity_rows.py writes them,
   no laps), a field test every 4 weeks, a few comments. 50 coaches with 200 athletes
   each. Every account has the same argon2 hash (computed once) and one API token
   (stored as its SHA-256, ``accounts.digest``); the tokens are derived from the account
   id, so a kept database can be measured again (--skip-fill). Prints rows per table,
   the fill time and ``pg_database_size``.
2. Measure: ``hamstride serve --accounts --workers N`` on a free loopback port, and wrk
   (2 threads, --connections, --seconds) with a Lua script picking a random athlete (or
   coach) and its token from a file for each request: GET the roster of a 200-athlete
   coach, GET today, GET progress, POST a log entry of one set (in that order: a POST
   makes the next read of that athlete's plan follow the log). Prints req/s, p50, p99.
   --single measures with one worker too.
3. --explain: the SQL the app issues for today, log, plan, progress and the roster,
   captured in process (an event listener on the store's engine) for one athlete and one
   coach, and each statement's EXPLAIN (ANALYZE, BUFFERS) with the same parameters
   (writes rolled back), trimmed to the plan nodes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg

from api_bench import figures, free_port, wait_ready  # bench/, the script's folder
from hamstride import accounts
from hamstride.store import Store
from hamstride.store.plans import plan_outline
from hamstride.training.activity import Sport, activity_id
from hamstride.training.planner import generate_plan
from hamstride.training.profile import profile_from_data

TODAY = date(2026, 12, 7)  # a Monday
SERVER = "postgresql://postgres@127.0.0.1:5432"
DEFAULT_DB = "hamstride_scale"
PASSWORD = "a bench password"
TEMPLATES = 12
PLAN_WEEKS = 12
ATHLETES_PER_COACH = 200
COACHES = 50
NAME_MARK = "@@NAME@@"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EQUIPMENT = ("barbell", "dumbbells", "bench", "box", "step", "leg_curl_machine",
             "hip_extension_bench", "nordic_anchor", "wall", "slider", "stability_ball",
             "resistance_band", "kettlebell", "chair")
RUN_TYPES = ("easy", "intervals", "tempo", "hills")
TABLES = ("accounts", "credentials", "profiles", "plans", "log_sessions", "log_sets",
          "field_tests", "activities", "coach_links", "comments")
COLUMNS = {
    "accounts": "id, email, password_hash, role, digest, reminders, local_owner, created_at",
    "credentials": "id, account_id, kind, secret_hash, label, created_at",
    "profiles": "id, account_id, name, document, created_at, updated_at",
    "plans": "id, profile_id, start, weeks, document, created_at, is_active, regenerated, "
             "outline",
    "log_sessions": "id, profile_id, client_id, date, duration_min, session_rpe, pain, "
                    "morning_pain, notes, created_at, updated_at",
    "log_sets": "id, session_id, position, exercise, reps, hold_s, load_kg, band, side, "
                "rpe, pain",
    "field_tests": 'id, profile_id, client_id, date, kind, "left", "right", notes, created_at',
    "activities": "id, profile_id, activity_id, sport, start, document, kind, source_label, "
                  "imported_at",
    "coach_links": "id, coach_id, athlete_id, created_at",
    "comments": "id, profile_id, day, author_id, author, by_coach, body, created_at",
}
N = r"\N"  # COPY's NULL


# -- the data -----------------------------------------------------------------------------

def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def athlete_name(n: int) -> str:
    return f"Athlete {n:05d}"


def token_of(account: int, seed: int) -> str:
    """The account's API token: derived, so a kept database can be measured again."""
    return "hs_" + hashlib.sha256(f"scale-bench {seed} {account}".encode()).hexdigest()[:43]


def template_profile(k: int, rng: random.Random) -> dict[str, Any]:
    run_days = sorted(rng.sample(range(7), rng.randint(3, 5)))
    week = {DAYS[d]: rng.choice(RUN_TYPES) for d in run_days}
    week[DAYS[run_days[-1]]] = "long"
    free = [DAYS[d] for d in range(7) if d not in run_days] or list(DAYS)
    strength = sorted(set(rng.sample(free, min(len(free), rng.choice((2, 2, 3))))),
                      key=DAYS.index)
    return {"name": NAME_MARK, "level": ("novice", "intermediate", "advanced")[k % 3],
            "goal": ("prevent_injury", "performance")[k % 2 if k < 10 else 0],
            "session_minutes": (30, 45, 60, 30)[k % 4],
            "equipment": rng.sample(EQUIPMENT, rng.randint(3, len(EQUIPMENT))),
            "strength_days": strength,
            "running": {"weekly_km": rng.choice((25, 35, 45, 60)), "week": week,
                        "races": []}}


@dataclass
class Template:
    """A real plan made by the planner, and what an athlete with this profile logs."""

    profile_json: str  # with NAME_MARK for the athlete's name
    plan_json: str  # dates as made for START_REF
    sessions: list[tuple[int, float, list[tuple[str, int | None, int | None, str]]]]
    run_days: list[tuple[int, str]]  # weekday, run type
    shifted: dict[int, str] = field(default_factory=dict)  # by weeks moved: COPY text
    outlines: dict[int, str] = field(default_factory=dict)  # by weeks moved: COPY text

    def plan_text(self, weeks: int) -> str:
        found = self.shifted.get(weeks)
        if found is None:
            delta = timedelta(weeks=weeks)

            def move(match: re.Match[str]) -> str:
                return '"' + (date.fromisoformat(match.group(1)) + delta).isoformat() + '"'

            found = copy_text(re.sub(r'"(\d{4}-\d\d-\d\d)"', move, self.plan_json))
            self.shifted[weeks] = found
        return found

    def outline_text(self, weeks: int) -> str:
        """The outline the store keeps beside the document (``plan_outline``)."""
        found = self.outlines.get(weeks)
        if found is None:
            delta = timedelta(weeks=weeks)
            outline = plan_outline(json.loads(self.plan_json))
            assert outline is not None
            for week in outline["weeks"]:
                for session in week["sessions"]:
                    session["date"] = (date.fromisoformat(session["date"]) + delta).isoformat()
            outline["start"] = (date.fromisoformat(outline["start"]) + delta).isoformat()
            found = copy_text(json.dumps(outline))
            self.outlines[weeks] = found
        return found


START_REF = monday(TODAY)


def make_templates(count: int, rng: random.Random) -> list[Template]:
    made = []
    for k in range(count):
        document = template_profile(k, rng)
        profile = profile_from_data({**document, "name": "template"})
        plan = generate_plan(profile, start=START_REF, weeks=PLAN_WEEKS)
        plan_doc = {**plan.to_document(), "athlete": NAME_MARK}
        sessions = []
        for _, session in plan.sessions():
            sets: list[tuple[str, int | None, int | None, str]] = []
            for item in session.items:
                sides = ("left", "right") if item.per_side else ("both",)
                for dose in item.sets:
                    for side in sides:
                        hold = getattr(dose, "hold_s", None)
                        sets.append((item.exercise, None if hold is not None else dose.reps,
                                     hold, side))
            while len(sets) < 8:  # a short session: the last exercise once more
                sets.append(sets[-1])
            sessions.append(((session.date - START_REF).days, session.estimated_minutes,
                             sets[:15]))
        stored = profile.to_document()
        stored["name"] = NAME_MARK
        week = stored["running"]["week"]
        made.append(Template(copy_text(json.dumps(stored)), json.dumps(plan_doc), sessions,
                             [(DAYS.index(d), t) for d, t in week.items() if t != "rest"]))
    return made


def copy_text(value: str) -> str:
    """A value for COPY's text format (no tabs or newlines in what we write)."""
    return value.replace("\\", "\\\\")


def ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@dataclass
class Ids:
    account: int
    credential: int = 0
    profile: int = 0
    plan: int = 0
    session: int = 0
    set: int = 0
    test: int = 0
    activity: int = 0
    link: int = 0
    comment: int = 0


class Rows:
    """COPY lines per table for a chunk of athletes."""

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = {t: [] for t in TABLES}
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def add(self, table: str, *values: object) -> None:
        self.lines[table].append("\t".join(N if v is None else str(v) for v in values))

    def take(self) -> dict[str, str]:
        out = {t: "\n".join(lines) + "\n" for t, lines in self.lines.items() if lines}
        for t, lines in self.lines.items():
            self.counts[t] += len(lines)
            lines.clear()
        return out


def fill_athlete(rows: Rows, ids: Ids, n: int, account: int, coach: int, template: Template,
                 years: float, hashed: str, seed: int, rng: random.Random) -> None:
    name = athlete_name(n)
    email = f"athlete{n:05d}@example.org"
    plans = max(1, round(years * 52 / PLAN_WEEKS))
    active_start = START_REF - timedelta(weeks=rng.randint(0, PLAN_WEEKS - 1))
    first_start = active_start - timedelta(weeks=PLAN_WEEKS * (plans - 1))
    joined = at(first_start - timedelta(days=3), 18)
    rows.add("accounts", account, email, hashed, "athlete", "f", "f", "f", ts(joined))
    ids.credential += 1
    rows.add("credentials", ids.credential, account, "token",
             accounts.digest(token_of(account, seed)), "scale bench", ts(joined))
    ids.profile += 1
    profile_id = ids.profile
    rows.add("profiles", profile_id, account, name,
             template.profile_json.replace(NAME_MARK, name), ts(joined), ts(joined))
    ids.link += 1
    rows.add("coach_links", ids.link, coach, account, ts(joined))
    for k in range(plans):
        start = first_start + timedelta(weeks=PLAN_WEEKS * k)
        shift = (start - START_REF).days // 7
        text = template.plan_text(shift).replace(NAME_MARK, name)
        outline = template.outline_text(shift)
        ids.plan += 1
        rows.add("plans", ids.plan, profile_id, start.isoformat(), PLAN_WEEKS, text,
                 ts(at(start - timedelta(days=1), 19)), "f", "f", outline)
        if k == plans - 1:  # the plan following the log: regenerated after the last entry
            ids.plan += 1
            rows.add("plans", ids.plan, profile_id, start.isoformat(), PLAN_WEEKS, text,
                     ts(at(TODAY - timedelta(days=1), 22)), "t", "t", outline)
        for offset, minutes, sets in template.sessions:
            day = start + timedelta(days=offset)
            if day >= TODAY or rng.random() < 0.2:
                continue
            ids.session += 1
            pain = rng.choice((0, 0, 0, 1, 1, 2, 3))
            written = ts(at(day, 19, rng.randint(0, 59)))
            rows.add("log_sessions", ids.session, profile_id, f"s-{day.isoformat()}-{offset}",
                     day.isoformat(), minutes, rng.randint(4, 8), pain,
                     rng.choice((None, None, 0, 1)), "", written, written)
            for position, (exercise, reps, hold, side) in enumerate(sets):
                ids.set += 1
                rows.add("log_sets", ids.set, ids.session, position, exercise, reps, hold,
                         None, None, side, rng.randint(5, 9), min(10, pain + rng.randint(0, 1)))
    week = first_start
    while week < TODAY:
        for weekday, kind in template.run_days:
            day = week + timedelta(days=weekday)
            if day >= TODAY or rng.random() < 0.1:
                continue
            km = {"long": rng.uniform(14, 24), "easy": rng.uniform(6, 10)}.get(
                kind, rng.uniform(8, 13))
            start_at = at(day, rng.randint(6, 19), rng.randint(0, 59))
            ids.activity += 1
            duration = round(km * 330, 1)
            document = (f'{{"sport": "running", "start": '
                        f'"{start_at.strftime("%Y-%m-%dT%H:%M:%SZ")}", '
                        f'"duration_s": {duration!r}, "moving_s": {round(duration * 0.97, 1)!r}, '
                        f'"distance_m": {round(km * 1000, 1)!r}, '
                        f'"avg_hr": {rng.randint(135, 165)}, "laps": [], "source": "fit"}}')
            rows.add("activities", ids.activity, profile_id,
                     activity_id(Sport.RUNNING, start_at), "running", ts(start_at), document,
                     None, "scale-bench.fit", ts(at(day, 21)))
        if ((week - first_start).days // 7) % 4 == 0:
            ids.test += 1
            left = rng.randint(18, 30)
            rows.add("field_tests", ids.test, profile_id, f"t-{week.isoformat()}",
                     week.isoformat(), "single_leg_bridge", float(left),
                     float(round(left * rng.uniform(0.85, 1.08))), "", ts(at(week, 20)))
        week += timedelta(weeks=1)
    for j in range(rng.choice((0, 0, 1, 2))):
        ids.comment += 1
        by_coach = j % 2 == 1
        day = TODAY - timedelta(days=rng.randint(1, 20))
        rows.add("comments", ids.comment, profile_id, day.isoformat(),
                 coach if by_coach else account,
                 f"coach{coach}@example.org" if by_coach else email,
                 "t" if by_coach else "f",
                 "How did the Nordics feel?" if by_coach else "Sore hamstring today",
                 ts(at(day, 20)))


def fill(url: str, athletes: int, years: float, seed: int) -> None:
    started = time.perf_counter()
    rng = random.Random(seed)
    Store.open(url).close()  # the app's migrations make the schema (and the local owner)
    templates = make_templates(TEMPLATES, rng)
    hashed = accounts.hash_password(PASSWORD)  # once: argon2 is slow on purpose
    made = time.perf_counter() - started
    with psycopg.connect(libpq(url)) as connection:
        base = connection.execute("SELECT max(id) FROM accounts").fetchone()[0] or 0  # type: ignore[index]
    ids = Ids(account=base)
    coaches = max(1, min(COACHES, -(-athletes // ATHLETES_PER_COACH)))
    rows = Rows()
    for _ in range(coaches):
        ids.account += 1
        rows.add("accounts", ids.account, f"coach{ids.account}@example.org", hashed, "coach",
                 "f", "f", "f", ts(at(TODAY - timedelta(days=800), 9)))
        ids.credential += 1
        rows.add("credentials", ids.credential, ids.account, "token",
                 accounts.digest(token_of(ids.account, seed)), "scale bench",
                 ts(at(TODAY - timedelta(days=800), 9)))
    first_coach = base + 1
    chunks: queue.Queue[dict[str, str] | None] = queue.Queue(maxsize=3)
    failure: list[BaseException] = []
    writer = threading.Thread(target=_write, args=(url, chunks, failure), daemon=True)
    writer.start()
    chunks.put(rows.take())
    for n in range(athletes):
        ids.account += 1
        coach = first_coach + min(n // ATHLETES_PER_COACH, coaches - 1)
        fill_athlete(rows, ids, n, ids.account, coach, templates[n % len(templates)], years,
                     hashed, seed, rng)
        if n % 250 == 249:
            chunks.put(rows.take())
            if failure:
                raise SystemExit(f"COPY failed: {failure[0]}")
            if n % 2500 == 2499:
                print(f"  {n + 1} athletes, {time.perf_counter() - started:.0f} s", flush=True)
    chunks.put(rows.take())
    chunks.put(None)
    writer.join()
    if failure:
        raise SystemExit(f"COPY failed: {failure[0]}")
    copied = time.perf_counter() - started
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        for table in TABLES:
            connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))")
        connection.execute("VACUUM (ANALYZE)")
    total = time.perf_counter() - started
    print(f"filled {athletes} athletes x {years:g} years ({coaches} coaches): plans made in "
          f"{made:.1f} s, rows written in {copied - made:.0f} s, VACUUM ANALYZE "
          f"{total - copied:.0f} s; {total:.0f} s in all")
    for table in TABLES:
        print(f"  {table:13s} {rows.counts[table]:>12,} rows")


def _write(url: str, chunks: queue.Queue[dict[str, str] | None],
           failure: list[BaseException]) -> None:
    """COPY each chunk, table by table, in one transaction per chunk."""
    try:
        with psycopg.connect(libpq(url)) as connection:
            connection.execute("SET synchronous_commit = off")
            # the rows are made consistent here: no foreign-key trigger per row (superuser)
            connection.execute("SET session_replication_role = replica")
            while (chunk := chunks.get()) is not None:
                with connection.transaction(), connection.cursor() as cursor:
                    for table in TABLES:
                        if table in chunk:
                            with cursor.copy(f"COPY {table} ({COLUMNS[table]}) "
                                             "FROM STDIN") as copy:
                                copy.write(chunk[table])
    except BaseException as exc:  # reported by the filling thread
        failure.append(exc)
        while chunks.get() is not None:  # let the producer finish
            pass


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def database_size(url: str) -> int:
    with psycopg.connect(libpq(url)) as connection:
        size: int = connection.execute(
            "SELECT pg_database_size(current_database())").fetchone()[0]  # type: ignore[index]
        return size


def table_sizes(url: str) -> list[tuple[str, int, int]]:
    with psycopg.connect(libpq(url)) as connection:
        return [(t, *connection.execute(  # type: ignore[misc]
            "SELECT pg_table_size(%s), pg_indexes_size(%s)", (t, t)).fetchone())
            for t in TABLES]


# -- measuring ----------------------------------------------------------------------------

LUA = """
local entries = {}
for line in io.lines("%(file)s") do
  local token, path = line:match("^(%%S+) (%%S+)$")
  entries[#entries + 1] = {token, path}
end
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + tid)
end
local counter = 0
request = function()
  local e = entries[math.random(#entries)]
  counter = counter + 1
  local headers = {["Authorization"] = "Bearer " .. e[1]}
  %(body)s
end
"""
GET_BODY = 'return wrk.format("GET", e[2], headers)'
POST_BODY = """headers["Content-Type"] = "application/json"
  local body = '{"id":"sb-%(nonce)s-' .. tid .. '-' .. counter .. '","date":"%(day)s",' ..
    '"duration_min":20,"session_rpe":6,"pain":1,' ..
    '"sets":[{"exercise":"squat","reps":8,"rpe":6}]}'
  return wrk.format("POST", e[2], headers, body)"""


@dataclass(frozen=True)
class Population:
    athletes: list[tuple[str, str]]  # token, profile name (URL-quoted)
    coaches: list[str]  # tokens of coaches with a full roster


def population(url: str, seed: int) -> Population:
    with psycopg.connect(libpq(url)) as connection:
        athletes = connection.execute(
            "SELECT a.id, p.name FROM accounts a JOIN profiles p ON p.account_id = a.id "
            "WHERE a.role = 'athlete' ORDER BY a.id").fetchall()
        coaches = connection.execute(
            "SELECT coach_id FROM coach_links GROUP BY coach_id HAVING count(*) >= %s "
            "ORDER BY coach_id", (ATHLETES_PER_COACH,)).fetchall()
    return Population([(token_of(a, seed), quote(name, safe="")) for a, name in athletes],
                      [token_of(c, seed) for (c,) in coaches])


def measure(url: str, people: Population, args: argparse.Namespace, workers: int,
            folder: Path) -> list[tuple[str, float, str, str, int]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HAMSTRIDE_TODAY": TODAY.isoformat(), "HAMSTRIDE_ACCOUNTS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "hamstride.cli.main", "serve", "--accounts", "--host",
         "127.0.0.1", "--port", str(port), "--workers", str(workers), "--db", url],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs: list[tuple[str, float, str, str, int]] = []
    try:
        wait_ready(base, timeout=60)
        files = {
            "roster": [f"{t} /api/v1/coach/roster" for t in people.coaches],
            "today": [f"{t} /api/v1/profiles/{n}/today" for t, n in people.athletes],
            "progress": [f"{t} /api/v1/profiles/{n}/progress" for t, n in people.athletes],
            "log": [f"{t} /api/v1/profiles/{n}/log" for t, n in people.athletes],
        }
        nonce = f"{os.getpid()}{int(time.time()) % 100000}"
        labels = {"roster": "GET roster (200 athletes)", "today": "GET today",
                  "progress": "GET progress", "log": "POST log entry (1 set)"}
        for what in ("roster", "today", "progress", "log"):
            listing = folder / f"{what}.txt"
            listing.write_text("\n".join(files[what]) + "\n", encoding="utf-8")
            body = (POST_BODY % {"nonce": nonce, "day": TODAY.isoformat()}
                    if what == "log" else GET_BODY)
            script = folder / f"{what}.lua"
            script.write_text(LUA % {"file": listing, "body": body}, encoding="utf-8")
            done = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
                 "--timeout", "10s", "-s", str(script), base + "/"],
                capture_output=True, text=True, check=True)
            rate, p50, p99, errors = figures(done.stdout)
            runs.append((labels[what], rate, p50, p99, errors))
            print(f"{workers} worker(s)  {labels[what]:28s} {rate:8.1f} req/s   "
                  f"p50 {p50:>8s}   p99 {p99:>8s}"
                  + (f"   non-2xx {errors}" if errors else ""), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        with psycopg.connect(libpq(url)) as connection:  # the next round starts as this one
            connection.execute("DELETE FROM log_sessions WHERE client_id LIKE 'sb-%'")
    return runs


# -- query plans --------------------------------------------------------------------------

def explain(url: str, seed: int) -> None:
    """Each statement the app runs for today, log, plan, progress and the roster, with its
    EXPLAIN (ANALYZE, BUFFERS), trimmed to the plan nodes."""
    from sqlalchemy import event

    from hamstride import coach, coaching
    from hamstride.accounts import Caller
    from hamstride.training.log import session_from_data

    store = Store.open(url)
    people = population(url, seed)
    rng = random.Random(seed + 1)
    with psycopg.connect(libpq(url)) as connection:
        row = connection.execute(
            "SELECT a.id, p.name FROM accounts a JOIN profiles p ON p.account_id = a.id "
            "WHERE a.role = 'athlete' ORDER BY a.id OFFSET %s LIMIT 1",
            (rng.randrange(len(people.athletes)),)).fetchone()
        coach_id = connection.execute(
            "SELECT coach_id FROM coach_links GROUP BY coach_id ORDER BY coach_id "
            "LIMIT 1").fetchone()[0]  # type: ignore[index]
    assert row is not None
    account, name = row
    theirs = store.scoped(account)
    captured: list[tuple[str, Any]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               many: bool) -> None:
        if not many:
            captured.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", listen)
    entry = session_from_data({"id": f"explain-{time.time_ns()}", "date": TODAY.isoformat(),
                               "duration_min": 20, "session_rpe": 6, "pain": 1,
                               "sets": [{"exercise": "squat", "reps": 8, "rpe": 6}]})
    cases: list[tuple[str, Callable[[], object]]] = [
        ("today", lambda: coach.today(theirs, name, TODAY)),
        ("plan", lambda: (coach.fresh_plans(theirs, name, TODAY),
                          theirs.active_plan(profile_name=name))),
        ("progress", lambda: coach.progress(theirs, name, TODAY, weeks=12)),
        ("log", lambda: coach.log(theirs, name, [entry], TODAY, replan_now=False)),
        ("roster", lambda: coaching.roster(store, Caller(coach_id, "coach", None), TODAY)),
    ]
    print(f"query plans: athlete account {account} ('{name}'), coach {coach_id}; "
          f"{TODAY}")
    raw = store.engine.raw_connection()
    try:
        for label, call in cases:
            captured.clear()
            store.kept.forget("today")
            store.kept.forget("plan")
            call()
            statements = list(captured)
            print(f"\n### {label}: {len(statements)} statements\n")
            cursor = raw.cursor()
            if label == "log":  # undone, then its statements run again and rolled back
                theirs.delete_log_session(profile_name=name, client_id=entry.id)
                cursor.execute("SET LOCAL session_replication_role = replica")  # the set's
                # session id is the deleted row's
            try:
                for statement, parameters in statements:
                    if statement.lstrip().upper().startswith(("SELECT 1", "SELECT PG_")):
                        continue
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    lines = [r[0] for r in cursor.fetchall()]
                    print("```sql\n" + " ".join(statement.split())[:600] + "\n```")
                    print("```\n" + "\n".join(trim(lines)) + "\n```")
            finally:
                cursor.close()
                raw.rollback()
    finally:
        raw.close()
        store.close()


def trim(lines: list[str]) -> Iterator[str]:
    """Plan nodes, index conditions and timings; not the buffer and filter detail."""
    for line in lines:
        text = line.strip()
        if text.startswith(("Buffers:", "Planning:", "Rows Removed", "Heap Fetches",
                            "Recheck Cond", "Heap Blocks", "Output:")):
            continue
        yield line


# -- the run ------------------------------------------------------------------------------

def machine() -> str:
    def run(*command: str) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True,
                                  check=False).stdout.strip()
        except OSError:
            return "?"
    cpu = [line for line in run("lscpu").splitlines()
           if line.startswith(("Model name", "CPU(s)", "Thread(s)", "Architecture"))]
    memory = run("free", "-g").splitlines()
    return "\n".join([f"nproc {run('nproc')}", *cpu, *(memory[:2]), run("psql", "-V"),
                      f"python {sys.version.split()[0]}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--athletes", type=int, default=10_000)
    parser.add_argument("--years", type=float, default=2)
    parser.add_argument("--db", help=f"a PostgreSQL URL (default: a fresh {DEFAULT_DB} "
                                     f"on {SERVER})")
    parser.add_argument("--keep", action="store_true", help="keep the database made")
    parser.add_argument("--skip-fill", action="store_true",
                        help="measure a database this benchmark filled (with --db)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--single", action="store_true", help="measure 1 worker too")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--no-measure", action="store_true")
    args = parser.parse_args()
    if not args.no_measure and shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    made = args.db is None
    url = args.db or f"postgresql+psycopg://postgres@127.0.0.1:5432/{DEFAULT_DB}"
    if made:
        if args.skip_fill:
            raise SystemExit("--skip-fill needs --db")
        with psycopg.connect(SERVER + "/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DEFAULT_DB}")
            connection.execute(f"CREATE DATABASE {DEFAULT_DB}")
    print(machine())
    try:
        if not args.skip_fill:
            fill(url, args.athletes, args.years, args.seed)
        size = database_size(url)
        print(f"database size {size / 2**30:.2f} GiB")
        for table, heap, index in table_sizes(url):
            print(f"  {table:13s} table {heap / 2**20:8.0f} MiB   indexes {index / 2**20:8.0f} MiB")
        if args.explain:
            explain(url, args.seed)
        if not args.no_measure:
            people = population(url, args.seed)
            folder = Path(tempfile.mkdtemp(prefix="hamstride-scale-"))
            print(f"wrk: 2 threads, {args.connections} connections, {args.seconds} s each; "
                  f"{len(people.athletes)} athletes, {len(people.coaches)} coaches")
            measure(url, people, args, args.workers, folder)
            if args.single:
                measure(url, people, args, 1, folder)
    finally:
        if made and not args.keep:
            with psycopg.connect(SERVER + "/postgres", autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {DEFAULT_DB} WITH (FORCE)")
            print(f"dropped {DEFAULT_DB}")


if __name__ == "__main__":
    main()
