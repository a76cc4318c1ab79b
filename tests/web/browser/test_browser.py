"""The app in a real browser (Debian's Chromium through Playwright) on a phone-sized
screen: onboarding, the player end to end (timers, reload, offline; pause, reset and undo),
progress, and a screenshot of every page in test-artifacts/screenshots/ (each checked for
sideways overflow)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.web.browser.conftest import TODAY, LiveServer, onboarding_form

DAY = TODAY.isoformat()
SCREENS = ("work", "rest", "finish", "saved")


def shot(page: Any, folder: Path, name: str, *, full_page: bool = False) -> None:
    """A phone-size screenshot, after checking that nothing sticks out sideways."""
    overflow = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')].filter(el => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.right > width + 1 && !el.closest('details:not([open])');
        }).map(el => el.tagName + '.' + el.className + ' '
                     + Math.round(el.getBoundingClientRect().right)).slice(0, 5);
    }""")
    assert not overflow, f"{name}: wider than the screen: {overflow}"
    if full_page:
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def make_runner(server: LiveServer, name: str) -> None:
    """A profile and its plan, made through the onboarding form."""
    response = httpx.post(f"{server.url}/start", data=onboarding_form(name),
                          follow_redirects=False)
    assert response.status_code == 303, response.text


def screen(page: Any) -> str:
    """Which of the player's screens shows."""
    ids = json.dumps(SCREENS)
    page.wait_for_function(f"() => {ids}.some(id => !document.getElementById(id).hidden)")
    found: str = page.evaluate(f"() => {ids}.find(id => !document.getElementById(id).hidden)")
    return found


def open_player(page: Any) -> dict[str, Any]:
    page.goto(f"/session/{DAY}/play")
    page.wait_for_selector("#player[data-ready=true]")
    data: dict[str, Any] = json.loads(page.text_content("#player-data"))
    return data


def steps_of(data: dict[str, Any]) -> int:
    return sum(len(i["sets"]) * (2 if i["per_side"] else 1) for i in data["items"])


def wait_sync(page: Any, text: str) -> None:
    page.wait_for_function(
        f"() => document.getElementById('sync').textContent === {json.dumps(text)}")


def local_state(page: Any, data: dict[str, Any]) -> dict[str, Any]:
    key = f"hamstride.play.{data['profile']}.{data['date']}.{data['n']}"
    state: dict[str, Any] = page.evaluate(f"() => JSON.parse(localStorage.getItem('{key}'))")
    return state


# -- (a) onboarding ---------------------------------------------------------------------

def test_onboarding_leads_to_the_calendar(page: Any, screenshots: Path) -> None:
    page.goto("/")
    shot(page, screenshots, "01-home-first-visit")
    page.click("text=Make my plan")
    page.wait_for_url("**/start")
    page.fill("[name=name]", "Bea")
    page.select_option("[name=goal]", "performance")  # no level chosen
    page.fill("[name=session_minutes]", "5")
    for item in ("nordic_anchor", "dumbbells", "bench"):
        page.check(f"[name=equipment][value={item}]")
    for day in ("mon", "wed", "fri"):
        page.check(f"[name=strength_days][value={day}]")
    page.fill("[name='running.weekly_km']", "35")
    page.select_option("[name='running.week.tue']", "intervals")
    page.select_option("[name='running.week.sat']", "long")
    page.fill("[name='race0.date']", "2026-03-14")  # a year before TODAY
    page.fill("[name='race0.name']", "City half")
    page.select_option("[name='race0.priority']", "A")
    shot(page, screenshots, "02-start-form", full_page=True)
    page.click("button:has-text('Make my plan')")

    # every error at once, each at its field, in plain words (issue 10 item 11)
    errors = {key: page.locator(f"[data-field='{key}']").text_content() or ""
              for key in ("level", "session_minutes", "race0.date")}
    assert errors["level"] == "Please fill this in."
    assert errors["session_minutes"] == "Must be at least 10."
    assert "City half on 2026-03-14 is before the plan starts" in errors["race0.date"]
    assert page.locator(".field-error").count() == 3
    assert "3 answers need a fix" in page.text_content("[role=alert]")
    assert page.input_value("[name=name]") == "Bea"
    assert page.is_checked("[name=equipment][value=dumbbells]")
    assert page.input_value("[name='race0.name']") == "City half"
    shot(page, screenshots, "03-start-errors", full_page=True)
    page.click("[role=alert] >> text=Minutes per strength session")
    assert page.evaluate("() => location.hash") == "#f-session_minutes"

    page.select_option("[name=level]", "novice")
    page.fill("[name='race0.date']", "2027-03-14")
    page.fill("[name=session_minutes]", "25")
    page.click("button:has-text('Make my plan')")
    page.wait_for_url("**/plan?new=1")
    assert page.locator(".week").count() == 12
    assert "Your plan is ready" in page.text_content("main")
    assert page.locator(".has-race").count() == 1
    shot(page, screenshots, "04-plan")
    page.locator(".is-today .session-link").first.click()
    page.wait_for_url(f"**/session/{DAY}")
    shot(page, screenshots, "05-session")
    page.click("a.start")
    page.wait_for_selector("#player[data-ready=true]")
    page.goto("/")
    shot(page, screenshots, "06-home")


