"""`hamstride serve`: the web app and the API under uvicorn, as in production.

uvicorn runs with its standard extras (uvloop and httptools: several times the
throughput of the pure-Python loop and parser) and one process per worker; the
database is migrated once, before the workers start. Each worker runs the database work
in 4 threads and freezes its start-up objects out of the cycle collector
(``hamstride.web.app``). Two workers suit two cores: SQLite takes one writer at a time,
so a third adds contention, not log writes (bench/RESULTS.md).
"""

from __future__ import annotations

import os
import sys


def serve(*, host: str, port: int, workers: int, db: str | None) -> None:
    import gc

    import uvicorn

    gc.enable()  # a long-running server needs the cycle collector (the CLI turns it off)

    from hamstride.store import Store, resolve_db_url
    from hamstride.store.url import safe_url

    url = resolve_db_url(db)
    Store.open(url).close()  # migrate once here, not in every worker at the same time
    os.environ["HAMSTRIDE_DB"] = url  # the workers build their app from the environment
    print(f"hamstride is running at http://{host}:{port}/ with {workers} worker(s); "
          f"database {safe_url(url)}. Press Ctrl-C to stop.", file=sys.stderr, flush=True)
    uvicorn.run("hamstride.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, loop="uvloop", http="httptools", log_level="warning",
                access_log=False)
