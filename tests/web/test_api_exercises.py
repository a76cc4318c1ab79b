"""The catalogue and the hello endpoint."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hamstride import __version__
from tests.web.conftest import API, api_error


def test_api_hello(api_client: TestClient) -> None:
    assert api_client.get(f"{API}/hello").json() == {"hello": "hamstride", "version": __version__}


def test_api_exercises_list_and_filter(api_client: TestClient) -> None:
    everything = api_client.get(f"{API}/exercises").json()
    assert len(everything) > 20 and "nordic_hamstring_curl" in {e["id"] for e in everything}
    bare = api_client.get(f"{API}/exercises", params={"body_weight": "true"}).json()
    # a household stand-in (the glider's towel for a slider) counts as body weight
    assert bare and all(set(e["equipment"]) <= {h["equipment"] for h in e["household"]}
                        for e in bare)
    hamstrings = api_client.get(f"{API}/exercises", params={"muscle": "hamstrings"}).json()
    assert all("hamstrings" in e["muscles"]["primary"] for e in hamstrings)
    band = api_client.get(f"{API}/exercises", params={"equipment": "resistance_band"}).json()
    assert all(set(e["equipment"]) - {h["equipment"] for h in e["household"]}
               <= {"resistance_band"} for e in band)
    assert len(bare) < len(band) < len(everything)


def test_api_exercise_by_id(api_client: TestClient) -> None:
    nordic = api_client.get(f"{API}/exercises/nordic_hamstring_curl").json()
    assert nordic["id"] == "nordic_hamstring_curl" and nordic["name"]
    api_error(api_client.get(f"{API}/exercises/nordic"), 404, "exercise")


def test_api_exercises_bad_filter_is_422(api_client: TestClient) -> None:
    api_error(api_client.get(f"{API}/exercises", params={"muscle": "heart"}), 422, "muscle")
    api_error(api_client.get(f"{API}/exercises", params={"equipment": "rocket"}), 422,
              "equipment[0]")
