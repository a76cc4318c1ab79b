"""Coaches and their athletes: the links between their accounts, invitations to make one,
comments on sessions, prescriptions, plan templates, and the record of mails due.

Like ``store.accounts`` this spans accounts on purpose (a coach reads what an athlete
shares): it takes explicit ids and checks nothing. Who may ask for what is decided in
hamstride.coaching, the only caller, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from hamstride.errors import ConflictError
from hamstride.store.activity_rows import ACTIVITIES
from hamstride.store.database import Database
from hamstride.store.log_rows import FIELD_TEST_COLUMNS, chunks, field_tests_of
from hamstride.store.models import (
    Account,
    CoachLink,
    Comment,
    FieldTestRow,
    Invitation,
    LogSession,
    LogSet,
    MailSend,
    Plan,
    PlanTemplate,
    Prescription,
    Profile,
    utc,
    utcnow,
)
from hamstride.store.records import StoredPlan
from hamstride.training.activity import Sport
from hamstride.training.log import FieldTest
from hamstride.training.roster import SessionPain

# each week's session dates in document order (WITH ORDINALITY), and the few fields
# around them; "continues" is JSON null in a plan made by the runner. The document is
# parsed once (as jsonb): each operator on a json value parses the whole text again
_OUTLINES = """
WITH j AS MATERIALIZED (SELECT id, document::jsonb AS d FROM plans WHERE id IN :ids)
SELECT j.id, j.d->>'schema', j.d->>'start',
       coalesce(jsonb_typeof(j.d->'continues') = 'object', false),
       j.d->'continues'->>'planned_from',
       (SELECT json_agg((SELECT coalesce(json_agg(s.value->>'date' ORDER BY s.n), '[]')
                         FROM jsonb_array_elements(w.value->'sessions')
                              WITH ORDINALITY AS s(value, n)) ORDER BY w.n)
        FROM jsonb_array_elements(j.d->'weeks') WITH ORDINALITY AS w(value, n))
FROM j
"""
_LINKS = cast(Table, CoachLink.__table__)
_INVITATIONS = cast(Table, Invitation.__table__)
_COMMENTS = cast(Table, Comment.__table__)
_PRESCRIPTIONS = cast(Table, Prescription.__table__)
_TEMPLATES = cast(Table, PlanTemplate.__table__)
_SENDS = cast(Table, MailSend.__table__)
STALE_CLAIM = timedelta(minutes=15)  # a send claimed this long ago and not done: try again


@dataclass(frozen=True, slots=True)
class Linked:
    """The other side of a coaching link: their account, e-mail and since when."""

    account: int
    email: str
    since: datetime


@dataclass(frozen=True, slots=True)
class StoredInvitation:
    id: int
    coach_id: int | None
    athlete_id: int | None
    email: str | None
    from_email: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SharedProfile:
    """A profile a coach looks after: its id, name, account and the athlete's e-mail."""

    id: int
    name: str
    account: int
    email: str
    document: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredComment:
    id: int
    profile_id: int
    day: date
    author: str
    by_coach: bool
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredPrescription:
    id: int
    profile_id: int
    author_id: int | None
    author: str
    kind: str
    value: Any
    reason: str
    created_at: datetime
    ended_at: datetime | None
    ended_by: str | None


@dataclass(frozen=True, slots=True)
class PlanPair:
    """A profile's two plans as (id, when stored): the one it made last (``original``)
    and the one it follows (``active``); stored plans never change, so these name them."""

    original: tuple[int, datetime]
    active: tuple[int, datetime]


@dataclass(frozen=True, slots=True)
class StoredTemplate:
    id: int
    name: str
    document: dict[str, Any]
    created_at: datetime


