"""Every endpoint, whatever it is sent: never a 5xx, always the one error shape.

The endpoints are read from the app's OpenAPI document, so a new one is covered without
a change here. A profile with a plan and a logged session exists, so random input gets past the
404s and into the validators, the coach and the store. Every test runs twice: in local
mode, and with accounts on, every request signed with an account's bearer token.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamstride import accounts, coach
from hamstride.training.profile import profile_from_data
from hamstride.web.app import create_app
from hamstride.web.settings import Settings
from tests.web.conftest import (
    API,
    RUNNER,
    TEST_HOSTS,
    WEB_TODAY,
    api_error,
    make_web_app,
    runner_profile,
)

ENTRY_ID = "seed-1"
SEED_ENTRY = {"id": ENTRY_ID, "date": WEB_TODAY.isoformat(), "session_rpe": 5,
              "sets": [{"exercise": "nordic_hamstring_curl", "reps": 4}]}
SEED_TEST = {"date": WEB_TODAY.isoformat(), "kind": "nordic_angle", "left": 40, "right": 45}


def _endpoints() -> list[tuple[str, str, bool]]:
    """(method, path, takes a body) of every API operation."""
    document = make_web_app("sqlite://").openapi()  # in memory: only the routes are read
    return sorted((method.upper(), path, "requestBody" in operation)
                  for path, operations in document["paths"].items() if path.startswith(API)
                  for method, operation in operations.items())


ENDPOINTS = _endpoints()
IDS = [f"{method} {path.removeprefix(API)}" for method, path, _ in ENDPOINTS]
UPLOADS = [(m, p) for m, p, _ in ENDPOINTS if p.endswith("/activities") and m == "POST"]
WITH_BODY = [(m, p, b) for m, p, b in ENDPOINTS if b and (m, p) not in UPLOADS]  # JSON
PROFILE_SCOPED = [(m, p, b) for m, p, b in ENDPOINTS  # PUT /profiles/{name} creates it
                  if "{name}" in p and (m, p) != ("PUT", f"{API}/profiles/{{name}}")]


@pytest.fixture(scope="module", params=["local", "accounts"])
def seeded(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A profile with a plan, a logged session and a field test; shared by the module.
    With accounts, the client sends an account's token on every request; that account is
    a coach, and coaches an athlete whose profile (id 1) has a plan too, so the coach
    endpoints get past their 403 and 404 into their validators."""
    db = tmp_path_factory.mktemp("robust") / "t.db"
    app = create_app(Settings(db_url=f"sqlite:///{db}", today=WEB_TODAY,
                              accounts=request.param == "accounts", allowed_hosts=TEST_HOSTS))
    with TestClient(app) as client:
        if request.param == "accounts":
            store = app.state.store
            athlete = accounts.add_account(store, email="athlete@example.org",
                                           password="a fuzzing password")
            coach.make_plan(store.scoped(athlete.id), profile_from_data(runner_profile()),
                            start=WEB_TODAY, weeks=4, today=WEB_TODAY)
            account = accounts.add_account(store, email="fuzz@example.org",
                                           password="a fuzzing password", role="coach")
            store.coaching.link(account.id, athlete.id)
            token = accounts.make_token(app.state.store, account.id, address="test",
                                        label="fuzz")
            client.headers["Authorization"] = f"Bearer {token}"
        base = f"{API}/profiles/{quote(RUNNER)}"
        assert client.put(base, json=runner_profile()).status_code == 201
        assert client.post(f"{base}/plans", json={"weeks": 4}).status_code == 201
        assert client.post(f"{base}/log", json=SEED_ENTRY).status_code == 201
        assert client.post(f"{base}/field-tests", json=SEED_TEST).status_code == 201
        yield client


def _url(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: quote(values[m.group(1)], safe=""), path)


