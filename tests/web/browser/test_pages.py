"""The server-rendered pages through TestClient: each renders, errors are friendly pages
with the message where it belongs, and nothing ever shows a traceback."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hamstride.catalogue import load_catalogue
from hamstride.store import Store
from hamstride.training.dose_text import describe, describe_default, details, set_text, tempo_words
from hamstride.training.plan import plan_from_data
from tests.web.browser.conftest import TODAY, onboarding_form

DAY = TODAY.isoformat()


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def assert_page(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    text: str = response.text
    assert "Traceback" not in text and 'aria-label="Main"' in text
    return text


def field_error(page: str, key: str) -> str:
    found = re.search(rf'<p class="field-error" id="err-[^"]+" data-field="{re.escape(key)}">'
                      r"([^<]*)</p>", page)
    assert found, f"no error shown at {key}"
    return html.unescape(found.group(1))


def stat(page: str, label: str) -> tuple[str, str]:
    """A headline tile's (value, label) pair; ``label`` is how the label starts."""
    found = re.search(rf'<span class="value">([^<]*)</span><span class="label">'
                      rf'({re.escape(label)}[^<]*)</span>', page)
    assert found, f"no {label!r} tile"
    return found.group(1), html.unescape(found.group(2))


# -- home and onboarding ------------------------------------------------------------------

def test_home_without_a_profile_invites_to_onboarding(client: TestClient) -> None:
    html = assert_page(client.get("/"))
    assert 'href="/start"' in html and "Make my plan" in html


@pytest.mark.parametrize("path", ["/plan", "/progress", f"/session/{DAY}"])
def test_pages_that_need_a_plan_say_how_to_make_one(client: TestClient, path: str) -> None:
    html = assert_page(client.get(path), 404)
    assert "No plan yet" in html and 'href="/start"' in html


