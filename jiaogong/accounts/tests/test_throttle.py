"""The login throttling rule (accounts/throttle.py), played by attackers with hypothesis."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from jiaogong.accounts.throttle import Failure, Limits, normalise_identifier, refusal

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
LIMITS = Limits(per_pair=5, per_account=5, per_address=20, window=datetime.timedelta(minutes=15))
VICTIM, VICTIM_HOME = "user:1", "203.0.113.1"

accounts = st.sampled_from([VICTIM, "user:2", "user:3", "name:nobody", "name:admin"])
addresses = st.builds(lambda n: f"198.51.100.{n}", st.integers(1, 60))  # never the victim's home
seconds = st.integers(0, 14 * 60)


class World:
    """Attempts against the rule: a refused attempt is not checked and leaves no failure."""

    def __init__(self, failures=()):
        self.failures = list(failures)
        self.checked = 0

    def attempt(self, account, address, *, known=False, right=False, at=NOW):
        wait = refusal(
            account=account, address=address, known=known, failures=self.failures, now=at, limits=LIMITS
        )
        if wait is not None:
            return wait
        self.checked += 1
        if not right:
            self.failures.append(Failure(account=account, address=address, at=at, known=known))
        return None


@settings(max_examples=300)
@given(
    attacks=st.lists(st.tuples(accounts, addresses, seconds, st.booleans()), max_size=200),
)
def test_attackers_elsewhere_never_lock_a_victim_out_of_their_known_address(attacks):
    world = World()
    for account, address, second, known in sorted(attacks, key=lambda a: a[2]):
        # An attacker may be a real user of another account at their own (known) address;
        # no attacker address is known for the victim.
        world.attempt(
            account, address, known=known and account != VICTIM, at=NOW + datetime.timedelta(seconds=second)
        )
    later = NOW + datetime.timedelta(minutes=14, seconds=59)
    assert world.attempt(VICTIM, VICTIM_HOME, known=True, right=True, at=later) is None


@settings(max_examples=200)
@given(
    guesses=st.lists(st.tuples(addresses, seconds), min_size=1, max_size=300),
    noise=st.lists(st.tuples(accounts, addresses, seconds), max_size=50),
)
def test_a_brute_force_from_many_addresses_gets_only_the_account_limit_of_guesses(guesses, noise):
    world = World()
    events = [(s, VICTIM, a) for a, s in guesses] + [(s, acc, a) for acc, a, s in noise if acc != VICTIM]
    victim_checks = 0
    for second, account, address in sorted(events):
        before = world.checked
        world.attempt(account, address, at=NOW + datetime.timedelta(seconds=second))
        victim_checks += account == VICTIM and world.checked > before
    assert victim_checks <= LIMITS.per_account


@settings(max_examples=200)
@given(guesses=st.lists(st.tuples(accounts, seconds), min_size=1, max_size=300))
def test_a_brute_force_from_one_address_gets_only_the_address_limit_of_guesses(guesses):
    world = World()
    for account, second in sorted(guesses, key=lambda g: g[1]):
        world.attempt(account, "198.51.100.99", at=NOW + datetime.timedelta(seconds=second))
    assert world.checked <= LIMITS.per_address


@settings(max_examples=200)
@given(guesses=st.lists(seconds, min_size=1, max_size=100))
def test_a_brute_force_from_the_victims_own_address_gets_only_the_pair_limit(guesses):
    world = World()
    for second in sorted(guesses):
        world.attempt(VICTIM, VICTIM_HOME, known=True, at=NOW + datetime.timedelta(seconds=second))
    assert world.checked <= LIMITS.per_pair


@settings(max_examples=300)
@given(
    failures=st.lists(st.tuples(accounts, st.sampled_from(["a", "b", VICTIM_HOME]), seconds, st.booleans())),
    account=accounts,
    address=st.sampled_from(["a", "b", VICTIM_HOME]),
    known=st.booleans(),
)
def test_the_wait_is_exact_and_never_longer_than_the_window(failures, account, address, known):
    rows = [Failure(acc, addr, NOW - datetime.timedelta(seconds=s), k) for acc, addr, s, k in failures]
    wait = refusal(account=account, address=address, known=known, failures=rows, now=NOW, limits=LIMITS)
    if wait is None:
        return
    assert datetime.timedelta(0) < wait <= LIMITS.window
    at = NOW + wait
    assert (
        refusal(account=account, address=address, known=known, failures=rows, now=at, limits=LIMITS) is None
    )
    just_before = at - datetime.timedelta(microseconds=1)
    assert refusal(
        account=account, address=address, known=known, failures=rows, now=just_before, limits=LIMITS
    )


def test_the_account_lock_refuses_new_addresses_but_not_known_ones():
    world = World([Failure(VICTIM, f"198.51.100.{i}", NOW, False) for i in range(5)])
    assert world.attempt(VICTIM, "198.51.100.200", right=True) == LIMITS.window
    assert world.attempt(VICTIM, VICTIM_HOME, known=True, right=True) is None


def test_the_address_lock_spares_accounts_known_at_that_address():
    world = World([Failure(f"name:x{i}", "198.51.100.7", NOW, False) for i in range(20)])
    assert world.attempt("user:2", "198.51.100.7", right=True) is not None
    assert world.attempt("user:2", "198.51.100.7", known=True, right=True) is None
    assert world.attempt("user:2", "198.51.100.8", right=True) is None


def test_failures_at_a_known_address_do_not_count_towards_the_account_and_address_locks():
    world = World([Failure(VICTIM, VICTIM_HOME, NOW, True) for _ in range(4)])
    world.failures += [Failure(f"user:{i}", "198.51.100.7", NOW, True) for i in range(10, 40)]
    assert world.attempt(VICTIM, "198.51.100.50", right=True) is None
    assert world.attempt("user:99", "198.51.100.7", right=True) is None


def test_failures_older_than_the_window_are_forgotten():
    old = NOW - LIMITS.window
    world = World([Failure(VICTIM, VICTIM_HOME, old, True) for _ in range(10)])
    assert world.attempt(VICTIM, VICTIM_HOME, known=True, right=True) is None


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=30))
def test_normalising_ignores_case_and_spaces(text):
    assert normalise_identifier(text) == normalise_identifier(f"  {text.upper()} ".replace("", " "))
    assert not any(c.isspace() for c in normalise_identifier(text))