# -- random input ---------------------------------------------------------------------------

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "0", "-1", "left", "red", "squat", "nordic_hamstring_curl",
                     "2027-01-04", "intermediate", "prevent_injury", "mon", "long"]),
)
json_values = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=12), inner, max_size=5)),
    max_leaves=20,
)
SEEDS: dict[str, Any] = {
    "profile": runner_profile(), "entry": SEED_ENTRY, "test": SEED_TEST,
    "plan_request": {"start": "2027-01-11", "weeks": 3},
    "morning": {"pain": 2}, "comment": {"day": "2027-01-04", "comment": "sore"},
    "prescription": {"kind": "hold", "exercise": "nordic_hamstring_curl", "reason": "test"},
    "check": {"plan": {"start": "2027-01-04", "weeks": []},
                                      "profile": runner_profile()},
}
KEYS = sorted({k for seed in SEEDS.values() for k in seed} | {"sets", "exercise", "reps",
                                                             "hold_s", "band", "side"})


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A valid body of some endpoint with one field replaced, added or nested wrongly."""
    body = dict(draw(st.sampled_from(sorted(SEEDS.items())))[1])
    key = draw(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)))
    body[key] = draw(json_values)
    return draw(st.sampled_from([body, [body], [SEEDS["entry"], body]]))


bodies = st.one_of(st.none(), json_values, mutated(), st.sampled_from(list(SEEDS.values())))
QUERY_KEYS = ["date", "since", "until", "weeks", "download", "equipment", "body_weight",
              "muscle"]
queries = st.dictionaries(st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=6)),
                          st.one_of(st.text(max_size=20), st.integers().map(str),
                                    st.dates().map(lambda d: d.isoformat())), max_size=3)
path_values = st.fixed_dictionaries({
    "name": st.one_of(st.just(RUNNER), st.text(min_size=1, max_size=20).filter(
        lambda s: s not in (".", ".."))),
    "entry_id": st.one_of(st.just(ENTRY_ID), st.text(min_size=1, max_size=70).filter(
        lambda s: s not in (".", ".."))),
    "exercise_id": st.one_of(st.just("nordic_hamstring_curl"), st.text(min_size=1,
                                                                       max_size=20).filter(
        lambda s: s not in (".", ".."))),
    "activity_id": st.text(min_size=1, max_size=20).filter(lambda s: s not in (".", "..")),
    "day": st.one_of(st.just(WEB_TODAY.isoformat()), st.text(min_size=1, max_size=12).filter(
        lambda s: s not in (".", ".."))),
    "fmt": st.sampled_from(["png", "svg", "gif", "x"]),
    "profile_id": st.one_of(st.just("1"), st.text(min_size=1, max_size=12).filter(
        lambda s: s not in (".", ".."))),
    "prescription_id": st.one_of(st.just("1"), st.integers().map(str), st.text(
        min_size=1, max_size=12).filter(lambda s: s not in (".", ".."))),
})
headers = st.one_of(st.just({}), st.fixed_dictionaries({"Idempotency-Key": st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=70)}))


@pytest.mark.parametrize(("method", "path", "has_body"), ENDPOINTS, ids=IDS)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=path_values, query=queries, body=bodies, extra=headers)
def test_api_random_input_never_gets_a_5xx(seeded: TestClient, method: str, path: str,
                                           has_body: bool, values: dict[str, str],
                                           query: dict[str, str], body: Any,
                                           extra: dict[str, str]) -> None:
    content = json.dumps(body).encode() if has_body else None  # NaN and Infinity too
    response = seeded.request(method, _url(path, values), params=query, content=content,
                              headers={**extra, **_spare_token(seeded, method, path),
                                       "content-type": "application/json"})
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code >= 400:
        api_error(response, response.status_code)


def _spare_token(client: TestClient, method: str, path: str) -> dict[str, str]:
    """Revoking the token a request is sent with must not end the fuzzing: that one
    request gets a token of its own."""
    if (method, path) != ("DELETE", f"{API}/auth/token") or "Authorization" not in \
            client.headers:
        return {}
    store = client.app.state.store  # type: ignore[attr-defined]
    account = store.accounts.by_email("fuzz@example.org")
    spare = accounts.make_token(store, account.id, address="test", label="spare")
    return {"Authorization": f"Bearer {spare}"}


# -- every endpoint, the same faults --------------------------------------------------------

OTHER_IDS = {"activity_id": "a-0000000000000000", "day": WEB_TODAY.isoformat(), "fmt": "png",
             "profile_id": "1", "prescription_id": "1"}

def _real(path: str) -> str:
    return _url(path, {"name": RUNNER, "entry_id": ENTRY_ID,
                       "exercise_id": "nordic_hamstring_curl", **OTHER_IDS})


@pytest.mark.parametrize(("method", "path", "has_body"), WITH_BODY,
                         ids=[f"{m} {p.removeprefix(API)}" for m, p, _ in WITH_BODY])
def test_api_every_body_refuses_malformed_json_and_other_media(seeded: TestClient, method: str,
                                                               path: str, has_body: bool,
                                                               ) -> None:
    broken = seeded.request(method, _real(path), content=b'{"a": [1,',
                            headers={"content-type": "application/json"})
    error = api_error(broken, 422)
    assert error["type"] == "RequestError" and error["field"] is None
    assert error["message"] == "the request body is not valid JSON"
    for kind in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        other = seeded.request(method, _real(path), content=b"a=1",
                               headers={"content-type": kind})
        if path.startswith(f"{API}/coach/") and "Authorization" not in seeded.headers:
            # a JSON body is read first; a body of another kind meets the authorization
            # table first, and the local owner is no coach
            assert api_error(other, 403)["type"] == "ForbiddenError"
            continue
        assert api_error(other, 415, "Content-Type")["type"] == "MediaTypeError"


@pytest.mark.parametrize(("method", "path", "has_body"), PROFILE_SCOPED,
                         ids=[f"{m} {p.removeprefix(API)}" for m, p, _ in PROFILE_SCOPED])
def test_api_every_profile_endpoint_404s_for_an_unknown_profile(seeded: TestClient,
                                                                method: str, path: str,
                                                                has_body: bool) -> None:
    url = _url(path, {"name": "nobody", "entry_id": ENTRY_ID, **OTHER_IDS})
    body = (SEEDS["morning"] if path.endswith("/morning") else
            SEEDS["comment"] if path.endswith("/comments") else SEEDS["entry"])
    if (method, path) in UPLOADS:
        response = seeded.request(method, url, files={"files": ("a.gpx", b"<gpx/>")})
    else:
        response = seeded.request(method, url, json=body if has_body else None)
    error = api_error(response, 404, "name")
    assert error["type"] == "NotFoundError" and "nobody" in error["message"]


def test_api_robustness_covers_every_endpoint() -> None:
    assert len(ENDPOINTS) >= 20
    assert Path(__file__).name.startswith("test_api_")