def test_onboarding_stores_the_profile_and_a_plan_then_shows_the_calendar(
        client: TestClient) -> None:
    response = client.post("/start", data=onboarding_form(), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/plan")
    store = store_of(client)
    stored = store.get_profile(name="Ana")
    assert stored is not None and stored.document["running"]["races"][0]["name"] == "City half"
    plan = store.active_plan(profile_name="Ana")
    assert plan is not None and plan.start == TODAY and plan.weeks == 12
    html = assert_page(client.get(response.headers["location"]))
    assert "Your plan is ready" in html and "City half" in html


def test_onboarding_error_keeps_the_answers_and_marks_the_field(client: TestClient) -> None:
    html = assert_page(client.post("/start", data=onboarding_form(session_minutes="5")), 422)
    assert field_error(html, "session_minutes") == "Must be at least 10."
    assert re.search(r'name="session_minutes" value="5"[^>]*aria-invalid="true"', html)
    assert 'name="name" value="Ana"' in html
    assert 'value="nordic_anchor" checked' in html and 'value="sun" checked' not in html
    assert re.search(r'name="running.week.tue">.*?<option value="intervals" selected', html,
                     re.DOTALL)
    assert 'value="City half"' in html and 'value="2027-03-14"' in html
    assert store_of(client).get_profile(name="Ana") is None


def test_a_race_error_lands_on_its_own_row(client: TestClient) -> None:
    form = onboarding_form(**{"race0.date": "", "race0.name": "", "race0.priority": "",
                              "race1.date": "2027-04-01", "race1.name": "Trail",
                              "race1.priority": "Z"})
    html = assert_page(client.post("/start", data=form), 422)
    assert "'A', 'B' or 'C'" in field_error(html, "race1.priority")
    assert 'value="Trail"' in html


@pytest.mark.parametrize(("overrides", "key", "says"), [
    ({"strength_days": []}, "strength_days", "Pick at least one"),
    ({"name": ""}, "name", "Please fill this in"),
    ({"session_minutes": "120"}, "session_minutes", "Must be at most 90"),
    ({"level": "expert"}, "level", "novice"),
    ({"goal": "return_from_strain"}, "strain.date", "needs the date of the strain and its side"),
    ({"strain.date": "2027-02-01", "strain.side": "left"}, "strain.date", "after the plan start"),
    ({"race0.date": "14/03/2027"}, "race0.date", "Enter a date as YYYY-MM-DD"),
    ({"race0.date": "1999-01-01"}, "race0.date", "before the plan starts"),
    ({f"running.week.{d}": "rest" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
     "running.weekly_km", "every day is a rest day"),
    ({"running.weekly_km": "lots"}, "running.weekly_km", "Enter a number"),
    ({"session_minutes": "half an hour"}, "session_minutes", "Enter a whole number"),
])
def test_onboarding_errors_name_the_field(client: TestClient, overrides: dict[str, Any],
                                          key: str, says: str) -> None:
    html = assert_page(client.post("/start", data=onboarding_form(**overrides)), 422)
    assert says in field_error(html, key)
    assert "Input should" not in html and "(got " not in html  # pydantic's words stay out


def test_an_empty_form_shows_every_missing_answer_at_once(client: TestClient) -> None:
    """Issue 10 item 11: one submit names every field to fix, next to each, in plain
    words, with a list of links at the top."""
    html = assert_page(client.post("/start", data={"session_minutes": ""}), 422)
    assert field_error(html, "name") == "Please fill this in."
    assert field_error(html, "level") == "Please fill this in."
    assert field_error(html, "goal") == "Please fill this in."
    assert field_error(html, "session_minutes") == "Please fill this in."
    assert field_error(html, "strength_days") == "Pick at least one."
    assert html.count('class="field-error"') == 5
    assert "5 answers need a fix" in html
    assert re.search(r'<li><a href="#f-goal">Goal</a>: Please fill this in.</li>', html)


def test_errors_of_both_kinds_come_in_one_submit(client: TestClient) -> None:
    """A missing level, a bad number and a race before today: three errors at once (the
    race date is checked with the fields, not after them)."""
    html = assert_page(client.post("/start", data=onboarding_form(
        level="", **{"running.weekly_km": "lots", "race0.date": "2026-12-01"})), 422)
    assert field_error(html, "level") == "Please fill this in."
    assert field_error(html, "running.weekly_km") == "Enter a number."
    assert "before the plan starts" in field_error(html, "race0.date")
    assert html.count('class="field-error"') == 3


def test_the_form_edits_the_stored_profile(client_with_plan: TestClient) -> None:
    html = assert_page(client_with_plan.get("/start"))
    assert 'name="name" value="Ana"' in html and 'value="City half"' in html


def test_home_with_a_plan_offers_todays_session(client_with_plan: TestClient) -> None:
    html = assert_page(client_with_plan.get("/"))
    assert f'href="/session/{DAY}"' in html
    for link in ("/plan", "/progress", "/exercises", "/check"):
        assert f'href="{link}"' in html


# -- plan, session, player --------------------------------------------------------------

def test_the_calendar_shows_weeks_runs_races_and_sessions(client_with_plan: TestClient) -> None:
    html = assert_page(client_with_plan.get("/plan"))
    assert html.count('class="week"') == 12
    assert html.count('<li class="day') == 84
    assert "Intervals" in html and "Long run" in html and "★ City half (A)" in html
    assert f'href="/session/{DAY}"' in html and "is-today" in html
    assert "day before City half" in html  # the race blackout is explained
    assert "calendar.ics" in html and "log.csv" in html and "log.json" in html
    assert "webcal://" in html
    # every plan week is named with its dates (issue 10 item 8); TODAY is a Monday
    assert 'Week 1 <span class="week-dates">Mon 4 – Sun 10 Jan</span>' in html
    assert 'Week 5 <span class="week-dates">Mon 1 – Sun 7 Feb</span>' in html


def test_the_session_overview_lists_items_and_starts_the_player(
        client_with_plan: TestClient) -> None:
    html = assert_page(client_with_plan.get(f"/session/{DAY}"))
    assert "Romanian deadlift" in html and "× 8 reps" in html
    assert f'href="/session/{DAY}/play"' in html


@pytest.mark.parametrize("day", ["2027-01-05", "2031-01-01", "2020-01-01", "yesterday",
                                 "2027-02-30"])
def test_a_day_without_a_session_is_a_friendly_404(client_with_plan: TestClient,
                                                    day: str) -> None:
    for path in (f"/session/{day}", f"/session/{day}/play"):
        html = assert_page(client_with_plan.get(path), 404)
        assert "Not found" in html and 'href="/plan"' in html


def test_a_future_session_can_be_seen_but_not_played(client_with_plan: TestClient) -> None:
    html = assert_page(client_with_plan.get("/session/2027-01-06"))
    assert "/play" not in html and "opens on" in html
    assert assert_page(client_with_plan.get("/session/2027-01-06/play"), 404)


def test_the_player_gets_the_session_and_the_timer_scale(client_with_plan: TestClient) -> None:
    html = assert_page(client_with_plan.get(f"/session/{DAY}/play"))
    assert 'data-scale="0.02"' in html and "js/player.js" in html
    found = re.search(r'<script type="application/json" id="player-data">(.*?)</script>', html,
                      re.DOTALL)
    assert found
    data = json.loads(found.group(1))
    assert data["date"] == DAY and data["timer_scale"] == 0.02
    assert data["api"] == "/api/v1/profiles/Ana/log"
    first = data["items"][0]
    assert first["instructions"] and first["cues"] and first["sets"]
    assert any(i["tempo"] and i["down_s"] for i in data["items"])
    assert [i["role"] for i in data["items"]] == ["warm_up"] + ["work"] * (len(data["items"]) - 1)
    # each set's words are the core's (issue 10 item 10), never worded by the script
    plan = store_of(client_with_plan).active_plan(profile_name="Ana")
    assert plan is not None
    session = next(s for w in plan_from_data(plan.document).weeks for s in w.sessions
                   if s.date.isoformat() == DAY)
    for sent, item in zip(data["items"], session.items, strict=True):
        said = describe(item)
        assert [d["text"] for d in sent["sets"]] == [set_text(d, held=said.held)
                                                     for d in said.sets]
        assert sent["tempo_text"] == tempo_words(item.tempo)
    assert "hold" not in " ".join(d["text"] for d in data["items"][0]["sets"])


def test_the_player_rejects_a_session_number_out_of_range(client_with_plan: TestClient) -> None:
    assert_page(client_with_plan.get(f"/session/{DAY}/play?n=3"), 404)
    assert_page(client_with_plan.get(f"/session/{DAY}/play?n=x"), 422)


# -- library ------------------------------------------------------------------------------

def test_the_library_searches_names_and_aliases(client: TestClient) -> None:
    html = assert_page(client.get("/exercises"))
    assert f"{len(load_catalogue())} exercises" in html and 'hx-get="/exercises"' in html
    html = assert_page(client.get("/exercises?q=NHE"))
    assert "Nordic hamstring curl" in html and "1 exercise<" in html


def test_the_library_filters_by_muscle_and_equipment(client: TestClient) -> None:
    html = assert_page(client.get("/exercises?muscle=calves&body_weight=true"))
    assert "Calf raise" in html and "Nordic hamstring curl" not in html
    html = assert_page(client.get("/exercises?equipment=nordic_anchor&muscle=hamstrings"))
    assert "Nordic hamstring curl" in html and ">Romanian deadlift<" not in html


def test_htmx_gets_only_the_results(client: TestClient) -> None:
    response = client.get("/exercises?q=bridge", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text and "Glute bridge" in response.text


def test_an_exercise_page_has_everything(client: TestClient) -> None:
    html = assert_page(client.get("/exercises/nordic_hamstring_curl"))
    for part in ("How to", "Cues", "Common faults", "Evidence", "Petersen 2011",
                 'href="/exercises/slider_leg_curl"'):
        assert part in html
    dose = details(describe_default(load_catalogue()["nordic_hamstring_curl"]))
    assert f'<p class="dose-line">Usual dose: {dose}</p>' in html
    assert dose == "2 × 5 reps, tempo 4 s down, fast up, rest 60 s"


def test_the_articles_exercises_say_what_was_claimed(client: TestClient) -> None:
    html = assert_page(client.get("/exercises/wall_sit"))
    assert "What the article said" in html and "Claimed" in html and "Really" in html


def test_an_unknown_exercise_is_a_friendly_404(client: TestClient) -> None:
    html = assert_page(client.get("/exercises/nope"), 404)
    assert "no exercise &#39;nope&#39;" in html


# -- progress -----------------------------------------------------------------------------

def test_progress_without_a_log_says_no_data_yet(client_with_plan: TestClient) -> None:
    html = assert_page(client_with_plan.get("/progress"))
    assert "No data yet" in html and "<svg" not in html


def test_progress_shows_the_chart_and_the_numbers(client_with_plan: TestClient) -> None:
    entry = {"id": "s1", "date": DAY, "sets": [
        {"exercise": "dumbbell_romanian_deadlift", "reps": 8},
        {"exercise": "dumbbell_romanian_deadlift", "reps": 8}]}
    response = client_with_plan.post("/api/v1/profiles/Ana/log", json=entry)
    assert response.status_code == 201, response.text
    html = assert_page(client_with_plan.get("/progress?weeks=4"))
    assert "<path" in html and "<?xml" not in html and "<metadata>" not in html
    assert stat(html, "sets this week")[0] == "2"
    assert '<option value="4" selected' in html
    # issue 10 item 12: one chart per panel, its title a heading; no field test: words
    charts = re.findall(r'<section class="chart-wrap" id="chart-(\w+)".*?</section>', html,
                        re.DOTALL)
    assert charts == ["dose", "volume", "asymmetry", "adherence"]
    assert html.count("<svg ") == 3
    for title in ("Dose per session", "Weekly sets by muscle group", "Plan adherence"):
        assert f'<svg role="img" aria-label="{title}" class="chart"' in html
    assert re.search(r'<h2 id="chart-asymmetry-title">Between-leg asymmetry</h2>\s*'
                     r'<p class="no-data">No data yet: log a field test.</p>', html)
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # four drawings in one page, no id twice


def test_progress_sets_this_week_is_the_charts_last_bar(client_with_plan: TestClient) -> None:
    # issue 10 item 12: the tile counted every logged row (warm-ups too), the chart each
    # set once per primary muscle; both now read the report's current week
    from datetime import timedelta

    from hamstride import coach

    sunday = (TODAY - timedelta(days=1)).isoformat()  # last week: in neither figure
    for sid, day, sets in (
            ("s0", sunday, [{"exercise": "nordic_hamstring_curl", "reps": 5}]),
            ("s1", DAY, [{"exercise": "dynamic_warm_up", "hold_s": 180},  # not a set
                         *[{"exercise": "dumbbell_romanian_deadlift", "reps": 8}] * 2])):
        response = client_with_plan.post("/api/v1/profiles/Ana/log",
                                         json={"id": sid, "date": day, "sets": sets})
        assert response.status_code == 201, response.text
    value, label = stat(assert_page(client_with_plan.get("/progress")), "sets this week")
    report = coach.progress(store_of(client_with_plan), "Ana", TODAY, weeks=12)
    this_week = report.volume.weeks[-1]
    assert this_week.week_start == TODAY  # a Monday
    assert int(value) == this_week.total_sets == 2
    assert sum(this_week.sets.values()) == 4  # hamstrings and glutes: not the tile's figure
    assert label == "sets this week (Mon 4 Jan – today)"


# -- checker ------------------------------------------------------------------------------

def test_the_checker_page_renders(client: TestClient) -> None:
    html = assert_page(client.get("/check"))
    assert 'enctype="multipart/form-data"' in html


def test_the_checker_shows_bad_json_as_a_message(client_with_plan: TestClient) -> None:
    html = assert_page(client_with_plan.post("/check", data={"plan_text": "{not json",
                                                             "source": "stored",
                                                             "profile": "Ana"}), 422)
    assert "not valid JSON" in html and "{not json" in html


def test_the_checker_passes_the_stored_plan(client_with_plan: TestClient) -> None:
    stored = store_of(client_with_plan).active_plan(profile_name="Ana")
    assert stored is not None
    files = {"plan_file": ("plan.json", json.dumps(stored.document).encode(), "application/json")}
    html = assert_page(client_with_plan.post("/check", data={"source": "stored",
                                                             "profile": "Ana"}, files=files))
    assert "No violations" in html


def test_the_checker_lists_violations(client_with_plan: TestClient) -> None:
    stored = store_of(client_with_plan).active_plan(profile_name="Ana")
    assert stored is not None
    document = stored.document
    session = document["weeks"][0]["sessions"][0]
    document["weeks"][0]["sessions"].append({**session, "date": "2027-01-05"})  # intervals day
    html = assert_page(client_with_plan.post("/check", data={
        "plan_text": json.dumps(document), "source": "stored", "profile": "Ana"}))
    assert re.search(r'\d+ violations?</h2>', html)
    assert '<span class="date">2027-01-05</span>' in html


def test_the_checker_takes_a_pasted_profile(client: TestClient) -> None:
    html = assert_page(client.post("/check", data={
        "plan_text": json.dumps({"schema": "hamstride.plan/1", "start": DAY, "weeks": []}),
        "source": "pasted", "profile_text": '{"name": "X", "level": "novice"}'}), 422)
    assert "goal" in html and "Field required" in html


# -- runs ---------------------------------------------------------------------------------

def test_runs_page_without_files_says_what_to_choose(client_with_plan: TestClient) -> None:
    # issue 10 item 14: the Runs page again, the message at the field, not a dead end
    response = client_with_plan.post("/runs", files={"files": ("", b"")})
    assert response.status_code == 422
    page = response.text
    assert "<h1>Runs</h1>" in page and 'action="/runs"' in page
    error = field_error(page, "files")
    assert "Choose one or more activity files" in error
    assert 'aria-describedby="err-files"' in page


def test_runs_page_refuses_an_unknown_kind(client_with_plan: TestClient) -> None:
    response = client_with_plan.post("/runs/a-123/kind", data={"kind": "sprint"})
    assert response.status_code == 422 and "sprint" in response.text
    response = client_with_plan.post("/runs/a-123/kind", data={"kind": "easy"})
    assert response.status_code == 404 and "no activity" in response.text


def test_runs_page_with_only_old_runs_offers_the_upload_not_a_chart(
        client_with_plan: TestClient) -> None:
    # issue 10 item 7: a run years ago drew an acute:chronic curve on a 1e-24 scale
    from datetime import date

    from tests.training.test_runs import run

    store_of(client_with_plan).save_activities(
        profile_name="Ana", activities=[run(date(2012, 4, 9), rpe=5)], label="old.fit")
    page = html.unescape(assert_page(client_with_plan.get("/runs")))
    assert "Not enough recent running to draw your load" in page
    assert "latest run is from 09 Apr 2012" in page
    assert 'href="#files"' in page and 'id="files"' in page
    assert 'aria-label="Load chart"' not in page
    assert "hamstride runs" not in page  # no CLI command on a web page


def test_session_page_offers_the_fit_workout(client_with_plan: TestClient) -> None:
    from tests.web.browser.conftest import TODAY

    page = client_with_plan.get(f"/session/{TODAY.isoformat()}")
    link = f"/sessions/{TODAY.isoformat()}/workout.fit?n=1"
    assert link in page.text
    fit = client_with_plan.get("/api/v1/profiles/Ana" + link)
    assert fit.status_code == 200 and fit.content[8:12] == b".FIT"


def _cell(html_text: str, day: str) -> str:
    found = re.search(rf'data-date="{day}">(.*?)</li>', html_text, re.DOTALL)
    assert found, day
    return found.group(1)


def test_the_calendar_shows_the_running_week_the_runs_show(
        client_with_plan: TestClient) -> None:
    from datetime import timedelta

    from tests.training.test_runs import reps, run

    runs = []
    for n in range(1, 7):  # six weeks of Wednesday intervals and Sunday long runs
        monday = TODAY - timedelta(weeks=n)
        runs += [run(monday + timedelta(days=2), km=9, minutes=45, laps=reps(6), max_hr=186),
                 run(monday + timedelta(days=6), km=24, minutes=140, max_hr=170)]
    store_of(client_with_plan).save_activities(profile_name="Ana", activities=runs,
                                               label="seed")
    html_text = assert_page(client_with_plan.get("/plan"))
    tuesday, wednesday = (TODAY + timedelta(days=8)).isoformat(), (
        TODAY + timedelta(days=9)).isoformat()
    assert "Intervals" in _cell(html_text, wednesday)
    assert "Intervals" not in _cell(html_text, tuesday)  # the profile's day, no longer run


def test_the_session_page_shows_the_return_stage_after_a_strain(client: TestClient) -> None:
    form = onboarding_form(goal="return_from_strain", **{"strain.date": "2026-12-30",
                                                         "strain.side": "left"})
    assert client.post("/start", data=form, follow_redirects=False).status_code == 303
    page = html.unescape(assert_page(client.get(f"/session/{DAY}")))
    assert "Return stage: protect" in page
    assert "not yet" in page and "no self-check recorded yet" in page


def test_onboarding_stores_a_race_distance_and_names_a_bad_one(client: TestClient) -> None:
    bad = assert_page(client.post("/start", data=onboarding_form(**{
        "race0.distance": "42km"})), 422)
    assert "marathon" in field_error(bad, "race0.distance")
    assert '<option value="half"' in bad
    response = client.post("/start", data=onboarding_form(**{"race0.distance": "half"}),
                           follow_redirects=False)
    assert response.status_code == 303
    stored = store_of(client).get_profile(name="Ana")
    assert stored is not None and stored.document["running"]["races"][0]["distance"] == "half"


# -- issue 10 item 14: favicon, compression, caching ---------------------------------------

def test_pages_link_a_favicon_that_is_served(client: TestClient) -> None:
    page = assert_page(client.get("/"))
    assert re.search(r'<link rel="icon" href="[^"]*/static/favicon.svg" '
                     r'type="image/svg\+xml">', page)
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml"
    assert icon.content.startswith(b"<svg")


def test_static_files_are_cached_and_compressed(client: TestClient) -> None:
    css = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200
    assert css.headers["cache-control"] == "public, max-age=3600"
    assert css.headers["content-encoding"] == "gzip"
    assert "etag" in css.headers
    again = client.get("/static/css/app.css", headers={"If-None-Match": css.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"].startswith("public")


def test_large_pages_are_compressed_small_bodies_not(client: TestClient) -> None:
    page = client.get("/exercises", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["content-encoding"] == "gzip"
    small = client.get("/static/favicon.svg", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_not_found_has_one_wording_for_pages_and_the_api(client: TestClient) -> None:
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404
    text = html.unescape(page.text)
    assert "<h1>Not found</h1>" in text
    assert "Not found: there is nothing at /no-such-page." in text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json()["error"]["message"] == "Not found: there is nothing at /api/v1/no-such-thing."
