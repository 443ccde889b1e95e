"""会费与经费 pages: roles, tenancy, the salary sheet import, collection, the ledger, the 经审."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds import services
from jiaogong.funds.models import DuesPayment, EntryComment, LedgerEntry, SalaryBase, YearSignOff

MONTH = "2026-10"


def url(name, *args):
    return reverse(f"funds:{name}", args=args)


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(username="kuaiji"), school_a, "finance")


@pytest.fixture
def auditor(school_a):
    return grant(UserFactory(username="jingshen"), school_a, "auditor")


def sheet(rows, header=("姓名", "身份证号", "岗位工资", "薪级工资", "绩效工资")):
    wb = openpyxl.Workbook()
    wb.active.append(list(header))
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "工资表.xlsx"
    return out


def test_pages_refuse_outsiders_and_wrong_roles(
    login, school_a, finance, auditor, member_a, outsider_b, chair_a
):
    entry = services.record_entry(
        actor=finance,
        org=school_a,
        date=timezone.localdate(),
        kind="income",
        category="会费收入",
        amount="10",
        memo="x",
    )
    readers = [url("home", school_a.pk), url("dues", school_a.pk, MONTH), url("ledger", school_a.pk)]
    outsider = login(outsider_b)
    for page in [*readers, url("my_dues", school_a.pk), url("dues_template", school_a.pk)]:
        assert outsider.get(page).status_code == 404, page
    for page, body in [
        (url("entry_reverse", school_a.pk, entry.pk), {"reason": "x"}),
        (url("entry_comment", school_a.pk, entry.pk), {"text": "x"}),
        (url("sign_off", school_a.pk), {"year": "2025", "opinion": "x"}),
        (url("dues", school_a.pk, MONTH), {"action": "payroll"}),
    ]:
        assert outsider.post(page, body).status_code == 404, page
    member = login(member_a)
    assert member.get(url("home", school_a.pk)).url == url("my_dues", school_a.pk)
    for page in [
        url("dues", school_a.pk, MONTH),
        url("ledger", school_a.pk),
        url("dues_template", school_a.pk),
    ]:
        assert member.get(page).status_code == 403, page
    chair = login(chair_a)
    for page in readers:
        assert chair.get(page).status_code == 200, page
    assert chair.post(url("ledger", school_a.pk), {"kind": "income"}).status_code == 403
    assert chair.post(url("dues", school_a.pk, MONTH), {"action": "payroll"}).status_code == 403
    assert chair.post(url("entry_reverse", school_a.pk, entry.pk), {"reason": "x"}).status_code == 403
    assert (
        login(finance).post(url("sign_off", school_a.pk), {"year": "2025", "opinion": "x"}).status_code == 403
    )
    assert login(finance).post(url("entry_comment", school_a.pk, entry.pk), {"text": "x"}).status_code == 403
    assert LedgerEntry.objects.count() == 1 and not YearSignOff.objects.exists()


def test_import_the_sheet_collect_by_payroll_and_chase_arrears(login, school_a, finance):
    zhang = MemberFactory(org=school_a, name="张伟")
    wang = MemberFactory(org=school_a, name="王芳")
    client = login(finance)
    template = client.get(url("dues_template", school_a.pk))
    assert template.status_code == 200
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(template.content)).active[1]]
    assert header[:4] == ["姓名", "身份证号", "岗位工资", "薪级工资"]
    # A bad sheet: an unknown name and a word for a number; nothing is written, each row is named.
    bad = client.post(
        url("dues", school_a.pk, MONTH),
        {
            "action": "import",
            "file": sheet(
                [["张伟", "", 2830, 1467, 3000], ["赵六", "", 2000, 900, 0], ["王芳", "", "两千", 900, 0]]
            ),
        },
    )
    assert bad.status_code == 422
    assert "本工会没有名为“赵六”的会员" in bad.text and "应填写数字（元）" in bad.text
    assert not SalaryBase.objects.exists()
    good = client.post(
        url("dues", school_a.pk, MONTH),
        {
            "action": "import",
            "file": sheet([["张伟", "", 2830, 1467, 3000], ["王芳", "", "3120.00", "1005.5", ""]]),
        },
        follow=True,
    )
    assert "已导入 2 人的工资基数，每月应缴会费合计 42.05 元" in good.text
    assert SalaryBase.objects.get(member=zhang).components == {
        "岗位工资": "2830.00",
        "薪级工资": "1467.00",
        "绩效工资": "3000.00",
    }
    collected = client.post(url("dues", school_a.pk, MONTH), {"action": "payroll"}, follow=True)
    assert "已按工资代扣入账 42.05 元" in collected.text
    assert DuesPayment.objects.count() == 2
    again = client.post(url("dues", school_a.pk, MONTH), {"action": "payroll"}, follow=True)
    assert "没有待收的会费" in again.text and LedgerEntry.objects.count() == 1
    # September was never collected: both owe it; 王芳 pays in person.
    services.put_salary_bases(
        actor=finance,
        org=school_a,
        month=datetime.date(2026, 9, 1),
        rows=[{"member": m.pk, "components": {"岗位工资": "2830"}} for m in (zhang, wang)],
    )
    page = client.get(url("dues", school_a.pk, "2026-09"))
    assert "欠缴会费" in page.text and "王芳" in page.text
    paid = client.post(
        url("dues", school_a.pk, "2026-09"),
        {"action": "individual", "member": wang.pk, "month": "2026-09"},
        follow=True,
    )
    assert "已收 王芳 2026年9月会费 14.15 元" in paid.text
    assert client.get(url("dues", school_a.pk, "2026-13")).status_code == 404


def test_the_ledger_page_records_reverses_and_the_auditor_remarks_and_signs(
    login, school_a, finance, auditor
):
    client = login(finance)
    today = timezone.localdate()
    bad = client.post(
        url("ledger", school_a.pk),
        {
            "date": today.isoformat(),
            "kind": "expense",
            "category": "职工活动支出",
            "amount": "1.234",
            "memo": "",
            "account": "bank",
        },
    )
    assert bad.status_code == 200 and "最多保留两位小数" in bad.text and not LedgerEntry.objects.exists()
    wrong_category = client.post(
        url("ledger", school_a.pk),
        {
            "date": today.isoformat(),
            "kind": "income",
            "category": "职工活动支出",
            "amount": "5",
            "memo": "x",
            "account": "bank",
        },
    )
    assert "科目应为" in wrong_category.text and not LedgerEntry.objects.exists()
    ok = client.post(
        url("ledger", school_a.pk),
        {
            "date": today.isoformat(),
            "kind": "expense",
            "category": "维权支出",
            "subcategory": "送温暖",
            "amount": "600",
            "memo": "慰问住院教师",
            "payee": "李老师",
            "account": "bank",
        },
        follow=True,
    )
    assert "号凭证，支出 维权支出 600.00 元" in ok.text
    entry = LedgerEntry.objects.get()
    assert (
        client.post(url("entry_reverse", school_a.pk, entry.pk), {"reason": " "}, follow=True).status_code
        == 200
    )
    assert LedgerEntry.objects.count() == 1
    client.post(url("entry_reverse", school_a.pk, entry.pk), {"reason": "重复报销"})
    assert LedgerEntry.objects.get(reverses=entry).amount == Decimal("-600.00")
    page = client.get(url("ledger", school_a.pk)).text
    assert "已冲销" in page and "冲销" in page
    # The auditor remarks on an entry and signs a past year.
    audit = login(auditor)
    audit.post(url("entry_comment", school_a.pk, entry.pk), {"text": "缺少慰问签收单"})
    assert EntryComment.objects.get().text == "缺少慰问签收单"
    last_year = today.year - 1
    assert "经审签字" in audit.get(url("ledger", school_a.pk) + f"?year={last_year}").text
    signed = audit.post(
        url("sign_off", school_a.pk), {"year": str(last_year), "opinion": "收支真实，同意。"}, follow=True
    )
    assert f"{last_year} 年度账目已签字" in signed.text
    locked = login(finance).post(
        url("ledger", school_a.pk),
        {
            "date": f"{last_year}-12-31",
            "kind": "income",
            "category": "其他收入",
            "amount": "1",
            "memo": "补记",
            "account": "cash",
        },
    )
    assert "已经经审签字" in locked.text and LedgerEntry.objects.count() == 2


def test_a_member_sees_their_own_dues(login, school_a, finance):
    member = MemberFactory(org=school_a, name="陈静")
    user = grant(UserFactory(member=member), school_a, "member")
    services.put_salary_bases(
        actor=finance,
        org=school_a,
        month=datetime.date(2026, 10, 1),
        rows=[{"member": member.pk, "components": {"岗位工资": "2830", "薪级工资": "1467"}}],
    )
    page = login(user).get(url("my_dues", school_a.pk)).text
    assert "2026年10月" in page and "21.45" in page and "未缴" in page
    stranger = grant(UserFactory(), school_a, "member")
    assert "没有关联本工会的会员档案" in login(stranger).get(url("my_dues", school_a.pk)).text


def test_chasing_a_member_in_arrears_from_the_roll(login, school_a, finance, member_a, chair_a, outsider_b):
    member = member_a.member
    services.put_salary_bases(
        actor=finance,
        org=school_a,
        month=datetime.date(2026, 9, 1),
        rows=[{"member": member.pk, "components": {"岗位工资": "2830", "薪级工资": "1467"}}],
    )
    page = url("dues", school_a.pk, "2026-09")
    assert (
        login(chair_a).post(page, {"action": "remind", "member": member.pk, "method": "phone"}).status_code
        == 403
    )
    client = login(finance)
    done = client.post(page, {"action": "remind", "member": member.pk, "method": "phone"}, follow=True)
    assert "已记录电话催缴 张三 欠缴会费 21.45 元" in done.text and "已电话催缴" in done.text
    mine = login(member_a).get(url("my_dues", school_a.pk))
    assert (
        "您有 1 个月的会费未缴" in mine.text and "已提醒" in mine.text and "岗位工资 + 薪级工资" in mine.text
    )
    assert "0.5%" in mine.text
