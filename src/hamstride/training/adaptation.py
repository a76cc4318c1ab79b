"""The plan after the log: the future regenerated from what was done.

Past sessions stay as they were logged (the log is the record); from the day after the
last logged session, the rest of the active plan is generated again, carrying on from
the log: the Nordic table week reached (or restarted after a lapse), the last heavy
eccentric and hamstring sessions, and a decision for each exercise (progression.py).
The result passes the checker like any plan, judged together with that history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from hamstride.catalogue import Catalogue, load_catalogue
from hamstride.errors import PlanError
from hamstride.training.checker import check_plan
from hamstride.training.log import FieldTest, LoggedSession, LoggedSet
from hamstride.training.pain import pain_pause
from hamstride.training.plan import LOGGED_IN_WEEK_MAX, Continues, LoggedDay, Plan
from hamstride.training.planner.weeks import Carry, PlanBuilder
from hamstride.training.profile import Profile
from hamstride.training.progression import (
    NORDIC,
    Action,
    decisions,
    nordic_state,
    pain_action,
    pain_free_action,
)
from hamstride.training.return_stages import ReturnStatus, return_status
from hamstride.training.rules import nordic, strain


def plan_end(plan: Plan) -> date:
    """The day after the plan's last day."""
    return plan.start + timedelta(days=7 * len(plan.weeks))


def planned_from(plan: Plan) -> date:
    """The first day a plan plans: its start, or for a plan regenerated from the log the
    day after the last logged session (its first week began earlier)."""
    carried = plan.continues
    return carried.planned_from or plan.start if carried is not None else plan.start


def original_start(plan: Plan) -> date:
    """The start of the plan ``plan`` continues (its own, for a fresh plan)."""
    return plan.continues.original_start if plan.continues is not None else plan.start


def overtaken(plan: Plan, day: date) -> bool:
    """A plan regenerated from the log that a lapse has overtaken by ``day``: 3 weeks
    since its last Nordic bout (the table restarts, Ripley 2021) or with nothing logged,
    both begun after it was made, so the doses it shows are stale."""
    return lapsed(plan.continues, plan.start, day)


def lapsed(carried: Continues | None, start: date, day: date) -> bool:
    """``overtaken`` for a plan starting on ``start`` that carries ``carried``: what it
    needs of the plan, without the plan (a stored plan's document holds both)."""
    if carried is None:
        return False
    lapse = timedelta(days=nordic.LAPSE_DAYS)
    last = carried.last_nordic
    made = carried.planned_from or start
    nordic_lapse = last is not None and made < last + lapse <= day
    return nordic_lapse or made + lapse <= day


