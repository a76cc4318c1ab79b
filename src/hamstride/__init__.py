"""hamstride: a hamstring-first, evidence-based strength coach for runners.

Layout (data flows one way, interfaces -> core and store):

- ``hamstride.catalogue``: the exercise data files and the loader that validates them.
- ``hamstride.training``: the pure core (profile, rules, planner, checker, advice).
- ``hamstride.store``: SQLAlchemy storage and Alembic migrations.
- ``hamstride.cli``: the Typer command line, a thin shell over the above.
"""

__version__ = "0.1.0"
