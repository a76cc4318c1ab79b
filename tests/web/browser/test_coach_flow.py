"""The coach flow in a real browser, a physiotherapist and a runner in two contexts:
invitation link, sign-up through it, acceptance, the roster, the physio's "no Nordics"
hold that takes Nordics out of the runner's plan, a comment on a session that the runner
sees next to it, and the runner ending it (the physio's access ends at once)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.web.browser.conftest import (
    PHONE,
    LiveServer,
    accounts_live_server,
    onboarding_form,
)

PASSWORD = "a physio and a runner"
PHYSIO, RUNNER_EMAIL, NAME = "physio@example.org", "rita@example.org", "Rita Runner"
NORDIC = "nordic_hamstring_curl"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    started = accounts_live_server(tmp_path_factory.mktemp("coach"))
    yield started
    started.stop()


def _tab(browser: Any, server: LiveServer, errors: list[str]) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, base_url=server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda message: errors.append(message.text)
           if "Content Security Policy" in message.text else None)
    return tab


def _planned(tab: Any) -> set[str]:
    plan = tab.request.get(f"/api/v1/profiles/{quote(NAME)}/plan").json()
    return {item["exercise"] for week in plan["weeks"] for session in week["sessions"]
            for item in session["items"]}


def _make_plan(tab: Any) -> None:
    tab.goto("/start")
    form = onboarding_form(name=NAME)
    tab.fill("#f-name", NAME)
    tab.select_option("#f-level", form["level"])
    tab.select_option("#f-goal", form["goal"])
    tab.fill("#f-session_minutes", form["session_minutes"])
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        tab.locator(f"input[name=strength_days][value={day}]").set_checked(
            day in form["strength_days"])
    for item in form["equipment"]:
        tab.locator(f"input[name=equipment][value={item}]").check()
    tab.click("form.form button[type=submit]")
    tab.wait_for_url("**/plan?new=1")


def test_invitation_hold_and_comment(browser: Any, server: LiveServer,
                                     screenshots: Path) -> None:
    errors: list[str] = []
    physio, rita = _tab(browser, server, errors), _tab(browser, server, errors)
    try:
        # the physio makes a coach account and an invitation link
        physio.goto("/signup")
        physio.fill("#f-email", PHYSIO)
        physio.fill("#f-password", PASSWORD)
        physio.check("input[name=coach]")
        physio.click("form.form button[type=submit]")
        physio.wait_for_url("**/coach")
        assert "No athletes yet" in physio.content()
        physio.click("form[action='/coach/invite'] button")
        link = physio.input_value("#f-link")
        assert "/join/c_" in link

        # the runner opens it signed out: log-in, then sign-up, then back to it
        rita.goto(link.removeprefix(server.url))
        rita.wait_for_url("**/login?next=*")
        rita.click("a[href^='/signup']")
        rita.fill("#f-email", RUNNER_EMAIL)
        rita.fill("#f-password", PASSWORD)
        rita.click("form.form button[type=submit]")
        rita.wait_for_url("**/join/**")
        assert f"{PHYSIO}</strong> asks to coach you" in rita.content()
        rita.click("form[action^='/join/'] button")
        rita.wait_for_url("**/coaches?done=accepted")
        assert PHYSIO in rita.content()
        _make_plan(rita)
        assert NORDIC in _planned(rita)

        # the roster shows her; the athlete page is her plan, log and charts
        physio.goto("/coach")
        physio.wait_for_selector(f"text={NAME}")
        physio.screenshot(path=str(screenshots / "coach-roster.png"), full_page=True)
        physio.click(f"a:has-text('{NAME}')")
        physio.wait_for_selector("#rx-title")
        athlete_url = physio.url

        # "no Nordics until cleared"
        physio.select_option("#f-hold", NORDIC)
        physio.fill("#f-hold-why", "No Nordics until cleared at Thursday's assessment")
        physio.click("form.rx-form:has(#f-hold) button")
        physio.wait_for_url("**?done=prescribed")
        assert "Hold Nordic hamstring curl" in physio.content()
        physio.screenshot(path=str(screenshots / "coach-athlete.png"), full_page=True)
        assert NORDIC not in _planned(rita)
        rita.goto("/coaches")
        text = rita.content()
        assert "Hold Nordic hamstring curl" in text and PHYSIO in text
        assert "No Nordics until cleared at Thursday" in text
        check = rita.request.post("/api/v1/plans/check", data={
            "plan": rita.request.get(f"/api/v1/profiles/{quote(NAME)}/plan").json(),
            "profile": {**rita.request.get(f"/api/v1/profiles/{quote(NAME)}").json(),
                        "care": {"held": [{"exercise": NORDIC}]}}})
        assert check.ok and check.json()["violations"] == [], check.text

        # a comment on her first session, which she sees next to it
        physio.locator("a.session-link").first.click()
        physio.wait_for_selector("#f-comment")
        day = physio.url.rsplit("/", 1)[1]
        physio.fill("#f-comment", "Keep the last set easy: 3/10 at most.")
        physio.click("#comments button")
        physio.wait_for_url("**?done=comment")
        rita.goto(f"/session/{day}")
        comments = rita.locator("#comments").inner_text()
        assert "Keep the last set easy" in comments and PHYSIO in comments
        rita.fill("#f-comment", "Will do. Felt fine today.")
        rita.click("#comments button")
        rita.wait_for_url("**?done=comment*")
        rita.screenshot(path=str(screenshots / "session-comments.png"), full_page=True)
        physio.reload()
        assert "Felt fine today" in physio.locator("#comments").inner_text()

        # she ends it: the physio's access ends at once
        rita.goto("/coaches")
        rita.click("form[action^='/coaches/'][action$='/end'] button")
        rita.wait_for_url("**/coaches?done=unlinked")
        gone = physio.request.get(athlete_url.removeprefix(server.url))
        assert gone.status == 404
        physio.goto("/coach")
        assert NAME not in physio.content()
    finally:
        physio.context.close()
        rita.context.close()
    assert not errors, f"JavaScript errors: {errors}"
