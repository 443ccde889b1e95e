"""Reads of the reminders, scoped by org and by the user they are for."""

from django.db.models import F, QuerySet
from django.http import Http404

from jiaogong.notifications import sources
from jiaogong.notifications.models import Notification


def inbox(user, org) -> QuerySet[Notification]:
    """The user's in-app notifications in the org: unread first (overdue first, then by due date),
    then the ones read, the last read first."""
    return Notification.objects.filter(user=user, org=org, in_app=True).order_by(
        F("read_at").desc(nulls_first=True), "-overdue", F("due_on").asc(nulls_last=True), "-id"
    )


def unread_count(user, org) -> int:
    return Notification.objects.filter(user=user, org=org, in_app=True, read_at__isnull=True).count()


def notification_for(user, org, notification_id) -> Notification:
    """The user's own notification in the org; anyone else's is a 404."""
    try:
        return Notification.objects.get(user=user, org=org, in_app=True, pk=int(notification_id))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该提醒。") from None


def due_for(user, org, today) -> list[sources.DueItem]:
    """What is due today in the org that names this user as a recipient (the dashboard's 今日待办)."""
    return [item for item in sources.due_items(org, today) if user.pk in item.recipients]
