"""Today's sessions, the training log and the field tests of one profile.

Writes are all or nothing per request: every entry is validated (the core's validators,
the coach's checks) before anything is stored, and the store saves a batch in one
transaction, so a client retries the whole request after fixing the entry the error
names. (The CLI's batch import stores the valid entries instead.) Entries are upserted
by id, so sending the same entry twice stores it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Path, Query, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, TypeAdapter, WithJsonSchema

from hamstride import coach
from hamstride.errors import EntryNotFound, InputError, NotFoundError, ProfileNotFound
from hamstride.store import Store
from hamstride.training.log import (
    ClientId,
    FieldTest,
    LogError,
    LoggedSession,
    Pain,
    field_test_from_data,
    session_from_data,
)
from hamstride.web.api._shared import (
    JSON_BODY,
    PREFIX,
    Day,
    NamePath,
    ProfileName,
    StrictBody,
    as_list,
    each_entry,
    errors,
    in_entry,
    inline_schema,
    require_plan,
    require_profile,
)
from hamstride.web.deps import StoreDep, TodayDep

router = APIRouter(prefix="/profiles/{name}")

NO_PLAN_NOTE = f"no plan to update: POST {PREFIX}/profiles/{{name}}/plans makes one."


def _one_or_many(model: type[BaseModel], what: str) -> dict[str, Any]:
    """One entry or a list of them; ``id`` is optional on input (content gives one)."""
    one = inline_schema(model.model_json_schema(mode="validation"))
    one["required"] = [f for f in one.get("required", []) if f != "id"]
    return {"description": f"One {what}, or a list of them.",
            "oneOf": [one, {"type": "array", "items": one, "minItems": 1, "maxItems": 1000}]}


LogBody = Annotated[Any, WithJsonSchema(_one_or_many(LoggedSession, "logged session")), Body(
    description="docs/log.schema.json: one logged session or a list of them.")]
TestBody = Annotated[Any, WithJsonSchema(_one_or_many(FieldTest, "field-test result")), Body(
    description="One field-test result or a list of them.")]
IdempotencyKey = Annotated[ClientId | None, Header(
    alias="Idempotency-Key",
    description="For a body of one entry without an `id`: the key becomes its id, so a "
                "retried request stores the entry once. Ignored for lists and for entries "
                "that carry an id.")]
EntryId = Annotated[ClientId, Path(description="The log entry's id.")]


class TodayView(BaseModel):
    date: dt.date
    rest_day: bool  # nothing planned and nothing logged
    sessions: list[dict[str, Any]]  # the planned sessions (plan documents' sessions)
    logged: list[dict[str, Any]]  # what is logged on the day (log documents)
    next: dt.date | None  # the next planned session after the day
    # after a recent strain: the return stage, its criteria, the runs to keep easy and
    # when to record the criteria again (training/return_stages.py); else null
    return_stage: dict[str, Any] | None = None


class LogResult(BaseModel):
    inserted: list[str]  # entry ids, in request order
    updated: list[str]
    unchanged: list[str]
    plan_updated: bool  # the rest of the plan was regenerated from the log
    note: str  # why the plan was not updated, when it was not


_LOG_RESULT = TypeAdapter(LogResult)


class TestsResult(BaseModel):
    ids: list[str]  # the results' ids, in request order
    recorded: int  # how many were new or changed


class MorningPain(StrictBody):
    pain: Pain


def _keyed(raw: list[Any], is_list: bool, key: str | None) -> list[Any]:
    """The Idempotency-Key as the id of a single entry that has none."""
    if key is None or is_list or not isinstance(raw[0], dict) or raw[0].get("id"):
        return raw
    return [{**raw[0], "id": key}]


# -- today ----------------------------------------------------------------------------------

@router.get("/today", tags=["today"], summary="What to do on a day", response_model=TodayView,
            responses=errors(404, 422))
async def today(name: ProfileName, store: StoreDep, now: TodayDep,
                on: Annotated[Day | None, Query(alias="date", description="Default: today.")
                              ] = None,
                ) -> Response:
    """The sessions planned for the day (the plan as it was planned for past days), what
    is already logged on it, and the date of the next planned session."""
    day = on or now
    # the hot path: an answer the store vouches for without a query is served from here;
    # otherwise the database is asked in a worker thread
    shown = coach.kept_today(store, name, day)
    if shown is None:
        shown = await run_in_threadpool(_today, store, name, day)
    return Response(_today_json(store, shown), media_type="application/json")


def _today(store: Store, name: str, day: dt.date) -> coach.Today:
    require_plan(store, name)
    return coach.today(store, name, day)


_TODAY_VIEW = TypeAdapter(TodayView)


def _today_json(store: Store, shown: coach.Today) -> bytes:
    """The answer as JSON, rendered once per answer the coach keeps (kept beside it in the
    one cache; the entry holds the answer itself, so its id is not reused meanwhile)."""
    key = ("today.json", id(shown))
    kept = store.kept.get(key)
    if isinstance(kept, tuple) and kept[0] is shown:
        rendered_kept: bytes = kept[1]
        return rendered_kept
    view = TodayView(date=shown.day, rest_day=shown.rest_day,
                     sessions=[s.model_dump(mode="json") for s in shown.sessions],
                     logged=[e.to_document() for e in shown.logged], next=shown.next_day,
                     return_stage=(shown.returning.to_document()
                                   if shown.returning is not None else None))
    rendered = _TODAY_VIEW.dump_json(view)
    store.kept.put(key, (shown, rendered))
    return rendered


# -- the log --------------------------------------------------------------------------------

@router.post("/log", tags=["log"], summary="Log sessions", dependencies=JSON_BODY,
             status_code=201, response_model=LogResult,
             responses={200: {"description": "Nothing new was stored"},
                        **errors(404, 415, 422, 503)})
def log(name: NamePath, body: LogBody, store: StoreDep, today: TodayDep,
        idempotency_key: IdempotencyKey = None,
        replan: Annotated[Literal["now", "next_read"], Query(
            description="Regenerate the plan now (slower), or at the next read of it "
                        "(today, plan, calendar, progress), the default.")] = "next_read",
        ) -> Response:
    """Store one logged session or a list (upserted by id; without an id the content
    gives one), then regenerate the rest of the plan from the whole log. All or nothing:
    if any entry is invalid the response is 422 naming ``entries[i].field`` (just
    ``field`` for a single entry) and nothing is stored. 201 when something was inserted,
    200 otherwise (all updated or unchanged)."""
    # the profile is not checked by the ProfileName dependency (one more query and thread
    # hop on the API's busiest write): the save finds it, and whether it has a plan, in
    # its own transaction; a bad body is only answered once the profile is known to exist
    try:
        raw, is_list = as_list(body)
        entries = each_entry(_keyed(raw, is_list, idempotency_key), is_list, _checker(today))
    except InputError:
        require_profile(store, name)  # 404 comes before 422
        raise
    try:
        outcome = coach.log(store, name, entries, today, replan_now=replan == "now",
                            validated=True)
    except ProfileNotFound:
        require_profile(store, name)  # the API's own words
        raise
    result = LogResult(inserted=list(outcome.inserted), updated=list(outcome.updated),
                       unchanged=list(outcome.unchanged),
                       plan_updated=outcome.replanned is not None,
                       note=outcome.note if outcome.planned else NO_PLAN_NOTE)
    # built and checked here: FastAPI would validate it again, in one more thread hop
    return Response(_LOG_RESULT.dump_json(result), media_type="application/json",
                    status_code=201 if result.inserted else 200)


def _checker(today: dt.date) -> Callable[[Any], LoggedSession]:
    """One log entry from a request body, checked as the coach checks a batch."""
    def check(data: Any) -> LoggedSession:
        entry = session_from_data(data, source="log entry")
        coach.validate_entries([entry], today)
        return entry
    return check


@router.get("/log", tags=["log"], summary="Read the log", responses=errors(404, 422))
def read_log(name: ProfileName, store: StoreDep,
             since: Annotated[Day | None, Query(description="First day (inclusive).")] = None,
             until: Annotated[Day | None, Query(description="Last day (inclusive).")] = None,
             ) -> list[dict[str, Any]]:
    """The logged sessions (log documents) by date, then id."""
    if since is not None and until is not None and since > until:
        raise InputError(f"until: {until} is before since ({since}).", field="until")
    return [e.to_document() for e in store.log_sessions(profile_name=name, since=since,
                                                          until=until)]


@router.delete("/log/{entry_id}", tags=["log"], status_code=204, summary="Delete a log entry",
               response_class=Response, responses=errors(404, 422, 503))
def delete_entry(name: ProfileName, entry_id: EntryId, store: StoreDep,
                 today: TodayDep) -> Response:
    """Delete the entry and its sets, then regenerate the rest of the plan from the log."""
    try:
        coach.delete_entry(store, name, entry_id, today)
    except EntryNotFound as exc:
        raise NotFoundError(f"'{name}' has no log entry '{entry_id}'.",
                            field="entry_id") from exc
    return Response(status_code=204)


@router.put("/log/{entry_id}/morning", tags=["log"], summary="Record next-morning pain",
            dependencies=JSON_BODY, responses=errors(404, 415, 422, 503))
def morning(name: ProfileName, entry_id: EntryId, body: MorningPain, store: StoreDep,
            today: TodayDep) -> dict[str, Any]:
    """Record the next-morning pain (0-10) on the entry and regenerate the rest of the plan
    (pain changes what comes next). Returns the updated log document."""
    try:
        entry, _ = coach.morning(store, name, body.pain, client_id=entry_id, on=None,
                                 today=today)
    except EntryNotFound as exc:
        raise NotFoundError(f"'{name}' has no log entry '{entry_id}'.",
                            field="entry_id") from exc
    return entry.to_document()


# -- field tests ----------------------------------------------------------------------------

@router.post("/field-tests", tags=["field-tests"], summary="Record field tests",
             dependencies=JSON_BODY, status_code=201,
             responses={200: {"description": "Nothing new was stored"},
                        **errors(404, 415, 422, 503)})
def record_tests(name: ProfileName, body: TestBody, store: StoreDep, today: TodayDep,
                 response: Response, idempotency_key: IdempotencyKey = None) -> TestsResult:
    """Store one field-test result or a list, upserted by id like the log, all or nothing.
    201 when something was new or changed, else 200."""
    raw, is_list = as_list(body)
    raw = _keyed(raw, is_list, idempotency_key)
    tests = each_entry(raw, is_list, lambda data: field_test_from_data(data, source="field test"))
    try:
        recorded = coach.record_tests(store, name, tests, today)
    except LogError as exc:  # a result dated in the future (nothing was stored): which one
        n = next((i for i, t in enumerate(tests)
                  if exc.message.startswith(f"field test {t.id}:")), 0)
        raise in_entry(exc, n, is_list) from exc
    response.status_code = 201 if recorded else 200
    return TestsResult(ids=[t.id for t in tests], recorded=recorded)


@router.get("/field-tests", tags=["field-tests"], summary="Read the field tests",
            responses=errors(404, 422))
def read_tests(name: ProfileName, store: StoreDep) -> list[dict[str, Any]]:
    """Every field-test result by date, then id."""
    return [t.to_document() for t in store.field_tests(profile_name=name)]
