"""Coaches and athletes: the use cases of looking after runners.

A coach (role ``coach``) looks after an athlete once one has accepted the other's
invitation: a coach's link, or an athlete's invitation by e-mail. While the link exists,
the coach reads the athlete's training (plan, log with notes and pain, runs, field tests)
as the athlete sees it, comments on sessions and prescribes: hold an exercise, clear a
return-from-strain stage, set session minutes or strength days. Either side ends the link
and the access ends with it. The interfaces call these functions; every check of who may
see what is here (``athlete``), so another coach's request finds nothing: 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import ValidationError

from hamstride import coach
from hamstride.accounts import Caller, Limits, digest, email_address, new_secret
from hamstride.catalogue import load_catalogue
from hamstride.errors import (
    ForbiddenError,
    InputError,
    NotFoundError,
    PlanError,
)
from hamstride.store import Store
from hamstride.store.coaching import (
    SharedProfile,
    StoredComment,
    StoredInvitation,
    StoredPrescription,
    StoredTemplate,
)
from hamstride.store.models import utcnow
from hamstride.training.adaptation import adapt_plan, plan_end
from hamstride.training.log import FieldTest
from hamstride.training.planner import generate_plan
from hamstride.training.profile import Clearance, Hold, profile_from_data
from hamstride.training.roster import (
    ADHERENCE_DAYS,
    ASYMMETRY_KINDS,
    AthleteStatus,
    SessionPain,
    athlete_status,
)
from hamstride.validation import problems
from hamstride.vocabulary import Day

INVITE_DAYS = 7
COMMENT_MAX = 2000
REASON_MAX = 500
KINDS = ("hold", "clear", "minutes", "days")
TEMPLATE_FIELDS = ("level", "goal", "session_minutes", "equipment", "strength_days")


@dataclass(frozen=True, slots=True)
class Invite:
    """An invitation just made: the secret for its link (shown or mailed once)."""

    secret: str
    expires_at: datetime
    email: str | None = None  # the coach an athlete invited


def require_coach(caller: Caller) -> None:
    if caller.role != "coach":
        raise ForbiddenError("Only a coach or physiotherapist account may do this.")


# -- invitations and links ----------------------------------------------------------------

def invite_athletes(store: Store, caller: Caller, *, address: str) -> Invite:
    """A coach's link: the first athlete who opens it and accepts is linked."""
    require_coach(caller)
    secret = new_secret("c_")
    expires = utcnow() + timedelta(days=INVITE_DAYS)
    store.coaching.invite(coach=caller.account, athlete=None, email=None,
                          secret_hash=digest(secret), expires_at=expires)
    store.accounts.record(caller.account, "coach link made", address=address)
    return Invite(secret, expires)


def invite_coach(store: Store, caller: Caller, *, email: str, address: str,
                 limits: Limits | None = None) -> Invite:
    """An athlete invites a coach by e-mail; only that coach's account may accept. Each
    may send a mail, so ``limits`` bounds how many an account sends (RateLimitError)."""
    email = email_address(email, field="coach_email")
    if limits is not None:
        limits.hit("invite-account", str(caller.account))
    if caller.email is not None and email == caller.email:
        raise InputError("coach_email: that is your own address.", field="coach_email")
    secret = new_secret("c_")
    expires = utcnow() + timedelta(days=INVITE_DAYS)
    store.coaching.invite(coach=None, athlete=caller.account, email=email,
                          secret_hash=digest(secret), expires_at=expires)
    store.accounts.record(caller.account, "coach invited", address=address, detail=email)
    return Invite(secret, expires, email)


def invitation(store: Store, secret: str) -> StoredInvitation:
    found = store.coaching.invitation(digest(secret)) if 0 < len(secret) < 200 else None
    if found is None:
        raise NotFoundError("This invitation is unknown, used or expired; ask for a new one.",
                            field="token")
    return found


