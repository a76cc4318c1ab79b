"""Two runners on one server with accounts on, each in a browser context of their own:
each signs up and makes a plan, one logs a set in the player; neither
ever sees the other's name, plan or log, and the other's API paths answer 404."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from tests.web.browser.conftest import (
    PHONE,
    LiveServer,
    accounts_live_server,
    onboarding_form,
)

PASSWORD = "two runners, one server"


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = accounts_live_server(tmp_path_factory.mktemp("two"))
    yield server
    server.stop()


def _context(browser: Any, server: LiveServer) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  base_url=server.url)
    context.set_default_timeout(10_000)
    return context


def _sign_up_and_plan(tab: Any, email: str, name: str, days: list[str]) -> None:
    tab.goto("/plan")  # not signed in: sent to log in, then on to sign-up
    tab.wait_for_url("**/login?next=%2Fplan")
    tab.click("a[href^='/signup']")
    tab.fill("#f-email", email)
    tab.fill("#f-password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/start")
    form = onboarding_form(name=name, strength_days=days)
    tab.fill("#f-name", name)
    tab.select_option("#f-level", form["level"])
    tab.select_option("#f-goal", form["goal"])
    tab.fill("#f-session_minutes", form["session_minutes"])
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        box = tab.locator(f"input[name=strength_days][value={day}]")
        box.set_checked(day in days)
    for item in form["equipment"]:
        tab.locator(f"input[name=equipment][value={item}]").check()
    tab.click("form.form button[type=submit]")
    tab.wait_for_url("**/plan?new=1")


def test_two_runners_never_see_each_others_data(browser: Any,
                                                 shared_server: LiveServer) -> None:
    ana_context, ben_context = _context(browser, shared_server), _context(browser, shared_server)
    try:
        ana, ben = ana_context.new_page(), ben_context.new_page()
        _sign_up_and_plan(ana, "ana@example.org", "Ana Andersen", ["mon", "wed", "fri"])
        _sign_up_and_plan(ben, "ben@example.org", "Ben Brown", ["tue", "thu"])

        for tab, mine, theirs in ((ana, "Ana Andersen", "Ben Brown"),
                                  (ben, "Ben Brown", "Ana Andersen")):
            for path in ("/", "/plan", "/progress", "/runs", "/check", "/settings", "/start"):
                tab.goto(path)
                text = tab.content()
                assert theirs not in text, (path, theirs)
                assert "ana@example.org" not in text or mine == "Ana Andersen"
                assert "ben@example.org" not in text or mine == "Ben Brown"
            tab.goto("/plan")
            assert mine.split()[0] in tab.content()
            # the other's data by its API path: 404, as if it did not exist
            for suffix in ("", "/plan", "/today", "/log", "/progress"):
                answer = tab.request.get(f"/api/v1/profiles/{quote(theirs)}{suffix}")
                assert answer.status == 404, (suffix, answer.status)
            assert [p["name"] for p in tab.request.get("/api/v1/profiles").json()] == [mine]

        # Ana's plan runs Monday, Wednesday and Friday; Ben's Tuesday and Thursday
        ana_days = {s["date"] for w in ana.request.get(
            f"/api/v1/profiles/{quote('Ana Andersen')}/plan").json()["weeks"]
            for s in w["sessions"]}
        ben_days = {s["date"] for w in ben.request.get(
            f"/api/v1/profiles/{quote('Ben Brown')}/plan").json()["weeks"]
            for s in w["sessions"]}
        assert ana_days and ben_days and not ana_days & ben_days

        # Ana logs her first set in the player, signed in by her session cookie; it is in
        # her log only
        first = min(ana_days)
        ana.goto(f"/session/{first}/play")
        ana.wait_for_selector("#player[data-ready=true]")
        ana.click("#done")
        ana.wait_for_function(
            "() => document.getElementById('sync').textContent === 'saved'")
        ana_log = ana.request.get(f"/api/v1/profiles/{quote('Ana Andersen')}/log").json()
        assert len(ana_log) == 1 and ana_log[0]["date"] == first
        assert ben.request.get(f"/api/v1/profiles/{quote('Ben Brown')}/log").json() == []

        # logging out in one context leaves the other signed in
        ana.click("form[action='/logout'] button")
        ana.wait_for_url("**/login")
        ana.goto("/plan")
        ana.wait_for_url("**/login?next=%2Fplan")
        ben.goto("/plan")
        assert ben.url.endswith("/plan") and "Ben" in ben.content()
    finally:
        ana_context.close()
        ben_context.close()
