"""``python -m hamstride.cli``."""

from hamstride.cli.main import run

run()
