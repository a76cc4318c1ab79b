"""Choosing the strength days of a week.

Sessions go at least 48 h apart where the week allows (Behan 2023), on key-run days
after the run rather than the day before one ("keep hard days hard"; Doma & Deakin
2013). The search is exhaustive (at most 35 combinations) and cached, because most
weeks of a plan look alike.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations, pairwise

from hamstride.vocabulary import RunType

SPACING_WEIGHT = 10
KEY_DAY_BONUS = 2
EASY_DAY_BONUS = 1
BEFORE_KEY_PENALTY = 3
GAP_PENALTY = -1000
MAX_GAP = 14


def _day_score(today: RunType, tomorrow: RunType) -> int:
    score = KEY_DAY_BONUS if today.is_key else EASY_DAY_BONUS if today is RunType.EASY else 0
    return score - (BEFORE_KEY_PENALTY if tomorrow.is_key else 0)


@lru_cache(maxsize=8192)
def choose_offsets(
    available: tuple[int, ...],
    runs: tuple[RunType, ...],
    count: int,
    since_last: int,
    gap_before: int,
    gap_after: int,
) -> tuple[int, ...]:
    """Pick ``count`` day offsets (0-6) from ``available``.

    ``runs`` holds the run type of offsets 0-7 (7 = the next week's first day);
    ``since_last`` is the days from the previous session to offset 0 (capped at 3);
    ``gap_before`` the days from the last hamstring work to offset 0 and ``gap_after``
    the days from offset 6 to the next open day (both capped at 14): a choice that leaves
    14 days without hamstring work is avoided, with one more session if need be
    (Ripley 2021).
    """
    if count <= 0 or not available:
        return ()
    best: tuple[int, ...] = ()
    for wanted in range(min(count, len(available)), min(3, len(available)) + 1):
        best, score = _best(available, runs, wanted, since_last, gap_before, gap_after)
        if score > GAP_PENALTY // 2:
            break
    return best


def _best(available: tuple[int, ...], runs: tuple[RunType, ...], count: int,
          since_last: int, gap_before: int, gap_after: int) -> tuple[tuple[int, ...], int]:
    best: tuple[int, ...] = ()
    best_score = GAP_PENALTY * 10
    for combo in combinations(available, count):
        gaps = [combo[0] + since_last] + [b - a for a, b in pairwise(combo)]
        spacing = sum(min(g, 2) for g in gaps)
        score = SPACING_WEIGHT * spacing + sum(_day_score(runs[d], runs[d + 1]) for d in combo)
        if combo[0] + gap_before >= MAX_GAP or (6 - combo[-1]) + gap_after >= MAX_GAP:
            score += GAP_PENALTY
        if score > best_score:
            best, best_score = combo, score
    return best, best_score
