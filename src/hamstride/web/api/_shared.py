"""What the API modules share: the error schema for the docs, the API's own error kinds,
the existing-profile dependency, the JSON content-type check, body schemas for the docs,
and the naming of a bad entry in a list body.

No training rule lives here: bodies go through the core's own validators
(``profile_from_data``, ``session_from_data``, ...) so the messages are the CLI's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hamstride.coach import NoPlanError
from hamstride.errors import (
    HamstrideError,
    InputError,
    MediaTypeError,
    NotFoundError,
)
from hamstride.store import Store
from hamstride.web.deps import StoreDep

PREFIX = "/api/v1"
MAX_BATCH = 1000  # entries in one log or field-test request
FIRST_DAY = date(1900, 1, 1)  # dates the API accepts in queries and bodies it types itself
LAST_DAY = date(2999, 12, 31)

_T = TypeVar("_T")


# -- errors ---------------------------------------------------------------------------------

class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    type: str
    message: str
    field: str | None = Field(description="The first bad field, if the error is about one.")
    problems: list[FieldProblem] = Field(
        description="Every bad field found at once, in order (empty when none is named).")


class ErrorBody(BaseModel):
    """The one error shape of every endpoint."""

    error: ErrorDetail


_DESCRIPTIONS = {
    401: "Not signed in, or the token is unknown or revoked (`Authorization: Bearer TOKEN`).",
    403: "Signed in, but not allowed for this role.",
    429: "Too many attempts; `Retry-After` says how many seconds to wait.",
    404: "Unknown profile, or nothing of that kind in it.",
    409: "It exists already.",
    415: "The body is not JSON (send `Content-Type: application/json`).",
    422: "A bad body, parameter or header; `field` names the first bad one, `problems` "
         "every one.",
    503: "The database could not be read or written.",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for these status codes, each with the one error shape."""
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}


# -- dependencies ---------------------------------------------------------------------------

NamePath = Annotated[str, Path(description="The profile's name, as in its document.")]
"""The path's profile name, unchecked: for an endpoint that checks it itself."""


async def _existing_profile(name: NamePath, store: StoreDep) -> str:
    """Asks the database in a worker thread, unless the store knows the profile without a
    query (nothing written since it last looked): then no thread and no query."""
    known = store.known_freshness(profile_name=name)
    if known is None or known.profile_id is None:
        await run_in_threadpool(require_profile, store, name)
    return name


ProfileName = Annotated[str, Depends(_existing_profile)]
"""The path's profile name, checked to exist (404 otherwise)."""


def require_profile(store: Store, name: str) -> None:
    """404 unless a profile has this name. Asked of the profile's freshness, which the
    store keeps (one query, then none for the request's later questions about the plan)."""
    if store.freshness(profile_name=name).profile_id is None:
        raise NotFoundError(f"no profile named '{name}'; PUT {PREFIX}/profiles/{{name}} "
                            "stores one.", field="name")


async def _json_content(request: Request) -> None:
    """A body that is not JSON is the client's fault: 415, before it is looked at."""
    if not await request.body():
        return
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        raise MediaTypeError(f"the body must be JSON (Content-Type: application/json), "
                             f"not '{kind or 'unspecified'}'.", field="Content-Type")


JSON_BODY = [Depends(_json_content)]


def require_plan(store: Store, name: str) -> None:
    """404 unless the profile has a plan (the coach's message names the CLI command)."""
    if not has_plan(store, name):
        raise NoPlanError(f"'{name}' has no plan yet: POST {PREFIX}/profiles/{{name}}/plans "
                          "makes one.", field="plan")


def has_plan(store: Store, name: str) -> bool:
    return store.freshness(profile_name=name).plan_id is not None  # no document loaded


def location(*parts: str) -> str:
    """A URL path under the API, each part percent-encoded."""
    return PREFIX + "".join("/" + quote(p, safe="") for p in parts)


def filename(name: str, suffix: str) -> str:
    """A safe ASCII file name for Content-Disposition (headers are latin-1 only)."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:60] or "profile"
    return f"hamstride-{slug}{suffix}"


def attachment(name: str, suffix: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename(name, suffix)}"'}


# -- dates ----------------------------------------------------------------------------------

def _in_range(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"a date from {FIRST_DAY} to {LAST_DAY}")
    return day


Day = Annotated[date, AfterValidator(_in_range)]
"""A calendar date (YYYY-MM-DD) in the range the API works with."""


# -- bodies ---------------------------------------------------------------------------------

class StrictBody(BaseModel):
    """A small request body the API types itself: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


def as_list(body: Any) -> tuple[list[Any], bool]:
    """A body of one entry or a list of them: the entries, and whether it was a list."""
    if isinstance(body, list):
        if not body:
            raise InputError("entries: the list is empty; send at least one entry.",
                             field="entries")
        if len(body) > MAX_BATCH:
            raise InputError(f"entries: at most {MAX_BATCH} entries in one request, got "
                             f"{len(body)}.", field="entries")
        return body, True
    return [body], False


def each_entry(entries: Sequence[Any], is_list: bool,
               check: Callable[[Any], _T]) -> list[_T]:
    """``check`` every entry; the first InputError names ``entries[i].field`` in a list."""
    checked = []
    for n, entry in enumerate(entries):
        try:
            checked.append(check(entry))
        except InputError as exc:
            raise in_entry(exc, n, is_list) from exc
    return checked


def in_entry(exc: InputError, n: int, is_list: bool) -> InputError:
    """The same error, its field and message saying which entry of a list it is about."""
    if not is_list:
        return exc
    whole = exc.field in (None, "(top level)")
    field = f"entries[{n}]" + ("" if whole else f".{exc.field}")
    return type(exc)(f"entries[{n}]: {exc.message}", field=field)


def prefixed(exc: HamstrideError, key: str) -> HamstrideError:
    """The same error, its field under ``key`` of the body (``plan.weeks[0]``)."""
    field = key if exc.field in (None, "(top level)") else f"{key}.{exc.field}"
    return type(exc)(exc.message, field=field)


def inline_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its ``$defs`` substituted in place, so it can stand
    inside an OpenAPI document (whose ``#/$defs`` would not resolve)."""
    defs: dict[str, Any] = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                rest = {k: walk(v) for k, v in node.items() if k != "$ref"}
                return {**walk(defs[ref.removeprefix("#/$defs/")]), **rest}
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined
