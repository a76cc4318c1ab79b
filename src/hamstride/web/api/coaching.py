"""Coaches and athletes in the API: the roster, an athlete's plan, comments and
prescriptions (for a coach, under /coach/athletes/{profile_id}); the athlete's own
comments and the prescriptions on their plan (under /profiles/{name}). Who may see what is
decided in hamstride.coaching: another coach's athlete answers 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field, TypeAdapter

from hamstride import coach, coaching
from hamstride.store.coaching import StoredComment, StoredPrescription
from hamstride.web.api._shared import JSON_BODY, StrictBody, errors
from hamstride.web.deps import CallerDep, StoreDep, TodayDep

router = APIRouter(tags=["coaching"])
ProfileId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The athlete's profile id "
                                                                "(from the roster).")]
PrescriptionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ATHLETE = "/coach/athletes/{profile_id}"


class CommentBody(StrictBody):
    day: date = Field(description="The session's date.")
    comment: str = Field(min_length=1, max_length=coaching.COMMENT_MAX)


class CommentOut(StrictBody):
    id: int
    day: date
    author: str
    by_coach: bool
    body: str
    created_at: datetime

    @classmethod
    def of(cls, found: StoredComment) -> CommentOut:
        return cls(id=found.id, day=found.day, author=found.author, by_coach=found.by_coach,
                   body=found.body, created_at=found.created_at)


class PrescriptionBody(StrictBody):
    kind: Literal["hold", "clear", "minutes", "days"]
    exercise: str | None = Field(None, max_length=60, description="kind hold: the "
                                 "exercise id to leave out of the plan.")
    stage: Literal["walk_jog", "speed"] | None = Field(None, description="kind clear: the "
                                                       "return stage cleared to, from today.")
    minutes: int | None = Field(None, description="kind minutes: 10-90 a session.")
    days: list[str] | None = Field(None, max_length=7, description="kind days: strength "
                                   "days, e.g. ['tue', 'fri'].")
    reason: str = Field("", max_length=coaching.REASON_MAX,
                        description="Why: the athlete reads it.")

    def value(self) -> dict[str, Any]:
        values: dict[str, dict[str, Any]] = {
            "hold": {"exercise": self.exercise or ""}, "clear": {"stage": self.stage},
            "minutes": {"minutes": self.minutes}, "days": {"days": self.days or []}}
        return values[self.kind]


class PrescriptionOut(StrictBody):
    id: int
    kind: str
    value: dict[str, Any]
    reason: str
    author: str
    created_at: datetime
    ended_at: datetime | None
    ended_by: str | None

    @classmethod
    def of(cls, found: StoredPrescription) -> PrescriptionOut:
        return cls(id=found.id, kind=found.kind, value=found.value, reason=found.reason,
                   author=found.author, created_at=found.created_at,
                   ended_at=found.ended_at, ended_by=found.ended_by)


@router.get("/coach/roster", summary="Your athletes at a glance (coaches)",
            responses=errors(401, 403, 422), response_model=list[dict[str, Any]])
def roster(store: StoreDep, who: CallerDep, today: TodayDep,
           sort: Annotated[Literal["flags", "adherence", "name", "last_session", "race"],
                           Query()] = "flags",
           flagged: bool = False) -> Response:
    """Per athlete profile: adherence over the last 4 weeks, pain flags (above 5/10,
    rising, not settled next morning), last session, running distance and its trend with
    the 30% spike flag, asymmetry from the latest field test, next race, comments waiting
    and exercises held. Sorted ("flags": pain first) and filtered (`flagged=true`)."""
    shown = coaching.roster(store, who, today, sort=sort, flagged_only=flagged)
    # rendered once per answer the coaching layer keeps (200 rows took ~6 ms each time)
    key = ("roster.json", id(shown))
    kept = store.kept.get(key)
    if isinstance(kept, tuple) and kept[0] is shown:
        body: bytes = kept[1]
    else:
        body = _ROWS.dump_json([r.to_document() for r in shown])
        store.kept.put(key, (shown, body))
    return Response(body, media_type="application/json")


_ROWS: TypeAdapter[list[dict[str, Any]]] = TypeAdapter(list[dict[str, Any]])


@router.get(f"{ATHLETE}/plan", summary="An athlete's active plan (coaches)",
            responses=errors(401, 403, 404, 422))
def athlete_plan(store: StoreDep, who: CallerDep, today: TodayDep,
                 profile_id: ProfileId) -> dict[str, Any]:
    """The plan the athlete follows now, as `GET /profiles/{name}/plan` answers them."""
    theirs, shared = coaching.athlete(store, who, profile_id)
    return coach.fresh_plans(theirs, shared.name, today).active.to_document()


@router.get(f"{ATHLETE}/comments", summary="Comments on an athlete's sessions (coaches)",
            responses=errors(401, 403, 404, 422))
def athlete_comments(store: StoreDep, who: CallerDep, profile_id: ProfileId,
                     day: date | None = None) -> list[CommentOut]:
    """The comments on the athlete's sessions (one day's with `day`), oldest first, by
    the athlete and their coaches."""
    coaching.athlete(store, who, profile_id)
    return [CommentOut.of(c) for c in store.coaching.comments([profile_id], day=day)]


@router.post(f"{ATHLETE}/comments", status_code=201, dependencies=JSON_BODY,
             summary="Comment on an athlete's session (coaches)",
             responses=errors(401, 403, 404, 415, 422))
def post_athlete_comment(body: CommentBody, store: StoreDep, who: CallerDep,
                         profile_id: ProfileId) -> CommentOut:
    """A comment on the session of `day`; the athlete sees it next to the session and in
    their weekly digest."""
    coaching.athlete(store, who, profile_id)
    return CommentOut.of(coaching.comment(store, who, profile_id, body.day, body.comment,
                                          by_coach=True))


@router.get(f"{ATHLETE}/prescriptions", summary="An athlete's prescriptions (coaches)",
            responses=errors(401, 403, 404, 422))
def athlete_prescriptions(store: StoreDep, who: CallerDep, profile_id: ProfileId,
                          ended: bool = False) -> list[PrescriptionOut]:
    """Those in force (and, with `ended=true`, the ended ones too), oldest first."""
    coaching.athlete(store, who, profile_id)
    return [PrescriptionOut.of(p)
            for p in store.coaching.prescriptions([profile_id], in_force=not ended)]


@router.post(f"{ATHLETE}/prescriptions", status_code=201, dependencies=JSON_BODY,
             summary="Prescribe for an athlete (coaches)",
             responses=errors(401, 403, 404, 415, 422))
def prescribe(body: PrescriptionBody, store: StoreDep, who: CallerDep, today: TodayDep,
              profile_id: ProfileId) -> PrescriptionOut:
    """Hold an exercise, clear a return stage, set session minutes or strength days; the
    plan is regenerated at once and still passes the checker. What no safe plan could
    follow is refused (422, nothing stored)."""
    return PrescriptionOut.of(coaching.prescribe(
        store, who, profile_id, kind=body.kind, value=body.value(), reason=body.reason,
        today=today))


@router.delete(f"{ATHLETE}/prescriptions/{{prescription_id}}", status_code=204,
               summary="End a prescription (coaches)", responses=errors(401, 403, 404, 422))
def end_prescription(store: StoreDep, who: CallerDep, today: TodayDep, profile_id: ProfileId,
                     prescription_id: PrescriptionId) -> Response:
    """End a prescription in force; the plan is regenerated without it."""
    coaching.end_prescription(store, who, profile_id, prescription_id, today=today)
    return Response(status_code=204)


# -- the athlete's side ---------------------------------------------------------------------

@router.get("/profiles/{name}/comments", summary="Comments on your sessions",
            responses=errors(401, 404, 422))
def own_comments(store: StoreDep, name: str, day: date | None = None) -> list[CommentOut]:
    """Comments on your sessions (one day's with `day`), yours and your coaches'."""
    profile_id = coaching.own_profile_id(store, name)
    return [CommentOut.of(c) for c in store.coaching.comments([profile_id], day=day)]


@router.post("/profiles/{name}/comments", status_code=201, dependencies=JSON_BODY,
             summary="Comment on your session (your coaches read it)",
             responses=errors(401, 404, 415, 422))
def post_own_comment(body: CommentBody, store: StoreDep, who: CallerDep,
                     name: str) -> CommentOut:
    """A comment on your session of `day`: your coaches read it."""
    profile_id = coaching.own_profile_id(store, name)
    return CommentOut.of(coaching.comment(store, who, profile_id, body.day, body.comment,
                                          by_coach=False))


@router.get("/profiles/{name}/prescriptions", summary="What your coaches prescribed",
            responses=errors(401, 404, 422))
def own_prescriptions(store: StoreDep, name: str) -> list[PrescriptionOut]:
    """The prescriptions your plan follows: who set each, when and why."""
    profile_id = coaching.own_profile_id(store, name)
    return [PrescriptionOut.of(p) for p in store.coaching.prescriptions([profile_id])]
