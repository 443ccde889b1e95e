"""The books: transfers, account balances, statements, budgets, warnings and receipt scans."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiaogong.core.errors import InvalidInput, NeedsConfirmation
from jiaogong.core.models import AuditEvent
from jiaogong.factories import UserFactory, grant
from jiaogong.funds import books, rules, services
from jiaogong.funds.models import Attachment, Budget, LedgerEntry

D = Decimal
JAN = datetime.date(2026, 1, 10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%...\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(), school_a, "finance")


def entry(org, actor, kind, category, amount, date=JAN, **kw):
    return services.record_entry(
        actor=actor,
        org=org,
        date=date,
        kind=kind,
        category=category,
        amount=amount,
        memo=kw.pop("memo", "测试"),
        **kw,
    )


# ---- pure rules --------------------------------------------------------------------------------


def test_banned_use_warnings_name_the_rule():
    assert rules.banned_use_warnings("职工活动支出", "集体福利", "中秋节慰问发放现金") == [
        "节日慰问不得发放现金（八不准）。"
    ]
    assert rules.banned_use_warnings("其他支出", "", "购买超市购物卡 40 张") == [
        "不得以购物卡、代金券等形式发放节日慰问（八不准）。"
    ]
    assert "工会经费不得用于宴请或公款吃喝（八不准）。" in rules.banned_use_warnings(
        "业务支出", "会议", "会后聚餐"
    )
    assert rules.banned_use_warnings("职工活动支出", "文体活动", "教职工气排球比赛奖品") == []
    # Cash outside festivals (a hospital 慰问金) is allowed.
    assert rules.banned_use_warnings("维权支出", "送温暖", "住院慰问金") == []


@pytest.mark.parametrize(
    ("income", "spent", "excess"),
    [
        ("1000", "0", "0.00"),
        ("1000", "4000", "0.00"),  # top-up 3,000 = 3 × 1,000: at the ceiling
        ("1000", "4000.01", "0.01"),
        ("0", "10", "10.00"),  # no 会费 at all: every yuan of top-up is over
    ],
)
def test_the_dues_topup_ceiling(income, spent, excess):
    assert rules.dues_topup_excess(D(income), D(spent), 3) == D(excess)


@given(
    income=st.decimals(min_value=0, max_value=100000, places=2),
    spent=st.decimals(min_value=0, max_value=1000000, places=2),
    multiple=st.integers(min_value=0, max_value=5),
)
def test_the_topup_excess_is_what_passes_the_ceiling(income, spent, multiple):
    excess = rules.dues_topup_excess(income, spent, multiple)
    assert excess >= 0
    assert excess == max(spent - income * (1 + multiple), 0)


# ---- transfers and account balances -------------------------------------------------------------


def test_a_transfer_moves_money_between_accounts_and_is_neither_income_nor_expense(school_a, finance):
    entry(school_a, finance, "income", "会费收入", "1000.00")
    t = entry(
        school_a, finance, "transfer", "", "300.00", account="bank", counter_account="cash", memo="提取备用金"
    )
    entry(school_a, finance, "expense", "职工活动支出", "120.00", account="cash", subcategory="文体活动")
    assert t.category == "内部转账"
    assert books.account_balances(school_a) == {
        "bank": D("700.00"),
        "cash": D("180.00"),
        "total": D("880.00"),
    }
    s = services.summary(school_a, 2026)
    assert s["balance"] == D("880.00") and "内部转账" not in s["income"] and "内部转账" not in s["expense"]
    cash = books.ledger_lines(school_a, 2026, account="cash")
    assert [e.effect for e in cash["entries"]] == [D("300.00"), D("-120.00")]
    assert cash["closing"] == D("180.00")
    # A reversed transfer puts the money back.
    services.reverse_entry(actor=finance, entry=t, reason="记错")
    assert books.account_balances(school_a) == {
        "bank": D("1000.00"),
        "cash": D("-120.00"),
        "total": D("880.00"),
    }


@pytest.mark.parametrize(("account", "counter"), [("bank", "bank"), ("bank", ""), ("bank", "safe")])
def test_a_transfer_names_the_other_account(school_a, finance, account, counter):
    with pytest.raises(InvalidInput) as e:
        entry(school_a, finance, "transfer", "", "10", account=account, counter_account=counter)
    assert "counter_account" in e.value.fields
    assert not LedgerEntry.objects.exists()


def test_the_database_refuses_a_transfer_without_the_other_account(school_a, finance):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            org=school_a, date=JAN, kind="transfer", category="内部转账", amount=1, recorded_by=finance
        )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(["income", "expense", "transfer"]),
            st.sampled_from(["bank", "cash"]),
            st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_account_balances_add_up_to_the_summary(school_a, finance, moves):
    before = books.account_balances(school_a)
    for kind, account, amount in moves:
        category = {"income": "其他收入", "expense": "其他支出", "transfer": ""}[kind]
        counter = {"bank": "cash", "cash": "bank"}[account] if kind == "transfer" else ""
        entry(school_a, finance, kind, category, amount, account=account, counter_account=counter)
    after = books.account_balances(school_a)
    assert after["bank"] + after["cash"] == after["total"] == services.summary(school_a, 2026)["balance"]
    net = sum((a if k == "income" else -a) for k, _, a in moves if k != "transfer")
    assert after["total"] - before["total"] == net


# ---- statements ----------------------------------------------------------------------------------


def test_the_monthly_statement_carries_the_balance_from_month_to_month(school_a, finance, monkeypatch):
    # The reversal is dated the day it is made: pin that day to 23 November 2026.
    monkeypatch.setattr(services.timezone, "localdate", lambda *args: datetime.date(2026, 11, 23))
    entry(school_a, finance, "income", "会费收入", "500", date=datetime.date(2025, 12, 20))
    entry(school_a, finance, "income", "拨缴经费收入", "2000", date=datetime.date(2026, 1, 16))
    entry(
        school_a,
        finance,
        "expense",
        "职工活动支出",
        "800",
        date=datetime.date(2026, 3, 5),
        subcategory="集体福利",
    )
    e = entry(
        school_a, finance, "expense", "业务支出", "100", date=datetime.date(2026, 3, 9), subcategory="会议"
    )
    services.reverse_entry(actor=finance, entry=e, reason="重复记账")
    m = books.monthly_statement(school_a, 2026)
    assert m["opening"] == D("500.00")
    assert m["months"][0] == {
        "month": 1,
        "opening": D("500.00"),
        "income": D("2000.00"),
        "expense": D("0"),
        "closing": D("2500.00"),
    }
    # The reversal is dated the day it is made (红字冲销 in the open period), not in March.
    assert m["months"][2]["expense"] == D("900.00")
    assert m["months"][10]["expense"] == D("-100.00")
    assert m["months"][11]["closing"] == m["closing"] == D("1700.00")
    assert m["income"]["拨缴经费收入"][0] == D("2000.00")
    assert m["expense"]["职工活动支出"][2] == D("800.00")
    assert (m["income_total"], m["expense_total"]) == (D("2000.00"), D("800.00"))


# ---- budgets ---------------------------------------------------------------------------------------


def test_budget_against_actual(school_a, finance):
    books.set_budgets(
        actor=finance,
        org=school_a,
        year=2026,
        amounts={
            ("income", "会费收入"): "6000",
            ("expense", "职工活动支出"): "1000",
            ("expense", "维权支出"): "",
        },
    )
    entry(school_a, finance, "expense", "职工活动支出", "1200", subcategory="文体活动")
    report = books.budget_vs_actual(school_a, 2026)
    activity = next(r for r in report["expense"] if r["category"] == "职工活动支出")
    assert (activity["budget"], activity["actual"], activity["left"], activity["used"], activity["over"]) == (
        D("1000.00"),
        D("1200.00"),
        D("-200.00"),
        D("120"),
        True,
    )
    rights = next(r for r in report["expense"] if r["category"] == "维权支出")
    assert rights["budget"] is None and not rights["over"]
    assert report["income_budget"] == D("6000.00") and report["expense_budget"] == D("1000.00")
    # A revision is audited with before and after.
    books.set_budgets(actor=finance, org=school_a, year=2026, amounts={("expense", "职工活动支出"): "1500"})
    assert Budget.objects.get(category="职工活动支出").amount == D("1500.00")
    assert AuditEvent.objects.filter(action="funds.budget.update").get().changes == {
        "amount": ["1000.00", "1500.00"]
    }


def test_a_bad_budget_saves_nothing(school_a, finance):
    with pytest.raises(InvalidInput) as e:
        books.set_budgets(
            actor=finance,
            org=school_a,
            year=2026,
            amounts={
                ("income", "会费收入"): "6000",
                ("expense", "职工活动支出"): "一千",
                ("expense", "旅游支出"): "1",
            },
        )
    assert set(e.value.fields) == {"expense:职工活动支出", "expense:旅游支出"}
    assert not Budget.objects.exists()


# ---- warnings on expenses ------------------------------------------------------------------------


def test_a_banned_use_is_held_until_confirmed(school_a, finance):
    """Held by default: only an explicit confirmation records it (no caller confirms by omission)."""
    with pytest.raises(NeedsConfirmation) as e:
        entry(school_a, finance, "expense", "职工活动支出", "3000", subcategory="集体福利", memo="春节购物卡")
    assert (e.value.status, e.value.code) == (409, "needs_confirmation")
    assert "购物卡" in e.value.fields["warnings"]
    assert e.value.extra["warnings"] == ["不得以购物卡、代金券等形式发放节日慰问（八不准）。"]
    assert not LedgerEntry.objects.exists()
    confirmed = entry(
        school_a,
        finance,
        "expense",
        "职工活动支出",
        "3000",
        subcategory="集体福利",
        memo="春节购物卡",
        confirm_warnings=True,
    )
    assert confirmed.warnings
    assert (
        AuditEvent.objects.get(action="funds.entry.create").changes["warnings_confirmed"]
        == confirmed.warnings
    )


def test_the_dues_topup_ceiling_warns_above_three_times_the_dues(school_a, finance):
    entry(school_a, finance, "income", "会费收入", "1000")
    entry(
        school_a,
        finance,
        "expense",
        "职工活动支出",
        "4000",
        subcategory="文体活动",
        from_dues=True,
        confirm_warnings=False,
    )
    with pytest.raises(NeedsConfirmation) as e:
        entry(
            school_a,
            finance,
            "expense",
            "职工活动支出",
            "0.01",
            subcategory="文体活动",
            from_dues=True,
            confirm_warnings=False,
        )
    assert "会费收入的 3 倍" in e.value.fields["warnings"]
    # Not marked 会费列支: no ceiling.
    entry(school_a, finance, "expense", "职工活动支出", "500", subcategory="文体活动", confirm_warnings=False)
    assert services.dues_funding(school_a, 2026) == (D("1000.00"), D("4000.00"))


def test_only_an_expense_is_paid_from_dues(school_a, finance):
    with pytest.raises(InvalidInput) as e:
        entry(school_a, finance, "income", "会费收入", "10", from_dues=True)
    assert "from_dues" in e.value.fields


# ---- receipt scans ---------------------------------------------------------------------------------


def test_receipt_scans_are_sniffed_and_kept(school_a, finance):
    e = entry(school_a, finance, "expense", "业务支出", "88", subcategory="培训")
    a = books.add_attachment(actor=finance, entry=e, upload=SimpleUploadedFile("发票.png", PNG, "image/png"))
    b = books.add_attachment(
        actor=finance, entry=e, upload=SimpleUploadedFile("x.bin", PDF, "application/octet-stream")
    )
    assert (a.content_type, b.content_type) == ("image/png", "application/pdf")
    with a.file.open("rb") as f:
        assert f.read() == PNG
    for name, content in [("发票.png", b"GIF89a..."), ("a.pdf", b"<html>"), ("empty.png", b"")]:
        with pytest.raises(InvalidInput):
            books.add_attachment(actor=finance, entry=e, upload=SimpleUploadedFile(name, content))
    assert Attachment.objects.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.filter(pk=a.pk).delete()


def test_no_attachment_in_a_signed_year(school_a, finance):
    e = entry(
        school_a, finance, "expense", "业务支出", "88", date=datetime.date(2025, 5, 1), subcategory="培训"
    )
    auditor = grant(UserFactory(), school_a, "auditor")
    services.sign_off_year(actor=auditor, org=school_a, year=2025, opinion="账实相符")
    with pytest.raises(InvalidInput):
        books.add_attachment(actor=finance, entry=e, upload=SimpleUploadedFile("a.png", PNG))
    assert not Attachment.objects.exists()
