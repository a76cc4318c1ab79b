"""Who may do what: the one authorization table, a row for every route.

Each row says who may call the route:

- ``PUBLIC``: anyone, signed in or not (the exercise catalogue, the plan checker, the
  log-in pages).
- ``ACCOUNT``: a signed-in account, on its own data only. The store a route gets is
  scoped to the caller's account (``hamstride.web.deps``), so another account's profile,
  plan, log entry or run is not found: 404, whether it exists or not.
- ``COACH``: an account with the coach role (403 for the others), on the athletes linked
  to it: hamstride.coaching finds an athlete's profile only through a link to the caller,
  so another coach's athlete, or one whose link ended, is not found: 404.
- ``ADMIN``: an account with the admin role (403 for the others).

Anonymous callers of the others get 401 from the API and are sent to the log-in page by
the pages. ``enforce`` checks the table on every request; the app refuses to start when a
route has no row (``rules_for``), and tests/web/test_access_matrix.py turns each row into
requests by anonymous, the owner, another athlete and an admin.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount, Route

from hamstride.errors import AuthError, ForbiddenError
from hamstride.web.auth import caller


class Access(Enum):
    PUBLIC = "anyone"
    ACCOUNT = "the signed-in account, on its own data"
    COACH = "a coach, on the athletes who accepted them"
    ADMIN = "an admin"


PUBLIC, ACCOUNT, COACH, ADMIN = Access.PUBLIC, Access.ACCOUNT, Access.COACH, Access.ADMIN
API = "/api/v1"

TABLE: dict[tuple[str, str], Access] = {
    # the framework's own: the API's description and the static files
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/static"): PUBLIC,
    # API: meta, catalogue, checker
    ("GET", f"{API}/hello"): PUBLIC,
    ("GET", f"{API}/exercises"): PUBLIC,
    ("GET", f"{API}/exercises/{{exercise_id}}"): PUBLIC,
    ("POST", f"{API}/plans/check"): PUBLIC,
    # API: accounts
    ("POST", f"{API}/auth/token"): PUBLIC,
    ("DELETE", f"{API}/auth/token"): ACCOUNT,
    ("GET", f"{API}/auth/me"): ACCOUNT,
    ("GET", f"{API}/accounts"): ADMIN,
    ("GET", f"{API}/account/export"): ACCOUNT,
    # API: a runner's own data
    ("GET", f"{API}/profiles"): ACCOUNT,
    ("POST", f"{API}/profiles"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}"): ACCOUNT,
    ("PUT", f"{API}/profiles/{{name}}"): ACCOUNT,
    ("POST", f"{API}/profiles/{{name}}/plans"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/plan"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/plans"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/today"): ACCOUNT,
    ("POST", f"{API}/profiles/{{name}}/log"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/log"): ACCOUNT,
    ("DELETE", f"{API}/profiles/{{name}}/log/{{entry_id}}"): ACCOUNT,
    ("PUT", f"{API}/profiles/{{name}}/log/{{entry_id}}/morning"): ACCOUNT,
    ("POST", f"{API}/profiles/{{name}}/field-tests"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/field-tests"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/progress"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/progress.png"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/progress.svg"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/calendar.ics"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/log.csv"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/log.json"): ACCOUNT,
    ("POST", f"{API}/profiles/{{name}}/activities"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/activities"): ACCOUNT,
    ("PUT", f"{API}/profiles/{{name}}/activities/{{activity_id}}/kind"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/load"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/load.{{fmt}}"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/running-week"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/sessions/{{day}}/workout.fit"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/comments"): ACCOUNT,
    ("POST", f"{API}/profiles/{{name}}/comments"): ACCOUNT,
    ("GET", f"{API}/profiles/{{name}}/prescriptions"): ACCOUNT,
    # API: a coach's athletes
    ("GET", f"{API}/coach/roster"): COACH,
    ("GET", f"{API}/coach/athletes/{{profile_id}}/plan"): COACH,
    ("GET", f"{API}/coach/athletes/{{profile_id}}/comments"): COACH,
    ("POST", f"{API}/coach/athletes/{{profile_id}}/comments"): COACH,
    ("GET", f"{API}/coach/athletes/{{profile_id}}/prescriptions"): COACH,
    ("POST", f"{API}/coach/athletes/{{profile_id}}/prescriptions"): COACH,
    ("DELETE", f"{API}/coach/athletes/{{profile_id}}/prescriptions/{{prescription_id}}"): COACH,
    # pages: signing in
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("GET", "/signup"): PUBLIC,
    ("POST", "/signup"): PUBLIC,
    ("POST", "/logout"): ACCOUNT,
    ("GET", "/reset"): PUBLIC,
    ("POST", "/reset"): PUBLIC,
    ("GET", "/reset/{token}"): PUBLIC,
    ("POST", "/reset/{token}"): PUBLIC,
    ("GET", "/unsubscribe/{token}"): PUBLIC,  # the secret in a mail is the proof
    ("POST", "/unsubscribe/{token}"): PUBLIC,  # RFC 8058 one-click: no cookie
    # pages: the account's settings
    ("GET", "/settings"): ACCOUNT,
    ("POST", "/settings/password"): ACCOUNT,
    ("POST", "/settings/mail"): ACCOUNT,
    ("POST", "/settings/sessions/{credential_id}/end"): ACCOUNT,
    ("POST", "/settings/tokens"): ACCOUNT,
    ("POST", "/settings/tokens/{credential_id}/revoke"): ACCOUNT,
    ("GET", "/settings/export"): ACCOUNT,
    ("POST", "/settings/delete"): ACCOUNT,
    # pages: public ones
    ("GET", "/exercises"): PUBLIC,
    ("GET", "/exercises/{exercise_id}"): PUBLIC,
    # pages: the runner's own
    ("GET", "/"): ACCOUNT,
    ("GET", "/start"): ACCOUNT,
    ("POST", "/start"): ACCOUNT,
    ("GET", "/plan"): ACCOUNT,
    ("GET", "/session/{day}"): ACCOUNT,
    ("GET", "/session/{day}/play"): ACCOUNT,
    ("GET", "/progress"): ACCOUNT,
    ("GET", "/runs"): ACCOUNT,
    ("POST", "/runs"): ACCOUNT,
    ("POST", "/runs/{activity_id}/kind"): ACCOUNT,
    ("GET", "/check"): ACCOUNT,
    ("POST", "/check"): ACCOUNT,
    ("POST", "/session/{day}/comments"): ACCOUNT,
    # pages: an athlete's coaches, and invitations
    ("GET", "/coaches"): ACCOUNT,
    ("POST", "/coaches/invite"): ACCOUNT,
    ("POST", "/coaches/{account_id}/end"): ACCOUNT,
    ("POST", "/coaches/prescriptions/{prescription_id}/end"): ACCOUNT,
    ("GET", "/join/{token}"): ACCOUNT,
    ("POST", "/join/{token}"): ACCOUNT,
    # pages: a coach's
    ("GET", "/coach"): COACH,
    ("POST", "/coach/invite"): COACH,
    ("POST", "/coach/invitations/{invitation_id}/accept"): COACH,
    ("POST", "/coach/templates"): COACH,
    ("POST", "/coach/templates/assign"): COACH,
    ("GET", "/coach/athletes/{profile_id}"): COACH,
    ("GET", "/coach/athletes/{profile_id}/session/{day}"): COACH,
    ("POST", "/coach/athletes/{profile_id}/comments"): COACH,
    ("POST", "/coach/athletes/{profile_id}/prescriptions"): COACH,
    ("POST", "/coach/athletes/{profile_id}/prescriptions/{prescription_id}/end"): COACH,
    ("POST", "/coach/athletes/{profile_id}/end"): COACH,
}


@dataclass(frozen=True)
class RouteRow:
    method: str
    path: str
    access: Access
    route: BaseRoute


def routes(app: FastAPI) -> Iterator[tuple[str, str, BaseRoute]]:
    """Every (method, full path, route) of the app, through included routers (newer
    FastAPI keeps them nested, with the prefix on the inclusion)."""
    yield from _walk(app.router.routes, "")


def _walk(found: list[BaseRoute], prefix: str) -> Iterator[tuple[str, str, BaseRoute]]:
    for route in found:
        original = getattr(route, "original_router", None)
        if original is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(original.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute | Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, prefix + route.path, route
        elif isinstance(route, Mount):
            yield "GET", prefix + route.path, route


def rules_for(app: FastAPI) -> dict[int, Access]:
    """Each route's row (by the route object); a route without one stops the app."""
    rules: dict[int, Access] = {}
    missing = []
    for method, path, route in routes(app):
        access = TABLE.get((method, path))
        if access is None:
            missing.append(f"{method} {path}")
        else:
            rules[id(route)] = access
    if missing:
        raise RuntimeError("routes without a row in web/access.py TABLE: " + ", ".join(missing))
    return rules


async def enforce(request: Request) -> None:
    """The row of the route asked for, checked: on every API and page route."""
    route = request.scope.get("route")
    access = request.app.state.access.get(id(route), ACCOUNT)  # unknown: the strictest
    if access is PUBLIC:
        return
    who = await caller(request)
    if who is None:
        raise AuthError("Log in first: this needs an account (POST /api/v1/auth/token "
                        "gives a script its token).")
    if access is ADMIN and not who.admin:
        raise ForbiddenError("Only an admin may do this.")
    if access is COACH and who.role != "coach":
        raise ForbiddenError("Only a coach or physiotherapist account may do this.")
