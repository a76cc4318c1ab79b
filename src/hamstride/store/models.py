"""Typed declarative models: accounts and what proves who is asking (sessions, API tokens,
reset links) with their audit log; athlete profiles and their plans, stored as JSON
documents; and the training log (sessions, their sets, field tests), stored as plain
columns. Every profile belongs to one account, and everything else to a profile.

The documents are whatever the training core produces (plain dicts); the store only adds
the few columns it needs to find them. The log is relational because it is queried by
date and grows for years. Keep this file and the migrations in step: the test
suite compares the migrated schema against this metadata.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

PROFILE_NAME_MAX = 100
CLIENT_ID_MAX = 64
EXERCISE_ID_MAX = 60
BAND_MAX = 10
SIDE_MAX = 5
TEST_KIND_MAX = 30

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every timestamp we write is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


EMAIL_MAX = 254  # RFC 5321's limit on a forward path
PASSWORD_HASH_MAX = 255
ROLE_MAX = 10
CREDENTIAL_KIND_MAX = 10
SECRET_HASH_MAX = 64  # a SHA-256 in hex
EVENT_MAX = 30
ADDRESS_MAX = 64


class Account(Base):
    """One person who signs in. ``local_owner`` marks the account the CLI and the local
    (no log-in) server act as; it has no e-mail until the first account is made, which
    takes it over with everything in it."""

    __tablename__ = "accounts"
    __table_args__ = (
        Index("uq_accounts_one_local_owner", "local_owner", unique=True,
              sqlite_where=text("local_owner"), postgresql_where=text("local_owner")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(PASSWORD_HASH_MAX))
    role: Mapped[str] = mapped_column(String(ROLE_MAX))
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    reminders: Mapped[bool] = mapped_column(Boolean, default=False)
    local_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Credential(Base):
    """A secret that stands for an account: a browser session, an API token or a password
    reset link. Only its SHA-256 is stored; the secret itself is shown once."""

    __tablename__ = "credentials"
    __table_args__ = (Index("ix_credentials_account_id_kind", "account_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(CREDENTIAL_KIND_MAX))
    secret_hash: Mapped[str] = mapped_column(String(SECRET_HASH_MAX), unique=True)
    label: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """One change of access (log-in, failed log-in, token made or revoked, password
    changed), shown to the account's owner. A failed log-in for an unknown e-mail belongs
    to no account."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_account_id_at", "account_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    event: Mapped[str] = mapped_column(String(EVENT_MAX))
    address: Mapped[str] = mapped_column(String(ADDRESS_MAX))
    detail: Mapped[str] = mapped_column(Text)


