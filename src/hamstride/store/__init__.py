"""SQLAlchemy storage for profile and plan documents and the training log, migrated with
Alembic.

Open with ``Store.open(resolve_db_url(flag_value))``, use it as a context manager, and
hand it the plain dicts (profiles, plans) or the log models (``LoggedSession``,
``FieldTest``) the training core produces. See docs/storage.md.
"""

from hamstride.store.records import LogSaveResult, StoredPlan, StoredProfile
from hamstride.store.repository import Store
from hamstride.store.url import resolve_db_url

__all__ = ["LogSaveResult", "Store", "StoredPlan", "StoredProfile", "resolve_db_url"]
