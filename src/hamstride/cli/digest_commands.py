"""``digest send``: the weekly digests and today's reminders, sent once each (cron or a
systemd timer runs it; docs/deploy.md)."""

from __future__ import annotations

from datetime import date

import typer

from hamstride import digest, mail
from hamstride.cli.edge import FOUND_PROBLEMS, OK
from hamstride.errors import InputError
from hamstride.store import Store, resolve_db_url


def send(*, week: date | None, base_url: str | None, db: str | None, today: date) -> int:
    """Send what is due; the exit status is 1 when a mail failed (the next run tries it
    again), having sent the others. Everything is checked before anything is claimed."""
    settings = mail.MailSettings.from_env()
    if settings is None:
        raise InputError(f"{mail.ENV}: not set; digest send needs the mail server, like "
                         f"{mail.ENV}=smtp://127.0.0.1:25?from=hamstride@example.org "
                         "(docs/deploy.md).", field=mail.ENV)
    base = digest.base_url_from(base_url)
    monday = digest.week_of(week or today)
    with Store.open(resolve_db_url(db)) as store:
        report = digest.send_due(store, settings, week=monday, today=today, base_url=base)
    for kind, email in report.sent:
        typer.echo(f"sent     {kind:8} {email}")
    for kind, email in report.skipped:
        typer.echo(f"skipped  {kind:8} {email} (sent already, or by another run)")
    for kind, email, why in report.failed:
        typer.echo(f"failed   {kind:8} {email}: {why}", err=True)
    typer.echo(f"Week of {monday}: {len(report.sent)} sent, {len(report.skipped)} sent "
               f"before, {len(report.failed)} failed"
               + (" (the next run tries them again)." if report.failed else "."))
    return FOUND_PROBLEMS if report.failed else OK
