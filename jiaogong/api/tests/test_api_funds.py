"""API v1, 会费与经费: salary bases and dues, the append-only ledger, its summary."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds.models import LedgerEntry, SalaryBase

MONTH = "2026-10"


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(first_name="刘会计"), school_a, "finance")


@pytest.fixture
def auditor(school_a):
    return grant(UserFactory(first_name="周经审"), school_a, "auditor")


@pytest.fixture
def staff(school_a):
    return [
        MemberFactory(org=school_a, name="张老师"),
        MemberFactory(org=school_a, name="王老师"),
        MemberFactory(org=school_a, name="退休李老师", status="retired"),
    ]


def entry(api, user, org, **body):
    data = {
        "date": "2026-10-08",
        "kind": "expense",
        "category": "职工活动支出",
        "amount": "1200.00",
        "memo": "教职工趣味运动会奖品",
    }
    return api(user).post(f"/orgs/{org.pk}/ledger/entries", data | body)


def test_salary_bases_give_the_dues_roll(api, finance, auditor, school_a, staff):
    body = [
        {
            "member": staff[0].pk,
            "components": {"岗位工资": "2830.00", "薪级工资": "1467.00", "绩效工资": "3100"},
        },
        {"member": staff[1].pk, "components": {"岗位工资": 3120, "薪级工资": 1005.5}},
        {"member": staff[2].pk, "components": {"岗位工资": "3000"}},
    ]
    response = api(finance).put(f"/orgs/{school_a.pk}/salary-bases/{MONTH}", body)
    assert response.status_code == 200, response.json()
    assert response.json() == {"month": MONTH, "members": 3, "total": "42.05"}
    roll = api(auditor).get(f"/orgs/{school_a.pk}/dues/{MONTH}").json()
    by_name = {i["name"]: i for i in roll["items"]}
    assert by_name["张老师"]["base"] == "4290.00" and by_name["张老师"]["amount"] == "21.45"
    assert by_name["王老师"]["base"] == "4120.00" and by_name["王老师"]["amount"] == "20.60"
    assert by_name["退休李老师"]["amount"] == "0.00" and by_name["退休李老师"]["exempt"] == "退休会员免缴"
    assert roll["total"] == "42.05"
    # Sending a member's month again replaces it.
    api(finance).put(
        f"/orgs/{school_a.pk}/salary-bases/{MONTH}",
        [{"member": staff[1].pk, "components": {"岗位工资": "2000"}}],
    )
    assert SalaryBase.objects.get(member=staff[1]).dues == Decimal("10.00")
    assert AuditEvent.objects.filter(action="funds.salary_bases.put").count() == 2


def test_bad_salary_rows_write_nothing_and_name_each_row(api, finance, school_a, school_b, staff):
    stranger = MemberFactory(org=school_b)
    body = [
        {"member": staff[0].pk, "components": {"岗位工资": "2830.00"}},
        {"member": stranger.pk, "components": {"岗位工资": "2830.00"}},
        {"member": staff[1].pk, "components": {"岗位工资": "两千"}},
        {"member": staff[0].pk, "components": {"岗位工资": "1.001"}},
    ]
    response = api(finance).put(f"/orgs/{school_a.pk}/salary-bases/{MONTH}", body)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["2.member"] == "第 2 行：没有找到该会员。"
    assert "第 3 行岗位工资应填写数字（元）" in fields["3.components.岗位工资"]
    assert "出现了两次" in fields["4.member"]
    assert not SalaryBase.objects.exists()
    bad_month = api(finance).put(f"/orgs/{school_a.pk}/salary-bases/2026-13", [])
    assert bad_month.status_code == 400 and "2026-11" in bad_month.json()["error"]["fields"]["month"]


def test_the_ledger_is_append_only_and_corrected_by_reversal(api, finance, auditor, school_a):
    response = entry(api, finance, school_a)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["amount"] == "1200.00" and created["reverses"] is None
    entry(api, finance, school_a, kind="income", category="会费收入", amount="3000", memo="10月会费")
    # No edits, no deletes: 405 through the API...
    path = f"/ledger/entries/{created['id']}"
    for method in ("put", "patch", "delete"):
        refused = getattr(api(finance), method)(path, {"amount": "1.00"})
        assert refused.status_code == 405 and refused.json()["error"]["code"] == "method_not_allowed"
    # ...and at the database.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE funds_ledgerentry SET amount = 1 WHERE id = %s", [created["id"]])
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=created["id"]).delete()
    # A reversal carries the opposite amount, cites the original, and nets the category out.
    reversal = api(finance).post(f"{path}/reverse", {"reason": "金额记错"})
    assert reversal.status_code == 201
    assert reversal.json()["amount"] == "-1200.00" and reversal.json()["reverses"] == created["id"]
    assert api(auditor).get(path).json()["reversed_by"] == reversal.json()["id"]
    again = api(finance).post(f"{path}/reverse", {"reason": "再冲一次"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_reversed"
    twice = api(finance).post(f"/ledger/entries/{reversal.json()['id']}/reverse", {"reason": "冲销冲销"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "is_reversal"
    summary = api(auditor).get(f"/orgs/{school_a.pk}/ledger/summary", {"year": 2026}).json()
    assert summary["expense"]["职工活动支出"] == "0.00"
    assert summary["income"]["会费收入"] == "3000.00"
    assert summary["balance"] == "3000.00"


def test_bad_entries_are_refused_in_chinese(api, finance, school_a):
    cases = [
        ({"category": "吃喝"}, "category"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"memo": "  "}, "memo"),
        ({"subcategory": "旅游"}, "subcategory"),
        ({"date": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()}, "date"),
    ]
    for body, field in cases:
        response = entry(api, finance, school_a, **body)
        assert response.status_code == 400, body
        assert field in response.json()["error"]["fields"], body
    assert not LedgerEntry.objects.exists()
    no_reason = entry(api, finance, school_a).json()["id"]
    refused = api(finance).post(f"/ledger/entries/{no_reason}/reverse", {"reason": " "})
    assert refused.status_code == 400 and LedgerEntry.objects.count() == 1


def test_roles_and_tenancy(api, finance, auditor, chair_a, member_a, outsider_b, school_a):
    created = entry(api, finance, school_a).json()
    reads = [
        f"/orgs/{school_a.pk}/dues/{MONTH}",
        f"/orgs/{school_a.pk}/ledger/summary?year=2026",
        f"/ledger/entries/{created['id']}",
    ]
    for path in reads:
        assert api(auditor).get(path).status_code == 200, path
        assert api(chair_a).get(path).status_code == 200, path
        assert api(member_a).get(path).status_code == 403, path
        assert api(outsider_b).get(path).status_code == 404, path
    writes = [
        ("put", f"/orgs/{school_a.pk}/salary-bases/{MONTH}", []),
        (
            "post",
            f"/orgs/{school_a.pk}/ledger/entries",
            {"date": "2026-10-08", "kind": "income", "category": "会费收入", "amount": "1", "memo": "x"},
        ),
        ("post", f"/ledger/entries/{created['id']}/reverse", {"reason": "x"}),
    ]
    for method, path, body in writes:
        for user in (auditor, chair_a, member_a):
            assert getattr(api(user), method)(path, body).status_code == 403, (path, user)
        assert getattr(api(outsider_b), method)(path, body).status_code == 404, path
    assert LedgerEntry.objects.count() == 1


def test_warnings_and_transfers_through_the_api(api, finance, auditor, school_a):
    """A banned use is refused with 409 `needs_confirmation` and its warnings, nothing written; the
    same request with `confirm: true` is recorded and names them; a transfer moves money between
    accounts without touching the summary; bad transfers write nothing."""
    held = entry(api, finance, school_a, subcategory="集体福利", memo="春节慰问发放超市购物卡")
    assert held.status_code == 409
    assert held.json()["error"]["code"] == "needs_confirmation"
    assert held.json()["error"]["warnings"] == ["不得以购物卡、代金券等形式发放节日慰问（八不准）。"]
    assert not LedgerEntry.objects.exists() and not AuditEvent.objects.filter(action="funds.entry.create")
    held = entry(api, finance, school_a, subcategory="集体福利", memo="春节慰问发放超市购物卡", confirm=True)
    assert held.status_code == 201
    assert held.json()["warnings"] == ["不得以购物卡、代金券等形式发放节日慰问（八不准）。"]
    assert AuditEvent.objects.filter(action="funds.entry.create").last().changes["warnings_confirmed"]
    entry(api, finance, school_a, kind="income", category="会费收入", amount="5000", memo="会费")
    moved = entry(
        api,
        finance,
        school_a,
        kind="transfer",
        category="",
        account="bank",
        counter_account="cash",
        amount="300",
        memo="提取备用金",
    )
    assert moved.status_code == 201, moved.json()
    assert (moved.json()["category"], moved.json()["counter_account"], moved.json()["warnings"]) == (
        "内部转账",
        "cash",
        [],
    )
    summary = api(auditor).get(f"/orgs/{school_a.pk}/ledger/summary", {"year": 2026}).json()
    assert summary["balance"] == "3800.00" and "内部转账" not in summary["expense"]
    before = LedgerEntry.objects.count()
    for body in ({"counter_account": "bank"}, {"counter_account": ""}):
        bad = entry(
            api, finance, school_a, kind="transfer", category="", account="bank", amount="1", memo="x", **body
        )
        assert bad.status_code == 400 and "counter_account" in bad.json()["error"]["fields"]
    bad = entry(api, finance, school_a, kind="income", category="会费收入", from_dues=True)
    assert bad.status_code == 400 and "from_dues" in bad.json()["error"]["fields"]
    assert LedgerEntry.objects.count() == before
