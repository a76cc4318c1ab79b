"""The training rules, one module per rule family, each citing ../shared/EVIDENCE.md.

The planner builds plans with the helpers these modules export; the checker runs their
``check`` functions. One place for each rule, so planner and checker cannot drift.
"""

from hamstride.training.rules.base import PlanView, Violation

__all__ = ["PlanView", "Violation"]
