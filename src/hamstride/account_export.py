"""Everything an account owns, as one zip file: what ``GET /settings/export`` and
``GET /api/v1/account/export`` answer.

    account.json                  the account, its profiles (and their folders), its
                                  coaches and athletes, its sessions and API tokens
                                  (labels and times, no secret)
    audit_log.json                the account's audit log, newest first
    profiles/<folder>/profile.json      the profile document
    profiles/<folder>/plans.json        every stored plan, newest first
    profiles/<folder>/log.json          the training log (docs/log.schema.json)
    profiles/<folder>/log.csv           the same log, one row per set (docs/log.md)
    profiles/<folder>/field_tests.json  the field-test results
    profiles/<folder>/activities.json   the imported activities
    profiles/<folder>/comments.json     the comments on its sessions
    profiles/<folder>/prescriptions.json  what coaches prescribed for its plan
    README.txt                    what each file is

The log files are the ones the per-profile exports write (``training.log.log_json``,
``activities.log_csv.write``). The store is read as the account sees it (``Store`` is
scoped to one account), so nobody else's rows can appear. Each part is read in its own
transaction: a log entry saved during an export may be in one file and not another.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any

from hamstride.activities import log_csv
from hamstride.errors import NotFoundError
from hamstride.store import Store
from hamstride.store.accounts import StoredCredential
from hamstride.store.activity_rows import activity_document
from hamstride.store.records import StoredPlan
from hamstride.training.log import log_json

FORMAT = "hamstride.export/1"
FOLDER_MAX = 60
EVENTS_MAX = 100_000  # the whole audit log, in practice
_UNSAFE = re.compile(r"[^\w.-]+")  # \w: letters and digits of any script, and _

README = """\
hamstride: everything this account holds, exported on {exported}.

account.json
    The account: e-mail, role, when it was made; its profiles, each with the folder
    its files are in; its coaches and the athletes it coaches (e-mail, since when);
    its browser sessions and API tokens (label, made, last used; the secrets
    themselves are never stored, so they are not here).
audit_log.json
    The account's audit log, newest first: when, what (log-in, password changed,
    token made, ...), from which address.

profiles/<folder>/ (one folder per profile; account.json says whose folder is whose)
    profile.json      The profile document, as PUT /api/v1/profiles/{{name}} takes it
                      (docs/profile.md).
    plans.json        Every stored plan, newest first: id, start, weeks, created_at,
                      active (the plan in use), regenerated (updated from the log
                      rather than made by you) and the plan document (docs/plan.md).
    log.json          The training log: one document per session with its sets
                      (docs/log.schema.json), as POST /api/v1/profiles/{{name}}/log and
                      `hamstride log --from` take it back.
    log.csv           The same log as CSV, one row per set (docs/log.md).
    field_tests.json  The field-test results (single-leg bridge, Nordic angle, ...).
    activities.json   The imported runs and other activities: id, kind (your
                      correction of the run's kind, or null), source (the file it came
                      from), imported_at and the activity as hamstride read it.
    comments.json     The comments on your sessions, yours and your coaches': day,
                      author, by_coach, body, created_at.
    prescriptions.json  What your coaches prescribed for your plan, in force or ended:
                      kind, value, reason, author, created_at, ended_at, ended_by.

Original activity files (FIT, GPX, TCX, the Strava export) are not stored by
hamstride: only what was read from them is (activities.json). Keep the originals
yourself.

Times are UTC (ISO 8601). Text is UTF-8.
"""


def export_zip(store: Store, *, now: datetime | None = None) -> bytes:
    """The zip file of everything the store's account owns (see the module docstring)."""
    buffer = io.BytesIO()
    write_export(store, buffer, now=now)
    return buffer.getvalue()


