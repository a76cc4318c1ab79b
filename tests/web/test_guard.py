"""The guard (web/guard.py): the host check, the cross-site check for changes, and the
security headers on every answer; the settings that feed it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from hamstride.errors import InputError
from hamstride.web.app import create_app
from hamstride.web.guard import CSP, DOCS_CSP, allowed_host_entry, split_host
from hamstride.web.settings import LOCAL_HOSTS, Settings
from tests.web.browser.conftest import onboarding_form
from tests.web.conftest import API, RUNNER_PATH, WEB_TODAY, api_error, runner_profile

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "hamstride" / "web" / "templates"
EVIL = "https://evil.example"


def app_for(tmp_path: Path, *hosts: str) -> FastAPI:
    return create_app(Settings(db_url=f"sqlite:///{tmp_path}/g.db", today=WEB_TODAY,
                               allowed_hosts=(*LOCAL_HOSTS, *hosts)))


@pytest.fixture
def local(tmp_path: Path) -> Any:
    """A client on the production default hosts (no ``testserver``)."""
    with TestClient(app_for(tmp_path), base_url="http://127.0.0.1:8000") as client:
        yield client


def assert_headers(response: Any, csp: str = CSP) -> None:
    assert response.headers["content-security-policy"] == csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def profiles(client: TestClient) -> list[Any]:
    found: list[Any] = client.get(f"{API}/profiles").json()
    return found


# -- the host check -------------------------------------------------------------------------

def test_an_unknown_host_is_refused_with_json_on_the_api(local: TestClient) -> None:
    response = local.get(f"{API}/hello", headers={"Host": "evil.example:8000"})
    error = api_error(response, 400, "Host")
    assert error["type"] == "HostError"
    assert "'evil.example:8000'" in error["message"]
    assert "HAMSTRIDE_ALLOWED_HOSTS" in error["message"]
    assert "--allowed-host evil.example" in error["message"]
    assert_headers(response)


def test_an_unknown_host_is_refused_with_text_on_a_page(local: TestClient) -> None:
    response = local.get("/", headers={"Host": "rebound.evil.example",
                                       "Accept": "text/html"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "rebound.evil.example" in response.text and "HAMSTRIDE_ALLOWED_HOSTS" in response.text
    assert_headers(response)


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "127.0.0.1", "localhost:8000",
                                  "LOCALHOST", "localhost.:8000", "[::1]:8000", "[::1]",
                                  "[0:0:0:0:0:0:0:1]:80"])
def test_the_local_hosts_are_allowed_with_or_without_a_port(local: TestClient,
                                                            host: str) -> None:
    response = local.get(f"{API}/hello", headers={"Host": host})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("host", ["[::2]:8000", "127.0.0.2", "testserver", "",
                                  "127.0.0.1:", "127.0.0.1:99999", "[::1", "local host",
                                  "127.0.0.1:80@evil.example", "localhost.evil.example"])
def test_other_or_malformed_hosts_are_refused(local: TestClient, host: str) -> None:
    api_error(local.get(f"{API}/hello", headers={"Host": host}), 400, "Host")


def test_a_leading_dot_allows_the_domain_and_its_subdomains(tmp_path: Path) -> None:
    with TestClient(app_for(tmp_path, ".example.org", "coach.lan")) as client:
        for host in ("example.org", "a.b.example.org:8443", "coach.lan"):
            assert client.get(f"{API}/hello", headers={"Host": host}).status_code == 200
        for host in ("badexample.org", "example.org.evil.example", "x.coach.lan"):
            api_error(client.get(f"{API}/hello", headers={"Host": host}), 400, "Host")


def test_host_names_are_parsed_and_checked() -> None:
    assert split_host("[::1]:8000") == ("::1", 8000)
    assert split_host("Example.ORG.") == ("example.org", None)
    assert split_host("::1") == ("::1", None)  # bare IPv6: not HTTP, but unambiguous
    assert split_host("[example.org]") is None
    assert allowed_host_entry(" [::1] ") == "::1"
    assert allowed_host_entry(".Example.org") == ".example.org"
    for bad in ("example.org:8000", "http://example.org", "*", ".127.0.0.1", "a b", "",
                "example.org/path"):
        with pytest.raises(ValueError):
            allowed_host_entry(bad)


# -- the cross-site check -------------------------------------------------------------------

def test_a_form_posted_from_another_site_changes_nothing(api_client: TestClient) -> None:
    response = api_client.post("/start", data=onboarding_form(), follow_redirects=False,
                               headers={"Origin": EVIL, "Accept": "text/html"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "Refused" in response.text and "evil.example" in response.text
    assert "http://testserver/" in response.text  # where to do it instead
    assert_headers(response)
    assert profiles(api_client) == []


@pytest.mark.parametrize("site", ["cross-site", "same-site", "Cross-Site"])
def test_sec_fetch_site_other_than_same_origin_is_refused(api_client: TestClient,
                                                          site: str) -> None:
    response = api_client.post("/start", data=onboarding_form(), follow_redirects=False,
                               headers={"Sec-Fetch-Site": site})
    assert response.status_code == 403, response.text
    assert profiles(api_client) == []


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "none"},
    {"Origin": "http://testserver"},
    {"Origin": "http://testserver:80"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
    {},  # curl, scripts, test clients
], ids=["same-origin", "none", "origin", "origin-default-port", "both", "neither"])
def test_same_origin_changes_pass(api_client: TestClient, headers: dict[str, str]) -> None:
    response = api_client.post("/start", data=onboarding_form(), follow_redirects=False,
                               headers=headers)
    assert response.status_code == 303, response.text
    assert [p["name"] for p in profiles(api_client)] == ["Ana"]


@pytest.mark.parametrize("origin", [EVIL, "http://testserver:8001", "https://testserver",
                                    "null", "http://testserver.evil.example",
                                    "http://testserver/path", "nonsense"])
def test_an_origin_that_is_not_ours_is_refused(api_client: TestClient, origin: str) -> None:
    response = api_client.put(RUNNER_PATH, json=runner_profile(), headers={"Origin": origin})
    error = api_error(response, 403, "Origin")
    assert error["type"] == "CrossSiteError"
    assert profiles(api_client) == []


def test_the_origin_matches_the_port_served(local: TestClient) -> None:
    assert local.post("/start", data=onboarding_form(), follow_redirects=False,
                      headers={"Origin": "http://127.0.0.1:8001"}).status_code == 403
    assert local.post("/start", data=onboarding_form(), follow_redirects=False,
                      headers={"Origin": "http://127.0.0.1:8000"}).status_code == 303


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_unsafe_method_of_the_api_is_checked(api_client_with_plan: TestClient,
                                                   method: str) -> None:
    response = api_client_with_plan.request(method.upper(), RUNNER_PATH, json={},
                                            headers={"Sec-Fetch-Site": "cross-site"})
    error = api_error(response, 403, "Sec-Fetch-Site")
    assert error["type"] == "CrossSiteError" and "cross-site" in error["message"]
    assert api_client_with_plan.get(RUNNER_PATH).status_code == 200  # still there


def test_reading_from_another_site_is_not_a_change(api_client: TestClient) -> None:
    # a link from elsewhere opens the app (the host check and CSP still apply)
    response = api_client.get("/", headers={"Sec-Fetch-Site": "cross-site", "Origin": EVIL})
    assert response.status_code == 200


def test_the_api_still_wants_json_bodies(api_client: TestClient) -> None:
    response = api_client.put(RUNNER_PATH, content=b"name=x",
                              headers={"Content-Type": "application/x-www-form-urlencoded",
                                       "Sec-Fetch-Site": "same-origin"})
    api_error(response, 415)


# -- the security headers -------------------------------------------------------------------

def test_every_kind_of_answer_has_the_security_headers(api_client: TestClient) -> None:
    answers = {
        "page": api_client.get("/exercises"),
        "api": api_client.get(f"{API}/hello"),
        "static": api_client.get("/static/css/app.css"),
        "page 404": api_client.get("/no-such-page", headers={"Accept": "text/html"}),
        "api 404": api_client.get(f"{API}/profiles/nobody"),
        "gzip": api_client.get("/exercises", headers={"Accept-Encoding": "gzip"}),
        "openapi": api_client.get("/openapi.json"),
    }
    assert answers["gzip"].headers["content-encoding"] == "gzip"
    assert answers["page 404"].status_code == answers["api 404"].status_code == 404
    for name, response in answers.items():
        assert response.headers["content-security-policy"] == CSP, name
        assert_headers(response)


def test_only_the_api_explorers_get_their_own_policy(api_client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        response = api_client.get(path)
        assert response.status_code == 200, path
        assert_headers(response, DOCS_CSP)
    assert "'unsafe-inline'" not in CSP.split("script-src")[1].split(";")[0]


def test_an_unexpected_error_is_the_one_shape_with_the_headers(web_app: FastAPI) -> None:
    def boom() -> None:
        raise RuntimeError("a bug")

    web_app.add_api_route(f"{API}/boom", boom)
    with TestClient(web_app, raise_server_exceptions=False) as client:
        response = client.get(f"{API}/boom")
    error = api_error(response, 500)
    assert error["type"] == "InternalError" and "a bug" not in error["message"]
    assert_headers(response)


# -- no inline script in any template ----------------------------------------------------------

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_no_template_has_inline_script() -> None:
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 10
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for attributes, body in SCRIPT.findall(text):
            data = re.search(r"""type\s*=\s*["']application/(?:ld\+)?json["']""", attributes)
            assert data or not body.strip(), f"{path.name}: inline <script> with code"
            assert data or "src=" in attributes, f"{path.name}: <script> without src"
        assert not HANDLER.search(text), f"{path.name}: an on...= event handler attribute"
        assert not JS_URL.search(text), f"{path.name}: a javascript: URL"


def test_the_scan_finds_what_it_looks_for() -> None:
    assert SCRIPT.search('<script>alert(1)</script>')
    assert HANDLER.search('<select id="w"\n  onchange="this.form.submit()">')
    assert not HANDLER.search('<button class="x" data-once="1">')
    assert JS_URL.search('<a href="javascript:go()">')


# -- the settings ------------------------------------------------------------------------------

def test_allowed_hosts_from_the_environment_add_to_the_local_ones(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAMSTRIDE_ALLOWED_HOSTS", " Coach.LAN, .example.org,,localhost,[::2]")
    assert Settings.from_env().allowed_hosts == (*LOCAL_HOSTS, "coach.lan", ".example.org",
                                                 "::2")
    monkeypatch.delenv("HAMSTRIDE_ALLOWED_HOSTS")
    assert Settings.from_env().allowed_hosts == LOCAL_HOSTS == ("127.0.0.1", "localhost",
                                                                "::1")


@pytest.mark.parametrize("value", ["coach.lan:8000", "http://coach.lan", "*", "a b"])
def test_a_bad_allowed_host_names_the_variable(monkeypatch: pytest.MonkeyPatch,
                                               value: str) -> None:
    monkeypatch.setenv("HAMSTRIDE_ALLOWED_HOSTS", f"ok.lan,{value}")
    with pytest.raises(InputError, match="HAMSTRIDE_ALLOWED_HOSTS") as raised:
        Settings.from_env()
    assert value in raised.value.message


@pytest.mark.parametrize(("value", "expected"), [
    ("1", True), ("true", True), ("YES", True), ("0", False), ("false", False),
    ("No", False), ("", False), (None, False)])
def test_accounts_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str | None,
                                       expected: bool) -> None:
    if value is None:
        monkeypatch.delenv("HAMSTRIDE_ACCOUNTS", raising=False)
    else:
        monkeypatch.setenv("HAMSTRIDE_ACCOUNTS", value)
    assert Settings.from_env().accounts is expected


@pytest.mark.parametrize("value", ["2", "on", "maybe"])
def test_a_bad_accounts_value_names_the_variable(monkeypatch: pytest.MonkeyPatch,
                                                 value: str) -> None:
    monkeypatch.setenv("HAMSTRIDE_ACCOUNTS", value)
    with pytest.raises(InputError, match=f"HAMSTRIDE_ACCOUNTS: '{value}' is not one of"):
        Settings.from_env()
