"""兴趣小组 pages: outsiders get 404 and wrong roles 403 on every page; members join on the club list,
vote, the chair confirms; the leader asks for a budget, the chair approves, finance spends."""

import pytest
from django.urls import reverse

from jiaogong.clubs import services
from jiaogong.clubs.models import Budget, Club, Election, Membership, Plan, Spending, Vote
from jiaogong.core.models import AuditEvent
from jiaogong.factories import UserFactory, grant
from jiaogong.funds.models import LedgerEntry


def url(name, *args):
    return reverse(f"clubs:{name}", args=args)


@pytest.fixture
def election_a(club_a, members_in, sports_a):
    return services.open_election(actor=sports_a, club=club_a)


def every_page(org, club, election, budget):
    return [
        ("get", url("home", org.pk)),
        ("get", url("create", org.pk)),
        ("post", url("create", org.pk)),
        ("get", url("club", org.pk, club.pk)),
        ("post", url("join", org.pk, club.pk)),
        ("post", url("leave", org.pk, club.pk)),
        ("post", url("open_election", org.pk, club.pk)),
        ("post", url("save_plan", org.pk, club.pk)),
        ("get", url("new_session", org.pk, club.pk)),
        ("get", url("new_budget", org.pk, club.pk)),
        ("post", url("vote", org.pk, election.pk)),
        ("post", url("confirm_election", org.pk, election.pk)),
        ("post", url("cancel_election", org.pk, election.pk)),
        ("post", url("approve", org.pk, budget.pk)),
        ("post", url("refuse", org.pk, budget.pk)),
        ("post", url("spend", org.pk, budget.pk)),
    ]


def test_every_page_is_a_404_for_an_outsider(login, outsider_b, school_a, led_club, budget_a, sports_a):
    election = services.open_election(actor=sports_a, club=led_club)
    client = login(outsider_b)
    for method, u in every_page(school_a, led_club, election, budget_a):
        assert getattr(client, method)(u).status_code == 404, u
    assert Budget.objects.get().status == "pending"


def test_another_schools_club_is_a_404_under_its_own_org(login, outsider_b, school_b, led_club, budget_a):
    client = login(outsider_b)
    assert client.get(url("club", school_b.pk, led_club.pk)).status_code == 404
    assert client.post(url("approve", school_b.pk, budget_a.pk)).status_code == 404
    assert client.post(url("join", school_b.pk, led_club.pk)).status_code == 404


def test_a_department_user_is_refused_everywhere(login, school_a, led_club, budget_a, sports_a):
    election = services.open_election(actor=sports_a, club=led_club)
    office = grant(UserFactory(username="zongwu"), school_a, "department")
    client = login(office)
    for method, u in every_page(school_a, led_club, election, budget_a):
        assert getattr(client, method)(u).status_code == 403, u


def test_a_plain_member_is_refused_the_organisers_pages(
    login, member_a, school_a, led_club, budget_a, sports_a
):
    election = services.open_election(actor=sports_a, club=led_club)
    client = login(member_a)
    for method, u in [
        ("get", url("create", school_a.pk)),
        ("post", url("open_election", school_a.pk, led_club.pk)),
        ("post", url("save_plan", school_a.pk, led_club.pk)),
        ("get", url("new_session", school_a.pk, led_club.pk)),
        ("post", url("new_session", school_a.pk, led_club.pk)),
        ("get", url("new_budget", school_a.pk, led_club.pk)),
        ("post", url("confirm_election", school_a.pk, election.pk)),
        ("post", url("cancel_election", school_a.pk, election.pk)),
        ("post", url("approve", school_a.pk, budget_a.pk)),
        (
            "post",
            url("refuse", school_a.pk, budget_a.pk),
        ),
        ("post", url("spend", school_a.pk, budget_a.pk)),
    ]:
        assert getattr(client, method)(u, {"reason": "x", "amount": "1"}).status_code == 403, u
    assert Budget.objects.get().status == "pending" and not Plan.objects.exists()


def test_the_sports_member_cannot_approve_and_the_chair_cannot_spend(
    login, sports_a, chair_a, school_a, approved_a
):
    assert login(sports_a).post(url("refuse", school_a.pk, approved_a.pk), {"reason": "x"}).status_code == 403
    assert login(chair_a).post(url("spend", school_a.pk, approved_a.pk), {"amount": "10"}).status_code == 403
    assert not Spending.objects.exists()


def test_a_member_joins_from_the_list_and_sees_the_club(login, member_a, school_a, club_a):
    client = login(member_a)
    page = client.get(url("home", school_a.pk)).content.decode()
    assert "教师书画社" in page and "加入教师书画社" in page
    response = client.post(url("join", school_a.pk, club_a.pk), {"next": "home"})
    assert response.status_code == 302 and response["Location"] == url("home", school_a.pk)
    assert Membership.objects.get().member == member_a.member
    assert "已加入" in client.get(url("home", school_a.pk)).content.decode()
    client.post(url("leave", school_a.pk, club_a.pk))
    assert Membership.objects.get().left_at is not None


def test_a_user_without_a_member_record_is_told_they_cannot_join(login, chair_a, school_a, club_a):
    client = login(chair_a)
    response = client.post(url("join", school_a.pk, club_a.pk), follow=True)
    assert "未关联会员档案" in response.content.decode()
    assert not Membership.objects.exists()


