"""The plan checker: paste or upload a plan JSON, judge it against a profile (the stored
one or a pasted one), list the violations. Bad input is a message on the page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from hamstride.catalogue import load_catalogue
from hamstride.errors import InputError, PlanFormatError, ProfileError
from hamstride.store import Store
from hamstride.training.checker import check_plan
from hamstride.training.plan import plan_from_json
from hamstride.training.profile import Profile, parse_profile_text, profile_from_data
from hamstride.web.deps import StoreDep
from hamstride.web.pages.common import PageRoute, current_profile, render

router = APIRouter(route_class=PageRoute)

MAX_PLAN_BYTES = 2_000_000


def _page(request: Request, store: Store, **values: Any) -> HTMLResponse:
    profiles = [p.name for p in store.list_profiles()]
    context: dict[str, Any] = {
        "title": "Plan checker", "active": "check", "profiles": profiles,
        "chosen": current_profile(store) or (profiles[0] if profiles else ""),
        "plan_text": "", "profile_text": "", "source": "stored" if profiles else "pasted",
        "error": "", "violations": None}
    context.update(values)
    return render(request, "check.html", context, status_code=422 if values.get("error") else 200)


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request, store: StoreDep) -> HTMLResponse:
    return _page(request, store)


async def _text(value: object, what: str) -> str:
    if isinstance(value, UploadFile):
        data = await value.read(MAX_PLAN_BYTES + 1)
        if not data:
            return ""
        if len(data) > MAX_PLAN_BYTES:
            raise InputError(f"{what}: the file is larger than {MAX_PLAN_BYTES:,} bytes.")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{what}: the file is not UTF-8 text.") from None
    return value if isinstance(value, str) else ""


@router.post("/check", response_class=HTMLResponse)
async def check_submit(request: Request, store: StoreDep) -> HTMLResponse:
    form = await request.form(max_files=2, max_fields=20, max_part_size=MAX_PLAN_BYTES)
    plan_text = (await _text(form.get("plan_text"), "plan")).strip()
    source = str(form.get("source") or "stored")
    chosen = str(form.get("profile") or "")
    profile_text = str(form.get("profile_text") or "")
    try:
        uploaded = (await _text(form.get("plan_file"), "plan file")).strip()
    except InputError as exc:
        return await run_in_threadpool(_page, request, store, error=exc.message,
                                       plan_text=plan_text)
    shown = plan_text or uploaded
    return await run_in_threadpool(_judge, request, store, uploaded or plan_text, source,
                                   chosen, profile_text, shown)


def _judge(request: Request, store: Store, plan_text: str, source: str, chosen: str,
           profile_text: str, shown: str) -> HTMLResponse:
    kept = {"plan_text": shown[:MAX_PLAN_BYTES], "profile_text": profile_text,
            "source": source, "chosen": chosen}
    try:
        if not plan_text:
            raise PlanFormatError("plan: paste a plan JSON or choose a file.")
        if len(plan_text.encode("utf-8")) > MAX_PLAN_BYTES:
            raise PlanFormatError(f"plan: larger than {MAX_PLAN_BYTES:,} bytes.")
        profile = _profile(store, source, chosen, profile_text)
        plan = plan_from_json(plan_text, source="plan")
        violations = check_plan(plan, profile, load_catalogue(), source="plan")
    except InputError as exc:
        return _page(request, store, error=exc.message, **kept)
    return _page(request, store, violations=violations, sessions=sum(1 for _ in plan.sessions()),
                 checked_for=profile.name, **kept)


def _profile(store: Store, source: str, chosen: str, text: str) -> Profile:
    if source == "pasted":
        if not text.strip():
            raise ProfileError("profile: paste a profile (JSON or TOML) or pick a stored one.")
        fmt = "json" if text.lstrip().startswith("{") else "toml"
        return parse_profile_text(text, source="pasted profile", fmt=fmt)
    stored = store.get_profile(name=chosen) if chosen else None
    if stored is None:
        raise ProfileError("profile: no stored profile by that name; paste one instead.")
    return profile_from_data(stored.document, source=f"stored profile '{chosen}'")