# -- (b) a whole session ----------------------------------------------------------------

def test_a_whole_session_through_the_player(page: Any, live_server: LiveServer,
                                            screenshots: Path) -> None:
    make_runner(live_server, "Cleo")
    data = open_player(page)
    expected = steps_of(data)
    timers = done = 0
    shots = {"work", "rest"}
    while (now := screen(page)) in ("work", "rest"):
        if now == "rest":
            if "rest" in shots:
                shot(page, screenshots, "08-play-rest")
                shots.discard("rest")
            page.wait_for_function("() => document.getElementById('rest').hidden")
            continue
        if "work" in shots:
            shot(page, screenshots, "07-play-work")
            shots.discard("work")
        start = page.locator("#timer-start")
        if start.is_visible() and timers < 2:  # the warm-up hold and the first tempo
            start.click()
            if timers == 1:  # the tempo countdown, caught while it runs
                page.screenshot(path=str(screenshots / "09b-play-tempo.png"))
            page.wait_for_selector("#timer.ended")
            timers += 1
            if timers == 1:
                shot(page, screenshots, "09-play-timer-ended")
        page.click("#done")
        done += 1
    assert done == expected and timers == 2
    assert int(page.evaluate("document.body.dataset.signals")) >= timers + 3  # + the rests

    assert screen(page) == "finish"
    assert f"{expected} sets logged" in page.text_content("#finish-summary")
    page.eval_on_selector("#f-rpe", "el => { el.value = 7; el.dispatchEvent(new Event('input')) }")
    page.eval_on_selector("#f-pain", "el => { el.value = 1; el.dispatchEvent(new Event('input')) }")
    page.fill("#f-notes", "felt good")
    shot(page, screenshots, "10-play-finish")
    page.click("#save")
    assert screen(page) == "saved"
    wait_sync(page, "saved")
    shot(page, screenshots, "11-play-saved")

    logged = live_server.store.log_sessions(profile_name="Cleo")
    assert len(logged) == 1
    entry = logged[0]
    assert entry.id == local_state(page, data)["id"] and entry.date == TODAY
    assert len(entry.sets) == expected
    assert entry.session_rpe == 7 and entry.pain == 1 and entry.notes == "felt good"
    assert entry.sets[0].exercise == data["items"][0]["exercise"]


# -- (c) reload ---------------------------------------------------------------------------

