"""Coaches and athletes (hamstride.coaching): links made by invitation either way and ended
by either side, access that ends with the link, comments, prescriptions that the plan
follows within the rules, templates, and the roster."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from hamstride import coach, coaching
from hamstride.accounts import Caller, add_account
from hamstride.catalogue import load_catalogue
from hamstride.errors import ForbiddenError, InputError, NotFoundError, PlanError
from hamstride.store import Store
from hamstride.training.checker import check_plan
from hamstride.training.log import field_test_from_data, session_from_data
from hamstride.training.profile import profile_from_data
from tests.training.factories import profile_data

TODAY = date(2027, 1, 4)
PASSWORD = "a long enough password"
NORDIC = "nordic_hamstring_curl"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


def _caller(store: Store, email: str, role: str = "athlete") -> Caller:
    made = add_account(store, email=email, password=PASSWORD, role=role)
    return Caller(made.id, made.role, made.email)


def _athlete_with_plan(store: Store, who: Caller, name: str = "Runner", **overrides: object
                       ) -> int:
    theirs = store.scoped(who.account)
    overrides = {"week": {"sat": "long"}, **overrides}
    profile = profile_from_data(profile_data(name=name, **overrides))  # type: ignore[arg-type]
    coach.make_plan(theirs, profile, start=TODAY, weeks=6, today=TODAY)
    stored = theirs.get_profile(name=name)
    assert stored is not None
    return stored.id


def _linked(store: Store) -> tuple[Caller, Caller, int]:
    physio = _caller(store, "physio@example.org", "coach")
    runner = _caller(store, "runner@example.org")
    profile_id = _athlete_with_plan(store, runner)
    invite = coaching.invite_athletes(store, physio, address="test")
    assert coaching.accept(store, runner, invite.secret, address="test") == physio.account
    return physio, runner, profile_id


def _planned(store: Store, runner: Caller, name: str = "Runner") -> set[str]:
    current = coach.plans(store.scoped(runner.account), name)
    return {i.exercise for _, s in current.active.sessions() if s.date >= TODAY
            for i in s.items}


def test_a_coachs_link_makes_a_link_once_and_either_side_ends_it(store: Store) -> None:
    physio, runner, profile_id = _linked(store)
    theirs, shared = coaching.athlete(store, physio, profile_id)
    assert shared.name == "Runner" and theirs.account == runner.account
    # the link was used: nobody else gets in with it
    other = _caller(store, "other@example.org")
    with pytest.raises(NotFoundError):
        coaching.accept(store, other, "c_not-a-real-link", address="test")
    coaching.end(store, runner, physio.account, address="test")
    with pytest.raises(NotFoundError):  # access ends with the link, at once
        coaching.athlete(store, physio, profile_id)
    with pytest.raises(NotFoundError):
        coaching.end(store, physio, runner.account, address="test")
    events = [e.event for e in store.accounts.events(physio.account)]
    assert "coaching began" in events and "coaching ended" in events


def test_an_athlete_invites_a_coach_by_email_and_only_that_coach_may_accept(
        store: Store) -> None:
    runner = _caller(store, "runner@example.org")
    profile_id = _athlete_with_plan(store, runner)
    physio = _caller(store, "physio@example.org", "coach")
    someone = _caller(store, "someone@example.org", "coach")
    invite = coaching.invite_coach(store, runner, email="Physio@Example.org", address="t")
    assert invite.email == "physio@example.org"
    assert [i.from_email for i in store.coaching.invitations_to("physio@example.org")] == [
        "runner@example.org"]
    with pytest.raises(ForbiddenError):
        coaching.accept(store, someone, invite.secret, address="t")
    with pytest.raises(ForbiddenError):  # an athlete account cannot coach
        coaching.accept(store, runner, invite.secret, address="t")
    assert coaching.accept(store, physio, invite.secret, address="t") == runner.account
    assert coaching.athlete(store, physio, profile_id)[1].email == "runner@example.org"
    with pytest.raises(NotFoundError):  # another coach: not found, not forbidden
        coaching.athlete(store, someone, profile_id)
    with pytest.raises(InputError):
        coaching.invite_coach(store, runner, email="runner@example.org", address="t")


def test_an_athlete_cannot_use_the_coach_side(store: Store) -> None:
    runner = _caller(store, "runner@example.org")
    with pytest.raises(ForbiddenError):
        coaching.invite_athletes(store, runner, address="t")
    with pytest.raises(ForbiddenError):
        coaching.roster(store, runner, TODAY)


def test_a_no_nordics_hold_removes_nordics_from_the_plan_and_the_checker_agrees(
        store: Store) -> None:
    physio, runner, profile_id = _linked(store)
    assert NORDIC in _planned(store, runner)
    given = coaching.prescribe(store, physio, profile_id, kind="hold",
                               value={"exercise": NORDIC}, reason="until the tendon settles",
                               today=TODAY)
    assert given.author == "physio@example.org"
    assert NORDIC not in _planned(store, runner)
    current = coach.plans(store.scoped(runner.account), "Runner")
    assert current.profile.held == {NORDIC}
    assert check_plan(current.active, current.profile, load_catalogue()) == []
    assert any("physio@example.org" in n and "until the tendon settles" in n
               for n in current.active.notes)
    # a new plan the runner makes keeps the hold
    theirs = store.scoped(runner.account)
    made, _ = coach.make_plan(theirs, profile_from_data(profile_data(name="Runner")),
                              start=TODAY, weeks=4, today=TODAY)
    assert NORDIC not in {i.exercise for _, s in made.sessions() for i in s.items}
    # ended (the athlete may end it too), the Nordics come back
    coaching.end_prescription(store, runner, profile_id, given.id, today=TODAY, own=True)
    assert NORDIC in _planned(store, runner)
    [ended] = store.coaching.prescriptions([profile_id], in_force=False)
    assert ended.ended_by == "runner@example.org"


def test_minutes_and_days_prescribed_are_what_the_plan_follows(store: Store) -> None:
    physio, runner, profile_id = _linked(store)
    coaching.prescribe(store, physio, profile_id, kind="days", value={"days": ["tue", "fri"]},
                       reason="race block", today=TODAY)
    coaching.prescribe(store, physio, profile_id, kind="minutes", value={"minutes": 20},
                       reason="short on time", today=TODAY)
    current = coach.plans(store.scoped(runner.account), "Runner")
    days = {s.date.strftime("%a").lower() for _, s in current.active.sessions()
            if s.date >= TODAY}
    assert days <= {"tue", "fri"}
    assert current.profile.session_minutes == 20
    # a second minutes prescription takes over from the first
    coaching.prescribe(store, physio, profile_id, kind="minutes", value={"minutes": 30},
                       reason="", today=TODAY)
    kinds = [(p.kind, p.value) for p in store.coaching.prescriptions([profile_id])]
    assert ("minutes", {"minutes": 20}) not in kinds and ("minutes", {"minutes": 30}) in kinds
    # the stored profile is the runner's own: prescriptions are laid on top
    stored = store.scoped(runner.account).get_profile(name="Runner")
    assert stored is not None and stored.document["session_minutes"] == 45


def test_a_prescription_no_safe_plan_can_follow_is_refused_and_nothing_is_stored(
        store: Store) -> None:
    physio = _caller(store, "physio@example.org", "coach")
    runner = _caller(store, "runner@example.org")
    profile_id = _athlete_with_plan(store, runner, equipment=[], level="novice",
                                    strength_days=["mon", "thu"])
    coaching.accept(store, runner, coaching.invite_athletes(store, physio, address="t").secret,
                    address="t")
    held = []
    with pytest.raises(PlanError, match="cannot follow"):
        # hip-dominant work without equipment: hold every option until none is left
        for exercise in ("single_leg_glute_bridge", "glute_bridge", "single_leg_hip_thrust",
                         "hip_thrust", "single_leg_romanian_deadlift"):
            coaching.prescribe(store, physio, profile_id, kind="hold",
                               value={"exercise": exercise}, reason="", today=TODAY)
            held.append(exercise)
    in_force = [p.value["exercise"] for p in store.coaching.prescriptions([profile_id])]
    assert in_force == held  # the refused one was not stored


@pytest.mark.parametrize(("kind", "value", "field"), [
    ("hold", {"exercise": "dynamic_warm_up"}, "exercise"),
    ("hold", {"exercise": "askling_diver"}, "exercise"),
    ("hold", {"exercise": "no_such_thing"}, "exercise"),
    ("minutes", {"minutes": 5}, "session_minutes"),
    ("days", {"days": ["someday"]}, "strength_days[0]"),
    ("clear", {"stage": "walk_jog"}, "stage"),  # no strain recorded
    ("sprint", {}, "kind"),
])
def test_bad_prescriptions_name_what_is_wrong(store: Store, kind: str, value: dict[str, object],
                                              field: str) -> None:
    physio, _, profile_id = _linked(store)
    with pytest.raises(InputError) as found:
        coaching.prescribe(store, physio, profile_id, kind=kind, value=value, reason="",
                           today=TODAY)
    assert found.value.field == field
    assert store.coaching.prescriptions([profile_id]) == []


def test_a_clearance_brings_heavy_hamstring_work_after_the_protected_weeks(
        store: Store) -> None:
    physio = _caller(store, "physio@example.org", "coach")
    runner = _caller(store, "runner@example.org")
    strained = {"hamstring_strain": {"date": (TODAY - timedelta(days=20)).isoformat(),
                                     "side": "left"}}
    profile_id = _athlete_with_plan(store, runner, goal="return_from_strain", injury=strained)
    coaching.accept(store, runner, coaching.invite_athletes(store, physio, address="t").secret,
                    address="t")
    theirs = store.scoped(runner.account)
    before = coach.today(theirs, "Runner", TODAY).returning
    assert before is not None and before.stage.value == "protect"
    coaching.prescribe(store, physio, profile_id, kind="clear", value={"stage": "walk_jog"},
                       reason="assessed: pain-free", today=TODAY)
    after = coach.today(theirs, "Runner", TODAY).returning
    assert after is not None and after.stage.value == "walk_jog"
    assert any(c.name == "cleared" for c in after.criteria)


def test_comments_both_ways_and_what_waits_for_an_answer(store: Store) -> None:
    physio, runner, profile_id = _linked(store)
    coaching.comment(store, runner, profile_id, TODAY, "Felt a twinge on the last set",
                     by_coach=False)
    coaching.comment(store, runner, profile_id, TODAY, "Better next morning", by_coach=False)
    waiting = store.coaching.comments([profile_id])
    assert coaching.open_comments(waiting) == 2
    coaching.comment(store, physio, profile_id, TODAY, "Good: keep it at 3/10 or less",
                     by_coach=True)
    found = store.coaching.comments([profile_id], day=TODAY)
    assert [c.author for c in found] == ["runner@example.org"] * 2 + ["physio@example.org"]
    assert coaching.open_comments(found) == 0
    with pytest.raises(InputError):
        coaching.comment(store, physio, profile_id, TODAY, "   ", by_coach=True)


def test_the_roster_shows_adherence_pain_load_asymmetry_and_sorts_pain_first(
        store: Store) -> None:
    physio, runner, profile_id = _linked(store)
    calm = _caller(store, "calm@example.org")
    _athlete_with_plan(store, calm, name="Calm")
    coaching.accept(store, calm, coaching.invite_athletes(store, physio, address="t").secret,
                    address="t")
    theirs = store.scoped(runner.account)
    day = TODAY + timedelta(days=9)
    planned = sorted(s.date for _, s in coach.plans(theirs, "Runner").active.sessions()
                     if s.date <= day)
    entries = [session_from_data({"id": f"s{n}", "date": d.isoformat(), "pain": 7 if n else 1,
                                  "morning_pain": 5 if n == 1 else None,
                                  "sets": [{"exercise": "squat", "reps": 8}]})
               for n, d in enumerate(planned[:2])]
    theirs.save_log_sessions(profile_name="Runner", sessions=entries)
    theirs.save_field_tests(profile_name="Runner", tests=[field_test_from_data(
        {"id": "t1", "date": TODAY.isoformat(), "kind": "single_leg_bridge", "left": 20,
         "right": 15})])
    coaching.comment(store, runner, profile_id, planned[0], "sore", by_coach=False)
    rows = coaching.roster(store, physio, day)
    assert [r.name for r in rows] == ["Runner", "Calm"]  # pain first
    first = rows[0].status
    assert (first.done, first.planned) == (2, len(planned) - (planned[-1] == day))
    assert {f.code for f in first.pain} == {"pain_over_5", "not_settled"}
    assert first.asymmetry == 25.0 and first.asymmetry_flag is not None
    assert rows[0].open_comments == 1 and rows[1].status.flags == ()
    assert [r.name for r in coaching.roster(store, physio, day, flagged_only=True)] == [
        "Runner"]
    assert [r.name for r in coaching.roster(store, physio, day, sort="name")] == [
        "Calm", "Runner"]
    coaching.end(store, physio, calm.account, address="t")
    assert [r.name for r in coaching.roster(store, physio, day)] == ["Runner"]


def test_a_template_gives_each_athlete_their_own_plan(store: Store) -> None:
    physio, runner, profile_id = _linked(store)
    second = _caller(store, "second@example.org")
    second_id = _athlete_with_plan(store, second, name="Second", week={"wed": "intervals"})
    coaching.accept(store, second, coaching.invite_athletes(store, physio, address="t").secret,
                    address="t")
    template = coaching.save_template(store, physio, "Base block", {
        "level": "novice", "goal": "prevent_injury", "session_minutes": 25,
        "equipment": [], "strength_days": ["mon", "thu"], "name": "ignored"})
    done = coaching.assign_template(store, physio, template, [profile_id, second_id],
                                    today=TODAY)
    assert [d.planned for d in done] == [True, True]
    for who, name in ((runner, "Runner"), (second, "Second")):
        current = coach.plans(store.scoped(who.account), name)
        assert current.profile.session_minutes == 25
        assert current.original.start == TODAY
    second_profile = coach.plans(store.scoped(second.account), "Second").profile
    assert second_profile.running.week.wed.value == "intervals"  # their own running week
    outsider = _caller(store, "outsider@example.org")
    outsider_id = _athlete_with_plan(store, outsider, name="Outsider")
    with pytest.raises(NotFoundError):
        coaching.assign_template(store, physio, template, [outsider_id], today=TODAY)
    with pytest.raises(InputError):
        coaching.save_template(store, physio, "Bad", {"level": "novice"})
