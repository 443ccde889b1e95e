"""The reminder source "hardship_reviews" (notifications/sources.py, interfaces §1).

From `hardship.review_month` (default October) until the end of the year, every open file not yet
checked that year (opened before it and without a review of that year) is one due item, keyed
"hardship.review:<file id>:<year>" so the daily job reminds of it once per recipient and year.
Recipients: the chair and the welfare member only (hardship.view). The title names the worker
and the review, never the family's health or circumstances.
"""

import datetime

from django.urls import reverse

from jiaogong.core.permissions import CAPABILITIES
from jiaogong.core.rules import value_for
from jiaogong.hardship import selectors


def recipients(org) -> tuple[int, ...]:
    from jiaogong.accounts.models import RoleGrant

    roles = CAPABILITIES["hardship.view"]
    ids = RoleGrant.objects.filter(org=org, role__in=roles, user__is_active=True).values_list(
        "user_id", flat=True
    )
    return tuple(sorted(set(ids)))


def hardship_reviews(org, today: datetime.date):
    if getattr(org, "kind", "school") != "school":
        return []
    month = int(value_for(org, "hardship.review_month"))
    if today.month < month:
        return []
    due = list(selectors.due_for_review(org, today.year))
    if not due:
        return []
    users = recipients(org)
    if not users:
        return []
    from jiaogong.notifications.sources import DueItem

    end = datetime.date(today.year, 12, 31)
    return [
        DueItem(
            key=f"hardship.review:{file.pk}:{today.year}",
            kind="hardship_reviews",
            org_id=org.pk,
            title=f"{file.member.name}的困难职工档案待{today.year}年度复核",
            url=reverse("hardship:detail", args=[org.pk, file.pk]),
            recipients=users,
            body=f"请在 {end:%Y年%m月%d日} 前完成{today.year}年度摸底复核。",
            due_on=end,
            overdue=False,
        )
        for file in due
    ]