def accept(store: Store, caller: Caller, secret: str, *, address: str) -> int:
    """Accept an invitation as the signed-in caller; the id of the other account."""
    found = invitation(store, secret)
    if found.coach_id is not None:  # a coach's link: the caller is the athlete
        coach_id, athlete_id = found.coach_id, caller.account
        if coach_id == athlete_id:
            raise InputError("This is your own invitation link: send it to an athlete.",
                             field="token")
    else:
        require_coach(caller)
        if caller.email != found.email:
            raise ForbiddenError(f"This invitation is for {found.email}; sign in as that "
                                 "account to accept it.")
        assert found.athlete_id is not None
        coach_id, athlete_id = caller.account, found.athlete_id
    _take(store, found, coach_id, athlete_id, address=address)
    return coach_id if athlete_id == caller.account else athlete_id


def _take(store: Store, found: StoredInvitation, coach_id: int, athlete_id: int, *,
          address: str) -> None:
    """Use the invitation up and link the two (once: two clicks make one link)."""
    if not store.coaching.take_invitation(found.id):
        raise NotFoundError("This invitation was used a moment ago.", field="token")
    store.coaching.link(coach_id, athlete_id)
    for account, other in ((coach_id, athlete_id), (athlete_id, coach_id)):
        store.accounts.record(account, "coaching began", address=address,
                              detail=_email(store, other))


def accept_addressed(store: Store, caller: Caller, invitation_id: int, *,
                     address: str) -> int:
    """Accept, from the roster, an invitation an athlete sent to the caller's e-mail."""
    require_coach(caller)
    found = next((i for i in store.coaching.invitations_to(caller.email or "")
                  if i.id == invitation_id), None)
    if found is None or found.athlete_id is None:
        raise NotFoundError("No such invitation to you.", field="invitation")
    _take(store, found, caller.account, found.athlete_id, address=address)
    return found.athlete_id


def end(store: Store, caller: Caller, other: int, *, address: str) -> None:
    """End the link between the caller and ``other`` (either side may); the coach's
    access ends with it, on the next request."""
    if not (store.coaching.unlink(caller.account, other)
            or store.coaching.unlink(other, caller.account)):
        raise NotFoundError("You have no coaching link with that account.", field="account")
    for account, who in ((caller.account, other), (other, caller.account)):
        store.accounts.record(account, "coaching ended", address=address,
                              detail=_email(store, who))


def _email(store: Store, account: int) -> str:
    found = store.accounts.get(account)
    return (found.email or "") if found is not None else ""


# -- what a coach may see ---------------------------------------------------------------

def athlete(store: Store, caller: Caller, profile_id: int) -> tuple[Store, SharedProfile]:
    """One profile the caller coaches, and the store as its athlete sees it; 404 for
    any other (another coach's athlete, an ended link, no such profile)."""
    require_coach(caller)
    found = store.coaching.shared_profiles(caller.account, profile_id=profile_id)
    if not found:
        raise NotFoundError("No such athlete among yours.", field="athlete")
    return store.scoped(found[0].account), found[0]


# -- comments ---------------------------------------------------------------------------

def _body(text: str) -> str:
    body = text.strip() if isinstance(text, str) else ""
    if not body:
        raise InputError("comment: write something first.", field="comment")
    if len(body) > COMMENT_MAX:
        raise InputError(f"comment: at most {COMMENT_MAX} characters.", field="comment")
    return body


def own_profile_id(store: Store, name: str) -> int:
    stored = store.get_profile(name=name)
    if stored is None:
        raise NotFoundError(f"no profile named '{name}'", field="name")
    return stored.id


def comment(store: Store, caller: Caller, profile_id: int, day: date, text: str, *,
            by_coach: bool) -> StoredComment:
    """A comment on a day's session: the athlete on their own profile, or one of their
    coaches (``by_coach``: the caller was checked with ``athlete``)."""
    return store.coaching.add_comment(profile_id=profile_id, day=day,
                                      author_id=caller.account,
                                      author=caller.email or "you", by_coach=by_coach,
                                      body=_body(text))


def open_comments(comments: Sequence[StoredComment]) -> int:
    """The athlete's comments since a coach last wrote: what waits for an answer."""
    waiting = 0
    for found in comments:  # oldest first
        waiting = 0 if found.by_coach else waiting + 1
    return waiting


# -- prescriptions ----------------------------------------------------------------------

