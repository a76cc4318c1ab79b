"""Two real `hamstride serve` processes on one database: a change made through one is in
its own next answer at once, and in the other's as soon as that one can know of it
(SQLite: its data version, at once; PostgreSQL: the writer's notification, a little after
the commit, store/watch.py), while each keeps its answers as long as nothing is written.

On PostgreSQL the other process hears of a commit when its listening backend has been
scheduled and has sent the notification: about 0.1 ms on an idle machine, but tens of
milliseconds when every core is busy (this test, the two servers and PostgreSQL on two
cores). Its answer in that window is the previous one, never another; so the other
process is asked again until its answer shows the write, within DELIVERY_S, and how
often it was stale is left to bench/RESULTS.md ("PostgreSQL freshness")."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from hamstride.store import Store
from hamstride.training.planner import generate_plan
from hamstride.training.profile import profile_from_data

TODAY = date(2027, 1, 5)  # a Tuesday, a strength day of the plan
NAME = "Two"
PROFILE = {"name": NAME, "level": "intermediate", "goal": "prevent_injury",
           "session_minutes": 30, "equipment": ["nordic_anchor", "dumbbells"],
           "running": {"week": {"tue": "intervals", "sat": "long"}}}
WRITES = 12  # alternating writer and reader
DELIVERY_S = 10.0  # far above any delivery window measured: a lost notification fails


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _call(base: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method="GET" if data is None
                                     else "POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, json.loads(answer.read())


def _serve(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "HAMSTRIDE_TODAY": TODAY.isoformat(), "HAMSTRIDE_ACCOUNTS": "0"}
    env.pop("HAMSTRIDE_DB_LISTEN_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "hamstride.cli.main", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1", "--db", url],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            _call(base, "/api/v1/hello")
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    _, err = process.communicate(timeout=10)
    pytest.fail(f"hamstride serve did not start: {err.decode(errors='replace')[-2000:]}")


@pytest.fixture
def two_servers(db_url: str) -> Iterator[tuple[str, str]]:
    with Store.open(db_url) as store:
        profile = profile_from_data(PROFILE)
        store.save_profile(name=NAME, document=profile.to_document())
        plan = generate_plan(profile, start=TODAY, weeks=4)
        store.save_plan(profile_name=NAME, start=TODAY, weeks=4, document=plan.to_document())
    started: list[subprocess.Popen[bytes]] = []
    try:
        first, a = _serve(db_url)  # one after the other: each migrates before serving
        started.append(first)
        second, b = _serve(db_url)
        started.append(second)
        yield a, b
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _logged(base: str) -> list[str]:
    status, shown = _call(base, f"/api/v1/profiles/{NAME}/today")
    assert status == 200
    return [entry["id"] for entry in shown["logged"]]


def test_a_write_through_one_process_is_in_the_others_next_answer(
    two_servers: tuple[str, str],
) -> None:
    a, b = two_servers
    status, shown = _call(b, f"/api/v1/profiles/{NAME}/today")
    assert status == 200 and shown["sessions"] and shown["logged"] == []
    assert _call(b, f"/api/v1/profiles/{NAME}/today") == (status, shown)  # kept: the same
    expected: list[str] = []
    for n in range(WRITES):
        writer, reader = (a, b) if n % 2 == 0 else (b, a)
        entry = {"id": f"two-{n}", "date": TODAY.isoformat(), "session_rpe": 5}
        status, _ = _call(writer, f"/api/v1/profiles/{NAME}/log", entry)
        assert status == 201
        expected.append(entry["id"])
        assert sorted(_logged(writer)) == sorted(expected), f"write {n}"  # at once
        deadline = time.monotonic() + DELIVERY_S
        while (shown_ids := sorted(_logged(reader))) != sorted(expected):
            assert shown_ids == sorted(expected[:-1]), f"write {n}: only ever the previous"
            assert time.monotonic() < deadline, f"write {n} never reached the other process"
            time.sleep(0.001)
