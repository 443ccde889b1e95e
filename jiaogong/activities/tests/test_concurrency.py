"""Twenty members press 报名 at the same moment for ten places: the activity's row is locked
(SELECT … FOR UPDATE; IMMEDIATE transactions on SQLite), so exactly ten are confirmed and ten
waitlisted, in the order they got the lock; when a confirmed one cancels, the first waiting is
confirmed. Runs on both databases with real transactions and one connection per thread."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from jiaogong.activities import services
from jiaogong.activities.models import Registration
from jiaogong.activities.tests.conftest import at, member_user
from jiaogong.factories import MemberFactory, UserFactory, grant

PLACES, MEMBERS = 10, 20


@pytest.mark.django_db(transaction=True)
def test_twenty_members_at_once_for_ten_places_give_ten_confirmed_and_ten_waitlisted(school_a):
    organiser = grant(UserFactory(member=MemberFactory(org=school_a)), school_a, "sports_culture")
    activity = services.create_activity(
        actor=organiser,
        org=school_a,
        title="外出参观：红军长征湘江战役纪念馆",
        kind="visit",
        starts_at=at(2030, 5, 10, 8, 0),
        ends_at=at(2030, 5, 10, 17, 0),
        capacity=PLACES,
    )
    users = [member_user(school_a, f"报名{i:02d}") for i in range(MEMBERS)]
    start = threading.Barrier(MEMBERS)

    def sign_up(user):
        try:
            start.wait()
            return services.register(actor=user, org=school_a, activity=activity).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=MEMBERS) as pool:
        statuses = list(pool.map(sign_up, users))

    assert sorted(statuses) == ["confirmed"] * PLACES + ["waitlisted"] * PLACES
    in_order = list(Registration.objects.filter(activity=activity).order_by("registered_at", "id"))
    # Whoever got the lock first got a place: the first ten in order are confirmed, the rest wait.
    assert [r.status for r in in_order] == ["confirmed"] * PLACES + ["waitlisted"] * PLACES
    assert len({r.member_id for r in in_order}) == MEMBERS

    confirmed_user = next(u for u in users if u.member_id == in_order[3].member_id)
    promoted = services.cancel_registration(actor=confirmed_user, org=school_a, activity=activity)
    assert promoted.pk == in_order[PLACES].pk
    counts = dict.fromkeys(Registration.Status.values, 0)
    for status in Registration.objects.filter(activity=activity).values_list("status", flat=True):
        counts[status] += 1
    assert counts == {"confirmed": PLACES, "waitlisted": PLACES - 1, "cancelled": 1}
    assert Registration.objects.get(pk=in_order[PLACES + 1].pk).status == "waitlisted"


@pytest.mark.django_db(transaction=True)
def test_the_same_member_pressing_twice_at_once_gets_one_sign_up(school_a):
    organiser = grant(UserFactory(member=MemberFactory(org=school_a)), school_a, "sports_culture")
    activity = services.create_activity(
        actor=organiser,
        org=school_a,
        title="三八妇女节活动",
        kind="women",
        starts_at=at(2030, 3, 8, 14, 0),
        ends_at=at(2030, 3, 8, 17, 0),
        capacity=5,
    )
    user = member_user(school_a, "手快")
    start = threading.Barrier(6)

    def press(_):
        try:
            start.wait()
            return services.register(actor=user, org=school_a, activity=activity).status
        except services.Conflict as e:
            return e.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(press, range(6)))
    assert sorted(outcomes) == ["already_registered"] * 5 + ["confirmed"]
    assert Registration.objects.filter(activity=activity).count() == 1
