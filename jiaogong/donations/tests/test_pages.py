"""慈善捐款 pages: every page refuses outsiders (404) and wrong roles (403); the finance member
opens a campaign, records one giver and a group's envelope, reverses, hands over and exports; a
member sees their own contributions."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from jiaogong.core.models import AuditEvent
from jiaogong.donations import services
from jiaogong.donations.models import Campaign, Contribution, HandOver
from jiaogong.factories import MemberFactory, UnionGroupFactory, UserFactory, grant
from jiaogong.funds.models import LedgerEntry

D = Decimal


def url(name, *args):
    return reverse(f"donations:{name}", args=args)


@pytest.fixture
def day():
    return timezone.localdate()


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(username="kuaiji", first_name="刘会计"), school_a, "finance")


@pytest.fixture
def auditor(school_a):
    return grant(UserFactory(username="jingshen"), school_a, "auditor")


def open_campaign(org, actor, day, title="2026年慈善一日捐", suggested="100"):
    return services.create_campaign(
        actor=actor,
        org=org,
        title=title,
        beneficiary="区慈善总会",
        starts_on=day - datetime.timedelta(days=10),
        ends_on=day + datetime.timedelta(days=10),
        suggested_amount=suggested,
    )


@pytest.fixture
def campaign(school_a, finance, day):
    return open_campaign(school_a, finance, day)


@pytest.fixture
def given(campaign, finance, member_a, day):
    """张三 (member_a's member, 语文组) gave 100 yuan."""
    return services.record_contribution(
        actor=finance, campaign=campaign, member=member_a.member, amount="100", paid_on=day, method="cash"
    )


def pages(org, campaign, contribution):
    """(method, url, body) of every donation view on `org` for `campaign`."""
    return [
        ("get", url("home", org.pk), None),
        ("get", url("mine", org.pk), None),
        ("get", url("create", org.pk), None),
        ("post", url("create", org.pk), {"title": "x", "beneficiary": "x"}),
        ("get", url("campaign", org.pk, campaign.pk), None),
        ("post", url("campaign", org.pk, campaign.pk), {"name": "x", "amount": "1", "method": "cash"}),
        ("get", url("batch", org.pk, campaign.pk), None),
        ("post", url("batch", org.pk, campaign.pk), {"method": "cash"}),
        ("post", url("reverse", org.pk, campaign.pk, contribution.pk), {"reason": "x"}),
        ("get", url("hand_over", org.pk, campaign.pk), None),
        ("post", url("hand_over", org.pk, campaign.pk), {"amount": "100", "receipt_number": "1"}),
        ("get", url("export", org.pk, campaign.pk), None),
    ]


def call(client, method, page, body):
    return client.get(page) if method == "get" else client.post(page, body or {})


def test_every_page_is_404_for_an_outsider(login, school_a, outsider_b, campaign, given):
    client = login(outsider_b)
    for method, page, body in pages(school_a, campaign, given):
        assert call(client, method, page, body).status_code == 404, (method, page)
    assert Contribution.objects.count() == 1 and not HandOver.objects.exists()


def test_another_orgs_campaign_is_404_under_ones_own_org(
    login, school_a, school_b, finance, campaign, given, day
):
    """A finance member of school A who types school B's campaign id into school A's address."""
    finance_b = grant(UserFactory(username="kuaiji_b"), school_b, "finance")
    theirs = open_campaign(school_b, finance_b, day, title="冷水溪慈善一日捐")
    their_gift = services.record_contribution(
        actor=finance_b, campaign=theirs, name="李四", amount="50", paid_on=day, method="cash"
    )
    client = login(finance)
    for method, page, body in pages(school_a, theirs, their_gift):
        if "/donations/" + str(theirs.pk) in page or "contributions" in page:
            assert call(client, method, page, body).status_code == 404, (method, page)
    # Nor a contribution of school B's campaign under school A's own campaign.
    assert (
        client.post(url("reverse", school_a.pk, campaign.pk, their_gift.pk), {"reason": "x"}).status_code
        == 404
    )
    assert (
        Contribution.objects.count() == 2 and Contribution.objects.filter(reverses__isnull=False).count() == 0
    )


def test_a_plain_member_is_refused_every_page_but_their_own(login, school_a, member_a, campaign, given):
    client = login(member_a)
    for method, page, body in pages(school_a, campaign, given):
        response = call(client, method, page, body)
        if page == url("home", school_a.pk):
            assert response.status_code == 302 and response.url == url("mine", school_a.pk)
        elif page == url("mine", school_a.pk):
            assert response.status_code == 200
        else:
            assert response.status_code == 403, (method, page)
    assert Contribution.objects.count() == 1 and Campaign.objects.count() == 1


@pytest.mark.parametrize("role", ["chair", "vice_chair", "auditor"])
def test_readers_read_but_do_not_write(login, school_a, campaign, given, role):
    client = login(grant(UserFactory(username=f"reader_{role}"), school_a, role))
    for method, page, body in pages(school_a, campaign, given):
        response = call(client, method, page, body)
        if method == "get" and page.endswith(("/donations/", f"/{campaign.pk}/", "mine/", ".xlsx")):
            assert response.status_code == 200, (method, page)
        else:
            assert response.status_code == 403, (method, page)
    assert (
        Contribution.objects.count() == 1 and Campaign.objects.count() == 1 and not HandOver.objects.exists()
    )


def test_anonymous_visitors_are_sent_to_log_in(client, school_a, campaign, given):
    for method, page, body in pages(school_a, campaign, given):
        response = call(client, method, page, body)
        assert response.status_code == 302 and "/accounts/login/" in response.url, page


def test_the_navigation_shows_the_donations_to_the_chair(login, chair_a, school_a):
    page = login(chair_a).get(reverse("core:dashboard", args=[school_a.pk])).text
    assert url("home", school_a.pk) in page and "慈善捐款" in page


# ---- the finance member's work -------------------------------------------------------------------------


def test_finance_opens_a_campaign_from_the_form(login, school_a, finance, day):
    client = login(finance)
    form = client.get(url("create", school_a.pk))
    assert f"{day.year}年慈善一日捐" in form.text and "代收代转，不计入工会经费" in form.text
    bad = client.post(url("create", school_a.pk), {"title": "", "starts_on": "2026-13-01", "ends_on": ""})
    assert bad.status_code == 422
    assert "请填写开始日期。" in bad.text or "不是有效日期" in bad.text
    assert not Campaign.objects.exists()
    done = client.post(
        url("create", school_a.pk),
        {
            "title": "2026年慈善一日捐",
            "beneficiary": "区慈善总会",
            "purpose": "帮扶困难群众",
            "starts_on": f"{day:%Y-%m-%d}",
            "ends_on": f"{day + datetime.timedelta(days=14):%Y-%m-%d}",
            "suggested_amount": "100",
        },
        follow=True,
    )
    campaign = Campaign.objects.get()
    assert done.redirect_chain[-1][0] == url("campaign", school_a.pk, campaign.pk)
    assert "已创建捐款活动“2026年慈善一日捐”" in done.text
    assert campaign.suggested_amount == D("100.00") and campaign.created_by == finance


def test_the_campaign_page_says_it_is_a_separate_account(login, chair_a, school_a, campaign, given):
    page = login(chair_a).get(url("campaign", school_a.pk, campaign.pk))
    assert "代收代转，不计入工会经费" in page.text
    assert "张三" in page.text and "语文组" in page.text and "100.00" in page.text
    assert url("batch", school_a.pk, campaign.pk) not in page.text  # the chair reads only


def test_finance_records_one_giver_and_a_bad_one_is_shown_not_written(
    login, school_a, finance, campaign, member_a, day
):
    client = login(finance)
    page = url("campaign", school_a.pk, campaign.pk)
    bad = client.post(
        page, {"member": member_a.member.pk, "amount": "-3", "paid_on": f"{day:%Y-%m-%d}", "method": "cash"}
    )
    assert bad.status_code == 422 and "金额应大于零。" in bad.text
    assert not Contribution.objects.exists()
    done = client.post(
        page,
        {"member": member_a.member.pk, "amount": "100", "paid_on": f"{day:%Y-%m-%d}", "method": "wechat"},
        follow=True,
    )
    assert "已登记 张三 捐款 100.00 元。" in done.text
    outside = client.post(
        page,
        {"name": "临聘 周师傅", "amount": "20", "paid_on": f"{day:%Y-%m-%d}", "method": "cash"},
        follow=True,
    )
    assert "已登记 临聘 周师傅 捐款 20.00 元。" in outside.text and "名册外" in outside.text
    again = client.post(
        page, {"member": member_a.member.pk, "amount": "50", "paid_on": f"{day:%Y-%m-%d}", "method": "cash"}
    )
    assert again.status_code == 422 and "张三 已登记捐款 100.00 元" in again.text
    assert Contribution.objects.count() == 2


def test_finance_records_a_groups_envelope_at_once(login, school_a, finance, campaign, group_a, day):
    members = [
        MemberFactory(org=school_a, name=n, union_group=group_a) for n in ("甲老师", "乙老师", "丙老师")
    ]
    other = UnionGroupFactory(org=school_a, name="数学组")
    MemberFactory(org=school_a, name="丁老师", union_group=other)
    client = login(finance)
    page = url("batch", school_a.pk, campaign.pk) + f"?group={group_a.pk}"
    shown = client.get(page)
    assert "甲老师" in shown.text and "丁老师" not in shown.text
    filled = client.get(page + "&fill=1")
    assert f'name="amount_{members[0].pk}" value="100.00"' in filled.text
    body = {"paid_on": f"{day:%Y-%m-%d}", "method": "cash"}
    bad = client.post(
        page,
        {
            **body,
            f"amount_{members[0].pk}": "100",
            f"amount_{members[1].pk}": "一百",
            f"amount_{members[2].pk}": "",
        },
    )
    assert bad.status_code == 422 and "乙老师的金额应填写数字" in bad.text
    assert 'value="一百"' in bad.text  # what was typed is kept
    assert not Contribution.objects.exists()
    done = client.post(
        page,
        {
            **body,
            f"amount_{members[0].pk}": "100",
            f"amount_{members[1].pk}": "200",
            "outside_name_0": "校外 刘先生",
            "outside_amount_0": "50",
        },
        follow=True,
    )
    assert "已登记 3 人捐款，共 350.00 元。" in done.text
    assert set(Contribution.objects.values_list("name", "group_name")) == {
        ("甲老师", "语文组"),
        ("乙老师", "语文组"),
        ("校外 刘先生", ""),
    }
    # Those who gave have no input any more.
    again = client.get(page)
    assert f'name="amount_{members[0].pk}"' not in again.text and "已登记 100.00" in again.text


def test_finance_reverses_a_wrong_contribution(login, school_a, finance, campaign, given):
    client = login(finance)
    refused = client.post(url("reverse", school_a.pk, campaign.pk, given.pk), {"reason": ""}, follow=True)
    assert "未冲销：请写明冲销原因。" in refused.text
    done = client.post(
        url("reverse", school_a.pk, campaign.pk, given.pk), {"reason": "记错了人"}, follow=True
    )
    assert "已冲销 张三 的捐款记录（-100.00 元）。" in done.text
    assert Contribution.objects.get(reverses=given).amount == D("-100.00")
    assert "已冲销" in client.get(url("campaign", school_a.pk, campaign.pk)).text


def test_finance_hands_over_the_total_and_the_campaign_closes(login, school_a, finance, campaign, given, day):
    client = login(finance)
    form = client.get(url("hand_over", school_a.pk, campaign.pk))
    assert form.status_code == 200 and "100.00" in form.text and 'value="区慈善总会"' in form.text
    body = {"handed_on": f"{day:%Y-%m-%d}", "recipient": "区慈善总会", "receipt_number": "CS-0418"}
    wrong = client.post(url("hand_over", school_a.pk, campaign.pk), {**body, "amount": "90"})
    assert wrong.status_code == 422 and "移交金额应等于已收捐款合计 100.00 元（1 人）" in wrong.text
    assert not HandOver.objects.exists()
    done = client.post(url("hand_over", school_a.pk, campaign.pk), {**body, "amount": "100"}, follow=True)
    assert "已登记移交：100.00 元（1 人）交区慈善总会，收据 CS-0418。本次活动已结束。" in done.text
    assert "移交记录" in done.text and "登记一笔捐款" not in done.text
    # Closed: the forms are gone and the services refuse.
    assert client.get(url("hand_over", school_a.pk, campaign.pk)).status_code == 302
    late = client.post(
        url("campaign", school_a.pk, campaign.pk),
        {"name": "迟到的人", "amount": "10", "paid_on": f"{day:%Y-%m-%d}", "method": "cash"},
        follow=True,
    )
    assert "活动已结束，不能再登记捐款" in late.text
    again = client.post(url("hand_over", school_a.pk, campaign.pk), {**body, "amount": "100"}, follow=True)
    assert "不能再移交" in again.text
    assert "已经移交，不能再登记" in client.get(url("batch", school_a.pk, campaign.pk)).text
    assert Contribution.objects.count() == 1 and HandOver.objects.count() == 1
    assert not LedgerEntry.objects.exists()


def test_the_list_shows_each_campaign_with_its_total(login, school_a, chair_a, finance, campaign, given, day):
    open_campaign(school_a, finance, day, title="2025年慈善一日捐")
    page = login(chair_a).get(url("home", school_a.pk))
    assert page.status_code == 200
    assert "2026年慈善一日捐" in page.text and "2025年慈善一日捐" in page.text and "100.00" in page.text
    assert url("create", school_a.pk) not in page.text


# ---- the Excel sheet ----------------------------------------------------------------------------------


def test_the_export_is_a_real_workbook_with_the_right_totals(
    login, school_a, finance, auditor, campaign, group_a, day
):
    zhang = MemberFactory(org=school_a, name="张伟", union_group=group_a)
    wang = MemberFactory(
        org=school_a, name="王芳", union_group=UnionGroupFactory(org=school_a, name="数学组")
    )
    services.record_contributions(
        actor=finance,
        campaign=campaign,
        rows=[
            {"member": zhang.pk, "amount": "100"},
            {"member": wang.pk, "amount": "1000"},
            {"name": "=cmd|x", "amount": "5.5"},
        ],
        paid_on=day,
        method="cash",
    )
    wrong = Contribution.objects.get(member=wang)
    services.reverse_contribution(actor=finance, contribution=wrong, reason="应为 100 元")
    services.record_contribution(
        actor=finance, campaign=campaign, member=wang, amount="100", paid_on=day, method="cash"
    )
    services.hand_over(
        actor=finance,
        campaign=campaign,
        handed_on=day,
        recipient="区慈善总会",
        amount="205.50",
        receipt_number="CS-9",
    )
    response = login(auditor).get(url("export", school_a.pk, campaign.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert cells[0][0] == "2026年慈善一日捐捐款明细表"
    assert "代收代转，不计入工会经费" in cells[1][0]
    assert list(cells[2][:6]) == ["序号", "姓名", "工会小组", "金额（元）", "捐款日期", "方式"]
    givers = [r for r in cells[3:] if isinstance(r[0], int)]
    # Standing rows only, by group: 数学组 王芳 (the corrected 100), 语文组 张伟, then the outsider.
    assert [(r[1], r[2], r[3]) for r in givers] == [
        ("王芳", "数学组", 100),
        ("张伟", "语文组", 100),
        ("=cmd|x", "非会员", 5.5),
    ]
    assert givers[0][4].date() == day
    total = next(r for r in cells if r[0] == "合计")
    assert (total[1], total[3]) == ("3 人", 205.5)
    assert ws.cell(row=6, column=2).data_type == "s"  # a name is never a formula
    flat = [v for r in cells for v in r if v is not None]
    assert "移交记录" in flat and "CS-9" in flat and "区慈善总会" in flat
    assert flat.index("移交记录") > flat.index("合计")
    assert not AuditEvent.objects.filter(action__startswith="donations.export").exists()


def test_the_export_of_an_open_campaign_says_not_yet_handed_over(login, school_a, finance, campaign, given):
    response = login(finance).get(url("export", school_a.pk, campaign.pk))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    flat = [v for r in ws.iter_rows(values_only=True) for v in r if v is not None]
    assert any(str(v).startswith("尚未移交。已收捐款 100.00 元，1 人。") for v in flat)


# ---- a member's own -------------------------------------------------------------------------------------


def test_a_member_sees_their_own_contributions_only(login, school_a, finance, member_a, campaign, given, day):
    services.record_contribution(
        actor=finance, campaign=campaign, name="别人", amount="999", paid_on=day, method="cash"
    )
    client = login(member_a)
    response = client.get(url("home", school_a.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("mine", school_a.pk)
    assert "2026年慈善一日捐" in response.text and "100.00" in response.text
    assert "999" not in response.text and "别人" not in response.text
    assert "收集中" in response.text


def test_a_login_without_a_member_sees_no_contributions(login, school_a, campaign, given):
    office = grant(UserFactory(username="office"), school_a, "department")
    response = login(office).get(url("mine", school_a.pk))
    assert response.status_code == 200 and "没有关联本单位的会员档案" in response.text


def test_the_audit_log_names_the_donation_writes(login, school_a, chair_a, finance, campaign, given):
    services.reverse_contribution(actor=finance, contribution=given, reason="记错了人")
    page = login(chair_a).get(reverse("core:audit", args=[school_a.pk]) + "?action=donations.")
    assert page.status_code == 200
    for label in ("新建捐款活动", "登记捐款", "冲销捐款记录", "记错了人", "冲销的记录"):
        assert label in page.text, label