def write_export(store: Store, stream: IO[bytes], *, now: datetime | None = None) -> None:
    """Write the export's zip file to ``stream``."""
    moment = _utc(now or datetime.now(UTC))
    account = store.accounts.get(store.account)
    if account is None:
        raise NotFoundError("This account no longer exists.", field="account")
    profiles = store.list_profiles()
    folders = folder_names(p.name for p in profiles)
    summary = {
        "format": FORMAT, "exported_at": _time(moment), "email": account.email,
        "role": account.role, "created_at": _time(account.created_at),
        "profiles": [{"name": p.name, "folder": f"profiles/{folders[p.name]}/",
                      "created_at": _time(p.created_at), "updated_at": _time(p.updated_at)}
                     for p in profiles],
        "sessions": _credentials(store.accounts.credentials(account.id, kind="session")),
        "tokens": _credentials(store.accounts.credentials(account.id, kind="token")),
        "coaches": [{"email": c.email, "since": _time(c.since)}
                    for c in store.coaching.coaches_of(account.id)],
        "athletes": [{"email": a.email, "since": _time(a.since)}
                     for a in store.coaching.athletes_of(account.id)],
    }
    events = [{"at": _time(e.at), "event": e.event, "address": e.address, "detail": e.detail}
              for e in store.accounts.events(account.id, limit=EVENTS_MAX)]
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        def put(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # rw-r--r-- once unzipped
            archive.writestr(info, text.encode("utf-8"))

        put("README.txt", README.format(exported=_time(moment)))
        put("account.json", _json(summary))
        put("audit_log.json", _json(events))
        for profile in profiles:
            name, where = profile.name, f"profiles/{folders[profile.name]}/"
            sessions = store.log_sessions(profile_name=name)
            put(where + "profile.json", _json(profile.document))
            put(where + "plans.json", _json([_plan(p) for p in store.list_plans(
                profile_name=name)]))
            put(where + "log.json", log_json(sessions))
            put(where + "log.csv", log_csv.write(sessions))
            put(where + "field_tests.json", _json(
                [t.to_document() for t in store.field_tests(profile_name=name)]))
            put(where + "activities.json", _json([
                {"id": a.activity.id, "kind": a.kind, "source": a.source_label,
                 "imported_at": _time(a.imported_at), "activity": activity_document(a.activity)}
                for a in store.activities(profile_name=name)]))
            put(where + "comments.json", _json([
                {"day": c.day.isoformat(), "author": c.author, "by_coach": c.by_coach,
                 "body": c.body, "created_at": _time(c.created_at)}
                for c in store.coaching.comments([profile.id])]))
            put(where + "prescriptions.json", _json([
                {"kind": p.kind, "value": p.value, "reason": p.reason, "author": p.author,
                 "created_at": _time(p.created_at),
                 "ended_at": _time(p.ended_at) if p.ended_at else None,
                 "ended_by": p.ended_by}
                for p in store.coaching.prescriptions([profile.id], in_force=False)]))


def folder_names(names: Iterable[str]) -> dict[str, str]:
    """A folder name for each profile name: letters, digits, ``_ . -`` (any script),
    at most ``FOLDER_MAX`` characters, never ``.`` or ``..``, and unique ignoring case
    (``Ana``, ``ana`` and ``Ana?`` are ``Ana``, ``ana-2`` and ``Ana-3``: a file system
    that ignores case would merge them)."""
    taken: set[str] = set()
    found: dict[str, str] = {}
    for name in names:
        slug = _UNSAFE.sub("-", name).strip("-.")[:FOLDER_MAX].rstrip("-.") or "profile"
        candidate, n = slug, 2
        while candidate.casefold() in taken:
            candidate, n = f"{slug}-{n}", n + 1
        taken.add(candidate.casefold())
        found[name] = candidate
    return found


def file_name(now: datetime | None = None) -> str:
    """The download's name: ``hamstride-export-2027-01-04.zip``."""
    return f"hamstride-export-{_utc(now or datetime.now(UTC)).date()}.zip"


def _plan(plan: StoredPlan) -> dict[str, Any]:
    return {"id": plan.id, "start": plan.start.isoformat(), "weeks": plan.weeks,
            "created_at": _time(plan.created_at), "active": plan.active,
            "regenerated": plan.regenerated, "document": plan.document}


def _credentials(found: list[StoredCredential]) -> list[dict[str, Any]]:
    return [{"label": c.label, "created_at": _time(c.created_at),
             "last_used_at": None if c.last_used_at is None else _time(c.last_used_at),
             "expires_at": None if c.expires_at is None else _time(c.expires_at)}
            for c in found]


def _utc(moment: datetime) -> datetime:
    """SQLite hands some timestamps back naive: every one hamstride writes is UTC."""
    return (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment).astimezone(UTC)


def _time(moment: datetime) -> str:
    return _utc(moment).isoformat()


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