def prescribe(store: Store, caller: Caller, profile_id: int, *, kind: str,
              value: dict[str, Any], reason: str, today: date) -> StoredPrescription:
    """Prescribe for one of the caller's athletes; the plan follows at once. What the
    rules cannot follow (holding the last exercise of a role the runner can do) is
    refused before anything is stored."""
    theirs, shared = athlete(store, caller, profile_id)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InputError(f"reason: at most {REASON_MAX} characters.", field="reason")
    checked = _checked(kind, value, shared, today)
    in_force = store.coaching.prescriptions([profile_id])
    replaces = [p.id for p in in_force if _same(p, kind, checked)]
    made = StoredPrescription(0, profile_id, caller.account, caller.email or "", kind,
                              checked, reason, utcnow(), None, None)
    _try(theirs, shared, [*(p for p in in_force if p.id not in replaces), made], today)
    made_id = store.coaching.prescribe(profile_id=profile_id, author_id=caller.account,
                                       author=caller.email or "", kind=kind, value=checked,
                                       reason=reason, replaces=replaces)
    coach.replan(theirs, shared.name, today)
    return next(p for p in store.coaching.prescriptions([profile_id]) if p.id == made_id)


def end_prescription(store: Store, caller: Caller, profile_id: int, prescription_id: int, *,
                     today: date, own: bool = False) -> None:
    """End a prescription: by one of the athlete's coaches, or (``own``) by the athlete
    on their own profile; the plan follows."""
    theirs = store.scoped(caller.account) if own else athlete(store, caller, profile_id)[0]
    name = next((p.name for p in theirs.list_profiles() if p.id == profile_id), None)
    if name is None or not store.coaching.end_prescription(
            profile_id, prescription_id, by=caller.email or "the athlete"):
        raise NotFoundError("No such prescription in force.", field="prescription")
    coach.replan(theirs, name, today)


STAGES = (("walk_jog", "walk/jog (stage 1)"), ("speed", "speed work"))


def describe(given: StoredPrescription) -> str:
    """A prescription in words ("Hold Nordic hamstring curl")."""
    value = given.value
    if given.kind == "hold":
        exercise = load_catalogue().get(value["exercise"])
        return f"Hold {exercise.name if exercise else value['exercise']}"
    if given.kind == "clear":
        return f"Cleared to {dict(STAGES).get(value['stage'], value['stage'])} from {value['on']}"
    if given.kind == "minutes":
        return f"Sessions of {value['minutes']} minutes"
    return "Strength days: " + ", ".join(d.capitalize() for d in value["days"])


def _checked(kind: str, value: dict[str, Any], shared: SharedProfile,
             today: date) -> dict[str, Any]:
    if kind not in KINDS:
        raise InputError(f"kind: one of {', '.join(KINDS)}, not '{kind}'.", field="kind")
    try:
        if kind == "hold":
            exercise = str(value.get("exercise", ""))
            if exercise not in load_catalogue():
                raise InputError(f"exercise: no exercise '{exercise[:60]}' in the catalogue.",
                                 field="exercise")
            return {"exercise": Hold(exercise=exercise).exercise}
        if kind == "clear":
            if not shared.document.get("injury", {}).get("hamstring_strain"):
                raise InputError("stage: this runner has no strain recorded to return from.",
                                 field="stage")
            cleared = Clearance(stage=value.get("stage"), on=today)
            return {"stage": cleared.stage, "on": cleared.on.isoformat()}
        if kind == "minutes":
            minutes = value.get("minutes")
            profile_from_data({**shared.document, "session_minutes": minutes},
                              source="prescription")
            return {"minutes": int(minutes)}  # type: ignore[arg-type]
        days = value.get("days")
        profile_from_data({**shared.document, "strength_days": days}, source="prescription")
        return {"days": [Day(d).value for d in days]}  # type: ignore[union-attr]
    except ValidationError as exc:
        first = problems(exc)[0]
        field = "exercise" if kind == "hold" else first.field
        raise InputError(f"{field}: {first.message}.", field=field) from exc


def _same(given: StoredPrescription, kind: str, value: dict[str, Any]) -> bool:
    """Whether a new prescription takes over from ``given`` (one per kind, one hold per
    exercise)."""
    if given.kind != kind:
        return False
    return kind != "hold" or given.value.get("exercise") == value["exercise"]


