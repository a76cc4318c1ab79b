"""Coaches and athletes in the browser: the coach's roster and athlete pages (calendar,
log, charts, comments, prescriptions), the invitation pages, and the athlete's own
"Coaches" page. Every decision of who may see what is in hamstride.coaching; these pages
parse a form, call it, and answer a page or a redirect with a notice (``?done=``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hamstride import coach, coaching
from hamstride.accounts import Caller
from hamstride.catalogue import load_catalogue
from hamstride.errors import HamstrideError, InputError, NotFoundError
from hamstride.store import Store
from hamstride.training.analytics import DEFAULT_WEEKS
from hamstride.training.profile import L_PROTOCOL, WARM_UP
from hamstride.vocabulary import Day
from hamstride.web.auth import address
from hamstride.web.deps import CallerDep, StoreDep, TodayDep
from hamstride.web.pages.common import PageRoute, render
from hamstride.web.pages.plan import calendar_rows
from hamstride.web.pages.progress import charts
from hamstride.web.pages.session import long_date, parse_day, session_parts

router = APIRouter(route_class=PageRoute)
MAX_FIELDS = 250  # the assign form lists every athlete
LOG_DAYS = 28
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOTICES = {
    "comment": "Comment posted.",
    "prescribed": "Prescribed: the plan follows it now.",
    "ended": "Prescription ended: the plan follows.",
    "template": "Template saved.",
    "accepted": "You are linked now.",
    "unlinked": "Coaching ended: the access ended with it.",
    "invited": "Invitation sent.",
}
STAGES = coaching.STAGES


def _notice(request: Request) -> str:
    return NOTICES.get(request.query_params.get("done", ""), "")


def holdable() -> list[tuple[str, str]]:
    """(id, name) of every exercise a prescription may hold, by name."""
    return sorted(((e.id, e.name) for e in load_catalogue().values()
                   if e.id != WARM_UP and e.id not in L_PROTOCOL), key=lambda x: x[1])


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form(max_fields=MAX_FIELDS)
    values: dict[str, Any] = {}
    for key, value in form.multi_items():
        text = value if isinstance(value, str) else ""
        values.setdefault(key, []).append(text)
    return {k: v if len(v) > 1 or k in ("days", "athletes") else v[0]
            for k, v in values.items()}


def _back(path: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?done={done}", status_code=303)


# -- the roster ---------------------------------------------------------------------------

@router.get("/coach", response_class=HTMLResponse)
def roster_page(request: Request, store: StoreDep, who: CallerDep, today: TodayDep,
                sort: str = "flags", flagged: bool = False) -> HTMLResponse:
    return _roster(request, store, who, today, sort=sort, flagged=flagged)


def _roster(request: Request, store: Store, who: Caller, today: date, *,
            sort: str = "flags", flagged: bool = False, status_code: int = 200,
            **values: Any) -> HTMLResponse:
    sort = sort if sort in coaching.SORTS else "flags"
    rows = coaching.roster(store, who, today, sort=sort, flagged_only=flagged)
    everyone = rows if not flagged else coaching.roster(store, who, today, sort="name")
    context = {
        "title": "Roster", "active": "coach", "rows": rows, "everyone": everyone,
        "sort": sort, "flagged": flagged, "sorts": coaching.SORTS, "today": today,
        "notice": _notice(request), "error": "", "link": "",
        "waiting": store.coaching.invitations_to(who.email or ""),
        "templates": coaching.templates(store, who), "levels": ("novice", "intermediate",
                                                                   "advanced"),
        "goals": ("prevent_injury", "performance"), "days": [d.value for d in Day],
        "assigned": []}
    context.update(values)
    return render(request, "coach/roster.html", context, status_code=status_code)


@router.post("/coach/invite", response_class=HTMLResponse)
def invite_link(request: Request, store: StoreDep, who: CallerDep,
                today: TodayDep) -> HTMLResponse:
    invite = coaching.invite_athletes(store, who, address=address(request))
    link = str(request.base_url).rstrip("/") + f"/join/{invite.secret}"
    response = _roster(request, store, who, today, link=link, link_expires=invite.expires_at)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/coach/invitations/{invitation_id}/accept")
def accept_addressed(request: Request, store: StoreDep, who: CallerDep,
                     invitation_id: Id) -> Response:
    coaching.accept_addressed(store, who, invitation_id, address=address(request))
    return _back("/coach", "accepted")


@router.post("/coach/templates", response_class=HTMLResponse, response_model=None)
async def save_template(request: Request, store: StoreDep, who: CallerDep,
                        today: TodayDep) -> Response:
    form = await _form(request)
    shape = {"level": form.get("level"), "goal": form.get("goal"),
             "session_minutes": form.get("session_minutes"),
             "equipment": [e for e in str(form.get("equipment", "")).split(",") if e.strip()],
             "strength_days": form.get("days", [])}
    shape["equipment"] = [e.strip() for e in shape["equipment"]]
    try:
        await run_in_threadpool(coaching.save_template, store, who, str(form.get("name", "")),
                                shape)
    except HamstrideError as exc:
        return await run_in_threadpool(_roster, request, store, who, today, error=exc.message,
                                       status_code=exc.status)
    return _back("/coach", "template")


@router.post("/coach/templates/assign", response_class=HTMLResponse)
async def assign_template(request: Request, store: StoreDep, who: CallerDep,
                          today: TodayDep) -> HTMLResponse:
    form = await _form(request)
    try:
        template = int(str(form.get("template", "")))
        ids = [int(i) for i in form.get("athletes", [])]
    except ValueError:
        raise InputError("template and athletes: choose from the lists.",
                         field="template") from None
    done = await run_in_threadpool(coaching.assign_template, store, who, template, ids,
                                   today=today)
    return await run_in_threadpool(_roster, request, store, who, today, assigned=done)


# -- one athlete ------------------------------------------------------------------------

@router.get("/coach/athletes/{profile_id}", response_class=HTMLResponse)
def athlete_page(request: Request, store: StoreDep, who: CallerDep, today: TodayDep,
                 profile_id: Id) -> HTMLResponse:
    return _athlete(request, store, who, today, profile_id)


def _athlete(request: Request, store: Store, who: Caller, today: date, profile_id: int, *,
             status_code: int = 200, **values: Any) -> HTMLResponse:
    theirs, shared = coaching.athlete(store, who, profile_id)
    row = next((r for r in coaching.roster(store, who, today, sort="name")
                if r.profile_id == profile_id), None)
    try:
        weeks = [w for w in calendar_rows(theirs, shared.name, today)
                 if w.days[-1].day >= today - timedelta(days=7)]
        drawn = charts(coach.progress(theirs, shared.name, today, weeks=DEFAULT_WEEKS))
    except coach.NoPlanError:
        weeks, drawn = [], []
    since = today - timedelta(days=LOG_DAYS)
    log = list(reversed(theirs.log_sessions(profile_name=shared.name, since=since)))
    comments = store.coaching.comments([profile_id], since=since)
    prescriptions = store.coaching.prescriptions([profile_id], in_force=False)
    context = {
        "title": shared.name, "active": "coach", "shared": shared, "row": row,
        "rows": weeks, "today": today, "charts": drawn, "log": log,
        "comments": comments, "by_day": _by_day(comments),
        "in_force": [p for p in prescriptions if p.ended_at is None],
        "history": [p for p in prescriptions if p.ended_at is not None][-10:],
        "holdable": holdable(), "stages": STAGES, "describe": coaching.describe,
        "days": [d.value for d in Day],
        "strained": bool(shared.document.get("injury", {}).get("hamstring_strain")),
        "session_base": f"/coach/athletes/{profile_id}/session/",
        "notice": _notice(request), "error": ""}
    context.update(values)
    return render(request, "coach/athlete.html", context, status_code=status_code)


def _by_day(comments: list[Any]) -> dict[date, list[Any]]:
    found: dict[date, list[Any]] = defaultdict(list)
    for c in comments:
        found[c.day].append(c)
    return found


@router.get("/coach/athletes/{profile_id}/session/{day}", response_class=HTMLResponse)
def athlete_session(request: Request, store: StoreDep, who: CallerDep, profile_id: Id,
                    day: str) -> HTMLResponse:
    theirs, shared = coaching.athlete(store, who, profile_id)
    on = parse_day(day)
    planned = coach.today(theirs, shared.name, on)
    return render(request, "coach/session.html", {
        "title": f"{shared.name}: {long_date(on)}", "active": "coach", "shared": shared,
        "day": on, "sessions": session_parts(planned.sessions),
        "logged": planned.logged, "comments": store.coaching.comments([profile_id], day=on),
        "action": f"/coach/athletes/{profile_id}/comments", "notice": _notice(request),
        "back": f"/coach/athletes/{profile_id}"})


@router.post("/coach/athletes/{profile_id}/comments", response_model=None)
async def coach_comment(request: Request, store: StoreDep, who: CallerDep, today: TodayDep,
                        profile_id: Id) -> Response:
    form = await _form(request)
    day = parse_day(str(form.get("day", "")))

    def post() -> None:
        coaching.athlete(store, who, profile_id)
        coaching.comment(store, who, profile_id, day, str(form.get("comment", "")),
                         by_coach=True)

    await run_in_threadpool(post)
    return _back(f"/coach/athletes/{profile_id}/session/{day.isoformat()}", "comment")


@router.post("/coach/athletes/{profile_id}/prescriptions", response_model=None)
async def prescribe(request: Request, store: StoreDep, who: CallerDep, today: TodayDep,
                    profile_id: Id) -> Response:
    form = await _form(request)
    kind = str(form.get("kind", ""))
    value: dict[str, Any] = {"hold": {"exercise": form.get("exercise", "")},
                             "clear": {"stage": form.get("stage", "")},
                             "minutes": {"minutes": form.get("minutes", "")},
                             "days": {"days": form.get("days", [])}}.get(kind, {})
    try:
        await run_in_threadpool(coaching.prescribe, store, who, profile_id, kind=kind,
                                value=value, reason=str(form.get("reason", "")), today=today)
    except HamstrideError as exc:
        if exc.status == 404:
            raise
        return await run_in_threadpool(_athlete, request, store, who, today, profile_id,
                                       error=exc.message, status_code=exc.status,
                                       error_kind=kind, reason=str(form.get("reason", "")))
    return _back(f"/coach/athletes/{profile_id}", "prescribed")


@router.post("/coach/athletes/{profile_id}/prescriptions/{prescription_id}/end")
def end_prescription(store: StoreDep, who: CallerDep, today: TodayDep, profile_id: Id,
                     prescription_id: Id) -> Response:
    coaching.end_prescription(store, who, profile_id, prescription_id, today=today)
    return _back(f"/coach/athletes/{profile_id}", "ended")


@router.post("/coach/athletes/{profile_id}/end")
def end_coaching(request: Request, store: StoreDep, who: CallerDep,
                 profile_id: Id) -> Response:
    _, shared = coaching.athlete(store, who, profile_id)
    coaching.end(store, who, shared.account, address=address(request))
    return _back("/coach", "unlinked")


# -- invitations, from the athlete's side -------------------------------------------------

@router.get("/join/{token}", response_class=HTMLResponse)
def join_page(request: Request, store: StoreDep, who: CallerDep, token: str) -> HTMLResponse:
    found = coaching.invitation(store, token)
    response = render(request, "coach/join.html", {
        "title": "An invitation", "invitation": found, "token": token, "who": who,
        "from_coach": found.coach_id is not None})
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post("/join/{token}")
def join(request: Request, store: StoreDep, who: CallerDep, token: str) -> Response:
    coaching.accept(store, who, token, address=address(request))
    return _back("/coach" if who.role == "coach" else "/coaches", "accepted")


@router.get("/coaches", response_class=HTMLResponse)
def coaches_page(request: Request, store: StoreDep, who: CallerDep) -> HTMLResponse:
    return _coaches(request, store, who)


def _coaches(request: Request, store: Store, who: Caller, *, status_code: int = 200,
             **values: Any) -> HTMLResponse:
    profiles = store.list_profiles()
    prescriptions = store.coaching.prescriptions([p.id for p in profiles])
    names = {p.id: p.name for p in profiles}
    context = {
        "title": "Coaches", "active": "coaches", "coaches": store.coaching.coaches_of(
            who.account), "sent": [i for i in store.coaching.invitations_from(who.account)
                                   if i.athlete_id == who.account],
        "prescriptions": [(names.get(p.profile_id, ""), p, coaching.describe(p))
                          for p in prescriptions],
        "accounts_on": bool(request.app.state.settings.accounts), "notice": _notice(request),
        "error": "", "coach_email": "", "link": ""}
    context.update(values)
    return render(request, "coach/coaches.html", context, status_code=status_code)


@router.post("/coaches/invite", response_class=HTMLResponse, response_model=None)
async def invite_coach(request: Request, store: StoreDep, who: CallerDep) -> Response:
    form = await _form(request)
    email = str(form.get("coach_email", ""))
    try:
        invite = await run_in_threadpool(coaching.invite_coach, store, who, email=email,
                                         address=address(request),
                                         limits=request.app.state.limiter)
    except HamstrideError as exc:
        return await run_in_threadpool(_coaches, request, store, who, error=exc.message,
                                       status_code=exc.status, coach_email=email)
    link = str(request.base_url).rstrip("/") + f"/join/{invite.secret}"
    sent = await run_in_threadpool(_mail_invitation, request, who, invite, link)
    response = await run_in_threadpool(
        _coaches, request, store, who, link="" if sent else link,
        notice=f"Invitation sent to {invite.email}." if sent else "")
    response.headers["Cache-Control"] = "no-store"
    return response


def _mail_invitation(request: Request, who: Caller, invite: coaching.Invite,
                     link: str) -> bool:
    """Mail the invitation when the server can send mail; False when it cannot (the page
    then shows the link to pass on)."""
    from hamstride.mail import Mail, send

    settings = request.app.state.mail
    if settings is None or invite.email is None:
        return False
    text = (f"{who.email} asks you to coach them on hamstride: you would see their plan, "
            f"training log (with notes and pain), runs and field tests, comment on their "
            f"sessions and prescribe.\n\nAccept (the link works once, for "
            f"{coaching.INVITE_DAYS} days; sign in with this address first):\n{link}\n")
    try:
        send(settings, [Mail(to=invite.email, subject=f"{who.email} invites you to coach "
                             "them on hamstride", text=text)])
    except HamstrideError:
        return False
    return True


@router.post("/coaches/{account_id}/end")
def end_my_coach(request: Request, store: StoreDep, who: CallerDep,
                 account_id: Id) -> Response:
    coaching.end(store, who, account_id, address=address(request))
    return _back("/coaches", "unlinked")


@router.post("/coaches/prescriptions/{prescription_id}/end")
def end_my_prescription(store: StoreDep, who: CallerDep, today: TodayDep,
                        prescription_id: Id) -> Response:
    profiles = store.list_profiles()
    found = next((p for p in store.coaching.prescriptions([p.id for p in profiles])
                  if p.id == prescription_id), None)
    if found is None:
        raise NotFoundError("No such prescription in force.", field="prescription")
    coaching.end_prescription(store, who, found.profile_id, prescription_id, today=today,
                              own=True)
    return _back("/coaches", "ended")


# -- comments on the athlete's own session page -----------------------------------------

@router.post("/session/{day}/comments")
async def own_comment(request: Request, store: StoreDep, who: CallerDep,
                      day: str) -> Response:
    form = await _form(request)
    on = parse_day(day)

    def post() -> None:
        name = coach.profile_name(store, None)
        coaching.comment(store, who, coaching.own_profile_id(store, name), on,
                         str(form.get("comment", "")), by_coach=False)

    await run_in_threadpool(post)
    return RedirectResponse(f"/session/{on.isoformat()}?done=comment#comments",
                            status_code=303)
