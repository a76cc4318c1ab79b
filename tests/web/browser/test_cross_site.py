"""In a real browser: a page of another origin (a tiny server on another port of this
computer) whose form posts itself to the live server's /start is refused, and nothing is
stored; the app's own pages run under the strict Content-Security-Policy."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.web.browser.conftest import LiveServer, onboarding_form

NAME = "Mallory Form"


def attack_page(target: str) -> bytes:
    """A page that posts a whole onboarding form to ``target`` as soon as it loads."""
    fields = []
    for key, value in onboarding_form(NAME).items():
        for one in value if isinstance(value, list) else [value]:
            fields.append(f'<input type="hidden" name="{escape(key)}" value="{escape(one)}">')
    return (f'<!doctype html><title>Win a prize</title>'
            f'<form id="f" method="post" action="{escape(target)}">{"".join(fields)}</form>'
            '<script>document.getElementById("f").submit();</script>').encode()


@pytest.fixture
def other_origin(live_server: LiveServer) -> Iterator[int]:
    """The port of a server on 127.0.0.1 that serves ``attack_page`` at every path."""
    body = attack_page(f"{live_server.url}/start")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server calls it by that name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


# 127.0.0.1 on another port is the same site (Sec-Fetch-Site: same-site), localhost is
# another site (cross-site): both are other origins
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_form_from_another_origin_is_refused(page: Any, live_server: LiveServer,
                                               other_origin: int, host: str) -> None:
    with page.expect_response(lambda r: r.url == f"{live_server.url}/start") as answer:
        page.goto(f"http://{host}:{other_origin}/prize")
    response = answer.value
    assert response.status == 403
    assert response.request.method == "POST"
    assert response.request.header_value("sec-fetch-site") in ("same-site", "cross-site")
    page.wait_for_load_state()
    assert "Refused: sent from another site" in page.text_content("h1")
    assert NAME not in [p.name for p in live_server.store.list_profiles()]


def test_the_own_pages_run_under_the_policy(browser: Any, live_server: LiveServer) -> None:
    # its own tab: the page fixture fails a test on any violation, and this one makes one
    context = browser.new_context(base_url=live_server.url)
    try:
        tab = context.new_page()
        response = tab.goto("/exercises")
        assert "script-src 'self';" in response.header_value("content-security-policy")
        # app.js (no inline script) marks the page: the no-JavaScript Filter button hides
        tab.wait_for_function("() => document.documentElement.classList.contains('js')")
        assert tab.locator("button.js-hide").is_hidden()
        blocked = tab.evaluate("""() => new Promise(done => {
            document.addEventListener('securitypolicyviolation',
                                      e => done(e.violatedDirective), {once: true});
            const s = document.createElement('script');
            s.textContent = 'window.injected = true';
            document.body.append(s);
        })""")
        assert blocked.startswith("script-src")
        assert tab.evaluate("() => window.injected === undefined")
    finally:
        context.close()
