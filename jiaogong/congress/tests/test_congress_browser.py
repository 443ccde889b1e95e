"""The congress day through a real Chromium: a delegate shows their QR code, the desk scans it,
the projector sees the quorum, the chair opens a secret vote, the delegate votes on the phone,
the projector shows the result, the delegate checks their receipt."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.congress import appraisals, proposals, sessions, voting
from jiaogong.congress.models import Attendance, Ballot, Poll
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.factories import MemberFactory, UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def day(school_a):
    """The 8th congress's 1st session today: 12 delegates, 7 checked in (one short of the quorum)."""
    today = timezone.localdate()
    chair = grant(UserFactory(username="chair", first_name="王主席"), school_a, "chair")
    members = [MemberFactory(org=school_a, is_teacher=i % 4 != 0) for i in range(12)]
    members[0].name = "李晓红"
    members[0].save()
    congress = sessions.create_congress(
        actor=chair,
        org=school_a,
        term=8,
        session=1,
        title="第八届第一次教职工代表大会",
        opens_on=today,
        delegates=[m.pk for m in members],
    )
    sessions.add_agenda_item(
        actor=chair, congress=congress, kind="adopt", title="讨论通过《教职工奖励性绩效工资分配方案》"
    )
    sessions.add_paper(
        actor=chair, congress=congress, title="学校工作报告", sent_on=today - datetime.timedelta(days=8)
    )
    seats = list(sessions.voters(congress).select_related("member").order_by("id"))
    for seat in seats[1:8]:
        sessions.check_in(actor=chair, congress=congress, delegate=seat)
    voter = grant(UserFactory(username="lixh", member=members[0]), school_a, "member")
    others = [grant(UserFactory(member=s.member), school_a, "member") for s in seats[1:8]]
    return congress, chair, voter, seats, others


def test_check_in_by_qr_then_vote_on_the_phone_with_the_projector_live(browser_page, day):
    congress, chair, voter, seats, others = day
    org = congress.org
    base = f"/o/{org.pk}/congress/{congress.pk}"

    projector = browser_page("desktop")
    log_in(projector, "chair")
    projector.goto(f"{base}/projector/")
    assert "差 1 人" in projector.locator("#screen").inner_text()

    phone = browser_page("phone")
    log_in(phone, "lixh")
    phone.goto(f"{base}/my-code/")
    assert phone.locator(".qr svg").is_visible()
    assert fits_the_screen(phone)
    shoot(phone, "congress-my-code-phone")
    # The desk phone scans the code: it encodes this address (the delegate's own token).
    code_url = f"{base}/c/{seats[0].checkin_token}/"

    desk = browser_page("phone")
    log_in(desk, "chair")
    desk.goto(code_url)
    assert "李晓红" in desk.content()
    desk.get_by_role("button", name="确认签到").click()
    desk.wait_for_load_state("networkidle")
    assert "签到成功" in desk.content()
    shoot(desk, "congress-checkin-code-phone")

    # The projector refreshes itself: the quorum is met without reloading.
    projector.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('已达到')", timeout=10000
    )

    poll = voting.create_poll(
        actor=chair, congress=congress, title="讨论通过《绩效工资分配方案》", kind="secret"
    )
    desk.goto(f"/o/{org.pk}/polls/{poll.pk}/")
    desk.get_by_role("button", name="开始表决").click()
    desk.wait_for_load_state("networkidle")
    assert Poll.objects.get(pk=poll.pk).state == "open"
    projector.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('正在表决')", timeout=10000
    )
    shoot(projector, "congress-projector-voting-desktop")

    phone.goto(f"{base}/vote/")
    assert fits_the_screen(phone)
    shoot(phone, "congress-vote-phone")
    phone.get_by_role("button", name="赞成").click()
    phone.wait_for_load_state("networkidle")
    receipt = phone.locator(".receipt-code").inner_text().strip()
    assert Ballot.objects.filter(poll=poll, receipt=receipt).exists()
    shoot(phone, "congress-receipt-phone")
    phone.goto(f"{base}/vote/")
    assert "您已投票" in phone.content()

    for user in others:  # seven more yes: 8 of 12 delegates, 8 × 2 > 12 → passed
        voting.cast_ballot(user=user, poll_id=poll.pk, choice="赞成")
    projector.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('8 /')", timeout=10000
    )
    voting.close_poll(actor=chair, poll=poll)
    projector.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('应到 12 · 实到 8')", timeout=10000
    )
    screen = projector.locator("#screen").inner_text()
    assert "应到 12 · 实到 8 · 投票 8" in screen
    for seat in seats:  # a secret poll never shows a name on the projector
        assert seat.member.name not in screen
    shoot(projector, "congress-projector-result-desktop")

    phone.goto(f"/o/{org.pk}/polls/{poll.pk}/")
    phone.get_by_label("回执号").fill(receipt)
    phone.get_by_role("button", name="核对").click()
    phone.wait_for_load_state("networkidle")
    assert f"回执 {receipt} 已计入：赞成" in phone.content()
    assert fits_the_screen(phone)
    shoot(phone, "congress-receipt-check-phone")
    assert Attendance.objects.filter(congress=congress).count() == 8


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_congress_page_renders_and_fits(browser_page, day, viewport):
    congress, chair, voter, seats, others = day
    org = congress.org
    sessions.check_in(actor=chair, congress=congress, delegate=seats[0])
    poll = voting.create_poll(actor=chair, congress=congress, title="讨论通过《奖励办法》", kind="secret")
    voting.open_poll(actor=chair, poll=poll)
    for user in [voter, *others]:
        voting.cast_ballot(user=user, poll_id=poll.pk, choice="赞成")
    voting.close_poll(actor=chair, poll=poll)
    proposal = proposals.draft_proposal(
        actor=voter,
        congress=congress,
        title="关于增设教师午休室的提案",
        reasons="部分教师中午无处休息。",
        measures="利用闲置教室改建午休室。",
        today=congress.opens_on - datetime.timedelta(days=20),
    )
    appraisal = appraisals.create_appraisal(
        actor=chair, congress=congress, subjects=[{"name": "陈校长", "position": "校长"}]
    )
    base = f"/o/{org.pk}/congress/{congress.pk}"
    pages = {
        "congress-list": f"/o/{org.pk}/congress/",
        "congress-detail": f"{base}/",
        "congress-delegates": f"{base}/delegates/",
        "congress-delegate-end": f"{base}/delegates/{seats[3].pk}/end/",
        "congress-checkin": f"{base}/checkin/",
        "congress-badges": f"{base}/badges/",
        "congress-polls": f"{base}/polls/",
        "congress-poll": f"/o/{org.pk}/polls/{poll.pk}/",
        "congress-structure": f"{base}/structure/",
        "congress-proposals": f"{base}/proposals/",
        "congress-proposal": f"/o/{org.pk}/proposals/{proposal.pk}/",
        "congress-departments": f"/o/{org.pk}/congress/departments/",
        "congress-appraisal-new": f"{base}/appraisals/new/",
        "congress-appraisal": f"/o/{org.pk}/appraisals/{appraisal.pk}/",
        "congress-papers": f"{base}/papers/",
    }
    page = browser_page(viewport)
    log_in(page, "chair")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, (name, response.status)
        assert page.locator("h1").count() >= 1, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    page.goto(f"{base}/projector/")
    shoot(page, f"congress-projector-{viewport}")
    assert errors == []
