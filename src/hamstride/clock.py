"""What day it is: the clock, or HAMSTRIDE_TODAY (YYYY-MM-DD) for tests and demos.

Every interface asks here, so "today" means the same in the CLI, the API and the web.
"""

from __future__ import annotations

import os
from datetime import date

from hamstride.errors import InputError

ENV = "HAMSTRIDE_TODAY"


def fixed_today() -> date | None:
    """The day HAMSTRIDE_TODAY fixes, or None when it is unset."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{ENV}: '{text}' is not a date YYYY-MM-DD.", field=ENV) from None


def today() -> date:
    return fixed_today() or date.today()