def _try(theirs: Store, shared: SharedProfile, prescriptions: list[StoredPrescription],
         today: date) -> None:
    """Refuse (PlanError) what no safe plan could follow, before anything is stored."""
    profile = coach.with_care(profile_from_data(shared.document, source="stored profile"),
                              prescriptions)
    try:
        current = coach.plans(theirs, shared.name)
    except coach.NoPlanError:
        current = None
    try:
        if current is None or today >= plan_end(current.original):
            generate_plan(profile, start=today, weeks=4)
        else:
            adapt_plan(coach.following_runs(theirs, shared.name, profile, today),
                             current.original, theirs.log_sessions(profile_name=shared.name),
                             today=today, tests=theirs.field_tests(profile_name=shared.name))
    except PlanError as exc:
        raise PlanError(f"The plan cannot follow this prescription: {exc}",
                        field="prescription") from exc


# -- templates --------------------------------------------------------------------------

def save_template(store: Store, caller: Caller, name: str, shape: dict[str, Any]) -> int:
    """A profile shape (goal, level, equipment, days, minutes) under a name."""
    require_coach(caller)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InputError("name: 1 to 100 characters.", field="name")
    document = {k: shape[k] for k in TEMPLATE_FIELDS if k in shape}
    missing = [k for k in ("level", "goal", "session_minutes") if k not in document]
    if missing:
        raise InputError(f"{missing[0]}: a template needs it.", field=missing[0])
    profile_from_data({"name": "template", **document}, source="template")  # valid
    return store.coaching.save_template(caller.account, name, document)


def templates(store: Store, caller: Caller) -> list[StoredTemplate]:
    require_coach(caller)
    return store.coaching.templates(caller.account)


@dataclass(frozen=True, slots=True)
class Assigned:
    profile_id: int
    name: str
    planned: bool
    message: str


def assign_template(store: Store, caller: Caller, template_id: int,
                    profile_ids: Sequence[int], *, today: date,
                    weeks: int = 12) -> list[Assigned]:
    """Give each athlete the template's shape on their own profile (their running week,
    races and injury stay theirs) and a new plan fitted to it. Each athlete stands alone:
    one whose plan cannot be made keeps what they had and says why."""
    require_coach(caller)
    found = store.coaching.templates(caller.account, template_id=template_id)
    if not found:
        raise NotFoundError("No such template of yours.", field="template")
    if not profile_ids:
        raise InputError("athletes: choose at least one.", field="athletes")
    shape = found[0].document
    done = []
    for profile_id in profile_ids:
        theirs, shared = athlete(store, caller, profile_id)
        try:
            profile = profile_from_data({**shared.document, **shape},
                                        source=f"{shared.name}'s profile")
            coach.make_plan(theirs, profile, start=today, weeks=weeks, today=today)
        except (PlanError, InputError) as exc:
            done.append(Assigned(profile_id, shared.name, False, str(exc)))
            continue
        done.append(Assigned(profile_id, shared.name, True,
                             f"{found[0].name} given; a new plan from {today}"))
    return done


# -- the roster -------------------------------------------------------------------------

SORTS = ("flags", "adherence", "name", "last_session", "race")


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One athlete profile on a coach's roster."""

    profile_id: int
    name: str
    email: str
    account: int
    status: AthleteStatus
    has_plan: bool
    open_comments: int
    held: tuple[str, ...]  # exercise ids held by a prescription in force

    def to_document(self) -> dict[str, Any]:
        return {"profile_id": self.profile_id, "name": self.name, "email": self.email,
                "has_plan": self.has_plan, "open_comments": self.open_comments,
                "held": list(self.held),
                "flags": [f.to_document() for f in self.status.flags],
                **self.status.to_document()}


