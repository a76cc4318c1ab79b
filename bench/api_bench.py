"""Benchmark: the API under load, against the bare "hello" endpoint of the same stack.

Run: python bench/api_bench.py [--workers 2] [--connections 50] [--seconds 10]
       [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--only today]
Needs wrk (`apt-get install wrk`). Starts `hamstride serve` on 127.0.0.1 (a free port,
a fresh SQLite database in a temporary folder, one runner with a plan), drives it from
a separate process with wrk (2 threads, N connections, a fixed duration: the load is
bounded and stops by itself), and prints requests/s and p50/p99 latency for:
GET /api/v1/hello (the ceiling), GET today, and POST a log entry (a new id each time).

Each round runs twice: in local mode (no log-in) and with accounts on, every request
carrying `Authorization: Bearer TOKEN` (the token checked on every request), each on a
new database prepared the same way; rounds alternate the two (--rounds, default 2).
With --pg (an admin URL) each round also runs on PostgreSQL, on a database made for it
and dropped after. --only keeps the runs whose label contains the word (e.g. "today").
--warmup N: a run of N seconds before each measured one, not counted (the first requests
of 50 connections at once all work the answer out before any is kept: a cold start).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hamstride import accounts
from hamstride.store import Store, resolve_db_url
from hamstride.training.planner import generate_plan
from hamstride.training.profile import profile_from_data

TODAY = date(2027, 1, 5)
NAME = "Bench"
PROFILE = {"name": NAME, "level": "intermediate", "goal": "prevent_injury",
           "session_minutes": 30, "equipment": ["nordic_anchor", "dumbbells"],
           "running": {"week": {"tue": "intervals", "sat": "long"}}}
POST_LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
counter = 0
request = function()
  counter = counter + 1
  local body = '{"id":"b-' .. tid .. '-' .. counter .. '","date":"%s",' ..
    '"duration_min":20,"session_rpe":6,"pain":1,' ..
    '"sets":[{"exercise":"squat","reps":8,"rpe":6},{"exercise":"calf_raise","reps":12}]}'
  return wrk.format("POST", "/api/v1/profiles/%s/log",
                    {["Content-Type"] = "application/json"%s}, body)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def prepare(url: str, *, with_account: bool) -> str | None:
    """The runner and a plan; with an account, it owns them and the token is returned."""
    store = Store.open(url)
    profile = profile_from_data(PROFILE)
    store.save_profile(name=NAME, document=profile.to_document())
    plan = generate_plan(profile, start=TODAY, weeks=12)
    store.save_plan(profile_name=NAME, start=TODAY, weeks=12, document=plan.to_document())
    token = None
    if with_account:  # the first account takes over the local runner
        account = accounts.add_account(store, email="bench@example.org",
                                       password="a bench password", claim_local=True)
        token = accounts.make_token(store, account.id, address="bench", label="bench")
    store.close()
    return token


def wait_ready(base: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/hello", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def wrk(base: str, path: str, args: argparse.Namespace, script: Path | None = None,
        token: str | None = None) -> str:
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
    if token is not None:
        command += ["-H", f"Authorization: Bearer {token}"]
    if script is not None:
        command += ["-s", str(script)]
    done = subprocess.run([*command, base + path], capture_output=True, text=True, check=True)
    return done.stdout


def figures(output: str) -> tuple[float, str, str, int]:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"\s50%\s+(\S+)", output).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"\s99%\s+(\S+)", output).group(1)  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, p50, p99, int(errors.group(1)) if errors else 0


def start(url: str, port: int, args: argparse.Namespace, *, accounts_on: bool,
          ) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HAMSTRIDE_TODAY": TODAY.isoformat(),
           "HAMSTRIDE_ACCOUNTS": "1" if accounts_on else "0"}
    return subprocess.Popen(
        [sys.executable, "-m", "hamstride.cli.main", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(args.workers), "--db", url],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pg_database(admin_url: str, name: str, *, drop: bool = False) -> str:
    """A new PostgreSQL database ``name`` (or, with ``drop``, none), its URL."""
    admin = create_engine(resolve_db_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not drop:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(resolve_db_url(admin_url)).set(database=name).render_as_string(
        hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pg", help="PostgreSQL admin URL: each round runs there too")
    parser.add_argument("--only", help="only the runs whose label contains this")
    parser.add_argument("--warmup", type=int, default=0, help="seconds of load first")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="hamstride-api-bench-"))
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} cpus; {args.workers} workers, {args.connections} "
          f"connections, {args.seconds} s each (wrk, 2 threads)")
    backends = ("sqlite", "postgresql") if args.pg else ("sqlite",)
    for n in range(1, args.rounds + 1):
        for backend, mode in [(b, m) for b in backends for m in ("local", "accounts")]:
            # each round on a new database: the same load
            if backend == "sqlite":
                url = f"sqlite:///{folder / f'{mode}-{n}.db'}"
            else:
                url = pg_database(args.pg, f"hamstride_bench_{mode}_{n}")
            token = prepare(url, with_account=mode == "accounts")
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = start(url, port, args, accounts_on=token is not None)
            try:
                wait_ready(base)
                script = folder / f"post-{mode}.lua"
                header = "" if token is None else f', ["Authorization"] = "Bearer {token}"'
                script.write_text(POST_LUA % (TODAY.isoformat(), NAME, header),
                                  encoding="utf-8")
                runs = (("GET /api/v1/hello (ceiling)", "/api/v1/hello", None),
                        ("GET today", f"/api/v1/profiles/{NAME}/today", None),
                        ("POST log entry", f"/api/v1/profiles/{NAME}/log", script))
                for label, path, lua in runs:
                    if args.only and args.only not in label:
                        continue
                    if args.warmup:
                        wrk(base, path, argparse.Namespace(
                            connections=args.connections, seconds=args.warmup), lua, token)
                    rate, p50, p99, errors = figures(wrk(base, path, args, lua, token))
                    print(f"round {n} {backend:10s} {mode:8s} {label:28s} {rate:9.0f} req/s   "
                          f"p50 {p50:>8s}   p99 {p99:>8s}"
                          + (f"   non-2xx {errors}" if errors else ""), flush=True)
            finally:
                server.terminate()
                server.wait(timeout=20)
                if backend == "postgresql":
                    pg_database(args.pg, f"hamstride_bench_{mode}_{n}", drop=True)


if __name__ == "__main__":
    main()
