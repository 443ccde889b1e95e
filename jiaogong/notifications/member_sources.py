"""Reminders from the member registry: birthdays coming up and retirements ahead.

Both are registered as sources (sources.register) by the app's ready(). They run for every
dashboard view, so each costs three small queries per school: the rule values (one query for
all of them), the members in the window, the recipients.
"""

import datetime

from django.db.models import Q
from django.urls import reverse

from jiaogong.accounts.models import RoleGrant
from jiaogong.core.models import RuleValue
from jiaogong.core.rules import RULES, typed
from jiaogong.members import rules as member_rules
from jiaogong.members.models import Member
from jiaogong.notifications import rules
from jiaogong.notifications.sources import DueItem

BIRTHDAY_ROLES = ("chair", "welfare")
RETIREMENT_ROLES = ("chair", "welfare", "organization")
MAX_BIRTHDAY_DAYS = 60


def rule_values(org, *keys: str) -> dict:
    """core.rules.value_for of several keys in one query (the org's value, else the province's,
    else the national one, else the catalogue default)."""
    found: dict[str, dict[str, object]] = {}
    rows = RuleValue.objects.filter(key__in=keys).filter(
        Q(scope="national") | Q(scope="province", province=org.province or "-") | Q(scope="org", org=org)
    )
    for key, scope, value in rows.values_list("key", "scope", "value"):
        found.setdefault(key, {})[scope] = value
    out = {}
    for key in keys:
        scopes = found.get(key, {})
        raw = scopes.get("org", scopes.get("province", scopes.get("national", RULES[key].default)))
        out[key] = typed(RULES[key], raw)
    return out


def recipients(org, roles) -> tuple[int, ...]:
    """The active users holding one of `roles` in the org."""
    ids = (
        RoleGrant.objects.filter(org=org, role__in=roles, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return tuple(sorted(set(ids)))


def _date_zh(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def birthdays(org, today: datetime.date):
    """Active members whose birthday is within the next welfare.birthday_notice_days days (today
    included): one item a member and birthday, for the chair and the welfare member."""
    # The rule page accepts any whole number of days; more than two months ahead is no reminder.
    days = min(
        rule_values(org, "welfare.birthday_notice_days")["welfare.birthday_notice_days"], MAX_BIRTHDAY_DAYS
    )
    # The rule decides in Python over the school's active members (id, name, birth date): cheaper
    # than asking the database for month/day pairs, and exactly the rule tested in rules.py.
    rows = Member.objects.filter(org=org, status=Member.Status.ACTIVE).values_list("id", "name", "birth_date")
    due = sorted(
        (
            (when, name, pk, birth)
            for pk, name, birth in rows
            if (when := rules.birthday_due(birth, today, days))
        ),
        key=lambda r: (r[0], r[2]),
    )
    if not due:
        return []
    to = recipients(org, BIRTHDAY_ROLES)
    if not to:
        return []
    items = []
    for when, name, pk, birth in due:
        age = when.year - birth.year
        day = "今天" if when == today else f"{when.month}月{when.day}日"
        items.append(
            DueItem(
                key=f"members.birthday:{pk}:{when.isoformat()}",
                kind="birthdays",
                org_id=org.pk,
                title=f"{name}{day}过生日（{age}岁）",
                body=f"{name}的生日是{_date_zh(when)}，可按规定送上生日蛋糕或蛋糕券。",
                url=reverse("members:detail", args=[org.pk, pk]),
                recipients=to,
                due_on=when,
                extra={"member_id": pk},
            )
        )
    return items


def retirements(org, today: datetime.date):
    """Active members reaching retirement age within members.retirement_notice_months (the
    registry's 即将退休 list): one item a member and retirement date, for the chair, the welfare
    and the organization members."""
    values = rule_values(
        org,
        "members.retirement_notice_months",
        "members.retirement_age_male",
        "members.retirement_age_female",
    )
    months = values["members.retirement_notice_months"]
    age_male = values["members.retirement_age_male"]
    age_female = values["members.retirement_age_female"]
    # Born so as to reach either retirement age after today and by the notice horizon; the exact
    # rule (members.rules.retires_within, as the registry's 即将退休 list) decides below.
    until = member_rules.add_months(today, months)
    members = list(
        Member.objects.filter(
            org=org,
            status=Member.Status.ACTIVE,
            birth_date__gt=member_rules.add_years(today, -max(age_male, age_female))
            - datetime.timedelta(days=1),
            birth_date__lte=member_rules.add_years(until, -min(age_male, age_female))
            + datetime.timedelta(days=1),
        )
        .only("id", "name", "birth_date", "gender")
        .order_by("birth_date", "name_pinyin")
    )
    due = [
        (when, m)
        for m in members
        if (when := rules.retirement_due(m.birth_date, m.gender, today, months, age_male, age_female))
    ]
    if not due:
        return []
    to = recipients(org, RETIREMENT_ROLES)
    if not to:
        return []
    items = []
    for when, m in due:
        items.append(
            DueItem(
                key=f"members.retirement:{m.pk}:{when.isoformat()}",
                kind="retirements",
                org_id=org.pk,
                title=f"{m.name}将于{_date_zh(when)}到龄退休",
                body=f"{m.name}将于{_date_zh(when)}到龄退休，请提前安排退休慰问和欢送，并办理会员转入退休会员。",
                url=reverse("members:detail", args=[org.pk, m.pk]),
                recipients=to,
                due_on=when,
                extra={"member_id": m.pk},
            )
        )
    return items