class Coaching:
    """Coaching links and everything that hangs on them (``store.coaching``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- links ----------------------------------------------------------------------------

    def link(self, coach: int, athlete: int) -> bool:
        """Link the two accounts; False if they were linked already."""
        with self._db.connection("link a coach") as connection:
            if connection.execute(select(CoachLink.id).where(
                    CoachLink.coach_id == coach, CoachLink.athlete_id == athlete)).first():
                return False
            try:
                connection.execute(insert(_LINKS).values(coach_id=coach, athlete_id=athlete,
                                                         created_at=utcnow()))
            except IntegrityError:  # linked meanwhile by another request
                return False
        return True

    def unlink(self, coach: int, athlete: int) -> bool:
        with self._db.connection("end a coaching link") as connection:
            done = connection.execute(delete(_LINKS).where(_LINKS.c.coach_id == coach,
                                                           _LINKS.c.athlete_id == athlete))
        return done.rowcount > 0

    def coaches(self, coach: int, athlete: int) -> bool:
        """Whether ``coach`` looks after ``athlete`` now (one indexed query)."""
        with self._db.connection("check a coaching link") as connection:
            return connection.execute(select(CoachLink.id).where(
                CoachLink.coach_id == coach, CoachLink.athlete_id == athlete)).first() is not None

    def coaches_of(self, athlete: int) -> list[Linked]:
        return self._linked(CoachLink.athlete_id == athlete, CoachLink.coach_id)

    def athletes_of(self, coach: int) -> list[Linked]:
        return self._linked(CoachLink.coach_id == coach, CoachLink.athlete_id)

    def _linked(self, where: Any, other: Any) -> list[Linked]:
        with self._db.connection("list coaching links") as connection:
            rows = connection.execute(
                select(Account.id, Account.email, CoachLink.created_at)
                .join(CoachLink, other == Account.id).where(where).order_by(Account.email))
            return [Linked(int(r[0]), r[1] or "", utc(r[2])) for r in rows]

    def shared_profiles(self, coach: int, *, profile_id: int | None = None
                        ) -> list[SharedProfile]:
        """Every profile of every athlete the coach looks after (or just ``profile_id``,
        if it is one of them), by athlete e-mail then name."""
        query = (select(Profile.id, Profile.name, Profile.account_id, Account.email,
                        Profile.document)
                 .join(CoachLink, CoachLink.athlete_id == Profile.account_id)
                 .join(Account, Account.id == Profile.account_id)
                 .where(CoachLink.coach_id == coach)
                 .order_by(Account.email, Profile.name))
        if profile_id is not None:
            query = query.where(Profile.id == profile_id)
        with self._db.connection("list an athlete's profiles") as connection:
            return [SharedProfile(int(r[0]), r[1], int(r[2]), r[3] or "", r[4])
                    for r in connection.execute(query)]

    # -- what a roster reads, for many profiles at once -----------------------------------
    # The same answers as the account's repositories give one profile at a time
    # (store/plans.py, training_log.py, activities.py), in one query each.

    def plan_pairs(self, profile_ids: Sequence[int]) -> dict[int, PlanPair]:
        """Each profile's original and active plan (as ``coach.plans`` picks them), for
        the profiles that have both; no document is read."""
        pairs: dict[int, PlanPair] = {}
        for ids in chunks(profile_ids):
            query = (select(Plan.profile_id, Plan.id, Plan.created_at, Plan.is_active,
                            Plan.regenerated)
                     .where(Plan.profile_id.in_(ids))
                     .order_by(Plan.created_at.desc(), Plan.id.desc()))
            with self._db.connection("read the plans of athletes") as connection:
                rows = connection.execute(query).all()
            original: dict[int, tuple[int, datetime]] = {}
            active: dict[int, tuple[int, datetime]] = {}
            for profile_id, plan_id, created_at, is_active, regenerated in rows:
                if not regenerated:
                    original.setdefault(profile_id, (plan_id, utc(created_at)))
                if is_active:
                    active.setdefault(profile_id, (plan_id, utc(created_at)))
            pairs.update((p, PlanPair(original[p], active[p])) for p in original if p in active)
        return pairs

    def plans(self, plan_ids: Sequence[int]) -> dict[int, StoredPlan]:
        """These plans with their documents, by id."""
        found: dict[int, StoredPlan] = {}
        for ids in chunks(plan_ids):
            with self._db.connection("read the plans of athletes") as connection:
                rows = connection.execute(
                    select(Plan.id, Profile.name, Plan.start, Plan.weeks, Plan.document,
                           Plan.created_at, Plan.is_active, Plan.regenerated)
                    .join(Profile, Plan.profile_id == Profile.id)
                    .where(Plan.id.in_(ids))).all()
            for plan_id, name, start, weeks, document, created_at, active, regenerated in rows:
                found[plan_id] = StoredPlan(plan_id, name, start, weeks, document,
                                            utc(created_at), active, regenerated)
        return found

    def plan_outlines(self, plan_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """These plans' documents cut down to what their session days need (schema,
        start, ``continues.planned_from``, each week's session dates in order): the outline
        stored with each plan (store/plans.py, ``plan_outline``). A plan stored before
        outlines were (migration 0007) has its outline worked out by the database on
        PostgreSQL, and none elsewhere (read ``plans``): a 12-week plan is ~40 KB of JSON,
        and a roster of 200 athletes decoded 400 of them (issue 13)."""
        found: dict[int, dict[str, Any]] = {}
        for ids in chunks(plan_ids):
            with self._db.reading("read the plans of athletes") as connection:
                for plan_id, outline in connection.execute(
                        select(Plan.id, Plan.outline).where(Plan.id.in_(ids))):
                    if outline is not None:
                        found[plan_id] = outline
        missing = [i for i in plan_ids if i not in found]
        if not missing or self._db.engine.dialect.name != "postgresql":
            return found
        query = text(_OUTLINES).bindparams(bindparam("ids", expanding=True))
        for ids in chunks(missing):
            with self._db.reading("read the plans of athletes") as connection:
                rows = connection.execute(query, {"ids": ids}).all()
            for plan_id, schema, start, continues, planned_from, weeks in rows:
                found[plan_id] = {
                    "schema": schema, "start": start,
                    "continues": None if not continues else {"planned_from": planned_from},
                    "weeks": [{"sessions": [{"date": day} for day in week or []]}
                              for week in weeks or []]}
        return found

    def session_pains(self, profile_ids: Sequence[int], *,
                      since: date) -> dict[int, list[SessionPain]]:
        """Each profile's sessions dated from ``since``, by date then id (as
        ``log_sessions``), as the day, the highest pain and the morning's: the sets'
        pains are reduced in the query, no set is read."""
        set_pain = (select(func.max(LogSet.pain)).where(LogSet.session_id == LogSession.id)
                    .scalar_subquery())
        found: dict[int, list[SessionPain]] = {}
        for ids in chunks(profile_ids):
            query = (select(LogSession.profile_id, LogSession.date, LogSession.pain,
                            set_pain, LogSession.morning_pain)
                     .where(LogSession.profile_id.in_(ids), LogSession.date >= since)
                     .order_by(LogSession.profile_id, LogSession.date, LogSession.client_id))
            with self._db.connection("read the training logs of athletes") as connection:
                rows = connection.execute(query).all()
            for profile_id, day, pain, in_sets, morning in rows:
                pains = [p for p in (pain, in_sets) if p is not None]
                found.setdefault(profile_id, []).append(
                    SessionPain(day, max(pains) if pains else None, morning))
        return found

    def field_tests(self, profile_ids: Sequence[int]) -> dict[int, list[FieldTest]]:
        """Each profile's field tests, by date then id (as ``field_tests``)."""
        found: dict[int, list[FieldTest]] = {}
        for ids in chunks(profile_ids):
            query = (select(FieldTestRow.profile_id, *FIELD_TEST_COLUMNS)
                     .where(FieldTestRow.profile_id.in_(ids))
                     .order_by(FieldTestRow.profile_id, FieldTestRow.date,
                               FieldTestRow.client_id))
            with self._db.connection("read the field tests of athletes") as connection:
                rows = connection.execute(query).all()
            tests = field_tests_of(row[1:] for row in rows)
            for row, test in zip(rows, tests, strict=True):
                found.setdefault(row[0], []).append(test)
        return found

    def latest_field_tests(self, profile_ids: Sequence[int], *, until: date,
                           kinds: Sequence[str]) -> dict[int, FieldTest]:
        """Each profile's latest field test of these kinds dated ``until`` or before (the
        latest date, then the highest id, as ``max`` over ``field_tests`` by (date, id)
        picks it): what a roster shows, without reading years of monthly tests."""
        ranked = (select(FieldTestRow.profile_id, *FIELD_TEST_COLUMNS,
                         func.row_number().over(
                             partition_by=FieldTestRow.profile_id,
                             order_by=(FieldTestRow.date.desc(),
                                       FieldTestRow.client_id.desc())).label("n"))
                  .where(FieldTestRow.date <= until, FieldTestRow.kind.in_(list(kinds))))
        found: dict[int, FieldTest] = {}
        for ids in chunks(profile_ids):
            inner = ranked.where(FieldTestRow.profile_id.in_(ids)).subquery()
            query = select(*(c for c in inner.c if c.key != "n")).where(inner.c.n == 1)
            with self._db.connection("read the field tests of athletes") as connection:
                rows = connection.execute(query).all()
            tests = field_tests_of(row[1:] for row in rows)
            found.update((row[0], test) for row, test in zip(rows, tests, strict=True))
        return found

    def run_distances(self, profile_ids: Sequence[int], *,
                      since: datetime) -> dict[int, list[tuple[date, float]]]:
        """Each profile's (day, km) of each run from ``since`` (as ``run_distances``);
        the distance is read out of the document by the database."""
        distance = ACTIVITIES.c.document["distance_m"].as_float()
        found: dict[int, list[tuple[date, float]]] = {}
        for ids in chunks(profile_ids):
            query = (select(ACTIVITIES.c.profile_id, ACTIVITIES.c.start, distance)
                     .where(ACTIVITIES.c.profile_id.in_(ids),
                            ACTIVITIES.c.sport == Sport.RUNNING.value,
                            ACTIVITIES.c.start >= since))
            with self._db.connection("read the runs of athletes") as connection:
                rows = connection.execute(query).all()
            for profile_id, start, metres in rows:
                found.setdefault(profile_id, []).append((utc(start).date(),
                                                         (metres or 0) / 1000))
        return found

    # -- invitations ----------------------------------------------------------------------

    def invite(self, *, coach: int | None, athlete: int | None, email: str | None,
               secret_hash: str, expires_at: datetime) -> int:
        with self._db.connection("store an invitation") as connection:
            return int(connection.execute(insert(_INVITATIONS).values(
                coach_id=coach, athlete_id=athlete, email=email, secret_hash=secret_hash,
                created_at=utcnow(), expires_at=expires_at).returning(_INVITATIONS.c.id)
            ).scalar_one())

    def invitation(self, secret_hash: str) -> StoredInvitation | None:
        """The live invitation with this secret (an expired one is deleted)."""
        with self._db.connection("find an invitation") as connection:
            found = connection.execute(self._invitations().where(
                Invitation.secret_hash == secret_hash)).first()
            if found is None:
                return None
            invitation = _invitation(found)
            if invitation.expires_at <= utcnow():
                connection.execute(delete(_INVITATIONS).where(_INVITATIONS.c.id == found[0]))
                return None
        return invitation

    def take_invitation(self, invitation_id: int) -> bool:
        """Use the invitation up; False if another request took it first."""
        with self._db.connection("use an invitation") as connection:
            done = connection.execute(delete(_INVITATIONS)
                                      .where(_INVITATIONS.c.id == invitation_id))
        return done.rowcount > 0

    def invitations_to(self, email: str) -> list[StoredInvitation]:
        """Live invitations athletes sent to this coach's e-mail."""
        with self._db.connection("list invitations") as connection:
            rows = connection.execute(self._invitations().where(
                Invitation.email == email, Invitation.expires_at > utcnow()))
            return [_invitation(r) for r in rows]

    def invitations_from(self, account: int) -> list[StoredInvitation]:
        with self._db.connection("list invitations") as connection:
            rows = connection.execute(self._invitations().where(
                or_(Invitation.coach_id == account, Invitation.athlete_id == account),
                Invitation.expires_at > utcnow()))
            return [_invitation(r) for r in rows]

    def withdraw(self, account: int, invitation_id: int) -> bool:
        with self._db.connection("withdraw an invitation") as connection:
            done = connection.execute(delete(_INVITATIONS).where(
                _INVITATIONS.c.id == invitation_id,
                or_(_INVITATIONS.c.coach_id == account, _INVITATIONS.c.athlete_id == account)))
        return done.rowcount > 0

    @staticmethod
    def _invitations() -> Any:
        sender = func.coalesce(Invitation.coach_id, Invitation.athlete_id)
        return (select(Invitation.id, Invitation.coach_id, Invitation.athlete_id,
                       Invitation.email, Account.email, Invitation.expires_at)
                .join(Account, Account.id == sender).order_by(Invitation.id))

    # -- comments -------------------------------------------------------------------------

    def add_comment(self, *, profile_id: int, day: date, author_id: int, author: str,
                    by_coach: bool, body: str) -> StoredComment:
        now = utcnow()
        with self._db.connection("store a comment") as connection:
            row_id = connection.execute(insert(_COMMENTS).values(
                profile_id=profile_id, day=day, author_id=author_id, author=author,
                by_coach=by_coach, body=body, created_at=now).returning(_COMMENTS.c.id)
            ).scalar_one()
        return StoredComment(int(row_id), profile_id, day, author, by_coach, body, now)

    def comments(self, profile_ids: Sequence[int], *, day: date | None = None,
                 since: date | None = None) -> list[StoredComment]:
        """Comments on these profiles' sessions (one day's, or from ``since``), oldest
        first."""
        if not profile_ids:
            return []
        query = (select(Comment.id, Comment.profile_id, Comment.day, Comment.author,
                        Comment.by_coach, Comment.body, Comment.created_at)
                 .where(Comment.profile_id.in_(profile_ids))
                 .order_by(Comment.created_at, Comment.id))
        if day is not None:
            query = query.where(Comment.day == day)
        if since is not None:
            query = query.where(Comment.day >= since)
        with self._db.connection("read comments") as connection:
            return [StoredComment(int(r[0]), int(r[1]), r[2], r[3], bool(r[4]), r[5],
                                  utc(r[6])) for r in connection.execute(query)]

    # -- prescriptions --------------------------------------------------------------------

    def prescribe(self, *, profile_id: int, author_id: int, author: str, kind: str,
                  value: Any, reason: str, replaces: Sequence[int] = ()) -> int:
        """Store a prescription, ending ``replaces`` (the one it takes over from) in the
        same transaction."""
        now = utcnow()
        with self._db.connection("store a prescription") as connection:
            if replaces:
                connection.execute(update(_PRESCRIPTIONS).where(
                    _PRESCRIPTIONS.c.id.in_(replaces), _PRESCRIPTIONS.c.ended_at.is_(None))
                    .values(ended_at=now, ended_by=author))
            return int(connection.execute(insert(_PRESCRIPTIONS).values(
                profile_id=profile_id, author_id=author_id, author=author, kind=kind,
                value=value, reason=reason, created_at=now).returning(_PRESCRIPTIONS.c.id)
            ).scalar_one())

    def prescriptions(self, profile_ids: Sequence[int], *,
                      in_force: bool = True) -> list[StoredPrescription]:
        """The prescriptions of these profiles, oldest first (only those in force, or
        every one ever made)."""
        if not profile_ids:
            return []
        query = (select(Prescription.id, Prescription.profile_id, Prescription.author_id,
                        Prescription.author, Prescription.kind, Prescription.value,
                        Prescription.reason, Prescription.created_at, Prescription.ended_at,
                        Prescription.ended_by)
                 .where(Prescription.profile_id.in_(profile_ids))
                 .order_by(Prescription.created_at, Prescription.id))
        if in_force:
            query = query.where(Prescription.ended_at.is_(None))
        with self._db.reading("read prescriptions") as connection:
            return [StoredPrescription(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5], r[6],
                                       utc(r[7]), None if r[8] is None else utc(r[8]), r[9])
                    for r in connection.execute(query)]

    def end_prescription(self, profile_id: int, prescription_id: int, *, by: str) -> bool:
        with self._db.connection("end a prescription") as connection:
            done = connection.execute(update(_PRESCRIPTIONS).where(
                _PRESCRIPTIONS.c.id == prescription_id,
                _PRESCRIPTIONS.c.profile_id == profile_id,
                _PRESCRIPTIONS.c.ended_at.is_(None)).values(ended_at=utcnow(), ended_by=by))
        return done.rowcount > 0

    # -- templates ------------------------------------------------------------------------

    def save_template(self, coach: int, name: str, document: dict[str, Any]) -> int:
        with self._db.connection("store a template") as connection:
            try:
                return int(connection.execute(insert(_TEMPLATES).values(
                    coach_id=coach, name=name, document=document, created_at=utcnow())
                    .returning(_TEMPLATES.c.id)).scalar_one())
            except IntegrityError as exc:
                raise ConflictError(f"you have a template named '{name}' already.",
                                    field="name") from exc

    def templates(self, coach: int, *, template_id: int | None = None
                  ) -> list[StoredTemplate]:
        query = (select(PlanTemplate.id, PlanTemplate.name, PlanTemplate.document,
                        PlanTemplate.created_at)
                 .where(PlanTemplate.coach_id == coach).order_by(PlanTemplate.name))
        if template_id is not None:
            query = query.where(PlanTemplate.id == template_id)
        with self._db.connection("list templates") as connection:
            return [StoredTemplate(int(r[0]), r[1], r[2], utc(r[3]))
                    for r in connection.execute(query)]

    def delete_template(self, coach: int, template_id: int) -> bool:
        with self._db.connection("delete a template") as connection:
            done = connection.execute(delete(_TEMPLATES).where(
                _TEMPLATES.c.id == template_id, _TEMPLATES.c.coach_id == coach))
        return done.rowcount > 0

    # -- mails due ------------------------------------------------------------------------

    def claim_send(self, account: int, *, kind: str, day: date) -> int | None:
        """Claim the mail (account, kind, day) for this run: its id, or None when another
        run sent it or is sending it. The unique key decides between two runs at once; a
        failed send, or one claimed long ago and never finished, is claimed again."""
        from sqlalchemy.dialects import postgresql, sqlite

        now = utcnow()
        make = sqlite.insert if self._db.engine.dialect.name == "sqlite" else postgresql.insert
        claim = (make(_SENDS).values(account_id=account, kind=kind, day=day,
                                     status="sending", attempts=1, claimed_at=now, error="")
                 .on_conflict_do_nothing(index_elements=[_SENDS.c.account_id, _SENDS.c.kind,
                                                         _SENDS.c.day])
                 .returning(_SENDS.c.id))
        with self._db.connection(f"claim a {kind}") as connection:
            claimed = connection.execute(claim).scalar()
            if claimed is not None:
                return int(claimed)
            retry = (update(_SENDS).where(
                _SENDS.c.account_id == account, _SENDS.c.kind == kind, _SENDS.c.day == day,
                or_(_SENDS.c.status == "failed",
                    and_(_SENDS.c.status == "sending", _SENDS.c.claimed_at < now - STALE_CLAIM))
            ).values(status="sending", claimed_at=now, attempts=_SENDS.c.attempts + 1)
                .returning(_SENDS.c.id))
            again = connection.execute(retry).scalar()
            return None if again is None else int(again)

    def sent(self, send_id: int) -> None:
        with self._db.connection("record a sent mail") as connection:
            connection.execute(update(_SENDS).where(_SENDS.c.id == send_id)
                               .values(status="sent", sent_at=utcnow(), error=""))

    def failed(self, send_id: int, error: str) -> None:
        with self._db.connection("record a failed mail") as connection:
            connection.execute(update(_SENDS).where(_SENDS.c.id == send_id)
                               .values(status="failed", error=error[:500]))

    def sends(self, *, kind: str | None = None) -> list[tuple[int, str, date, str, int]]:
        """Every mail recorded: (account, kind, day, status, attempts)."""
        query = select(MailSend.account_id, MailSend.kind, MailSend.day, MailSend.status,
                       MailSend.attempts).order_by(MailSend.id)
        if kind is not None:
            query = query.where(MailSend.kind == kind)
        with self._db.connection("list mails") as connection:
            return [(int(r[0]), r[1], r[2], r[3], int(r[4]))
                    for r in connection.execute(query)]



def _invitation(row: Sequence[Any]) -> StoredInvitation:
    return StoredInvitation(int(row[0]), row[1], row[2], row[3], row[4] or "", utc(row[5]))
