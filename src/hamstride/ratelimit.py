"""Rate limits for attempts a stranger could repeat: log-ins and password resets.

A ``Rule`` allows so many attempts per key in a moving window (``"5/15 minutes"``: at
most 5 in any 15 minutes; the ``limits`` library's notation). A ``Limiter`` counts them:

    limiter = Limiter()                       # the four rules below, in memory
    limiter.check(LOGIN_ADDRESS, address)     # refused already? (counts nothing)
    limiter.check(LOGIN_ACCOUNT, account)
    if password_is_right:
        limiter.clear(LOGIN_ACCOUNT, account) # a good log-in forgets the failures
    else:
        limiter.hit(LOGIN_ADDRESS, address)   # count the failure
        limiter.hit(LOGIN_ACCOUNT, account)

``hit`` and ``check`` raise ``RateLimitError`` (HTTP 429, ``Retry-After``) when no attempt
is left; its ``retry_after`` is the whole seconds until the oldest attempt in the window
leaves it, and its message says so in plain words. A refused attempt is not counted, so
retrying while refused does not prolong the wait.

Keys are the caller's: normalise them first (an account's address lower-cased, a client
address as the proxy reports it; an IPv6 client by its /64, or one host gets a fresh
key per address). Check the address rule before the account rule, so that one client
cannot fill the memory with keys for made-up accounts: the in-memory store keeps a
small empty entry for every key it has seen (limits 5.x) until the process ends.

**Counts are per process.** ``MemoryStorage`` lives in the worker's memory, so with
``hamstride serve --workers N`` a client whose requests land on every worker gets up to
N times each limit, and a restart forgets all counts. That is acceptable here: the
default is one worker and two suit the two cores it is sized for, so an account still
gets at most 10 password guesses per 15 minutes (under a thousand a day), and a reset
mail 6 times an hour. For a strict, shared limit, pass a shared ``limits`` store, e.g.
``Limiter(storage=limits.storage.storage_from_string("redis://host:6379"))`` (Redis,
Memcached or MongoDB with their client libraries installed); nothing else changes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from hamstride.errors import InputError, RateLimitError


@dataclass(frozen=True)
class Rule:
    """``limit`` attempts (``"5/15 minutes"``, ``"3/hour"``) per key; ``attempts`` names
    them in the refusal: "Too many {attempts}; try again in 14 minutes." """

    name: str
    limit: str
    attempts: str = "attempts"
    item: RateLimitItem = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.name or "/" in self.name:
            raise InputError(f"rate limit '{self.name}': a name is needed, without '/'.",
                             field="name")
        try:
            items = parse_many(self.limit)
        except ValueError:
            items = []
        if len(items) != 1 or items[0].amount < 1:
            raise InputError(f"rate limit {self.name}: '{self.limit}' is not one limit "
                             "like '5/15 minutes'.", field="limit")
        object.__setattr__(self, "item", items[0])

    @property
    def window(self) -> int:
        """The window's length in seconds."""
        return self.item.get_expiry()

    @property
    def amount(self) -> int:
        """Attempts allowed per window."""
        return self.item.amount


LOGIN_ACCOUNT = Rule("login-account", "5/15 minutes", "log-in attempts for this account")
LOGIN_ADDRESS = Rule("login-address", "20/15 minutes", "log-in attempts from this address")
RESET_ACCOUNT = Rule("reset-account", "3/hour", "password reset requests for this account")
RESET_ADDRESS = Rule("reset-address", "10/hour", "password reset requests from this address")
INVITE_ACCOUNT = Rule("invite-account", "10/hour", "coach invitations sent by this account")
RULES = (LOGIN_ACCOUNT, LOGIN_ADDRESS, RESET_ACCOUNT, RESET_ADDRESS, INVITE_ACCOUNT)


class Limiter:
    """Counts attempts per rule and key, in a moving window.

    ``storage`` is any ``limits`` store with moving-window support (default: a new
    ``MemoryStorage``, per process); ``clock`` is the time, in seconds since the epoch,
    that the store stamps attempts with (``retry_after`` is computed from it).
    """

    def __init__(self, rules: Iterable[Rule] = RULES, *, storage: Storage | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        named: dict[str, Rule] = {}
        for rule in rules:
            if named.setdefault(rule.name, rule) != rule:
                raise ValueError(f"two rate limits are named {rule.name}")
        self.rules: Mapping[str, Rule] = MappingProxyType(named)
        self.storage = storage if storage is not None else MemoryStorage()
        self._strategy = MovingWindowRateLimiter(self.storage)
        self._clock = clock

    def hit(self, rule: Rule | str, key: str) -> int:
        """Count one attempt; return how many are left in the window. ``RateLimitError``
        when none was left (the refused attempt is not counted)."""
        found = self._rule(rule)
        if not self._strategy.hit(found.item, found.name, key):
            raise self._refusal(found, key)
        return self._strategy.get_window_stats(found.item, found.name, key).remaining

    def check(self, rule: Rule | str, key: str) -> int:
        """How many attempts are left, counting none; ``RateLimitError`` when none is."""
        found = self._rule(rule)
        if not self._strategy.test(found.item, found.name, key):
            raise self._refusal(found, key)
        return self._strategy.get_window_stats(found.item, found.name, key).remaining

    def clear(self, rule: Rule | str, key: str) -> None:
        """Forget the attempts counted for ``key`` (after a successful log-in)."""
        found = self._rule(rule)
        self._strategy.clear(found.item, found.name, key)

    def _rule(self, rule: Rule | str) -> Rule:
        name = rule if isinstance(rule, str) else rule.name
        found = self.rules.get(name)
        if found is None or (isinstance(rule, Rule) and rule != found):
            known = ", ".join(self.rules) or "none"
            raise ValueError(f"rate limit {name} is not one of this limiter's ({known})")
        return found

    def _refusal(self, rule: Rule, key: str) -> RateLimitError:
        reset = self._strategy.get_window_stats(rule.item, rule.name, key).reset_time
        retry_after = max(1, math.ceil(reset - self._clock()))
        return RateLimitError(f"Too many {rule.attempts}; try again in "
                              f"{wait_words(retry_after)}.", retry_after=retry_after,
                              rule=rule.name)


def wait_words(seconds: int) -> str:
    """A wait in plain words, rounded up: "45 seconds", "14 minutes", "3 hours"."""
    if seconds < 60:
        return _count(max(1, seconds), "second")
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return _count(minutes, "minute")
    return _count(math.ceil(seconds / 3600), "hour")


def _count(amount: int, unit: str) -> str:
    return f"{amount} {unit}" if amount == 1 else f"{amount} {unit}s"
