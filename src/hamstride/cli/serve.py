"""`hamstride serve`: the web app and the API under uvicorn, as in production.

uvicorn runs with its standard extras (uvloop and httptools: several times the
throughput of the pure-Python loop and parser) and one process per worker; the
database is migrated once, before the workers start. Each worker runs the database work
in 4 threads and freezes its start-up objects out of the cycle collector
(``hamstride.web.app``). Two workers suit two cores: SQLite takes one writer at a time,
so a third adds contention, not log writes (bench/RESULTS.md).

Local mode (no accounts) has no log-in: it listens on a loopback address only, and the
workers answer to the host names of ``Settings.allowed_hosts`` (``web.guard``).
"""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hamstride.errors import InputError

if TYPE_CHECKING:
    from hamstride.web.settings import Settings

UNSPECIFIED = frozenset({"", "0.0.0.0", "::"})  # every address: not a host name


def serve(*, host: str, port: int, workers: int, db: str | None, accounts: bool = False,
          allowed_hosts: Sequence[str] = ()) -> None:
    settings = worker_settings(host=host, accounts=accounts, allowed_hosts=allowed_hosts)

    import gc

    import uvicorn

    gc.enable()  # a long-running server needs the cycle collector (the CLI turns it off)

    from hamstride.store import Store, resolve_db_url
    from hamstride.store.url import safe_url

    url = resolve_db_url(db)
    Store.open(url).close()  # migrate once here, not in every worker at the same time
    os.environ["HAMSTRIDE_DB"] = url  # the workers build their app from the environment
    shown = f"[{host}]" if ":" in host else host
    print(f"hamstride is running at http://{shown}:{port}/ with {workers} worker(s); "
          f"database {safe_url(url)}; it answers to {', '.join(settings.allowed_hosts)}. "
          "Press Ctrl-C to stop.", file=sys.stderr, flush=True)
    uvicorn.run("hamstride.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, loop="uvloop", http="httptools", log_level="warning",
                access_log=False)


def is_loopback(host: str) -> bool:
    """``localhost`` or an address of 127.0.0.0/8 or ::1: reachable from this computer only."""
    if host.strip().lower().removesuffix(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def worker_settings(*, host: str, accounts: bool, allowed_hosts: Sequence[str]) -> Settings:
    """Put ``--accounts`` and the allowed host names (``--allowed-host`` and the served
    ``--host``) into the environment the workers read, and read it back whole: every bad
    value fails here, before anything starts, not in each worker. InputError, too, for a
    non-loopback ``--host`` without accounts (local mode has no log-in)."""
    from hamstride.web.guard import HOSTS_ENV, allowed_host_entry
    from hamstride.web.settings import ACCOUNTS_ENV, Settings

    names = []
    for option, name in [("--allowed-host", n) for n in allowed_hosts] + [("--host", host)]:
        if option == "--host" and name.strip().strip("[]") in UNSPECIFIED:
            continue
        try:
            names.append(allowed_host_entry(name))
        except ValueError as exc:
            raise InputError(f"{option}: {exc}.", field=option.lstrip("-")) from exc
    if accounts:
        os.environ[ACCOUNTS_ENV] = "1"
    given = os.environ.get(HOSTS_ENV, "").strip()
    os.environ[HOSTS_ENV] = ",".join([given, *names] if given else names)
    settings = Settings.from_env()
    if not settings.accounts and not is_loopback(host):
        raise InputError(
            f"--host {host} would open hamstride to other computers, and local mode has no "
            "log-in: anyone who can reach it could read and change your training. Keep the "
            "default --host 127.0.0.1, or serve with --accounts (see docs/deploy.md).",
            field="host")
    return settings