def adapt_plan(profile: Profile, base: Plan, log: Sequence[LoggedSession], *, today: date,
               catalogue: Catalogue | None = None,
               tests: Sequence[FieldTest] = ()) -> Plan:
    """The rest of ``base`` regenerated from ``log`` (and, after a recent strain, the
    field tests that judge the return criteria) as of ``today``.

    The new plan keeps the original plan's weeks: it starts on the first day of the week
    it picks up in and plans from the day after the last logged session, and what was
    logged earlier in that week counts towards the week's limits (sessions, the Nordic
    table)."""
    catalogue = catalogue or load_catalogue()
    done = sorted((s for s in log if s.date <= today), key=lambda s: (s.date, s.id))
    first_day = max(today, done[-1].date + timedelta(days=1)) if done else today
    first_day = max(first_day, base.start)  # a plan not begun yet is regenerated whole
    end = plan_end(base)
    if first_day >= end:
        raise PlanError(f"the plan ended on {end - timedelta(days=1)}; make a new one.",
                        cli_hint="`hamstride plan` makes one.")
    origin = original_start(base)
    start = origin + timedelta(days=7 * ((first_day - origin).days // 7))
    weeks = -(-(end - start).days // 7)
    carry = _carry(base, done, first_day, profile, catalogue)
    logged = tuple(LoggedDay(date=s.date, nordic=any(x.exercise == NORDIC for x in s.sets))
                   for s in done
                   if start <= s.date < first_day and is_strength_session(catalogue, s))
    if len(logged) > LOGGED_IN_WEEK_MAX:  # the weekly cap is far below: no plan follows
        raise PlanError(f"the log holds {len(logged)} strength sessions in the week from "
                        f"{start}; no plan can follow that week (2-3 a week is the "
                        "evidence, Blagrove 2018).")
    carry = replace(carry, planned_from=first_day if first_day > start else None,
                    logged=logged)
    carry = replace(carry, returning=returning(profile, carry.original_start, done, tests,
                                               today))
    plan = PlanBuilder(profile, start, catalogue, carry).build(weeks)
    problems = check_plan(plan, profile, catalogue)
    if problems:
        listed = "; ".join(f"{p.rule} {p.date}: {p.message}" for p in problems[:3])
        raise PlanError(f"no safe plan follows from this log: {listed}")
    return plan


def _carry(base: Plan, done: Sequence[LoggedSession], start: date, profile: Profile,
           catalogue: Catalogue) -> Carry:
    origin = original_start(base)
    nordics = nordic_state(done, start, origin)
    recent = strain.recent_strain(profile, origin)
    index, pain_note = _nordic_after_pain(nordics.table_week, done, recent)
    notes = tuple(n for n in (nordics.reason, pain_note) if n)
    heavy = [s.date for s in done if any(_is(catalogue, x, "heavy") for x in s.sets)]
    hamstring = [s.date for s in done if any(_is(catalogue, x, "hamstring") for x in s.sets)]
    return Carry(
        original_start=origin, nordic_index=index, last_nordic=nordics.last,
        last_eccentric=max(heavy, default=None), last_session=max(hamstring, default=None),
        last_hamstring=max(hamstring, default=None),
        decisions=decisions(done, catalogue, profile.owned, profile.level,
                            recent_strain=recent),
        notes=notes,
        pain_pause=pain_pause(done, lambda s: any(_is(catalogue, x, "hamstring")
                                                  for x in s.sets)),
    )


def returning(profile: Profile, original_start: date, log: Sequence[LoggedSession],
              tests: Sequence[FieldTest], today: date) -> ReturnStatus | None:
    """The return stage after a strain recent at the original start, else None."""
    injury = profile.strain
    if injury is None or not strain.recent_strain(profile, original_start):
        return None
    return return_status(injury, original_start, log, tests, today,
                         cleared=profile.care.cleared)


def _nordic_after_pain(table_week: int, done: Sequence[LoggedSession],
                      recent: bool) -> tuple[int, str]:
    """Pain monitoring on Nordics moves the table back: hold repeats the last table week,
    a step back returns to the one before it (Silbernagel 2007; pain-free after a recent
    strain, Askling 2013). Says why."""
    history = [(s, [x for x in s.sets if x.exercise == NORDIC]) for s in done
               if any(x.exercise == NORDIC for x in s.sets)]
    if not history:
        return table_week, ""
    action, reason = (pain_free_action if recent else pain_action)(history)
    if action is Action.STEP_BACK:
        back = max(0, table_week - 2)
        return back, f"Nordics: {reason}: back to table week {back + 1}."
    if action is Action.HOLD:
        return max(0, table_week - 1), f"Nordics: {reason}: table week {table_week} again."
    return table_week, ""


def is_strength_session(catalogue: Catalogue, session: LoggedSession) -> bool:
    """A logged strength session: work beyond the warm-up and the L-protocol, as the
    checker counts planned ones (rule 5)."""
    for logged in session.sets:
        exercise = catalogue.get(logged.exercise)
        if exercise is not None and not (exercise.is_warm_up or exercise.is_l_protocol):
            return True
    return False


def _is(catalogue: Catalogue, logged: LoggedSet, kind: str) -> bool:
    exercise = catalogue.get(logged.exercise)
    if exercise is None:
        return False
    return exercise.is_heavy_eccentric if kind == "heavy" else exercise.is_hamstring_work