def test_a_reload_resumes_at_the_same_set(page: Any, live_server: LiveServer) -> None:
    make_runner(live_server, "Dana")
    data = open_player(page)
    page.click("#done")  # the warm-up
    page.click("#done")  # set 1 of the first exercise: a rest follows
    assert screen(page) == "rest"
    page.reload()
    page.wait_for_selector("#player[data-ready=true]")
    assert screen(page) in ("rest", "work")  # the rest goes on (or just ended)
    if screen(page) == "rest":
        page.click("#rest-skip")
    before = (page.text_content("#ex-name"), page.text_content("#set-line"))
    assert before == (data["items"][1]["name"], f"Set 2 of {len(data['items'][1]['sets'])}")
    wait_sync(page, "saved")
    page.reload()
    page.wait_for_selector("#player[data-ready=true]")
    assert screen(page) == "work"
    assert (page.text_content("#ex-name"), page.text_content("#set-line")) == before
    page.click("#change")  # log this set as done differently
    page.fill("#c-measure", "6")
    page.fill("#c-load", "12.5")
    page.fill("#c-pain", "2")
    page.click("button:has-text('Log this set')")
    wait_sync(page, "saved")
    logged = live_server.store.log_sessions(profile_name="Dana")
    assert len(logged) == 1 and len(logged[0].sets) == 3
    assert logged[0].id == local_state(page, data)["id"]
    changed = logged[0].sets[2]
    assert (changed.reps, changed.load_kg, changed.pain, changed.rpe) == (6, 12.5, 2, None)


# -- (d) offline --------------------------------------------------------------------------

def test_sets_logged_offline_arrive_once(page: Any, live_server: LiveServer,
                                         screenshots: Path) -> None:
    make_runner(live_server, "Eve")
    data = open_player(page)
    page.click("#done")
    wait_sync(page, "saved")
    page.context.set_offline(True)
    page.click("#done")
    if screen(page) == "rest":
        page.click("#rest-skip")
    page.click("#done")
    wait_sync(page, "offline: 2 waiting")
    shot(page, screenshots, "12-play-offline")
    assert len(live_server.store.log_sessions(profile_name="Eve")[0].sets) == 1
    page.context.set_offline(False)
    wait_sync(page, "saved")
    logged = live_server.store.log_sessions(profile_name="Eve")
    assert len(logged) == 1 and len(logged[0].sets) == 3
    assert logged[0].id == local_state(page, data)["id"]


# -- (e) progress, and the other pages ------------------------------------------------------

