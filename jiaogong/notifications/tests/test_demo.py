import datetime

import pytest

from jiaogong.demo import generate_school
from jiaogong.factories import UserFactory, grant
from jiaogong.notifications.demo import load_notifications
from jiaogong.notifications.models import Notification, NotificationPreference
from jiaogong.notifications.sources import KINDS

pytestmark = pytest.mark.django_db


def test_the_demo_writes_this_mornings_reminders_for_the_school(school_a, chair_a):
    today = datetime.date(2026, 11, 22)
    welfare = grant(UserFactory(username="shenghuo", email="sh@example.cn"), school_a, "welfare")
    members = generate_school(school_a, 120, seed=3, today=today, actor=chair_a)
    created = load_notifications(actor=welfare, school=school_a, members=members, today=today, seed=3)
    assert created == Notification.objects.filter(org=school_a).count() > 0
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds and kinds <= set(KINDS)
    assert Notification.objects.filter(user=welfare, read_at__isnull=False).count() == 1
    assert NotificationPreference.objects.get(user=welfare, kind="birthdays").email is False
    assert load_notifications(actor=welfare, school=school_a, members=members, today=today, seed=3) == 0
