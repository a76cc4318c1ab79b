"""What one API request costs the server, in CPU: the app called in process, no network.

Run: python bench/api_cost.py [--requests 3000] [--repeats 5]
The same database and requests as api_bench.py (one runner with a plan; GET hello, GET
today, POST a log entry with a new id each time), sent one after the other straight to the
ASGI app, so neither wrk nor the kernel's sockets are counted. It prints the process CPU
time per request (the worker threads included), best and median of the repeats: a figure
that other work on a shared machine moves far less than requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvloop

from api_bench import NAME, TODAY, prepare
from hamstride.web.app import create_app
from hamstride.web.settings import Settings

Request = tuple[str, str, bytes]


def hello(_: int) -> Request:
    return "GET", "/api/v1/hello", b""


def today(_: int) -> Request:
    return "GET", f"/api/v1/profiles/{NAME}/today", b""


def log_entry(n: int) -> Request:
    body = {"id": f"c-{n}", "date": TODAY.isoformat(), "duration_min": 20, "session_rpe": 6,
            "pain": 1, "sets": [{"exercise": "squat", "reps": 8, "rpe": 6},
                                {"exercise": "calf_raise", "reps": 12}]}
    return "POST", f"/api/v1/profiles/{NAME}/log", json.dumps(body).encode()


async def send(app: Any, request: Request) -> int:
    """One request through the ASGI interface; its status."""
    method, path, body = request
    headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.Event().wait()  # the client never disconnects
        return {}

    async def respond(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(scope, receive, respond)
    return statuses[0]


async def measure(app: Any, make: Callable[[int], Request], args: argparse.Namespace,
                  ) -> list[float]:
    """CPU microseconds per request, one figure per repeat, after a warm-up."""
    sent = 0
    figures = []
    for repeat in range(args.repeats + 1):
        started = time.process_time()
        for _ in range(args.requests):
            sent += 1
            status = await send(app, make(sent))
            assert status < 300, status
        if repeat:  # the first round warms up caches and connections
            figures.append(1e6 * (time.process_time() - started) / args.requests)
    return figures


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hamstride-api-cost-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        prepare(url)
        app = create_app(Settings(db_url=url, today=TODAY))
        async with app.router.lifespan_context(app):
            for label, make in (("GET /api/v1/hello", hello), ("GET today", today),
                                ("POST log entry", log_entry)):
                figures = await measure(app, make, args)
                print(f"{label:20s} CPU per request: best {min(figures):5.0f} us, "
                      f"median {statistics.median(figures):5.0f} us")


if __name__ == "__main__":
    uvloop.run(main())
