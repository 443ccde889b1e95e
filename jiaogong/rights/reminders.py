"""The "rights" reminder source (notifications/sources.py): mediation deadlines and the collective
contract's yearly review.

- A case accepted or in mediation whose deadline (受理后 15 日, `rights.mediation_days`) is within
  WINDOW_DAYS, or has passed: after it the parties may go to arbitration (调解仲裁法第十四条), so the
  chair and the case's mediators are told. The title is the case number and the date only — a case
  is confidential, and the number names nobody.
- A contract in force whose yearly review (履约审议) falls within WINDOW_DAYS or is late: the chair
  and the vice-chairs, who keep the contract.
"""

import datetime

from django.urls import reverse

from jiaogong.accounts.models import RoleGrant, User
from jiaogong.rights import checks
from jiaogong.rights.models import CollectiveContract, MediationCase

WINDOW_DAYS = 3


def _users(org, roles) -> set[int]:
    return set(RoleGrant.objects.filter(org=org, role__in=roles).values_list("user_id", flat=True))


def _date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def rights_due(org, today: datetime.date):
    from jiaogong.notifications.sources import DueItem

    horizon = today + datetime.timedelta(days=WINDOW_DAYS)
    items = []
    cases = list(
        MediationCase.objects.filter(
            org=org,
            status__in=(MediationCase.Status.ACCEPTED, MediationCase.Status.MEDIATING),
            deadline__lte=horizon,
        )
        .prefetch_related("mediators")
        .order_by("deadline", "id")
    )
    chairs = _users(org, ("chair",))
    if cases:
        mediator_users = dict(
            User.objects.filter(
                member_id__in={seat.member_id for case in cases for seat in case.mediators.all()},
                is_active=True,
            ).values_list("member_id", "pk")
        )
        for case in cases:
            overdue = checks.is_overdue(case.status, case.deadline, today)
            recipients = chairs | {
                mediator_users[s.member_id] for s in case.mediators.all() if s.member_id in mediator_users
            }
            title = (
                f"调解已超过期限：{case}（期限{_date(case.deadline)}），当事人可申请仲裁"
                if overdue
                else f"调解期限将到：{case}（{_date(case.deadline)}前）"
            )
            items.append(
                DueItem(
                    key=f"rights.case.{'overdue' if overdue else 'due'}:{case.pk}",
                    kind="rights",
                    org_id=org.pk,
                    title=title,
                    url=reverse("rights:case", args=[org.pk, case.pk]),
                    recipients=tuple(sorted(recipients)),
                    due_on=case.deadline,
                    overdue=overdue,
                )
            )
    contracts = list(
        CollectiveContract.objects.filter(org=org, starts_on__lte=today, ends_on__gte=today).prefetch_related(
            "reviews"
        )
    )
    keepers = tuple(sorted(_users(org, ("chair", "vice_chair"))))
    for contract in contracts:
        reviews = list(contract.reviews.all())
        last = max((r.reviewed_on for r in reviews), default=None)
        due = checks.review_due(contract.starts_on, last)
        if due > horizon or not keepers:
            continue
        overdue = due < today
        items.append(
            DueItem(
                key=f"rights.contract.review:{contract.pk}:{due.isoformat()}",
                kind="rights",
                org_id=org.pk,
                title=f"集体合同年度履约审议{'已逾期' if overdue else '将到期'}：{contract.title}（{_date(due)}）",
                url=reverse("rights:contract", args=[org.pk, contract.pk]),
                recipients=keepers,
                due_on=due,
                overdue=overdue,
            )
        )
    return [item for item in items if item.recipients]
