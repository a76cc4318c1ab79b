"""Building a plan week by week: days, Nordic sessions, contents, fit, taper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from hamstride.catalogue import Catalogue, Exercise
from hamstride.catalogue.model import slow_lowering
from hamstride.training.calendar import RunCalendar
from hamstride.training.pain import PainPause
from hamstride.training.plan import (
    Continues,
    Item,
    LoggedDay,
    Plan,
    ReturnState,
    Session,
    Week,
    trusted,
)
from hamstride.training.planner import notes
from hamstride.training.planner.choices import SPRINT_LIKE, Chooser
from hamstride.training.planner.days import MAX_GAP, choose_offsets
from hamstride.training.planner.drafts import (
    NOVICE_WEEKS,
    Draft,
    Role,
    effective_step,
    nordic_item,
    protocol_item,
    role_item,
    warm_up,
)
from hamstride.training.planner.fitting import FitReport, drop_one, fit, fits, take_a_set
from hamstride.training.planner.phases import (
    BUILD,
    DELOAD,
    IN_SEASON,
    MAINTENANCE,
    REBUILD,
    RECOVERY,
    RETURN,
    TAPER,
    phase_plan,
    plan_phases,
    session_target,
)
from hamstride.training.profile import Profile, Race
from hamstride.training.progression import Decision
from hamstride.training.return_stages import ReturnStatus, return_status
from hamstride.training.rules import (
    balance,
    key_runs,
    nordic,
    periodisation,
    plyometrics,
    race_windows,
    races,
    strain,
)
from hamstride.training.rules.frequency import ECCENTRIC_SPACING_DAYS
from hamstride.training.timing import estimate_minutes
from hamstride.vocabulary import Day, Emphasis, Level, Muscle, Priority, RunType

TAPER_DAYS = 10  # EVIDENCE.md 3: reduced volume in the last 7-10 days
DIVER_EVERY, GLIDER_EVERY = 2, 3  # Askling 2013: every other day, every third day
ACCESSORY_ROLES = (Role.QUAD, Role.CALF)
HAMSTRING_ROLES = (Role.KNEE, Role.HIP)
NORDIC_ID = "nordic_hamstring_curl"
CONTROLLED_TEMPO = "2-0-1"  # the day before a key run: no slow lowering (rule 4)
# weeks that keep the dose the build reached (fewer sets where they lighten), rather than
# starting the double progression again from the bottom of the range (Ronnestad 2010:
# strength is maintained, not rebuilt)
HOLDING = frozenset({MAINTENANCE, DELOAD, IN_SEASON, TAPER, RECOVERY})
PLYO_WEEKS_PER_DRILL = 3  # build weeks on one plyometric drill before the next (product choice)
PLYO_MIN_SETS = 2


@dataclass
class SessionDraft:
    day: date
    drafts: list[Draft]
    notes: list[str] = field(default_factory=list)
    primary: Role | None = None
    second_bout: bool = False
    trimmed: bool = False
    dropped: list[str] = field(default_factory=list)
    why: str | None = None  # why this session has no Nordics, where it could

    def record(self, report: FitReport) -> None:
        self.trimmed |= report.trimmed or report.protocol_trimmed
        self.dropped += report.dropped

    def fit_note(self, minutes: int) -> str | None:
        """Say how the session was fitted, from what it holds now."""
        if not (self.trimmed or self.dropped):
            paired = any(d.superset for d in self.drafts)
            return notes.fitted(minutes, True, False, []) if paired else None
        present = {d.exercise.id for d in self.drafts}
        dropped = sorted({x for x in self.dropped if x not in present})
        paired = any(d.superset for d in self.drafts)
        if not (paired or self.trimmed or dropped):
            return None
        return notes.fitted(minutes, paired, self.trimmed, dropped)

    def work_sets(self) -> int:
        """Sets of loading work, as the checker counts them (not the L-protocol)."""
        return sum(len(d.sets) for d in self.drafts
                   if d.role not in (Role.WARM_UP, Role.L_PROTOCOL))

    def roles(self) -> set[Role]:
        return {d.role for d in self.drafts}


@dataclass
class _State:
    """What carries over from one week to the next."""

    nordic_index: int = 0
    last_nordic: date | None = None
    last_eccentric: date | None = None
    last_session: date | None = None
    last_hamstring: date | None = None
    last_diver: date | None = None
    last_glider: date | None = None
    race_free_totals: list[int] = field(default_factory=list)
    phase_weeks: dict[str, int] = field(default_factory=dict)
    nordic_weeks: int = 0
    nordic_blocked_weeks: int = 0  # weeks whose key runs left no day for Nordics
    plyo_weeks: int = 0  # build weeks with plyometrics (rule 15)
    plyo_missed: int = 0  # build weeks whose days left no room for them
    used: set[str] = field(default_factory=set)  # exercises the plan has prescribed
    recovery_caps: dict[date, int | None] = field(default_factory=dict)  # by A-race date
    build_totals: list[int] = field(default_factory=list)  # build weeks running (rule 14)
    heaviest_build: int = 0
    # sets so far in each recovery window, by (A race, first day of the window)
    recovery_sets: dict[tuple[date, date], int] = field(default_factory=dict)


WEEKDAY_NAMES = tuple(d.value.capitalize() for d in Day)
ROLE_NOTES = {Role.HIP: notes.HIP_WORK, Role.QUAD: notes.QUAD_WORK, Role.CALF: notes.CALF_WORK}
NEED_ROLES = {Emphasis.HIP: Role.HIP, Emphasis.KNEE: Role.KNEE, Muscle.QUADRICEPS: Role.QUAD,
              Muscle.CALVES: Role.CALF}


def _apply(decision: Decision, draft: Draft) -> None:
    """Extra or fewer sets, and the reason, from the log's decision."""
    if decision.extra_sets > 0:
        draft.sets.extend([draft.sets[-1]] * decision.extra_sets)
    elif decision.extra_sets < 0:
        del draft.sets[max(1, len(draft.sets) + decision.extra_sets):]
    draft.notes.append(notes.from_log(decision.reason, decision.add_load))


