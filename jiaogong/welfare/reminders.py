"""The "visits" reminder source (notifications interface §1): visits due within 2 days and overdue.

Recipients: the assigned visitor's login, and the chair and the welfare member of the org. The
title names the member and the date only — never the reason (an illness, a bereavement)."""

import datetime

from django.urls import reverse

from jiaogong.accounts.models import RoleGrant, User
from jiaogong.welfare import rules
from jiaogong.welfare.models import CareEvent

WINDOW_DAYS = 2


def _managers(org) -> list[int]:
    return sorted(
        set(
            RoleGrant.objects.filter(org=org, role__in=("chair", "welfare")).values_list("user_id", flat=True)
        )
    )


def visits_due(org, today: datetime.date):
    from jiaogong.notifications.sources import DueItem

    events = (
        CareEvent.objects.filter(org=org, visit_due_on__lte=today + datetime.timedelta(days=WINDOW_DAYS))
        .exclude(status=CareEvent.Status.VISITED)
        .select_related("member")
        .order_by("visit_due_on", "id")
    )
    events = list(events)
    if not events:
        return []
    managers = _managers(org)
    visitor_users = dict(
        User.objects.filter(
            member_id__in=[e.visitor_id for e in events if e.visitor_id], is_active=True
        ).values_list("member_id", "pk")
    )
    items = []
    for event in events:
        state = rules.due_state(event.visit_due_on, today, visited=False, window=WINDOW_DAYS)
        recipients = set(managers)
        if event.visitor_id in visitor_users:
            recipients.add(visitor_users[event.visitor_id])
        due = f"{event.visit_due_on.month}月{event.visit_due_on.day}日"
        if state == "overdue":
            title = f"走访已逾期：慰问{event.member.name}（应于{due}前走访）"
        else:
            title = f"待走访：慰问{event.member.name}（{due}前）"
        if event.status == CareEvent.Status.NEW:
            title += "，尚未分派走访人"
        items.append(
            DueItem(
                key=f"welfare.visit.{'overdue' if state == 'overdue' else 'due'}:{event.pk}",
                kind="visits",
                org_id=org.pk,
                title=title,
                url=reverse("welfare:event", args=[org.pk, event.pk]),
                recipients=tuple(sorted(recipients)),
                due_on=event.visit_due_on,
                overdue=state == "overdue",
            )
        )
    return items