def roster(store: Store, caller: Caller, today: date, *, sort: str = "flags",
           flagged_only: bool = False) -> tuple[RosterRow, ...]:
    """Every profile the coach looks after, at a glance (training/roster.py), sorted
    (``SORTS``; "flags": pain flags first, then any flag, then name) and filtered. The
    same tuple while nothing changed (an interface may keep what it made of it)."""
    require_coach(caller)
    if sort not in SORTS:
        raise InputError(f"sort: one of {', '.join(SORTS)}, not '{sort}'.", field="sort")
    rows = _roster(store, caller.account, today)
    key = ("roster view", store.url, caller.account, today, sort, flagged_only)
    kept = store.kept.get(key)
    if isinstance(kept, tuple) and kept[0] is rows:
        shown_kept: tuple[RosterRow, ...] = kept[1]
        return shown_kept
    shown = tuple(sorted((r for r in rows if r.status.flags or not flagged_only),
                         key=_SORT_KEYS[sort]))
    store.kept.put(key, (rows, shown))  # holds the rows: their id is not reused meanwhile
    return shown


def _roster(store: Store, coach_id: int, today: date) -> list[RosterRow]:
    """Worked out once per database version (the watch: nothing written since, nothing read
    again); a write anywhere works it out again."""
    version = store.data_version()
    key = ("roster", store.url, coach_id, today)
    kept = store.kept.get(key)
    if version is not None and isinstance(kept, tuple) and kept[0] == version:
        found: list[RosterRow] = kept[1]
        return found
    rows = _rows(store, store.coaching.shared_profiles(coach_id), today)
    if version is not None:
        store.kept.put(key, (version, rows))
    return rows


def _rows(store: Store, shared: Sequence[SharedProfile], today: date) -> list[RosterRow]:
    """The rows of these profiles, from one query per kind of data for all of them."""
    ids = [p.id for p in shared]
    comments: dict[int, list[StoredComment]] = {}
    for found_comment in store.coaching.comments(ids):
        comments.setdefault(found_comment.profile_id, []).append(found_comment)
    held: dict[int, list[str]] = {}
    for given in store.coaching.prescriptions(ids):
        if given.kind == "hold":
            held.setdefault(given.profile_id, []).append(given.value["exercise"])
    since = today - timedelta(days=ADHERENCE_DAYS)
    runs_since = datetime.combine(today - timedelta(days=21), time(), tzinfo=UTC)
    planned = coach.planned_days(store, ids)
    pains = store.coaching.session_pains(ids, since=since)
    # the asymmetry is the latest test's: one per athlete, not years of monthly tests
    tests = store.coaching.latest_field_tests(ids, until=today, kinds=ASYMMETRY_KINDS)
    runs = store.coaching.run_distances(ids, since=runs_since)
    return [_row(p, today, planned.get(p.id, ()), pains.get(p.id, []),
                 [tests[p.id]] if p.id in tests else [],
                 runs.get(p.id, []), comments.get(p.id, []), held.get(p.id, []))
            for p in shared]


def _row(shared: SharedProfile, today: date, planned: Sequence[date],
         sessions: Sequence[SessionPain], tests: Sequence[FieldTest],
         runs: Sequence[tuple[date, float]], comments: list[StoredComment],
         held: list[str]) -> RosterRow:
    """One athlete's row from what ``_roster`` read for every athlete at once (the
    queries of store/coaching.py, the same answers as the athlete's own repositories)."""
    profile = profile_from_data(shared.document, source=f"stored profile '{shared.name}'")
    status = athlete_status(planned, sessions, tests, runs, profile.running.races, today)
    return RosterRow(shared.id, shared.name, shared.email, shared.account, status,
                     bool(planned), open_comments(comments), tuple(held))


def profile_status(store: Store, shared: SharedProfile, today: date) -> AthleteStatus:
    """One profile's status on ``today``, as the roster shows it (the weekly digest shows
    an athlete their own)."""
    return _rows(store, [shared], today)[0].status


def _pain_first(row: RosterRow) -> tuple[Any, ...]:
    return (not row.status.pain, not row.status.flags, -row.open_comments,
            row.email, row.name)


_SORT_KEYS = {
    "flags": _pain_first,
    "adherence": lambda r: (r.status.adherence is None, r.status.adherence or 0, r.name),
    "name": lambda r: (r.name.lower(), r.email),
    "last_session": lambda r: (r.status.last_session or date.min, r.name),
    "race": lambda r: (r.status.next_race is None,
                       r.status.next_race.date if r.status.next_race else date.max, r.name),
}