def _halved(d: Draft) -> bool:
    """An item a deload or the season halves: not the warm-up, the L-protocol or the
    Nordics, whose table runs through them (rule 14)."""
    return d.role not in (Role.WARM_UP, Role.L_PROTOCOL) and d.exercise.id != NORDIC_ID


def _hold_notes(sessions: list[SessionDraft]) -> None:
    """Outside a build a heavy lift keeps its load: its note says so (rule 13)."""
    for s in sessions:
        for d in s.drafts:
            if d.rm is not None:
                d.notes = [notes.heavy_lift_kept(d.rm) if n == notes.heavy_lift(d.rm) else n
                           for n in d.notes]


def _missing(sessions: list[SessionDraft]) -> list[Emphasis | Muscle]:
    return balance.missing(d.exercise for s in sessions for d in s.drafts)


@dataclass(frozen=True)
class Carry:
    """What a plan regenerated from the training log starts from."""

    original_start: date
    nordic_index: int = 0
    last_nordic: date | None = None
    last_eccentric: date | None = None
    last_session: date | None = None
    last_hamstring: date | None = None
    decisions: dict[str, Decision] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    returning: ReturnStatus | None = None  # the return criteria, after a recent strain
    pain_pause: PainPause | None = None  # heavy hamstring work paused by pain (pain.py)
    planned_from: date | None = None  # the first day planned, when after the start
    logged: tuple[LoggedDay, ...] = ()  # strength sessions logged in the first week


