"""疗休养 pages: who may open what (404 for outsiders and other orgs' objects, 403 for wrong roles),
a member's own page, the queue and approval, refusals that write nothing."""

import datetime

import pytest
from django.urls import reverse

from jiaogong.factories import UserFactory, grant
from jiaogong.recuperation import selectors, services
from jiaogong.recuperation.models import Application, Batch, Plan, Trip

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def department_a(school_a):
    return grant(UserFactory(username="dept_a"), school_a, "department")


@pytest.fixture
def waiting(plan_a, veteran, welfare_a, today):
    """Three in the queue: 乙 (hired 2000), 甲 (hired 2010), and member_a's colleague 丙 who went 4 years ago."""
    yi, jia, bing = veteran("乙", hired=datetime.date(2000, 9, 1)), veteran("甲"), veteran("丙")
    services.record_trip(
        actor=welfare_a, org=plan_a.org, member=bing, went_on=today.replace(year=today.year - 4)
    )
    return [services.apply(actor=welfare_a, plan=plan_a, member=m, today=today) for m in (jia, bing, yi)]


def _urls(org_id, plan_id, application_id, member_id):
    return {
        "home": ("get", reverse("recuperation:home", args=[org_id])),
        "apply": ("post", reverse("recuperation:apply", args=[org_id, plan_id])),
        "withdraw": ("post", reverse("recuperation:withdraw", args=[org_id, plan_id])),
        "create_plan": ("get", reverse("recuperation:create_plan", args=[org_id])),
        "plan": ("get", reverse("recuperation:plan", args=[org_id, plan_id])),
        "add_batch": ("post", reverse("recuperation:add_batch", args=[org_id, plan_id])),
        "approve_top": ("post", reverse("recuperation:approve_top", args=[org_id, plan_id])),
        "approve": ("post", reverse("recuperation:approve", args=[org_id, plan_id, application_id])),
        "reject": ("post", reverse("recuperation:reject", args=[org_id, plan_id, application_id])),
        "history": ("get", reverse("recuperation:history", args=[org_id, member_id])),
    }


MANAGE = ["create_plan", "plan", "add_batch", "approve_top", "approve", "reject", "history"]


@pytest.mark.parametrize("name", list(_urls(1, 1, 1, 1)))
def test_an_outsider_gets_404_on_every_page(login, outsider_b, plan_a, waiting, name):
    method, url = _urls(plan_a.org_id, plan_a.pk, waiting[0].pk, waiting[0].member_id)[name]
    before = (Application.objects.count(), Trip.objects.count(), Batch.objects.count())
    assert getattr(login(outsider_b), method)(url).status_code == 404
    assert (Application.objects.count(), Trip.objects.count(), Batch.objects.count()) == before


@pytest.mark.parametrize("name", MANAGE)
def test_a_plain_member_gets_403_on_the_managing_pages(login, member_a, plan_a, waiting, name):
    method, url = _urls(plan_a.org_id, plan_a.pk, waiting[0].pk, waiting[0].member_id)[name]
    assert getattr(login(member_a), method)(url, {"count": "1", "went_on": "2030-01-01"}).status_code == 403
    assert Trip.objects.count() == 1  # only 丙's earlier trip


@pytest.mark.parametrize("name", ["home", "apply", "withdraw"])
def test_a_department_account_gets_403_on_the_member_pages(login, department_a, plan_a, name):
    method, url = _urls(plan_a.org_id, plan_a.pk, 1, 1)[name]
    assert getattr(login(department_a), method)(url).status_code == 403
    assert Application.objects.count() == 0


@pytest.mark.parametrize("name", [n for n in MANAGE if n != "create_plan"])
def test_another_orgs_plan_application_or_member_is_404_for_the_chair(
    login, chair_a, school_b, waiting, plan_a, name
):
    other = Plan.objects.create(
        org=school_b,
        year=2026,
        title="B",
        quota=1,
        opens_on=plan_a.opens_on,
        closes_on=plan_a.closes_on,
        created_by=chair_a,
    )
    from jiaogong.factories import MemberFactory

    stranger = MemberFactory(org=school_b)
    foreign = Application.objects.create(
        org=school_b, plan=other, member=stranger, applied_at=waiting[0].applied_at
    )
    method, url = _urls(plan_a.org_id, other.pk, foreign.pk, stranger.pk)[name]
    assert getattr(login(chair_a), method)(url, {"count": "1", "went_on": "2030-01-01"}).status_code == 404
    # and an application of another plan of school B through school A's plan
    method, url = _urls(plan_a.org_id, plan_a.pk, foreign.pk, stranger.pk)[name]
    if name in ("approve", "reject", "history"):
        assert (
            getattr(login(chair_a), method)(url, {"reason": "x", "went_on": "2030-01-01"}).status_code == 404
        )
    assert foreign.__class__.objects.get(pk=foreign.pk).status == "applied"