class Profile(Base):
    """One athlete profile, unique by name within its account."""

    __tablename__ = "profiles"
    __table_args__ = (
        UniqueConstraint("account_id", "name", name="uq_profiles_account_id_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(PROFILE_NAME_MAX))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Plan(Base):
    """One generated plan; at most one plan per profile is active."""

    __tablename__ = "plans"
    __table_args__ = (
        Index(
            "uq_plans_one_active_per_profile",
            "profile_id",
            unique=True,
            sqlite_where=text("is_active"),
            postgresql_where=text("is_active"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    is_active: Mapped[bool] = mapped_column(Boolean, default=False)
    # the document's session days (store/plans.py, plan_outline); NULL before migration 0007
    outline: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # regenerated from the log (a plan's continuation), not made by the runner
    regenerated: Mapped[bool] = mapped_column(Boolean, default=False)


class LogSession(Base):
    """One logged training session; ``client_id`` is the entry's id, unique per profile."""

    __tablename__ = "log_sessions"
    __table_args__ = (
        UniqueConstraint("profile_id", "client_id", name="uq_log_sessions_profile_id_client_id"),
        Index("ix_log_sessions_profile_id_date", "profile_id", "date"),
        # the freshness of a profile's answers: its log's latest write (migration 0006)
        Index("ix_log_sessions_profile_id_updated_at", "profile_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(CLIENT_ID_MAX))
    date: Mapped[dt.date] = mapped_column(Date)
    duration_min: Mapped[float | None] = mapped_column(Float)
    session_rpe: Mapped[float | None] = mapped_column(Float)
    pain: Mapped[int | None] = mapped_column(Integer)
    morning_pain: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LogSet(Base):
    """One set of a logged session, at ``position`` (0, 1, ...) in the session's order.

    The unique (session_id, position) index also serves lookups and ordering by session.
    """

    __tablename__ = "log_sets"
    __table_args__ = (
        UniqueConstraint("session_id", "position", name="uq_log_sets_session_id_position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("log_sessions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    exercise: Mapped[str] = mapped_column(String(EXERCISE_ID_MAX))
    reps: Mapped[int | None] = mapped_column(Integer)
    hold_s: Mapped[int | None] = mapped_column(Integer)
    load_kg: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(BAND_MAX))
    side: Mapped[str] = mapped_column(String(SIDE_MAX))
    rpe: Mapped[float | None] = mapped_column(Float)
    pain: Mapped[int | None] = mapped_column(Integer)


class FieldTestRow(Base):
    """One field-test result (left and right), unique per profile by ``client_id``."""

    __tablename__ = "field_tests"
    __table_args__ = (
        UniqueConstraint("profile_id", "client_id", name="uq_field_tests_profile_id_client_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(CLIENT_ID_MAX))
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(TEST_KIND_MAX))
    left: Mapped[float] = mapped_column(Float)
    right: Mapped[float] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


ACTIVITY_ID_MAX = 20
SPORT_MAX = 20
KIND_MAX = 20


class ActivityRow(Base):
    """One imported activity (run, ride, swim...), unique per profile by its content id.

    ``document`` is the core's ``Activity`` as JSON; ``start`` and ``sport`` are columns
    because activities are found by date and filtered by sport. ``kind`` is the runner's
    correction of the classification (None: the classifier decides).
    """

    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint(
            "profile_id", "activity_id", name="uq_activities_profile_id_activity_id"
        ),
        Index("ix_activities_profile_id_start", "profile_id", "start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    activity_id: Mapped[str] = mapped_column(String(ACTIVITY_ID_MAX))
    sport: Mapped[str] = mapped_column(String(SPORT_MAX))
    start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    kind: Mapped[str | None] = mapped_column(String(KIND_MAX))
    source_label: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# -- coaches and athletes --------------------------------------------------------------

TEMPLATE_NAME_MAX = 100
PRESCRIPTION_KIND_MAX = 10
MAIL_KIND_MAX = 10
MAIL_STATUS_MAX = 10


class CoachLink(Base):
    """A coach (or physiotherapist) who looks after an athlete: while the row exists the
    coach reads the athlete's training and writes comments and prescriptions. Either side
    deletes it, and the access ends with it."""

    __tablename__ = "coach_links"
    __table_args__ = (
        UniqueConstraint("coach_id", "athlete_id", name="uq_coach_links_coach_id_athlete_id"),
        Index("ix_coach_links_athlete_id", "athlete_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    athlete_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Invitation(Base):
    """An invitation to a coaching link, by a link that works once until it expires: a
    coach's (``coach_id`` set: any athlete who opens it may accept) or an athlete's to a
    coach by e-mail (``athlete_id`` and ``email`` set: only that coach may accept). Only
    the link secret's SHA-256 is stored."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_email", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    athlete_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    secret_hash: Mapped[str] = mapped_column(String(SECRET_HASH_MAX), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Comment(Base):
    """A comment on one day's session of a profile, by its athlete or one of their
    coaches."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_profile_id_day", "profile_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(EMAIL_MAX))  # as it was when written
    by_coach: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Prescription(Base):
    """What a coach or physiotherapist prescribed for a profile's plan: hold an exercise,
    clear a return stage, set session minutes or strength days. In force until
    ``ended_at``; it outlives the coaching link (a hold stays a hold until someone ends
    it), and the athlete sees who set it and why."""

    __tablename__ = "prescriptions"
    __table_args__ = (Index("ix_prescriptions_profile_id", "profile_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(EMAIL_MAX))
    kind: Mapped[str] = mapped_column(String(PRESCRIPTION_KIND_MAX))
    value: Mapped[Any] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[str | None] = mapped_column(String(EMAIL_MAX))


class PlanTemplate(Base):
    """A coach's profile shape (goal, level, equipment, days, minutes) to give many
    athletes at once; each gets a plan fitted to their own running week and races."""

    __tablename__ = "plan_templates"
    __table_args__ = (
        UniqueConstraint("coach_id", "name", name="uq_plan_templates_coach_id_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(TEMPLATE_NAME_MAX))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailSend(Base):
    """One mail due to an account (the weekly digest, a session-day reminder), recorded
    with its unique key before it is sent: two runs of ``digest send`` at once cannot both
    send it, and a failed send stays here to be tried again."""

    __tablename__ = "mail_sends"
    __table_args__ = (
        UniqueConstraint("account_id", "kind", "day", name="uq_mail_sends_account_id_kind_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(MAIL_KIND_MAX))
    day: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(MAIL_STATUS_MAX))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(Text, default="")