class PlanBuilder:
    def __init__(self, profile: Profile, start: date, catalogue: Catalogue,
                 carry: Carry | None = None) -> None:
        self.profile = profile
        self.start = start
        self.carry = carry
        self.origin = carry.original_start if carry is not None else start
        self.weeks_done = max(0, (start - self.origin).days // 7)
        self.planned_from = (carry.planned_from if carry is not None else None) or start
        self.logged = carry.logged if carry is not None else ()
        self.calendar = RunCalendar(profile)
        self.choose = Chooser(catalogue, profile.owned, profile.level, profile.held)
        self.catalogue = catalogue
        self.recent = strain.recent_strain(profile, self.origin)
        self.protected_until = strain.protected_until(self.origin)
        self.returning = self._returning(carry)
        self.pain_pause = carry.pain_pause if carry is not None else None
        self.phases = phase_plan(profile, self.recent)
        self.budget_s = profile.session_minutes * 60
        self.strength_days = {d.weekday for d in profile.strength_days}
        self.state = _State()
        self.week_number = 1
        self.heavy_step = 0  # the progression step of heavy lifts (rule 13)
        self.decisions = carry.decisions if carry is not None else {}
        if carry is not None:
            self._seed(carry)
        self.owned = profile.owned
        self._heavy_ids = frozenset(e.id for e in catalogue.values() if race_windows.is_heavy(e))
        self._drafts: dict[tuple[str, str, Role, int, bool | None], Draft] = {}
        self._plain_runs: dict[int, tuple[RunType, ...]] = {}
        self._items: dict[tuple[object, ...], Item] = {}
        self._sessions: dict[tuple[int, int, int, int, bool, str | None, int, frozenset[str],
                                   int], tuple[Role, list[Draft]]] = {}

    def _returning(self, carry: Carry | None) -> ReturnStatus | None:
        """The return stage; a fresh plan knows no criteria yet, so none are met."""
        injury = self.profile.strain
        if not self.recent or injury is None:
            return None
        if carry is not None and carry.returning is not None:
            return carry.returning
        return return_status(injury, self.origin, [], [], self.start,
                             cleared=self.profile.care.cleared)

    def _seed(self, carry: Carry) -> None:
        st = self.state
        st.nordic_index, st.last_nordic = carry.nordic_index, carry.last_nordic
        st.last_eccentric, st.last_session = carry.last_eccentric, carry.last_session
        st.last_hamstring = carry.last_hamstring
        for week in range(1, self.weeks_done + 1):
            phase = self.phases.phase(week)
            st.phase_weeks[phase] = st.phase_weeks.get(phase, 0) + 1

    def build(self, weeks: int) -> Plan:
        self.weeks = weeks
        self.phase_list = plan_phases(self.phases, self.calendar, self.origin,
                                      self.weeks_done + weeks)
        built = [self._week(k) for k in range(1, weeks + 1)]
        return trusted(Plan,
            schema_="hamstride.plan/1", start=self.start, athlete=self.profile.name,
            notes=self._plan_notes(), continues=self._continues(), weeks=built,
        )

    def _continues(self) -> Continues | None:
        carry = self.carry
        if carry is None:
            return None
        back = self.returning
        state = None if back is None else ReturnState(stage=back.stage.value,
                                                      heavy_from=back.heavy_from)
        return Continues(original_start=carry.original_start,
                         planned_from=carry.planned_from, logged=list(carry.logged),
                         nordic_week=carry.nordic_index,
                         last_nordic=carry.last_nordic,
                         last_heavy_eccentric=carry.last_eccentric,
                         last_hamstring=carry.last_hamstring, return_state=state,
                         pain_pause_since=None if self.pain_pause is None
                         else self.pain_pause.since)

    # -- a week -----------------------------------------------------------------------

    def _week(self, number: int) -> Week:
        first = self.start + timedelta(days=7 * (number - 1))
        last = first + timedelta(days=6)
        self.week_number = number
        phase = self.phase_list[number + self.weeks_done - 1]
        step = self.state.phase_weeks.get(phase, 0)
        self.state.phase_weeks[phase] = step + 1
        if phase in HOLDING:  # the dose the build reached is kept, not climbed anew
            step = max(0, self.state.phase_weeks.get(BUILD, 0) - 1)
        # heavy lifts keep the load the build reached through maintenance and the taper;
        # in season they are at least one rung down from the lightest (rule 14)
        self.heavy_step = max(0, self.state.phase_weeks.get(BUILD, 0) - 1)
        if phase == IN_SEASON:
            self.heavy_step = max(self.heavy_step, periodisation.IN_SEASON_RM_STEP)
        for race in self.calendar.races_between(first, last):
            if race.priority is Priority.A:
                self.state.recovery_caps[race.date] = races.taper_cap(
                    self.state.race_free_totals)
        open_days = [first + timedelta(days=i) for i in range(7) if self._open(first, i)]
        logged = [d for d in self.logged if first <= d.date <= last]
        target = max(0, session_target(phase, self.profile.level) - len(logged))
        chosen = self._choose_days(first, open_days, target)
        if phase == RETURN:
            sessions = self._return_week(open_days, chosen, step)
        else:
            sessions = self._strength_week(chosen, phase, step, logged)
        self._balance(sessions)
        if phase == BUILD:
            self._add_plyometrics(sessions, step)
        elif phase in HOLDING:
            _hold_notes(sessions)
        if phase == DELOAD:
            self._lighten(sessions, notes.DELOAD, max(self.state.build_totals, default=0)
                          * periodisation.DELOAD_SHARE, keep=lambda n: n // 2)
        elif phase == IN_SEASON:  # fewer sessions already: 2 sets of 3 keep the stimulus
            self._lighten(sessions, notes.IN_SEASON,
                          self.state.heaviest_build * periodisation.IN_SEASON_SHARE,
                          keep=lambda n: -(-n // 2))
        self._taper(sessions, first, last)
        self._recover(sessions)
        total = sum(len(d.sets) for s in sessions for d in s.drafts if _halved(d))
        if phase == BUILD:
            if not logged:  # a week the log began is not comparable
                self.state.build_totals.append(total)
                self.state.heaviest_build = max(self.state.heaviest_build, total)
        else:
            self.state.build_totals = []
        self.state.used.update(d.exercise.id for s in sessions for d in s.drafts)
        races_in_week = self.calendar.races_between(first, last)
        if not races_in_week:
            self.state.race_free_totals.append(sum(s.work_sets() for s in sessions))
        for s in sessions:
            if not s.second_bout:
                self.state.last_session = s.day
        return trusted(Week, week=number, phase=phase,
                                    sessions=[self._finish(s) for s in sessions])

    def _open(self, first: date, offset: int) -> bool:
        day = first + timedelta(days=offset)
        return (day >= self.planned_from and day.weekday() in self.strength_days
                and self.calendar.blackout(day) is None)

    def _choose_days(self, first: date, open_days: list[date], count: int) -> list[date]:
        offsets = tuple((d - first).days for d in open_days)
        last = self.state.last_session
        since = 3 if last is None else min(3, (first - last).days)
        reference = last or self.state.last_hamstring or self.start
        gap_before = min(MAX_GAP, (first - reference).days)
        picked = choose_offsets(offsets, self._runs(first), count, since, gap_before,
                                self._days_to_next_open(first + timedelta(days=6)))
        return [first + timedelta(days=i) for i in picked]

    def _runs(self, first: date) -> tuple[RunType, ...]:
        """Run types of the week's 7 days and the next day; race-free weeks share one."""
        if not self.calendar.races_between(first, first + timedelta(days=7)):
            cached = self._plain_runs.get(first.weekday())
            if cached is None:
                cached = tuple(self.calendar.run_on(first + timedelta(days=i)) for i in range(8))
                self._plain_runs[first.weekday()] = cached
            return cached
        return tuple(self.calendar.run_on(first + timedelta(days=i)) for i in range(8))

    def _days_to_next_open(self, day: date) -> int:
        for ahead in range(1, MAX_GAP):
            later = day + timedelta(days=ahead)
            if later.weekday() in self.strength_days and self.calendar.blackout(later) is None:
                return ahead
        return MAX_GAP

    # -- strength weeks -----------------------------------------------------------------

    def _strength_week(self, chosen: list[date], phase: str, step: int,
                       logged: list[LoggedDay]) -> list[SessionDraft]:
        nordic_days, index, why_not = self._nordic_days(chosen, phase,
                                                        sum(d.nordic for d in logged))
        sessions = []
        for variant, day in enumerate(chosen):
            # knee work alternates among the sessions that have no Nordics
            knee_variant = sum(1 for d in chosen[:variant] if d not in nordic_days)
            s = self._strength_session(day, variant, step, index if day in nordic_days else 0,
                                       healing=self._healing(day), why=why_not.get(day),
                                       knee_variant=knee_variant)
            if phase == REBUILD:
                self._add_protocol(s, second_bout=False)
            sessions.append(s)
        return sessions

    def _nordic_days(self, chosen: list[date], phase: str,
                     logged: int = 0) -> tuple[set[date], int, dict[date, str]]:
        """Which chosen days carry Nordics, the table week they are at, and why each
        other day does not (the reason goes into the knee-dominant item's note).
        ``logged`` Nordic sessions earlier in the week count towards its table row."""
        why_not: dict[date, str] = {}
        if self.choose.nordic is None or phase == RETURN:
            return set(), 0, why_not
        if phase == TAPER:
            return set(), 0, dict.fromkeys(chosen, notes.TAPER_NO_NORDICS)
        picked: set[date] = set()
        st = self.state
        index = st.nordic_index if logged else 0  # the week's table row is under way
        for day in chosen:
            if self.pain_pause is not None and not self._strain_healing(day):
                why_not[day] = notes.PAIN_NO_NORDICS
                continue
            if self._healing(day):
                why_not[day] = (notes.STRAIN_NO_NORDICS if day < self.protected_until
                                else notes.CRITERIA_NO_NORDICS)
                continue
            candidate = index or nordic.next_index(st.nordic_index, st.last_nordic, day)
            reason = self._nordic_blocker(day, candidate, len(picked) + logged)
            if reason is None:
                picked.add(day)
                index = candidate
                st.last_eccentric = day
            else:
                why_not[day] = reason
        if picked:
            st.nordic_index, st.last_nordic = index, max(picked)
            st.nordic_weeks += 1
        elif logged:
            st.nordic_weeks += 1
        elif any(not self._healing(d) for d in chosen):
            st.nordic_blocked_weeks += 1
        return picked, index, why_not

    def _nordic_blocker(self, day: date, index: int, so_far: int) -> str | None:
        """Why Nordics cannot go on ``day`` at table week ``index``, or None."""
        sessions = nordic.row(index).sessions
        if so_far >= sessions:
            return notes.table_full(sessions)
        last = self.state.last_eccentric
        if last is not None and (day - last).days < ECCENTRIC_SPACING_DAYS:
            return notes.SPACING
        closed = race_windows.heavy_closed(self.calendar, day)
        if closed is not None:
            return notes.no_heavy_in(closed)
        race = race_windows.new_heavy_closed(self.calendar, day)
        if race is not None and not self._nordics_known():
            return notes.nothing_new_before(race)
        tomorrow = self.calendar.key_within(day, 1)
        if tomorrow is not None:
            return notes.key_run_tomorrow(self.calendar.run_on(tomorrow))
        if index <= key_runs.EARLY_NORDIC_WEEKS:
            soon = self.calendar.key_within(day, 2)
            if soon is not None:
                return notes.early_nordic_guard(soon)
        return None

    def _strength_session(self, day: date, variant: int, step: int, nordic_index: int,
                          healing: bool, why: str | None = None,
                          knee_variant: int | None = None) -> SessionDraft:
        with_nordic = bool(nordic_index) and self.choose.nordic is not None
        if with_nordic or healing or self.choose.nordic is None:
            why = None
        knee = variant if knee_variant is None else knee_variant
        avoid = self._avoid(day)
        key = (variant % 2, knee % 2, step, nordic_index if with_nordic else 0, healing, why,
               self.week_number if self.decisions else 0, avoid, self.heavy_step)
        template = self._sessions.get(key)
        if template is None:
            template = self._session_template(variant, knee, step,
                                              nordic_index if with_nordic else 0, healing, why,
                                              avoid)
            self._sessions[key] = template
        primary, drafts = template
        return SessionDraft(day, [d.copy() for d in drafts], primary=primary, why=why)

    def _session_template(self, variant: int, knee_variant: int, step: int, nordic_index: int,
                          healing: bool, why: str | None,
                          avoid: frozenset[str]) -> tuple[Role, list[Draft]]:
        """The items of a strength session; sessions alike share one template."""
        drafts = [warm_up(self.choose.warm_up, self.profile.session_minutes)]
        if nordic_index and self.choose.nordic is not None:
            nhe = nordic_item(self.choose.nordic, nordic_index, self.profile.level, self.owned)
            nhe.notes.append(notes.nordic_note(nordic_index))
            drafts.append(nhe)
            order: tuple[Role, ...] = (Role.HIP, Role.QUAD, Role.CALF)
            primary = Role.KNEE
        else:
            order = (Role.HIP, Role.KNEE, Role.QUAD, Role.CALF)
            primary = Role.HIP
        for role in order:
            exercise = self.choose.pick(role, knee_variant if role is Role.KNEE else variant,
                                        healing, avoid)
            if exercise is not None:
                drafts.append(self._role_draft(exercise, role, step, healing, why))
        return primary, drafts

    def _role_draft(self, exercise: Exercise, role: Role, step: int, healing: bool,
                    why: str | None) -> Draft:
        """The draft for a role at a step; shared, so callers copy before changing it.
        What the log decided for the exercise (progression.py) comes first."""
        planned = exercise.id
        decision = self.decisions.get(planned)
        novice_start = None
        if decision is not None:
            if decision.substitute is not None and decision.substitute not in self.choose.held:
                exercise = self.catalogue[decision.substitute]
            step = decision.step + self.week_number - 1
            # the log moves the reps, not the calendar: a novice's first weeks stay gentle
            novice_start = self.weeks_done + self.week_number - 1 < NOVICE_WEEKS
        elif exercise.is_heavy_lift:
            step = self.heavy_step
        step = effective_step(exercise, self.profile.level, step)
        key = (planned, exercise.id, role, step, novice_start)
        template = self._drafts.get(key)
        if template is None:
            template = role_item(exercise, role, self.profile.level, step, self.owned,
                                 novice_start)
            if decision is not None:
                _apply(decision, template)
            if role in ROLE_NOTES:
                template.notes.append(ROLE_NOTES[role])
            reps = None if exercise.is_heavy_lift else exercise.dose.reps_max  # by load
            if reps is not None and all(getattr(x, "reps", 0) == reps for x in template.sets):
                template.notes.append(notes.top_of_range(template.equipment, reps,
                                                         self.choose.next_step(exercise)))
            self._drafts[key] = template
        if role is not Role.KNEE:
            return template
        d = template.copy()
        if healing:
            d.notes.insert(0, notes.LOW_LOAD_KNEE if self.recent else notes.PAIN_LOW_LOAD)
        elif NORDIC_ID in self.choose.held:
            d.notes.insert(0, notes.NORDIC_HELD.format(name=exercise.name))
        elif self.choose.nordic is None:
            d.notes.insert(0, notes.NO_ANCHOR.format(name=exercise.name))
        else:
            d.notes.insert(0, notes.KNEE_ALTERNATIVE.format(
                why=why or "the Nordic table sets fewer sessions (Mjølsnes 2004)"))
        return d

    # -- return weeks (Askling L-protocol) -------------------------------------------------

    def _return_week(self, open_days: list[date], chosen: list[date],
                     step: int) -> list[SessionDraft]:
        sessions: list[SessionDraft] = []
        for variant, day in enumerate(open_days):
            if day in chosen:
                main = self._strength_session(day, variant, step, 0, healing=True)
            else:
                main = SessionDraft(day, [warm_up(self.choose.warm_up,
                                                  self.profile.session_minutes)])
            bout = SessionDraft(day, [warm_up(self.choose.warm_up, self.profile.session_minutes,
                                              short=True)], second_bout=True)
            self._add_protocol(main, second_bout=False)
            self._add_protocol(bout, second_bout=True)
            bout.notes.append(notes.SECOND_BOUT)
            sessions += [main, bout]
        return sessions

    def _add_protocol(self, s: SessionDraft, *, second_bout: bool) -> None:
        """Extender every bout; diver and glider when due (Askling 2013), put in the
        second bout on strength days to keep the main session short."""
        wanted = ["askling_extender"]
        has_strength = any(d.role not in (Role.WARM_UP, Role.L_PROTOCOL) for d in s.drafts)
        carry_extra = second_bout or not has_strength
        if carry_extra and self._due(self.state.last_diver, s.day, DIVER_EVERY):
            wanted.append("askling_diver")
            self.state.last_diver = s.day
        if (carry_extra and "askling_glider" in self.choose.protocol
                and self._due(self.state.last_glider, s.day, GLIDER_EVERY)):
            wanted.append("askling_glider")
            self.state.last_glider = s.day
        items = []
        for exercise_id in wanted:
            exercise = self.choose.protocol.get(exercise_id)
            if exercise is not None:
                items.append(protocol_item(exercise, self.owned))
        if items:
            items[0].notes.append(notes.L_PROTOCOL)
        s.drafts[1:1] = items

    @staticmethod
    def _due(last: date | None, day: date, every: int) -> bool:
        return last is None or (day - last).days >= every

    # -- fitting, balance and taper ---------------------------------------------------

    def _balance(self, sessions: list[SessionDraft]) -> None:
        """Fit each session, then make sure the week still covers every need (rule 6)."""
        for s in sessions:
            self._fit(s)
        if len(sessions) < 2:
            return
        strength = [s for s in sessions if s.primary is not None]
        for need in _missing(sessions):
            self._squeeze_in(NEED_ROLES[need], strength)

    def _fit(self, s: SessionDraft) -> None:
        droppable = {Role.HIP, Role.KNEE, Role.QUAD, Role.CALF} - {s.primary}
        s.record(fit(s.drafts, self.budget_s, droppable))

    def _squeeze_in(self, role: Role, sessions: list[SessionDraft]) -> None:
        """Add one set of ``role`` to the first session that can make room for it,
        sparing the L-protocol's dose where any session can."""
        for protect in (True, False):
            for variant, s in enumerate(sessions):
                if self._try_squeeze(role, variant, s, sessions, protect):
                    return

    def _try_squeeze(self, role: Role, variant: int, s: SessionDraft,
                     sessions: list[SessionDraft], protect: bool) -> bool:
        exercise = self.choose.pick(role, variant, healing=self._healing(s.day),
                                    avoid=self._avoid(s.day))
        if exercise is None:
            return False
        healing = self._healing(s.day)
        d = self._role_draft(exercise, role, 0, healing, s.why).copy()
        del d.sets[1:]
        d.trimmable = False
        trial = [*s.drafts, d]
        saved = [(x, list(x.sets), x.superset, x.rest_s) for x in s.drafts]
        elsewhere = set().union(*(o.roles() for o in sessions if o is not s))
        report = fit(trial, self.budget_s, droppable=elsewhere - {s.primary, role},
                     protect_protocol=protect)
        d.trimmable = True
        if fits(trial, self.budget_s):
            s.drafts[:] = trial
            s.record(report)
            return True
        for x, sets, label, rest in saved:
            x.sets[:], x.superset, x.rest_s = sets, label, rest
        return False

    def _avoid(self, day: date) -> frozenset[str]:
        """Heavy exercises the race windows close on ``day`` (rule 11): all of them in
        the last week before an A race and its recovery, new ones in the 3 weeks before."""
        if race_windows.heavy_closed(self.calendar, day) is not None:
            return self._heavy_ids
        if self.carry is None and race_windows.new_heavy_closed(self.calendar, day):
            return self._heavy_ids - self.state.used
        return frozenset()

    def _plyometric_drill(self, build_step: int) -> tuple[Exercise, int] | None:
        """The drill for build week ``build_step`` (0 = the first) and its own step: pogo
        jumps, then hops, then bounding as far as the level allows (rule 15)."""
        if not plyometrics.suits(self.profile):
            return None
        options = self.choose.plyometrics
        if self.profile.strain is not None:  # no sprint-like bounds after any strain
            options = [e for e in options if e.id not in SPRINT_LIKE]
        if not options:
            return None
        index = min(len(options) - 1, build_step // PLYO_WEEKS_PER_DRILL)
        return options[index], build_step - index * PLYO_WEEKS_PER_DRILL

    def _add_plyometrics(self, sessions: list[SessionDraft], build_step: int) -> None:
        """One build-week session opens with plyometrics after its warm-up: a day free of
        the rule-15 closures, preferably without Nordics, where the minutes allow."""
        drill = self._plyometric_drill(build_step)
        if drill is None:
            return
        exercise, step = drill
        candidates = [s for s in sessions if s.primary is not None and not s.second_bout
                      and not self._healing(s.day)
                      and plyometrics.closed(self.calendar, s.day) is None]
        candidates.sort(key=lambda s: any(d.exercise.id == NORDIC_ID for d in s.drafts))
        for s in candidates:
            d = role_item(exercise, Role.PLYO, self.profile.level,
                          effective_step(exercise, self.profile.level, step), self.owned)
            d.notes.append(notes.PLYOMETRICS)
            trial = [s.drafts[0], d, *s.drafts[1:]]
            while not fits(trial, self.budget_s) and len(d.sets) > PLYO_MIN_SETS:
                d.sets.pop()
            if fits(trial, self.budget_s):
                s.drafts[:] = trial
                self.state.plyo_weeks += 1
                return
        if not any(self._healing(s.day) for s in sessions):
            self.state.plyo_missed += 1

    def _plyo_days(self) -> list[str]:
        """Weekdays of the running week with no key run that day or the next."""
        first = self.start
        return [WEEKDAY_NAMES[(first + timedelta(days=i)).weekday()] for i in range(7)
                if plyometrics.closed(self.calendar, first + timedelta(days=i)) is None]

    def _nordic_weekdays(self) -> list[str]:
        """Weekdays outside the strength days with no key run in the next 2 days, where
        Nordics could go from the first table week (Behan 2023)."""
        days = sorted((self.start + timedelta(days=i) for i in range(7)), key=date.weekday)
        return [WEEKDAY_NAMES[d.weekday()] for d in days
                if d.weekday() not in self.strength_days
                and self.calendar.key_within(d, key_runs.EARLY_NORDIC_WEEKS) is None]

    def _nordics_known(self) -> bool:
        return self.state.nordic_index > 0 or self.state.last_nordic is not None \
            or NORDIC_ID in self.state.used

    def _recover(self, sessions: list[SessionDraft]) -> None:
        """After an A race: half the sets, and at most half the build volume in each 7
        days of the recovery block (rule 11), of every A race whose recovery holds the
        day; sessions that cannot fit are left out."""
        for s in list(sessions):
            racing = race_windows.recovering_races(self.calendar, s.day)
            if not racing:
                continue
            s.notes.append(notes.recovery(racing[0], race_windows.recovery_days(racing[0])))
            for d in s.drafts:
                if d.trimmable:
                    del d.sets[max(1, len(d.sets) // 2):]
            rooms: dict[tuple[date, date], int] = {}
            for race in racing:
                cap = self.state.recovery_caps.get(race.date)
                if cap is None:
                    continue
                window = next(first for first, last in race_windows.recovery_windows(race)
                              if first <= s.day <= last)
                rooms[race.date, window] = cap - self.state.recovery_sets.get(
                    (race.date, window), 0)
            if not rooms:
                continue
            room = min(rooms.values())
            while s.work_sets() > room and take_a_set(s.drafts, lambda d: d.trimmable):
                pass
            while s.work_sets() > room and drop_one(s.drafts, set(ACCESSORY_ROLES)):
                pass
            # one hamstring item rather than none: a 14-day gap loses the benefit (rule 5)
            while s.work_sets() > room and sum(d.role in HAMSTRING_ROLES for d in s.drafts) > 1 \
                    and drop_one(s.drafts, set(HAMSTRING_ROLES)):
                pass
            if s.work_sets() > room:
                sessions.remove(s)
                continue
            for key in rooms:
                self.state.recovery_sets[key] = self.state.recovery_sets.get(key, 0) \
                    + s.work_sets()

    def _strain_healing(self, day: date) -> bool:
        return self.recent and (day < self.protected_until or (
            self.returning is not None and not self.returning.heavy_allowed(day)))

    def _healing(self, day: date) -> bool:
        """Low-load hamstring work only: the protected weeks, then until the return
        criteria are met (return_stages.py), and while pain pauses heavy work (pain.py)."""
        if self.pain_pause is not None:
            return True
        if not self.recent:
            return False
        return day < self.protected_until or (self.returning is not None
                                              and not self.returning.heavy_allowed(day))

    @staticmethod
    def _lighten(sessions: list[SessionDraft], note: str, cap: float,
                 keep: Callable[[int], int]) -> None:
        """A deload or in-season week: ``keep`` of each item's sets, then fewer down to
        ``cap`` (0: none), loads kept, the Nordic table unchanged (rule 14)."""
        for s in sessions:
            s.notes.append(note)
            for d in s.drafts:
                if _halved(d):
                    del d.sets[max(1, keep(len(d.sets))):]

        def total() -> int:
            return sum(len(d.sets) for s in sessions for d in s.drafts if _halved(d))

        while cap and total() > cap and any(take_a_set(s.drafts, _halved)
                                            for s in sessions):
            pass

    def _taper(self, sessions: list[SessionDraft], first: date, last: date) -> None:
        race = self._a_race_ahead(first)
        if race is None:
            return
        for s in sessions:
            if 0 < (race.date - s.day).days <= TAPER_DAYS:
                s.notes.append(notes.taper(race))
                for d in s.drafts:
                    if d.trimmable:
                        del d.sets[max(1, len(d.sets) // 2):]
        if first <= race.date <= last:
            cap = races.taper_cap(self.state.race_free_totals)
            if cap is not None:
                self._cap_sets(sessions, cap)

    def _a_race_ahead(self, first: date) -> Race | None:
        horizon = first + timedelta(days=6 + TAPER_DAYS)
        return next((r for r in self.calendar.races
                     if r.priority is Priority.A and first <= r.date <= horizon), None)

    @staticmethod
    def _cap_sets(sessions: list[SessionDraft], cap: int) -> None:
        """Take sets off, then items, then whole sessions, until the week holds ``cap``.
        Sessions go from the front: those after the race keep the next gap short."""
        def total() -> int:
            return sum(s.work_sets() for s in sessions)

        while total() > cap and any(take_a_set(s.drafts, lambda d: d.trimmable)
                                    for s in reversed(sessions)):
            pass
        while total() > cap and sessions:
            s = sessions[0]
            if drop_one(s.drafts, {Role.HIP, Role.KNEE, Role.QUAD, Role.CALF}) is None:
                sessions.pop(0)
        # a taper week too thin for balance (rule 6) keeps a single session
        while len(sessions) > 1 and _missing(sessions):
            sessions.pop(0)

    # -- finishing ---------------------------------------------------------------------

    def _finish(self, s: SessionDraft) -> Session:
        run = self.calendar.run_on(s.day)
        session_notes = list(s.notes)
        fitted = s.fit_note(self.profile.session_minutes)
        if fitted is not None:
            session_notes.append(fitted)
        if run.is_key:
            session_notes.insert(0, notes.run_first(run))
            if self.returning is not None and run in self.returning.keep_easy:
                session_notes.insert(1, notes.keep_easy(self.returning.run_instead(run)))
        tomorrow = self.calendar.run_on(s.day + timedelta(days=1))
        if tomorrow.is_key and not any(d.exercise.is_heavy_eccentric for d in s.drafts):
            session_notes.append(notes.day_before_key(tomorrow))
            for d in s.drafts:  # and the note holds: no slow lowering either (rule 4)
                if (d.exercise.is_hamstring_work and not d.exercise.is_l_protocol
                        and slow_lowering(d.tempo)):
                    d.tempo = CONTROLLED_TEMPO
                    kept = [n for n in d.notes if notes.SLOW_THE_LOWERING not in n]
                    d.notes = [*kept, notes.CONTROLLED_LOWERING]
        if self.recent:
            session_notes.append(notes.PAIN_MONITORING)
        if self.pain_pause is not None:
            session_notes.append(self.pain_pause.advice())
        items = [self._item(d) for d in s.drafts]
        return trusted(Session,
            date=s.day, title=self._title(s), estimated_minutes=estimate_minutes(items),
            notes=" ".join(session_notes), items=items,
        )

    def _item(self, d: Draft) -> Item:
        """Plan items are immutable, so equal drafts share one. Ids are safe keys: the
        cached item holds the very set and equipment objects they name."""
        key = (d.exercise.id, tuple(map(id, d.sets)), d.per_side, d.rest_s, d.tempo, d.superset,
               id(d.equipment), tuple(d.notes))
        item = self._items.get(key)
        if item is None:
            item = self._items[key] = d.to_item()
        return item

    @staticmethod
    def _title(s: SessionDraft) -> str:
        work = [d.exercise.name for d in s.drafts if d.role is not Role.WARM_UP]
        if s.second_bout:
            return "L-protocol, second bout"
        day = WEEKDAY_NAMES[s.day.weekday()]
        return f"{day}: " + " + ".join(work[:2]) + (f" + {len(work) - 2} more"
                                                    if len(work) > 2 else "")

    def _plan_notes(self) -> list[str]:
        found = notes.caveats()
        strain_info = self.profile.strain
        if strain_info is not None:
            found.append(notes.recent_strain(strain_info) if self.recent
                         else notes.old_strain(strain_info))
        if self.profile.care.held:
            found.append(notes.held(self.profile.care.held, self.catalogue))
        if self.returning is not None:
            found.append(self.returning.advice())
        if self.pain_pause is not None:
            found.append(self.pain_pause.advice())
        if self.state.nordic_weeks == 0 and self.state.nordic_blocked_weeks:
            found.append(notes.no_nordic_days(self._nordic_weekdays()))
        if self.state.plyo_missed:
            days = self._plyo_days()
            mine = [d for d in days if Day(d.lower()).weekday in self.strength_days]
            found.append(notes.no_plyometric_days(self.state.plyo_missed, mine or days,
                                                  among_yours=bool(mine)))
        if self.profile.level is Level.NOVICE and self.weeks_done == 0:
            found.append(notes.NOVICE_START)
        if self.carry is not None:
            found.extend(self.carry.notes)
        found.extend(notes.race_rule(r) for r in self.calendar.races
                     if self.start <= r.date < self.start + timedelta(days=7 * self.weeks))
        return found