def test_a_member_applies_on_their_page_and_sees_only_their_own_position(login, member_a, plan_a, waiting):
    client = login(member_a)
    page = client.get(reverse("recuperation:home", args=[plan_a.org_id])).content.decode()
    assert "您符合申请条件" in page
    response = client.post(reverse("recuperation:apply", args=[plan_a.org_id, plan_a.pk]), {"note": ""})
    assert response.status_code == 302
    page = client.get(reverse("recuperation:home", args=[plan_a.org_id])).content.decode()
    # 张三 hired 2008, never been: after 乙 (2000), before 甲 (2010) and 丙 (went before)
    assert "目前排在第 <b>2</b> 位（共 4 人排队" in page
    for other in ("乙", "甲", "丙"):
        assert f">{other}<" not in page and f"{other}（" not in page
    assert "疗休养计划</h2>" not in page  # no managing list for a plain member


def test_an_ineligible_member_is_told_why_and_a_forced_post_writes_nothing(
    login, member_a, plan_a, welfare_a, today
):
    services.record_trip(
        actor=welfare_a, org=plan_a.org, member=member_a.member, went_on=today.replace(year=today.year - 2)
    )
    client = login(member_a)
    page = client.get(reverse("recuperation:home", args=[plan_a.org_id])).content.decode()
    assert "暂不符合申请条件" in page and "不满 3 年" in page
    assert "申请参加疗休养</button>" not in page
    response = client.post(reverse("recuperation:apply", args=[plan_a.org_id, plan_a.pk]), {"note": ""})
    assert response.status_code == 422
    assert "暂不符合疗休养条件" in response.content.decode()
    assert Application.objects.count() == 0


def test_an_overlong_note_is_refused_with_422_and_nothing_written(login, member_a, plan_a):
    response = login(member_a).post(
        reverse("recuperation:apply", args=[plan_a.org_id, plan_a.pk]), {"note": "长" * 201}
    )
    assert response.status_code == 422
    assert "最多 200 个字" in response.content.decode()
    assert Application.objects.count() == 0


def test_a_member_withdraws(login, member_a, plan_a):
    client = login(member_a)
    client.post(reverse("recuperation:apply", args=[plan_a.org_id, plan_a.pk]))
    assert client.post(reverse("recuperation:withdraw", args=[plan_a.org_id, plan_a.pk])).status_code == 302
    assert Application.objects.get().status == "withdrawn"
    assert client.post(reverse("recuperation:withdraw", args=[plan_a.org_id, plan_a.pk])).status_code == 422


def test_the_welfare_member_creates_a_plan_and_a_bad_one_writes_nothing(login, welfare_a, school_a, today):
    client = login(welfare_a)
    url = reverse("recuperation:create_plan", args=[school_a.pk])
    bad = client.post(
        url, {"year": today.year, "quota": "十", "opens_on": today.isoformat(), "closes_on": ""}
    )
    assert bad.status_code == 422
    assert "请填写报名截止" in bad.content.decode()
    bad = client.post(
        url,
        {"year": today.year, "quota": "十", "opens_on": today.isoformat(), "closes_on": today.isoformat()},
    )
    assert bad.status_code == 422 and "名额应为正整数" in bad.content.decode()
    assert Plan.objects.count() == 0
    good = client.post(
        url, {"year": today.year, "quota": "6", "opens_on": today.isoformat(), "closes_on": today.isoformat()}
    )
    plan = Plan.objects.get()
    assert good.status_code == 302 and good.url == reverse("recuperation:plan", args=[school_a.pk, plan.pk])


