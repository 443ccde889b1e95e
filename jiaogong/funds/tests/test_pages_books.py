"""The newer funds pages: ledger transfers and warnings, receipt scans, budget, monthly statement,
拨缴经费 and 上解, the federation's view, 慰问发放 — roles, tenancy and bad input on each."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jiaogong.core.models import Org
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds import allocation, services
from jiaogong.funds.models import (
    AllocationMonth,
    AllocationPayment,
    Attachment,
    Benefit,
    Budget,
    LedgerEntry,
    Remittance,
)

D = Decimal
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def url(name, *args):
    return reverse(f"funds:{name}", args=args)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(username="kuaiji"), school_a, "finance")


@pytest.fixture
def auditor(school_a):
    return grant(UserFactory(username="jingshen"), school_a, "auditor")


@pytest.fixture
def welfare(school_a):
    return grant(UserFactory(username="shenghuo"), school_a, "welfare")


@pytest.fixture
def entry(school_a, finance):
    return services.record_entry(
        actor=finance,
        org=school_a,
        date=timezone.localdate(),
        kind="expense",
        category="业务支出",
        subcategory="培训",
        amount="88",
        memo="培训资料",
    )


def test_every_new_page_refuses_outsiders_with_404(login, school_a, outsider_b, entry, finance):
    a = services_attachment(finance, entry)
    client = login(outsider_b)
    pages = [
        url("budget", school_a.pk),
        url("statement", school_a.pk),
        url("allocation", school_a.pk),
        url("benefits", school_a.pk),
        url("attachment", school_a.pk, a.pk),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
    posts = [
        (url("attachment_add", school_a.pk, entry.pk), {"file": SimpleUploadedFile("a.png", PNG)}),
        (url("budget", school_a.pk), {"expense:职工活动支出": "1"}),
        (url("allocation", school_a.pk), {"action": "declare"}),
        (url("benefits", school_a.pk), {"action": "give"}),
    ]
    for page, data in posts:
        assert client.post(page, data).status_code == 404, page
    assert Attachment.objects.count() == 1 and not Budget.objects.exists()


def status(client, page) -> int:
    """GET a page and close the response (a served file is otherwise left open)."""
    response = client.get(page)
    if response.streaming:  # the test client closes the file once its content is read
        b"".join(response.streaming_content)
    return response.status_code


def services_attachment(finance, entry):
    from jiaogong.funds import books

    return books.add_attachment(actor=finance, entry=entry, upload=SimpleUploadedFile("发票.png", PNG))


def test_wrong_roles_get_403(login, school_a, member_a, chair_a, auditor, entry, finance):
    a = services_attachment(finance, entry)
    plain = login(member_a)
    for page in ("budget", "statement", "allocation", "benefits"):
        assert plain.get(url(page, school_a.pk)).status_code == 403, page
    assert plain.get(url("attachment", school_a.pk, a.pk)).status_code == 403
    # The chair and the auditor read but do not write the books.
    for reader in (chair_a, auditor):
        client = login(reader)
        assert client.get(url("budget", school_a.pk)).status_code == 200
        assert status(client, url("attachment", school_a.pk, a.pk)) == 200
        assert client.post(url("budget", school_a.pk), {"expense:职工活动支出": "1"}).status_code == 403
        assert client.post(url("allocation", school_a.pk), {"action": "declare"}).status_code == 403
        up = client.post(
            url("attachment_add", school_a.pk, entry.pk), {"file": SimpleUploadedFile("a.png", PNG)}
        )
        assert up.status_code == 403
    # The auditor reads the 慰问 but does not give them.
    client = login(auditor)
    assert client.get(url("benefits", school_a.pk)).status_code == 200
    assert client.post(url("benefits", school_a.pk), {"action": "give"}).status_code == 403
    assert not Budget.objects.exists() and Attachment.objects.count() == 1


def test_a_vice_chair_does_not_see_the_private_benefits(login, school_a):
    vice = grant(UserFactory(), school_a, "vice_chair")
    client = login(vice)
    assert client.get(url("benefits", school_a.pk)).status_code == 403
    assert client.get(url("ledger", school_a.pk)).status_code == 200


def test_the_ledger_page_transfers_and_holds_a_banned_use_until_confirmed(login, school_a, finance):
    client = login(finance)
    today = timezone.localdate().isoformat()
    r = client.post(
        url("ledger", school_a.pk),
        {
            "date": today,
            "kind": "transfer",
            "account": "bank",
            "counter_account": "cash",
            "amount": "500",
            "memo": "提取备用金",
        },
        follow=True,
    )
    assert "内部转账 500.00 元" in r.text or "内部转账" in r.text
    t = LedgerEntry.objects.get(kind="transfer")
    assert (t.account, t.counter_account, t.category) == ("bank", "cash", "内部转账")
    held = {
        "date": today,
        "kind": "expense",
        "category": "职工活动支出",
        "subcategory": "集体福利",
        "amount": "2000",
        "memo": "中秋节发放购物卡",
        "account": "bank",
    }
    r = client.post(url("ledger", school_a.pk), held)
    assert r.status_code == 200 and "请核实" in r.text and "购物卡" in r.text and "已核实，仍要记账" in r.text
    assert LedgerEntry.objects.filter(kind="expense").count() == 0
    r = client.post(url("ledger", school_a.pk), {**held, "confirm_warnings": "on"}, follow=True)
    assert "已确认的提示" in r.text
    assert LedgerEntry.objects.filter(kind="expense").count() == 1
    cash = client.get(url("ledger", school_a.pk) + "?account=cash")
    assert cash.status_code == 200 and "500.00" in cash.text


def test_a_receipt_scan_is_uploaded_and_served_inline(login, school_a, finance, entry):
    client = login(finance)
    r = client.post(
        url("attachment_add", school_a.pk, entry.pk),
        {"file": SimpleUploadedFile("发票.png", PNG)},
        follow=True,
    )
    assert "已将“发票.png”附在" in r.text
    a = Attachment.objects.get()
    got = client.get(url("attachment", school_a.pk, a.pk))
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert got["Content-Disposition"].startswith("inline") and b"".join(got.streaming_content) == PNG
    bad = client.post(
        url("attachment_add", school_a.pk, entry.pk),
        {"file": SimpleUploadedFile("a.png", b"<script>")},
        follow=True,
    )
    assert "只能上传 JPG、PNG 图片或 PDF 文件" in bad.text and Attachment.objects.count() == 1


def test_another_orgs_attachment_is_404_even_through_my_org(login, school_a, school_b, finance):
    other_finance = grant(UserFactory(), school_b, "finance")
    other = services.record_entry(
        actor=other_finance,
        org=school_b,
        date=timezone.localdate(),
        kind="expense",
        category="其他支出",
        amount="1",
        memo="x",
    )
    a = services_attachment(other_finance, other)
    client = login(finance)
    assert client.get(url("attachment", school_a.pk, a.pk)).status_code == 404
    assert (
        client.post(
            url("attachment_add", school_a.pk, other.pk), {"file": SimpleUploadedFile("a.png", PNG)}
        ).status_code
        == 404
    )


def test_the_budget_page_saves_all_or_nothing(login, school_a, finance):
    client = login(finance)
    year = timezone.localdate().year
    bad = client.post(
        url("budget", school_a.pk) + f"?year={year}",
        {"year": year, "income:会费收入": "6000", "expense:职工活动支出": "一万"},
    )
    assert bad.status_code == 200 and "预算有误" in bad.text and not Budget.objects.exists()
    ok = client.post(
        url("budget", school_a.pk),
        {"year": year, "income:会费收入": "6000", "expense:职工活动支出": "100"},
        follow=True,
    )
    assert f"{year} 年预算已保存" in ok.text
    services.record_entry(
        actor=finance,
        org=school_a,
        date=timezone.localdate(),
        kind="expense",
        category="职工活动支出",
        subcategory="文体活动",
        amount="150",
        memo="气排球比赛",
    )
    page = client.get(url("budget", school_a.pk))
    assert "超预算" in page.text and "150%" in page.text
    home = client.get(url("home", school_a.pk))
    assert "超预算的支出科目：职工活动支出" in home.text


def test_the_statement_page(login, school_a, chair_a, entry):
    page = login(chair_a).get(url("statement", school_a.pk))
    assert page.status_code == 200 and "逐月收支" in page.text and "88.00" in page.text


def test_declare_receive_and_remit_through_the_page(login, school_a, school_b, finance):
    client = login(finance)
    today = timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    r = client.post(
        url("allocation", school_a.pk),
        {"action": "declare", "declare-month": f"{month:%Y-%m}", "declare-payroll_total": "300000"},
        follow=True,
    )
    assert "应拨缴 6000.00 元" in r.text, r.text[:3000]
    a = AllocationMonth.objects.get()
    bad = client.post(
        url("allocation", school_a.pk),
        {
            "action": "receive",
            "receive-allocation": a.pk,
            "receive-amount": "6000.01",
            "receive-date": today.isoformat(),
        },
    )
    assert "到账金额不能超过尚欠金额" in bad.text and not AllocationPayment.objects.exists()
    client.post(
        url("allocation", school_a.pk),
        {
            "action": "receive",
            "receive-allocation": a.pk,
            "receive-amount": "6000",
            "receive-date": today.isoformat(),
        },
    )
    r = client.post(
        url("allocation", school_a.pk),
        {
            "action": "remit",
            "remit-allocation": a.pk,
            "remit-amount": "2400",
            "remit-date": today.isoformat(),
        },
        follow=True,
    )
    assert "已登记上解" in r.text
    assert Remittance.objects.get().amount == D("2400.00")
    # Another org's month cannot be chosen (the form only offers this org's).
    other = AllocationMonth.objects.create(
        org=school_b,
        month=month,
        payroll_total=1,
        rate=D("0.02"),
        due=D("1.00"),
        due_on=today,
        recorded_by=finance,
    )
    r = client.post(
        url("allocation", school_a.pk),
        {
            "action": "receive",
            "receive-allocation": other.pk,
            "receive-amount": "0.01",
            "receive-date": today.isoformat(),
        },
    )
    assert r.status_code == 200 and not AllocationPayment.objects.filter(allocation=other).exists()


def test_the_federation_sees_its_schools_and_no_one_else_does(
    login, federation, school_a, school_b, officer, finance, chair_a
):
    a = allocation.declare_payroll(
        actor=finance, org=school_a, month=datetime.date(2026, 9, 1), payroll_total="100000"
    )
    allocation.receive(actor=finance, allocation=a, amount="2000", paid_on=datetime.date(2026, 10, 10))
    client = login(officer)
    page = client.get(url("federation", federation.pk) + "?year=2026")
    assert page.status_code == 200 and school_a.name in page.text and "800.00" in page.text
    assert school_b.name in page.text and "未申报工资总额" in page.text
    assert client.get(url("home", federation.pk)).status_code == 302
    detail = client.get(url("federation_school", federation.pk, school_a.pk) + "?year=2026")
    assert detail.status_code == 200 and "2000.00" in detail.text
    # A school of another federation is not this federation's.
    other_fed = Org.objects.create(name="别区教育工会", kind="federation")
    stranger = Org.objects.create(name="别区一中", kind="school", parent=other_fed)
    assert client.get(url("federation_school", federation.pk, stranger.pk)).status_code == 404
    assert client.get(url("federation", other_fed.pk)).status_code == 404
    # A school's officers do not see the federation's page (404: it is not their org), and the
    # federation page asked of a school is 404 too.
    assert login(chair_a).get(url("federation", federation.pk)).status_code == 404
    assert login(officer).get(url("federation", school_a.pk)).status_code == 404


def test_benefits_page_refuses_over_the_cap_and_the_chair_overrides(login, school_a, welfare, chair_a):
    teacher = MemberFactory(org=school_a, name="赵老师")
    today = timezone.localdate()
    give = {
        "action": "give",
        "give-member": teacher.pk,
        "give-kind": "hospital",
        "give-form": "cash",
        "give-amount": "1500",
        "give-date": today.isoformat(),
        "give-account": "bank",
    }
    client = login(welfare)
    r = client.post(url("benefits", school_a.pk), give)
    assert (
        r.status_code == 200
        and "生病住院慰问每次不超过 1000.00 元" in r.text
        and "最多还可发 1000.00 元" in r.text
    )
    assert "超标准理由" not in r.text  # only the chair's form has the field
    assert not Benefit.objects.exists()
    client = login(chair_a)
    r = client.post(
        url("benefits", school_a.pk),
        {**give, "give-override_reason": "住院时间长，委员会研究同意"},
        follow=True,
    )
    assert "超标准发放" in r.text
    b = Benefit.objects.get()
    assert b.overridden_by == chair_a and b.entry.category == "维权支出"
    cash = client.post(
        url("benefits", school_a.pk),
        {**give, "give-kind": "festival", "give-festival": "国庆", "give-amount": "100"},
    )
    assert "节日慰问不得发放现金" in cash.text and Benefit.objects.count() == 1


def test_festival_for_everyone_through_the_page(login, school_a, welfare):
    staff = [MemberFactory(org=school_a) for _ in range(3)]
    client = login(welfare)
    today = timezone.localdate()
    r = client.post(
        url("benefits", school_a.pk),
        {
            "action": "festival",
            "fest-festival": "国庆",
            "fest-form": "goods",
            "fest-amount": "200",
            "fest-date": today.isoformat(),
            "fest-account": "bank",
            "fest-memo": "大米食用油",
        },
        follow=True,
    )
    assert f"已登记国庆节日慰问 {len(staff)} 人" in r.text
    lookup = client.get(url("benefits", school_a.pk) + f"?member={staff[0].pk}")
    assert "节日慰问已发 200.00 元，还可发 1300.00 元" in lookup.text
