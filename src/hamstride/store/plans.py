"""Plans: the plans of an account's profiles, one active per profile, and what
answers about a plan depend on (``freshness``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute

from hamstride.errors import ProfileNotFound
from hamstride.store.models import (
    LogSession,
    Plan,
    Profile,
    utc,
    utcnow,
)
from hamstride.store.records import (
    Freshness,
    StoredPlan,
    StoredProfile,
)
from hamstride.store.scope import (
    THE_PROFILE,
    Scoped,
    json_document,
)

_ACTIVE_PLAN_ID = (
    select(Plan.id)
    .join(Profile, Plan.profile_id == Profile.id)
    .where(THE_PROFILE, Plan.is_active)
    .limit(1)
)
# the active plan is unique per profile (a partial unique index), so the join adds no row
_FRESHNESS = (
    select(
        Plan.id,
        Plan.created_at,
        select(func.max(LogSession.updated_at))
        .where(LogSession.profile_id == Profile.id)
        .scalar_subquery(),
        Profile.id,
        select(func.count()).where(LogSession.profile_id == Profile.id).scalar_subquery(),
    )
    .select_from(Profile)
    .outerjoin(Plan, and_(Plan.profile_id == Profile.id, Plan.is_active))
    .where(THE_PROFILE)
)


def plan_outline(document: dict[str, Any]) -> dict[str, Any] | None:
    """What a plan's session days need of its document (``coach.planned_days``): schema,
    start, the ``planned_from`` of a plan regenerated from the log, and each week's
    session dates in order, in the document's own shape. Stored beside the document: a
    roster of 200 athletes reads 400 of these instead of 400 documents of ~40 KB. None
    for a document of another shape (read the document itself)."""
    try:
        carried = document.get("continues")
        return {"schema": document["schema"], "start": document["start"],
                "continues": ({"planned_from": carried.get("planned_from")}
                              if isinstance(carried, dict) else None),
                "weeks": [{"sessions": [{"date": s["date"]} for s in week["sessions"]]}
                          for week in document["weeks"]]}
    except (KeyError, TypeError, AttributeError):
        return None


def _newest_of_profile(*where: ColumnElement[bool] | InstrumentedAttribute[bool]
                       ) -> ScalarSelect[int]:
    return (select(Plan.id).where(Plan.profile_id == Profile.id, *where)
            .order_by(Plan.created_at.desc(), Plan.id.desc()).limit(1)
            .correlate(Profile).scalar_subquery())


_ORIGINAL_ID = _newest_of_profile(Plan.regenerated.is_(False))
_PROFILE_AND_PLANS = (
    # current_plans' two plans beside their profile: a profile without a plan is a row of
    # its own with NULLs for the plan
    select(Profile.id, Profile.document, Profile.created_at, Profile.updated_at,
           Plan.id, Plan.start, Plan.weeks, Plan.document, Plan.created_at, Plan.is_active,
           Plan.regenerated, Plan.id == _ORIGINAL_ID)
    .select_from(Profile)
    .outerjoin(Plan, and_(Plan.profile_id == Profile.id,
                          or_(Plan.id == _ORIGINAL_ID,
                              Plan.id == _newest_of_profile(Plan.is_active))))
    .where(THE_PROFILE)
)


class PlanRepository(Scoped):
    """The account's plan documents."""

    def save_plan(
        self, *, profile_name: str, start: date, weeks: int, document: dict[str, Any],
        regenerated: bool = False,
    ) -> StoredPlan:
        """Insert a plan as the profile's active one, deactivating the others, atomically.
        ``regenerated``: derived from the log (a continuation), not made by the runner."""
        doc = json_document(document, what=f"plan for '{profile_name}'")
        with self._transaction(f"save plan for '{profile_name}'") as session:
            profile_id = session.scalar(
                select(Profile.id).where(self._named(profile_name)).with_for_update()
            )
            if profile_id is None:
                raise ProfileNotFound(f"no profile named '{profile_name}'", field="profile")
            session.execute(
                update(Plan)
                .where(Plan.profile_id == profile_id, Plan.is_active)
                .values(is_active=False)
            )
            row = Plan(
                profile_id=profile_id,
                start=start,
                weeks=weeks,
                document=doc,
                outline=plan_outline(doc),
                created_at=utcnow(),
                is_active=True,
                regenerated=regenerated,
            )
            session.add(row)
            session.flush()
            return _stored_plan(row, profile_name)

    def active_plan(self, *, profile_name: str | None = None) -> StoredPlan | None:
        """The profile's active plan; with no name, the newest active plan of any profile."""
        query = self._plans().where(Plan.is_active).limit(1)
        if profile_name is not None:
            query = query.where(Profile.name == profile_name)
        with self._transaction("read the active plan") as session:
            found = session.execute(query).first()
            return None if found is None else _stored_plan(*found)

    def active_plan_id(self, *, profile_name: str) -> int | None:
        """The id of the profile's active plan, or None: one indexed query, no document."""
        with self._reading(f"read the plan of '{profile_name}'") as connection:
            return connection.execute(_ACTIVE_PLAN_ID, self._bind(profile_name)).scalar()

    def freshness(self, *, profile_name: str) -> Freshness:
        """The profile's active plan (id, when stored) and when its log last changed,
        without loading any document: what a cached answer about the plan depends on.
        One query; none while the watch can tell nothing was written since the last one."""
        version = self._db.watch.version()  # before the query: a write between shows next time
        key = ("freshness", self._account, profile_name)
        kept = self._db.kept.get(key)
        if version is not None and isinstance(kept, tuple) and kept[0] == version:
            fresh_kept: Freshness = kept[1]
            return fresh_kept
        with self._reading(f"read the plan of '{profile_name}'") as connection:
            found = connection.execute(_FRESHNESS, self._bind(profile_name)).first()
        fresh = Freshness(None, None, None) if found is None else Freshness(*found)
        if version is not None:
            self._db.kept.put(key, (version, fresh))
        return fresh

    def known_freshness(self, *, profile_name: str) -> Freshness | None:
        """``freshness()`` if it can be answered without a query (the watch knows nothing
        was written since it was last read), else None: for callers that must not wait on
        the database."""
        version = self._db.watch.version()
        kept = self._db.kept.get(("freshness", self._account, profile_name))
        if version is None or not isinstance(kept, tuple) or kept[0] != version:
            return None
        fresh: Freshness = kept[1]
        return fresh

    def get_plan(self, *, plan_id: int) -> StoredPlan | None:
        """The plan with this id, or None."""
        with self._transaction(f"read plan {plan_id}") as session:
            found = session.execute(self._plans().where(Plan.id == plan_id)).first()
            return None if found is None else _stored_plan(*found)

    def list_plans(self, *, profile_name: str | None = None) -> list[StoredPlan]:
        """Plans, newest first, of one profile or of all."""
        query = self._plans()
        if profile_name is not None:
            query = query.where(Profile.name == profile_name)
        with self._transaction("list plans") as session:
            return [_stored_plan(*found) for found in session.execute(query)]

    def current_plans(self, *, profile_name: str
                      ) -> tuple[StoredPlan | None, StoredPlan | None]:
        """The profile's newest plan made by the runner (not regenerated) and its active
        plan, as ``list_plans`` would pick them, in one statement that reads only those
        two documents: a runner's older plans pile up over the years."""
        _, original, active = self.profile_and_plans(profile_name=profile_name)
        return original, active

    def profile_and_plans(self, *, profile_name: str) -> tuple[
            StoredProfile | None, StoredPlan | None, StoredPlan | None]:
        """``get_profile`` and ``current_plans`` in one statement (the cold path of the
        day's answer asks for both)."""
        with self._reading(f"read the plans of '{profile_name}'") as connection:
            rows = connection.execute(_PROFILE_AND_PLANS, self._bind(profile_name)).all()
        if not rows:
            return None, None, None
        first = rows[0]
        profile = StoredProfile(id=first[0], name=profile_name, document=first[1],
                                created_at=utc(first[2]), updated_at=utc(first[3]))
        original = active = None
        for row in rows:
            if row[4] is None:
                continue
            plan = StoredPlan(row[4], profile_name, row[5], row[6], row[7], utc(row[8]),
                              row[9], row[10])
            if row[11]:
                original = plan
            if plan.active:
                active = plan
        return profile, original, active

    def regenerated_plan_ids(self, *, profile_name: str) -> list[int]:
        """The ids of the profile's plans regenerated from the log (no document read)."""
        with self._reading(f"read the plans of '{profile_name}'") as connection:
            return list(connection.scalars(
                select(Plan.id).join(Profile, Plan.profile_id == Profile.id)
                .where(THE_PROFILE, Plan.regenerated), self._bind(profile_name)))

    def delete_plans(self, *, plan_ids: Sequence[int]) -> int:
        """Delete these plans (derived ones the log superseded); how many went."""
        if not plan_ids:
            return 0
        mine = select(Profile.id).where(Profile.account_id == self._account)
        with self._transaction("delete plans") as session:
            result = session.execute(delete(Plan).where(Plan.id.in_(list(plan_ids)),
                                                        Plan.profile_id.in_(mine)))
            return int(getattr(result, "rowcount", 0) or 0)

    def _plans(self) -> Select[Plan, str]:
        """The account's plans with their profile's name, newest first."""
        return (
            select(Plan, Profile.name)
            .join(Profile, Plan.profile_id == Profile.id)
            .where(Profile.account_id == self._account)
            .order_by(Plan.created_at.desc(), Plan.id.desc())
        )


def _stored_plan(row: Plan, profile_name: str) -> StoredPlan:
    return StoredPlan(
        id=row.id,
        profile_name=profile_name,
        start=row.start,
        weeks=row.weeks,
        document=row.document,
        created_at=utc(row.created_at),
        active=row.is_active,
        regenerated=row.regenerated,
    )
