"""The account pages in a real browser on a phone-sized screen, with accounts on: sign up,
the header's Settings and Log out, the settings page (a screenshot, checked for
sideways overflow: test-artifacts/screenshots/settings*.png; docs/screenshots/settings.png
is a copy of the first screen), a new API token shown once, and logging out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser.conftest import PHONE, LiveServer, accounts_live_server
from tests.web.browser.test_browser import shot

PASSWORD = "correct horse battery"
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Mobile Safari/537.36")


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with accounts on, served by uvicorn (the conftest's server has them off)."""
    server = accounts_live_server(tmp_path_factory.mktemp("accounts"))
    yield server
    server.stop()


@pytest.fixture
def phone(browser: Any, accounts_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, base_url=accounts_server.url,
                                  user_agent=ANDROID)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_settings_page_on_a_phone(phone: Any, screenshots: Path) -> None:
    phone.goto("/signup")
    phone.fill("#f-email", "ana@example.org")
    phone.fill("#f-password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/start")
    phone.click(".account-nav a[href='/settings']")
    phone.wait_for_url("**/settings")
    assert phone.locator(".account-nav a[aria-current=page]").inner_text() == "Settings"
    assert phone.locator(".credentials .chip").inner_text() == "this one"
    assert "Chrome on Android" in phone.locator("#sessions").inner_text()
    # the account links fit in the brand's row: the header is no taller than without
    # them, so the sticky offsets below it (the plan's week heads) hold
    brand = phone.locator(".brand").bounding_box()
    links = phone.locator(".account-nav").bounding_box()
    assert links["height"] <= brand["height"] + 0.5
    assert links["y"] >= brand["y"] - 0.5
    shot(phone, screenshots, "settings")
    shot(phone, screenshots, "settings-full", full_page=True)

    phone.fill("#f-label", "my spreadsheet")
    phone.click("#tokens button[type=submit]:has-text('Make a token')")
    token = phone.locator("#f-new-token").input_value()
    assert phone.eval_on_selector(  # the whole token shows, nothing scrolled away
        "#f-new-token",
        "e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth")
    assert token.startswith("hs_")
    shot(phone, screenshots, "settings-new-token")
    phone.goto("/settings")
    assert token not in phone.content()
    assert "my spreadsheet" in phone.locator("#tokens").inner_text()

    phone.click(".account-nav button:has-text('Log out')")
    phone.wait_for_url("**/login")
    assert phone.locator(".account-nav").count() == 0