def log_three_weeks(server: LiveServer, name: str) -> None:
    """Monday, Wednesday and Friday sessions in the three weeks before TODAY, today's,
    and two single-leg bridge tests: something in every progress chart."""
    from datetime import timedelta

    def sets(n: int) -> list[dict[str, Any]]:
        return [{"exercise": "dynamic_warm_up", "hold_s": 300},
                *[{"exercise": "nordic_hamstring_curl", "reps": 3 + n // 3}] * 2,
                *[{"exercise": "dumbbell_romanian_deadlift", "reps": 8, "load_kg": 16}] * 3,
                *[{"exercise": "bridge_walkout", "reps": 5 + n % 2}] * 2]

    days = [TODAY - timedelta(weeks=3) + timedelta(days=7 * w + d)
            for w in range(3) for d in (0, 2, 4)] + [TODAY]
    entries = [{"id": f"{name}-{n}", "date": day.isoformat(), "session_rpe": 6,
                "duration_min": 20, "sets": sets(n)} for n, day in enumerate(days)]
    tests = [{"id": f"{name}-t{n}", "date": (TODAY - timedelta(weeks=3 - 2 * n)).isoformat(),
              "kind": "single_leg_bridge", "left": 18 + 3 * n, "right": 22} for n in range(2)]
    for path, body in (("log", entries), ("field-tests", tests)):
        response = httpx.post(f"{server.url}/api/v1/profiles/{name}/{path}", json=body)
        assert response.status_code == 201, response.text


CHART_TYPE = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(
        t => parseFloat(getComputedStyle(t).fontSize) * scale);
    const tick = svg.querySelector('text').getBoundingClientRect();
    return {smallest: Math.min(...sizes), tick_height: tick.height};
})"""


def test_progress_shows_one_phone_sized_chart_per_panel(page: Any, live_server: LiveServer,
                                                        screenshots: Path) -> None:
    # issue 10 item 12: one four-panel PNG showed ~6 px text on a phone
    make_runner(live_server, "Finn")
    page.goto("/progress")
    assert "No data yet" in page.text_content("main")
    shot(page, screenshots, "13-progress-empty")
    log_three_weeks(live_server, "Finn")
    page.goto("/progress")
    page.select_option("#weeks", "4")  # the four weeks with data: the docs' picture
    page.wait_for_url("**/progress?weeks=4")
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    for n in range(4):
        box = charts.nth(n).bounding_box()
        assert box is not None and box["x"] >= 0 and 300 <= box["width"] <= 390 - box["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for found in page.evaluate(CHART_TYPE):
        assert found["smallest"] >= 11, found  # CSS px on the phone, every text
        assert found["tick_height"] >= 11, found
    tile = page.text_content(".stat:nth-child(3) .value")
    assert tile == "7"  # today's seven sets, the warm-up not counted
    last_bar = page.locator("#chart-volume svg text[style*='font-weight: 700']")
    assert last_bar.text_content() == tile
    shot(page, screenshots, "14-progress", full_page=True)
    page.locator("#exports").scroll_into_view_if_needed()
    page.click("#exports input.copy")  # app.js selects the whole address, ready to copy
    assert page.evaluate("""() => { const field = document.querySelector('#exports .copy');
        return field.selectionStart === 0 && field.selectionEnd === field.value.length; }""")
    shot(page, screenshots, "15-exports")


def test_the_library_checker_and_errors_on_a_phone(page: Any, live_server: LiveServer,
                                                   screenshots: Path) -> None:
    page.goto("/exercises")
    shot(page, screenshots, "16-library")
    page.fill("#q", "nordic")
    page.wait_for_function("() => document.querySelector('.count').textContent.startsWith('1 ')")
    assert "q=nordic" in page.url  # htmx pushed the search into the address
    page.select_option("#muscle", "calves")
    page.wait_for_function("() => document.querySelector('.count').textContent.startsWith('0 ')")
    page.goto("/exercises/wall_sit")
    assert page.locator(".article-note").is_visible()
    shot(page, screenshots, "17-exercise-article", full_page=True)
    page.goto("/exercises/nordic_hamstring_curl")
    shot(page, screenshots, "18-exercise")
    page.goto("/check")
    page.fill("#plan_text", '{"schema": "hamstride.plan/1", "weeks": [')
    page.click("button:has-text('Check the plan')")
    assert "not valid JSON" in page.text_content(".alert")
    shot(page, screenshots, "19-check-bad-json")
    page.goto("/session/2027-01-05")
    assert "No strength session" in page.text_content("main")
    shot(page, screenshots, "20-not-found")


# -- (f) runs ---------------------------------------------------------------------------------

def seed_three_weeks(server: LiveServer, name: str) -> None:
    """Three weeks of Monday easy, Wednesday intervals and Sunday long runs before TODAY:
    one week too few to learn the running week from."""
    from datetime import timedelta

    from tests.training.test_runs import reps, run

    found = []
    for n in range(1, 4):
        monday = TODAY - timedelta(weeks=n)
        found += [run(monday, km=8, minutes=45, avg_hr=140, max_hr=165),
                  run(monday + timedelta(days=2), km=9, minutes=45, laps=reps(6), avg_hr=160,
                      max_hr=186),
                  run(monday + timedelta(days=6), km=22 + n, minutes=130 + 5 * n, avg_hr=145,
                      max_hr=170)]
    server.app.state.store.save_activities(profile_name=name, activities=found, label="seed")


def test_runs_upload_learned_week_and_a_kind_correction(
    page: Any, live_server: LiveServer, screenshots: Path, tmp_path: Path,
    monkeypatch: Any,
) -> None:
    from datetime import UTC, datetime, timedelta

    from hamstride.activities import track
    from tests.activities.sample_files import FitSpec, Leg, fit_file
    from tests.training.test_runs import at

    # the app's today is TODAY: files up to then are not "in the future"
    monkeypatch.setattr(track, "utcnow", lambda: datetime(2027, 1, 4, 12, tzinfo=UTC))
    make_runner(live_server, "Gus")
    page.goto("/runs")
    assert "Not learned yet" in page.text_content("main")
    shot(page, screenshots, "21-runs-empty")
    seed_three_weeks(live_server, "Gus")
    four_weeks_ago = at(TODAY - timedelta(weeks=4) + timedelta(days=2), 7)  # a Wednesday
    good, broken = tmp_path / "morning-run.fit", tmp_path / "broken.fit"
    good.write_bytes(fit_file(FitSpec(legs=(Leg(start=four_weeks_ago, seconds=1800),))))
    broken.write_bytes(good.read_bytes()[:60])
    page.set_input_files("#files", [str(good), str(broken)])
    page.click("button:has-text('Import')")
    result = page.locator("#imported")
    assert "Imported 1, 0 already here, 1 skipped" in result.text_content()
    assert result.locator(".import-skipped").count() == 1
    notice = result.locator(".notice").text_content()
    assert "Wednesday is now intervals" in notice and "Sunday is now the long run" in notice
    assert page.locator("svg.chart").is_visible()
    shot(page, screenshots, "22-runs-imported", full_page=True)
    first = page.locator(".kind-form select").first
    first.select_option("race")
    page.wait_for_url("**/runs#*")
    assert page.locator(".activity .chip").first.text_content() == "set by you"
    page.locator(".activity").first.scroll_into_view_if_needed()
    shot(page, screenshots, "23-runs-kind-corrected")


# -- (g) pause, reset and undo in the player, the warm-up, the back arrow ----------------------

CLOCK_START = datetime(2027, 1, 4, 9)


def stop_the_clock(page: Any) -> None:
    """The page's clock stands still until the test moves it on (``clock.run_for``), so a
    timer reads the same value however slow the machine is. At TIMER_SCALE one real
    second is 50 timer seconds."""
    page.clock.install(time=CLOCK_START)
    page.clock.pause_at(CLOCK_START + timedelta(seconds=1))


def pause_for(page: Any, timer: str, ms: int, shows: str) -> None:
    """Pause the running ``timer`` ("timer" or "rest") and let ``ms`` pass: it still
    shows ``shows``, marked paused."""
    page.click(f"#{timer}-pause")
    page.clock.run_for(ms)
    assert (page.text_content(f"#{timer}-value"), page.text_content(f"#{timer}-label"),
            page.text_content(f"#{timer}-pause")) == (shows, "paused", "Resume")


def resume_and_reset(page: Any, timer: str, ms: int, *, resumed: str, full: str) -> None:
    """Resume the paused ``timer``: it counts on (``resumed`` after ``ms``); Reset brings
    back its full length."""
    page.click(f"#{timer}-pause")
    page.clock.run_for(ms)
    assert page.text_content(f"#{timer}-value") == resumed
    page.click(f"#{timer}-reset")
    assert page.text_content(f"#{timer}-value") == full


def assert_tap_target(page: Any, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44, (selector, box)


def test_the_work_timer_pauses_resumes_and_resets(page: Any, live_server: LiveServer,
                                                  screenshots: Path) -> None:
    make_runner(live_server, "Hal")
    stop_the_clock(page)
    data = open_player(page)
    page.click("#timer-start")  # the 4 min warm-up
    page.clock.run_for(1000)
    assert page.text_content("#timer-value") == "3:10"
    assert page.text_content("#timer-pause") == "Pause"
    for control in ("#timer-pause", "#timer-reset"):
        assert_tap_target(page, control)
    shot(page, screenshots, "07b-play-timer-running")

    pause_for(page, "timer", 2000, shows="3:10")
    shot(page, screenshots, "07c-play-timer-paused")
    resume_and_reset(page, "timer", 1000, resumed="2:20", full="4:00")
    page.clock.run_for(1000)
    assert page.text_content("#timer-value") == "3:10"  # it runs on from the full length
    page.click("#timer-pause")
    page.click("#timer-reset")  # a paused timer goes back to the start and stays paused
    page.clock.run_for(1000)
    assert (page.text_content("#timer-value"), page.text_content("#timer-pause")) == (
        "4:00", "Resume")

    page.click("#done")  # a tempo set: its timer pauses too, with the warm-up's undo above
    page.click("#timer-start")
    page.clock.run_for(30)  # 1.5 s: rep 1, down
    reps = data["items"][1]["sets"][0]["reps"]
    assert page.text_content("#timer-label") == f"down · rep 1/{reps}"
    shot(page, screenshots, "07d-play-tempo-running")
    pause_for(page, "timer", 2000, shows="1")


def test_the_rest_pauses_through_a_reload_and_resets(page: Any, live_server: LiveServer,
                                                     screenshots: Path) -> None:
    make_runner(live_server, "Ida")
    stop_the_clock(page)
    open_player(page)
    page.click("#done")  # the warm-up
    page.click("#done")  # set 1 of the first exercise: 75 s of rest follow
    assert screen(page) == "rest"
    assert page.text_content("#rest-value") == "1:15"
    page.clock.run_for(500)
    assert page.text_content("#rest-value") == "50"
    for control in ("#rest-pause", "#rest-reset", "#undo"):
        assert_tap_target(page, control)
    pause_for(page, "rest", 3000, shows="50")  # longer than the whole rest

    page.reload()
    page.wait_for_selector("#player[data-ready=true]")
    page.clock.run_for(3000)
    assert screen(page) == "rest"
    assert (page.text_content("#rest-value"), page.text_content("#rest-pause")) == (
        "50", "Resume")
    resume_and_reset(page, "rest", 500, resumed="25", full="1:15")
    page.clock.run_for(1600)
    assert screen(page) == "work"
    assert page.text_content("#set-line").startswith("Set 2 of ")


def test_undo_returns_to_the_set_and_takes_it_off_the_log(page: Any, live_server: LiveServer,
                                                          screenshots: Path) -> None:
    make_runner(live_server, "Ivy")
    stop_the_clock(page)
    data = open_player(page)
    warm_up, first = data["items"][0], data["items"][1]

    def logged_sets() -> list[str]:
        entries = live_server.store.log_sessions(profile_name="Ivy")
        return [s.exercise for e in entries for s in e.sets]

    page.click("#done")  # the warm-up
    page.click("#done")  # set 1 of the first exercise: a rest follows
    assert screen(page) == "rest"
    wait_sync(page, "saved")
    assert logged_sets() == [warm_up["exercise"], first["exercise"]]
    assert page.text_content("#undo-text") == f"✓ {first['name']}, set 1 logged"
    shot(page, screenshots, "08b-play-rest-undo")

    page.click("#undo")
    assert screen(page) == "work"
    assert (page.text_content("#ex-name"), page.text_content("#set-line")) == (
        first["name"], f"Set 1 of {len(first['sets'])}")
    wait_sync(page, "saved")
    assert logged_sets() == [warm_up["exercise"]]
    assert len(local_state(page, data)["sets"]) == 1
    # the set before is offered now, on the work screen: undone too, the entry goes
    assert page.text_content("#undo-text") == f"✓ {warm_up['name']}, set 1 logged"
    page.click("#undo")
    assert page.text_content("#ex-name") == warm_up["name"]
    wait_sync(page, "saved")
    assert live_server.store.log_sessions(profile_name="Ivy") == []
    assert page.locator("#undo-bar").is_hidden()

    # offline, a set done and undone before the connection is back is never sent
    page.click("#done")
    wait_sync(page, "saved")
    page.context.set_offline(True)
    page.click("#done")
    wait_sync(page, "offline: 1 waiting")
    page.click("#undo")
    wait_sync(page, "offline: 2 waiting")
    page.context.set_offline(False)
    page.clock.run_for(3500)  # the player's retry
    wait_sync(page, "saved")
    assert logged_sets() == [warm_up["exercise"]]
    entry = live_server.store.log_sessions(profile_name="Ivy")[0]
    assert entry.id == local_state(page, data)["id"]


def test_the_warm_up_is_timed_not_held(page: Any, live_server: LiveServer) -> None:
    make_runner(live_server, "Jo")
    stop_the_clock(page)
    open_player(page)
    page.click("#timer-start")
    assert page.text_content("#timer-label") == "warm-up"
    page.click("#change")
    assert page.text_content("#measure-label") == "Time (s)"
    shown = page.inner_text("#work")  # the dose, the timer, the change form
    assert not re.search(r"\bhold\b", shown, re.IGNORECASE), shown


def test_the_back_arrow_is_a_44px_target(page: Any, live_server: LiveServer) -> None:
    make_runner(live_server, "Kai")
    open_player(page)
    assert_tap_target(page, ".player-bar a.back")
