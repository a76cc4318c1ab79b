"""SQLAlchemy storage for profile and plan documents, migrated with Alembic.

Open with ``Store.open(resolve_db_url(flag_value))``, use it as a context manager, and
hand it the plain dicts the training core produces. See docs/storage.md.
"""

from hamstride.store.records import StoredPlan, StoredProfile
from hamstride.store.repository import Store
from hamstride.store.url import resolve_db_url

__all__ = ["Store", "StoredPlan", "StoredProfile", "resolve_db_url"]
