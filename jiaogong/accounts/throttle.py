"""Login throttling as a pure rule: may this attempt have its password checked? (README "Security").

An attempt is for one account (a user, whatever identifier was typed: username or phone; an
unknown identifier counts under its normalised form) from one client address. An attempt is
*known* for an account when the account logged in successfully from that address recently, or
from that browser (accounts/devices.py). Within the window, counting only failures:

1. pair: `per_pair` failures of this account from this address refuse this account from this
   address, known or not (a brute force from the victim's own network is still slow);
2. account: `per_account` failures of this account from addresses not known for it refuse it
   from every address not known for it (a brute force from many addresses);
3. address: `per_address` failures from this address against accounts not known there refuse
   this address for every account not known there (one address trying many accounts).

So an attacker who is not at a victim's known address cannot lock the victim out there: rules 2
and 3 never apply to a known address, and rule 1 counts only failures from that address. What
an attacker can do is keep an account from logging in from a new address for the window.

A refused attempt is not checked and not counted: the lock lifts `window` after the failures
that caused it.
"""

import dataclasses
import datetime


@dataclasses.dataclass(frozen=True)
class Failure:
    account: str
    address: str
    at: datetime.datetime
    known: bool  # the address was known for the account when the failure happened


@dataclasses.dataclass(frozen=True)
class Limits:
    per_pair: int
    per_account: int
    per_address: int
    window: datetime.timedelta


def normalise_identifier(identifier: str) -> str:
    """An unknown identifier's key: case and spaces do not make a new one ("Zhang San" = "zhangsan")."""
    return "".join((identifier or "").split()).casefold()


def _wait(times: list[datetime.datetime], limit: int, window: datetime.timedelta, now) -> datetime.timedelta:
    """How long until fewer than `limit` of `times` (all inside the window) remain in it."""
    if len(times) < limit:
        return datetime.timedelta(0)
    times = sorted(times)
    return times[len(times) - limit] + window - now


def refusal(
    *,
    account: str,
    address: str,
    known: bool,
    failures: list[Failure],
    now: datetime.datetime,
    limits: Limits,
) -> datetime.timedelta | None:
    """None when the attempt may be checked; otherwise how long until it may be."""
    recent = [f for f in failures if now - limits.window < f.at <= now]
    pair = [f.at for f in recent if f.account == account and f.address == address]
    waits = [_wait(pair, limits.per_pair, limits.window, now)]
    if not known:
        account_unknown = [f.at for f in recent if f.account == account and not f.known]
        address_unknown = [f.at for f in recent if f.address == address and not f.known]
        waits.append(_wait(account_unknown, limits.per_account, limits.window, now))
        waits.append(_wait(address_unknown, limits.per_address, limits.window, now))
    wait = max(waits)
    return wait if wait > datetime.timedelta(0) else None
