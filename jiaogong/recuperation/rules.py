"""The pure rules of 疗休养 (no I/O): who may apply, and the order of the queue.

RULES.md §4 (送温暖), parameters in core/rules.py CATALOGUE, group 送温暖:
recuperation.years_since_last (default 3), recuperation.min_service_years (default 5),
recuperation.min_age (0 = none), recuperation.retirees_eligible (default no).
Source: 各地职工疗休养管理办法（常见做法）.
"""

import datetime
from dataclasses import dataclass

from jiaogong.members.rules import age_on, service_years


@dataclass(frozen=True)
class Params:
    years_since_last: int = 3
    min_service_years: int = 5
    min_age: int = 0
    retirees_eligible: bool = False


@dataclass(frozen=True)
class Facts:
    """What the rule needs to know of a member."""

    status: str  # Member.Status value
    hire_date: datetime.date | None
    birth_date: datetime.date


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def eligible(
    facts: Facts, last_time: datetime.date | None, params: Params, today: datetime.date
) -> tuple[bool, list[str]]:
    """(may apply, the reasons in Chinese). Eligible when every condition holds:

    - an active member (a retiree only if recuperation.retirees_eligible);
    - completed years of service (from the hire date) at least min_service_years — no hire date
      means it cannot be checked, so not eligible;
    - if min_age > 0, completed years of age at least min_age;
    - never been, or at least years_since_last completed years since the last time (exactly
      that many years to the day is enough).

    When eligible the reasons say why (never been / how long since; the years of service);
    when not, each reason is a condition that fails.
    """
    failing: list[str] = []
    passing: list[str] = []
    if facts.status == "retired":
        if not params.retirees_eligible:
            failing.append("退休会员不在本年度疗休养范围内。")
    elif facts.status != "active":
        failing.append("只有在册会员可以申请疗休养。")
    years = service_years(facts.hire_date, today)
    if years is None:
        failing.append("会员档案未登记入职日期，无法计算工龄，请联系工会核实。")
    elif years < params.min_service_years:
        failing.append(f"工龄 {years} 年，不足 {params.min_service_years} 年。")
    else:
        passing.append(f"工龄 {years} 年。")
    if params.min_age > 0:
        age = age_on(facts.birth_date, today)
        if age < params.min_age:
            failing.append(f"年龄 {age} 岁，未满 {params.min_age} 岁。")
    if last_time is None:
        passing.insert(0, "从未参加过疗休养。")
    else:
        again = add_years(last_time, params.years_since_last)
        if today < again:
            failing.append(
                f"上次参加疗休养是 {last_time:%Y-%m-%d}，不满 {params.years_since_last} 年，"
                f"{again:%Y-%m-%d} 起可再申请。"
            )
        else:
            passing.insert(0, f"上次参加是 {last_time:%Y-%m-%d}，已满 {params.years_since_last} 年。")
    if failing:
        return False, failing
    return True, passing


@dataclass(frozen=True)
class Entry:
    """One application waiting in the queue."""

    application_id: int
    last_time: datetime.date | None
    hire_date: datetime.date | None
    applied_at: datetime.datetime


def queue_key(entry: Entry) -> tuple:
    """The fair order (smaller first):
    1. never been before those who have been;
    2. then the longest since the last time (the earlier last date first);
    3. then the longest service (the earlier hire date first; no hire date last);
    4. then the earlier application;
    5. then the smaller application id (deterministic when all else ties).
    """
    return (
        entry.last_time is not None,
        entry.last_time or datetime.date.min,
        entry.hire_date is None,
        entry.hire_date or datetime.date.min,
        entry.applied_at,
        entry.application_id,
    )


def order(entries: list[Entry], today: datetime.date) -> list[tuple[int, Entry, str]]:
    """[(position from 1, entry, why in Chinese)] in the order of queue_key."""
    out = []
    for position, e in enumerate(sorted(entries, key=queue_key), start=1):
        if e.last_time is None:
            why = ["从未参加"]
        else:
            why = [f"上次 {e.last_time:%Y-%m-%d}（{(today - e.last_time).days // 365} 年前）"]
        years = service_years(e.hire_date, today)
        why.append(f"工龄 {years} 年" if years is not None else "未登记入职日期")
        why.append(f"申请于 {e.applied_at:%m-%d %H:%M}")
        out.append((position, e, "；".join(why)))
    return out