def test_the_queue_page_shows_positions_and_why(login, welfare_a, plan_a, waiting):
    page = (
        login(welfare_a).get(reverse("recuperation:plan", args=[plan_a.org_id, plan_a.pk])).content.decode()
    )
    assert page.index(">乙<") < page.index(">甲<") < page.index(">丙<")
    assert "第 1 位" in page and "从未参加；工龄" in page


def test_the_chair_approves_the_top_of_the_queue_and_over_the_quota_is_refused(
    login, chair_a, plan_a, waiting, today
):
    client = login(chair_a)
    url = reverse("recuperation:approve_top", args=[plan_a.org_id, plan_a.pk])
    over = client.post(url, {"count": "3", "went_on": (today + 30 * DAY).isoformat()})
    assert over.status_code == 422
    assert "只剩 2 个名额，不能再批准 3 人" in over.content.decode()
    assert Application.objects.filter(status="approved").count() == 0
    done = client.post(url, {"count": "2", "went_on": (today + 30 * DAY).isoformat()})
    assert done.status_code == 302
    assert sorted(Application.objects.filter(status="approved").values_list("member__name", flat=True)) == [
        "乙",
        "甲",
    ]


def test_one_application_is_approved_into_a_batch(login, welfare_a, plan_a, waiting, today):
    batch = services.add_batch(
        actor=welfare_a,
        plan=plan_a,
        name="第一批",
        starts_on=today + 9 * DAY,
        ends_on=today + 13 * DAY,
        places=1,
    )
    client = login(welfare_a)
    url = reverse("recuperation:approve", args=[plan_a.org_id, plan_a.pk, waiting[1].pk])
    assert client.post(url, {"batch": batch.pk}).status_code == 302
    trip = Trip.objects.get(application=waiting[1])
    assert trip.batch == batch and trip.went_on == batch.starts_on
    full = client.post(
        reverse("recuperation:approve", args=[plan_a.org_id, plan_a.pk, waiting[0].pk]), {"batch": batch.pk}
    )
    assert full.status_code == 422 and "第一批名额 1 人" in full.content.decode()


def test_a_bad_batch_is_refused_with_422(login, welfare_a, plan_a):
    response = login(welfare_a).post(
        reverse("recuperation:add_batch", args=[plan_a.org_id, plan_a.pk]),
        {"name": "", "starts_on": "2026-13-01", "ends_on": "", "places": "0"},
    )
    assert response.status_code == 422
    assert "请填写批次名称" in response.content.decode() or "批次名称" in response.content.decode()
    assert Batch.objects.count() == 0


def test_a_rejection_without_a_reason_is_refused_and_with_one_is_shown_to_the_member(
    login, welfare_a, member_a, plan_a
):
    application = services.apply(
        actor=member_a, plan=plan_a, member=member_a.member, today=plan_a.opens_on + 5 * DAY
    )
    client = login(welfare_a)
    url = reverse("recuperation:reject", args=[plan_a.org_id, plan_a.pk, application.pk])
    assert client.post(url, {"reason": ""}).status_code == 422
    assert Application.objects.get().status == "applied"
    assert client.post(url, {"reason": "同批次已满，明年优先"}).status_code == 302
    page = login(member_a).get(reverse("recuperation:home", args=[plan_a.org_id])).content.decode()
    assert "您的申请未批准：同批次已满，明年优先" in page


def test_the_history_page_shows_who_went_and_records_an_earlier_trip(
    login, welfare_a, plan_a, waiting, today
):
    services.approve_top(actor=welfare_a, plan=plan_a, count=1, today=today, went_on=today + 20 * DAY)
    member = waiting[2].member  # 乙
    client = login(welfare_a)
    url = reverse("recuperation:history", args=[plan_a.org_id, member.pk])
    page = client.get(url).content.decode()
    assert (today + 20 * DAY).isoformat() in page and plan_a.title in page
    bad = client.post(url, {"went_on": (today + DAY).isoformat()})
    assert bad.status_code == 422 and "不能晚于今天" in bad.content.decode()
    assert Trip.objects.filter(member=member).count() == 1
    assert client.post(url, {"went_on": "2015-07-10", "destination": "北海"}).status_code == 302
    assert selectors.trips_of(member).count() == 2
