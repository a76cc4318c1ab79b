"""Rate limits: counting per rule and key, the moving window, and the refusal's wait.

Most tests stop the clock: ``limits``' memory store reads ``time.time()`` through its
module's ``time``, which the ``clock`` fixture replaces (the limiter is given the same
clock). One test checks the real clock in about a second.
"""

from __future__ import annotations

import time

import limits.storage.memory
import pytest
from limits.storage import MemoryStorage

from hamstride.errors import HamstrideError, InputError, RateLimitError
from hamstride.ratelimit import (
    INVITE_ACCOUNT,
    LOGIN_ACCOUNT,
    LOGIN_ADDRESS,
    RESET_ACCOUNT,
    RESET_ADDRESS,
    RULES,
    Limiter,
    Rule,
    wait_words,
)

ANN = "ann@example.org"


class FakeTime:
    """Stands in for the ``time`` module inside ``limits.storage.memory``."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    return fake


@pytest.fixture
def limiter(clock: FakeTime) -> Limiter:
    return Limiter(clock=clock.time)


def test_ratelimit_the_five_rules() -> None:
    assert RULES == (LOGIN_ACCOUNT, LOGIN_ADDRESS, RESET_ACCOUNT, RESET_ADDRESS, INVITE_ACCOUNT)
    assert [(r.name, r.amount, r.window) for r in RULES] == [
        ("login-account", 5, 900), ("login-address", 20, 900),
        ("reset-account", 3, 3600), ("reset-address", 10, 3600),
        ("invite-account", 10, 3600)]
    assert set(Limiter().rules) == {"login-account", "login-address", "reset-account",
                                    "reset-address", "invite-account"}


def test_ratelimit_hit_counts_down_then_refuses(limiter: Limiter, clock: FakeTime) -> None:
    assert [limiter.hit(RESET_ACCOUNT, ANN) for _ in range(3)] == [2, 1, 0]
    clock.advance(60)
    with pytest.raises(RateLimitError) as caught:
        limiter.hit(RESET_ACCOUNT, ANN)
    error = caught.value
    assert isinstance(error, HamstrideError) and error.status == 429
    assert error.retry_after == 3540 and error.rule == "reset-account"
    assert error.message == ("Too many password reset requests for this account; "
                             "try again in 59 minutes.")


def test_ratelimit_login_refusal_reads_in_minutes(limiter: Limiter, clock: FakeTime) -> None:
    for _ in range(5):
        limiter.hit(LOGIN_ACCOUNT, ANN)
        clock.advance(20)
    with pytest.raises(RateLimitError) as caught:
        limiter.hit(LOGIN_ACCOUNT, ANN)
    assert caught.value.retry_after == 800  # the first attempt leaves the window at 900 s
    assert str(caught.value) == ("Too many log-in attempts for this account; "
                                 "try again in 14 minutes.")


def test_ratelimit_the_window_moves(limiter: Limiter, clock: FakeTime) -> None:
    """At most 5 in any 15 minutes: each attempt frees its place 15 minutes after it."""
    for _ in range(5):  # at 0, 100, 200, 300 and 400 s
        limiter.hit(LOGIN_ACCOUNT, ANN)
        clock.advance(100)
    clock.advance(399.5)  # 899.5 s: all five still count
    with pytest.raises(RateLimitError) as caught:
        limiter.check(LOGIN_ACCOUNT, ANN)
    assert caught.value.retry_after == 1  # 0.5 s, rounded up
    assert caught.value.message.endswith("try again in 1 second.")
    clock.advance(1)  # 900.5 s: the first has left
    assert limiter.check(LOGIN_ACCOUNT, ANN) == 1
    assert limiter.hit(LOGIN_ACCOUNT, ANN) == 0
    with pytest.raises(RateLimitError) as caught:
        limiter.hit(LOGIN_ACCOUNT, ANN)
    assert caught.value.retry_after == 100  # the attempt at 100 s leaves at 1000 s
    assert caught.value.message.endswith("try again in 2 minutes.")


def test_ratelimit_refused_attempts_do_not_prolong_the_wait(limiter: Limiter,
                                                           clock: FakeTime) -> None:
    for _ in range(3):
        limiter.hit(RESET_ACCOUNT, ANN)
    for _ in range(10):
        clock.advance(300)
        with pytest.raises(RateLimitError):
            limiter.hit(RESET_ACCOUNT, ANN)
    clock.advance(601)  # just past 3600 s after the three
    assert limiter.hit(RESET_ACCOUNT, ANN) == 2


def test_ratelimit_check_counts_nothing(limiter: Limiter) -> None:
    assert [limiter.check(LOGIN_ACCOUNT, ANN) for _ in range(10)] == [5] * 10
    limiter.hit(LOGIN_ACCOUNT, ANN)
    assert limiter.check(LOGIN_ACCOUNT, ANN) == 4
    for _ in range(4):
        limiter.hit(LOGIN_ACCOUNT, ANN)
    with pytest.raises(RateLimitError, match="log-in attempts for this account") as caught:
        limiter.check(LOGIN_ACCOUNT, ANN)
    assert caught.value.retry_after == 900


def test_ratelimit_clear_forgets_the_attempts(limiter: Limiter) -> None:
    for _ in range(5):
        limiter.hit(LOGIN_ACCOUNT, ANN)
    limiter.hit(LOGIN_ADDRESS, "192.0.2.7")
    limiter.clear(LOGIN_ACCOUNT, ANN)
    assert limiter.check(LOGIN_ACCOUNT, ANN) == 5
    assert limiter.check(LOGIN_ADDRESS, "192.0.2.7") == 19  # another rule: kept
    limiter.clear(LOGIN_ACCOUNT, "nobody@example.org")  # nothing counted: fine


def test_ratelimit_keys_and_rules_count_apart(limiter: Limiter) -> None:
    for _ in range(3):
        limiter.hit(RESET_ACCOUNT, ANN)
    assert limiter.check(RESET_ACCOUNT, "bob@example.org") == 3
    assert limiter.check(RESET_ADDRESS, ANN) == 10
    assert limiter.check(LOGIN_ACCOUNT, ANN) == 5
    # keys are taken as given: normalising them is the caller's
    assert limiter.check(RESET_ACCOUNT, ANN.upper()) == 3


def test_ratelimit_address_rule_wording(limiter: Limiter) -> None:
    for _ in range(20):
        limiter.hit(LOGIN_ADDRESS, "2001:db8::1")
    with pytest.raises(RateLimitError, match=r"^Too many log-in attempts from this address; "
                       r"try again in 15 minutes\.$"):
        limiter.hit(LOGIN_ADDRESS, "2001:db8::1")
    for _ in range(10):
        limiter.hit(RESET_ADDRESS, "2001:db8::1")
    with pytest.raises(RateLimitError, match=r"^Too many password reset requests from this "
                       r"address; try again in 60 minutes\.$"):
        limiter.hit(RESET_ADDRESS, "2001:db8::1")


def test_ratelimit_rules_by_name(limiter: Limiter) -> None:
    assert limiter.hit("login-account", ANN) == 4
    assert limiter.check(LOGIN_ACCOUNT, ANN) == 4
    limiter.clear("login-account", ANN)
    assert limiter.check("login-account", ANN) == 5


def test_ratelimit_unknown_rules_are_refused(limiter: Limiter) -> None:
    with pytest.raises(ValueError, match="rate limit signup is not one of this limiter's"):
        limiter.hit("signup", ANN)
    with pytest.raises(ValueError, match="login-account"):  # the same name, another limit
        limiter.hit(Rule("login-account", "100/minute"), ANN)
    with pytest.raises(ValueError, match="two rate limits are named x"):
        Limiter([Rule("x", "1/hour"), Rule("x", "2/hour")])
    assert set(Limiter([LOGIN_ACCOUNT, LOGIN_ACCOUNT]).rules) == {"login-account"}


def test_ratelimit_own_rules(clock: FakeTime) -> None:
    digest = Rule("digest-resend", "2 per day", "digest e-mails asked for today")
    limiter = Limiter([digest], clock=clock.time)
    limiter.hit(digest, ANN)
    limiter.hit(digest, ANN)
    clock.advance(3600)
    with pytest.raises(RateLimitError) as caught:
        limiter.hit(digest, ANN)
    assert caught.value.retry_after == 23 * 3600
    assert caught.value.message == "Too many digest e-mails asked for today; try again in 23 hours."
    plain = Rule("plain", "1/minute")
    limiter = Limiter([plain], clock=clock.time)
    limiter.hit(plain, ANN)
    with pytest.raises(RateLimitError, match=r"^Too many attempts; try again in 1 minute\.$"):
        limiter.hit(plain, ANN)


@pytest.mark.parametrize(("limit", "field"), [
    ("five a minute", "limit"), ("", "limit"), ("0/hour", "limit"),
    ("1/second; 5/minute", "limit"), ("5/15 fortnights", "limit"),
])
def test_ratelimit_bad_limit_is_an_input_error(limit: str, field: str) -> None:
    with pytest.raises(InputError, match="is not one limit like '5/15 minutes'") as caught:
        Rule("login", limit)
    assert caught.value.field == field


@pytest.mark.parametrize("name", ["", "login/account"])
def test_ratelimit_bad_rule_name(name: str) -> None:
    with pytest.raises(InputError, match="a name is needed, without '/'"):
        Rule(name, "5/minute")


def test_ratelimit_memory_counts_per_limiter_a_store_can_be_shared(clock: FakeTime) -> None:
    """Two workers each have their own memory; a shared store counts once for both."""
    first, second = Limiter(clock=clock.time), Limiter(clock=clock.time)
    for _ in range(3):
        first.hit(RESET_ACCOUNT, ANN)
    assert second.check(RESET_ACCOUNT, ANN) == 3  # per process: N workers, N times the limit
    shared = MemoryStorage()
    one, other = Limiter(storage=shared, clock=clock.time), Limiter(storage=shared,
                                                                    clock=clock.time)
    for _ in range(3):
        one.hit(RESET_ACCOUNT, ANN)
    with pytest.raises(RateLimitError):
        other.hit(RESET_ACCOUNT, ANN)


@pytest.mark.parametrize(("seconds", "words"), [
    (0, "1 second"), (1, "1 second"), (2, "2 seconds"), (59, "59 seconds"),
    (60, "1 minute"), (61, "2 minutes"), (800, "14 minutes"), (840, "14 minutes"),
    (900, "15 minutes"), (3600, "60 minutes"), (7140, "119 minutes"), (7200, "2 hours"),
    (7201, "3 hours"), (86400, "24 hours"),
])
def test_ratelimit_wait_in_words(seconds: int, words: str) -> None:
    assert wait_words(seconds) == words


def test_ratelimit_error_waits_at_least_a_second() -> None:
    assert RateLimitError("Too many.", retry_after=0, rule="x").retry_after == 1


def test_ratelimit_real_clock() -> None:
    """Without a stopped clock: refused at once, allowed again a second later."""
    quick = Rule("quick", "1/second")
    limiter = Limiter([quick])
    started = time.time()
    assert limiter.hit(quick, ANN) == 0
    with pytest.raises(RateLimitError) as caught:
        limiter.hit(quick, ANN)
    assert caught.value.retry_after == 1
    time.sleep(max(0.0, started + 1.05 - time.time()))
    assert limiter.hit(quick, ANN) == 0
