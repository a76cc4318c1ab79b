"""``user add``, ``user list``, ``user delete``: the accounts of the database, managed on
the machine that holds it. Passwords come on standard input, never as an argument (it
would stay in the shell's history and in the process list)."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table

from hamstride import accounts
from hamstride.cli.options import ListFormat
from hamstride.errors import InputError, NotFoundError
from hamstride.store import Store, resolve_db_url


def _password_from_stdin() -> str:
    text = sys.stdin.readline()
    if not text:
        raise InputError("--password-stdin: nothing came on standard input; pipe the "
                         "password in (echo ... | hamstride user add ...).",
                         field="password")
    return text.rstrip("\r\n")


def add(email: str, *, password_stdin: bool, role: str, digest: bool, db: str | None,
        invite_url: str | None = None) -> None:
    if invite_url is not None and not invite_url.startswith(("http://", "https://")):
        raise InputError(f"--invite: the server's address, like https://hamstride.example.org, "
                         f"not '{invite_url}'.", field="invite")
    password = _password_from_stdin() if password_stdin else None
    with Store.open(resolve_db_url(db)) as store:
        account = accounts.add_account(store, email=email, password=password, role=role,
                                       digest_mail=digest, claim_local=True)
        owned = len(store.scoped(account.id).list_profiles())
        link = None if invite_url is None else accounts.invite(store, account.id)
    took = (f"; it owns the {owned} profile(s) made before accounts were on"
            if account.local_owner and owned else "")
    sign_in = "" if password is not None or link is not None else (
        " It has no password yet: its owner sets one with 'Forgot your password?'.")
    typer.echo(f"Added {account.email} ({account.role}){took}.{sign_in}")
    if link is not None and invite_url is not None:
        typer.echo(f"Send {account.email} this link to choose a password (it works once, "
                   f"until {link.expires_at:%Y-%m-%d %H:%M} UTC):")
        typer.echo(f"{invite_url.rstrip('/')}/reset/{link.secret}")


def list_all(*, db: str | None, fmt: ListFormat) -> None:
    with Store.open(resolve_db_url(db)) as store:
        found = store.accounts.all()
    if fmt is ListFormat.JSON:
        typer.echo(json.dumps([{"email": a.email, "role": a.role, "digest": a.digest,
                                "profiles": n, "created_at": a.created_at.isoformat()}
                               for a, n in found], indent=2))
        return
    if not found:
        typer.echo("No accounts yet: `hamstride user add EMAIL --password-stdin` makes one.")
        return
    table = Table("e-mail", "role", "digest", "profiles", "since")
    for account, profiles in found:
        table.add_row(account.email or "", account.role, "yes" if account.digest else "no",
                      str(profiles), account.created_at.date().isoformat())
    Console(highlight=False).print(table)


def delete(email: str, *, yes: bool, db: str | None) -> None:
    address = accounts.email_address(email)
    with Store.open(resolve_db_url(db)) as store:
        account = store.accounts.by_email(address)
        if account is None:
            raise NotFoundError(f"no account has the e-mail {address}; `hamstride user "
                                "list` shows them.", field="email")
        owned = len(store.scoped(account.id).list_profiles())
        if not yes and not typer.confirm(
                f"Delete {address} and its {owned} profile(s), with every plan, log entry "
                "and run? This cannot be undone.", default=False):
            raise typer.Exit(1)
        accounts.delete_account(store, account.id)
    typer.echo(f"Deleted {address} and everything it owned.")
