"""Fixtures of the page and browser tests: an app on a fresh SQLite file with a fixed
"today" and fast timers, a TestClient on it, and (for the browser tests) the real app
served by uvicorn in a thread plus Debian's Chromium driven by Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hamstride.store import Store
from hamstride.web.app import create_app
from hamstride.web.settings import Settings
from tests.web.conftest import TEST_HOSTS

TODAY = date(2027, 1, 4)  # a Monday, a strength day of RUNNER's plan
TIMER_SCALE = 0.02
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def onboarding_form(name: str = "Ana", **overrides: Any) -> dict[str, Any]:
    """The onboarding form's fields for a novice with a Nordic anchor and dumbbells who
    does strength work on Monday, Wednesday and Friday."""
    form: dict[str, Any] = {
        "name": name, "level": "novice", "goal": "prevent_injury", "session_minutes": "20",
        "equipment": ["nordic_anchor", "dumbbells", "bench"],
        "strength_days": ["mon", "wed", "fri"], "running.weekly_km": "40",
        "running.week.tue": "intervals", "running.week.thu": "easy",
        "running.week.sat": "long", "race0.date": "2027-03-14", "race0.name": "City half",
        "race0.priority": "A"}
    form.update(overrides)
    return form


def make_app(db_url: str, *, today: date = TODAY, timer_scale: float = 1.0) -> FastAPI:
    """The app; it answers to TestClient's ``testserver`` and to the live server's
    127.0.0.1 (a default)."""
    return create_app(Settings(db_url=db_url, today=today, timer_scale=timer_scale,
                               allowed_hosts=TEST_HOSTS))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(f"sqlite:///{tmp_path}/pages.db",
                             timer_scale=TIMER_SCALE)) as test_client:
        yield test_client


@pytest.fixture
def client_with_plan(client: TestClient) -> TestClient:
    response = client.post("/start", data=onboarding_form(), follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


# -- the browser tests ------------------------------------------------------------------

class LiveServer:
    """The app served by uvicorn on a free 127.0.0.1 port, in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        import uvicorn

        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    @property
    def store(self) -> Store:
        store: Store = self.app.state.store
        return store

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def accounts_live_server(folder: Path) -> LiveServer:
    """A started live server with accounts on, on a new database in ``folder`` (the
    session's ``live_server`` has them off); stop it when done."""
    server = LiveServer(create_app(Settings(db_url=f"sqlite:///{folder / 'accounts.db'}",
                                            today=TODAY, accounts=True)))
    server.start()
    return server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("live") / "browser.db"
    server = LiveServer(make_app(f"sqlite:///{db}", timer_scale=TIMER_SCALE))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium (Playwright's own download does not work here). Missing is a
    failure, never a skip: CI installs it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need it. Install it with "
                    "`sudo apt-get install chromium`.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh phone-sized tab (its own storage) on the live server; a JavaScript error
    or anything the Content-Security-Policy blocked fails the test."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda message: errors.append(message.text)
           if "Content Security Policy" in message.text else None)  # what the CSP blocked
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
