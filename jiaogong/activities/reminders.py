"""The "activities" reminder source (notifications interface): sign-up deadlines coming up.

An activity that takes sign-ups and closes them within the next WINDOW_DAYS days (today
included) reminds every member with a login who has not signed up yet, and its creator (how
many have signed up, so they can chase). A deadline is one due thing: the key names the activity
and the deadline, so a moved deadline reminds again, a repeated run does not."""

import datetime

from django.urls import reverse
from django.utils import timezone

from jiaogong.accounts.models import User
from jiaogong.activities.models import Activity, Registration
from jiaogong.members.models import Member

WINDOW_DAYS = 3


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def deadlines_due(org, today: datetime.date):
    from jiaogong.notifications.sources import DueItem

    activities = list(
        Activity.objects.filter(
            org=org,
            registration=True,
            registration_deadline__gte=max(_midnight(today), timezone.now()),
            registration_deadline__lt=_midnight(today + datetime.timedelta(days=WINDOW_DAYS)),
        )
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("registration_deadline", "id")
    )
    if not activities:
        return []
    members = dict(
        User.objects.filter(
            is_active=True, member__org=org, member__status__in=[Member.Status.ACTIVE, Member.Status.RETIRED]
        ).values_list("member_id", "pk")
    )
    items = []
    for activity in activities:
        signed = set(
            Registration.objects.filter(activity=activity)
            .exclude(status=Registration.Status.CANCELLED)
            .values_list("member_id", flat=True)
        )
        recipients = {user for member, user in members.items() if member not in signed}
        recipients.add(activity.created_by_id)
        deadline = timezone.localtime(activity.registration_deadline)
        places = f"，名额 {activity.capacity} 人" if activity.capacity else ""
        items.append(
            DueItem(
                key=f"activities.deadline:{activity.pk}:{deadline:%Y%m%d%H%M}",
                kind="activities",
                org_id=org.pk,
                title=f"报名截止：{activity.title}（{deadline.month}月{deadline.day}日 {deadline:%H:%M}）",
                body=f"已报名 {len(signed)} 人{places}。",
                url=reverse("activities:detail", args=[org.pk, activity.pk]),
                recipients=tuple(sorted(recipients)),
                due_on=deadline.date(),
            )
        )
    return items