def test_members_vote_on_the_page_and_the_chair_confirms(
    login, members_in, chair_a, school_a, club_a, election_a
):
    li = members_in["li"].member
    for who in ("zhang", "li"):
        client = login(members_in[who])
        assert client.post(url("vote", school_a.pk, election_a.pk), {"candidate": li.pk}).status_code == 302
    page = login(members_in["zhang"]).get(url("club", school_a.pk, club_a.pk)).content.decode()
    assert "您已投票给 李四" in page and "李四：2 票" in page
    again = login(members_in["zhang"]).post(
        url("vote", school_a.pk, election_a.pk), {"candidate": li.pk}, follow=True
    )
    assert "已经投过票" in again.content.decode() and Vote.objects.count() == 2
    done = login(chair_a).post(url("confirm_election", school_a.pk, election_a.pk), follow=True)
    assert "李四任“教师书画社”组长" in done.content.decode()
    assert Club.objects.get().leader == li


def test_a_tie_says_so_on_the_page(login, members_in, chair_a, school_a, club_a, election_a):
    for who in ("zhang", "li"):
        client = login(members_in[who])
        client.post(url("vote", school_a.pk, election_a.pk), {"candidate": members_in[who].member.pk})
    response = login(chair_a).post(url("confirm_election", school_a.pk, election_a.pk), follow=True)
    page = response.content.decode()
    assert "票数相同" in page and "张三、李四" in page
    assert Election.objects.get().status == "open" and Club.objects.get().leader is None


def test_the_leader_requests_a_budget_and_a_bad_line_writes_nothing(login, members_in, school_a, led_club):
    client = login(members_in["li"])
    bad = client.post(
        url("new_budget", school_a.pk, led_club.pk), {"year": "2026", "lines": "宣纸\n讲座 abc"}
    )
    assert bad.status_code == 422 and "请写成“项目 金额”" in bad.content.decode()
    bad = client.post(url("new_budget", school_a.pk, led_club.pk), {"year": "2026", "lines": "讲座 abc"})
    assert bad.status_code == 422 and "金额应填写数字" in bad.content.decode()
    assert not Budget.objects.exists()
    ok = client.post(
        url("new_budget", school_a.pk, led_club.pk),
        {"year": "2026", "lines": "宣纸、墨汁 800\n外请讲座 1200元"},
    )
    assert ok.status_code == 302
    assert Budget.objects.get().requested == 2000


def test_the_chair_approves_less_and_finance_spends_against_it(
    login, chair_a, finance_a, school_a, budget_a, frozen
):
    response = login(chair_a).post(
        url("approve", school_a.pk, budget_a.pk), {"amount": "1500", "reason": "讲座费减半"}
    )
    assert response.status_code == 302
    client = login(finance_a)
    over = client.post(
        url("spend", school_a.pk, budget_a.pk), {"date": "2026-11-20", "amount": "1600", "memo": "讲座"}
    )
    assert over.status_code == 422
    page = over.content.decode()
    assert "超出预算" in page and "剩余 1500.00 元" in page and "本次 1600.00 元" in page
    assert not LedgerEntry.objects.exists()
    ok = client.post(
        url("spend", school_a.pk, budget_a.pk), {"date": "2026-11-20", "amount": "600", "memo": "宣纸"}
    )
    assert ok.status_code == 302
    page = login(chair_a).get(url("club", school_a.pk, budget_a.club_id) + "?year=2026").content.decode()
    assert "1500.00" in page and "600.00" in page and "900.00" in page
    assert AuditEvent.objects.filter(action="clubs.spending.record").count() == 1


def test_a_refusal_without_a_reason_re_renders_in_chinese(login, chair_a, school_a, budget_a):
    response = login(chair_a).post(url("refuse", school_a.pk, budget_a.pk), {"reason": ""})
    assert response.status_code == 422 and "请填写不批准的理由" in response.content.decode()
    assert Budget.objects.get().status == "pending"


def test_the_sports_member_creates_a_club_and_a_session(login, sports_a, school_a):
    client = login(sports_a)
    assert client.post(url("create", school_a.pk), {"name": ""}).status_code == 422
    response = client.post(
        url("create", school_a.pk), {"name": "羽毛球兴趣小组", "description": "每周五下午"}
    )
    club = Club.objects.get()
    assert response["Location"] == url("club", school_a.pk, club.pk)
    bad = client.post(
        url("new_session", school_a.pk, club.pk),
        {"title": "训练", "day": "2026-12-04", "start": "17:00", "end": "16:20"},
    )
    assert bad.status_code == 422 and "结束时间不能早于开始时间" in bad.content.decode()
    ok = client.post(
        url("new_session", school_a.pk, club.pk),
        {
            "title": "羽毛球训练",
            "day": "2026-12-04",
            "start": "16:20",
            "end": "17:00",
            "location": "体育馆",
            "weekly": "FREQ=WEEKLY;INTERVAL=2",
        },
    )
    assert ok.status_code == 302
    assert club.sessions.get().activity.rrule == "FREQ=WEEKLY;INTERVAL=2"
    plan = client.post(
        url("save_plan", school_a.pk, club.pk), {"year": "2026", "text": "双周五训练；五月 校内羽毛球赛。"}
    )
    assert plan.status_code == 302 and Plan.objects.get().year == 2026
