"""拨缴经费 and 上解 through the services."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import Org
from jiaogong.core.rules import set_org_value
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds import allocation, services
from jiaogong.funds.models import AllocationPayment, LedgerEntry, Remittance

D = Decimal
OCT = datetime.date(2026, 10, 1)
SEP = datetime.date(2026, 9, 1)


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(), school_a, "finance")


@pytest.mark.parametrize(
    ("month", "day", "due"),
    [
        (datetime.date(2026, 10, 1), 15, datetime.date(2026, 11, 15)),
        (datetime.date(2026, 12, 1), 15, datetime.date(2027, 1, 15)),
        (datetime.date(2026, 1, 1), 31, datetime.date(2026, 2, 28)),  # a short month ends earlier
    ],
)
def test_the_due_date_is_in_the_next_month(month, day, due):
    assert allocation.due_date(month, day) == due


def test_declare_receive_and_remit_a_month(school_a, finance):
    a = allocation.declare_payroll(actor=finance, org=school_a, month=OCT, payroll_total="512345.67")
    assert (a.due, a.due_on) == (D("10246.91"), datetime.date(2026, 11, 15))  # 2 % to the fen
    p = allocation.receive(
        actor=finance, allocation=a, amount="10246.91", paid_on=datetime.date(2026, 11, 12)
    )
    assert p.late_fee == 0
    assert (p.entry.kind, p.entry.category, p.entry.amount) == ("income", "拨缴经费收入", D("10246.91"))
    assert allocation.remittance_due(a) == D("4098.76")  # 40 %: 10246.91 − 6148.15
    r = allocation.remit(
        actor=finance, allocation=a, amount="4098.76", remitted_on=datetime.date(2026, 11, 20)
    )
    assert (r.entry.kind, r.entry.category, r.entry.payee) == (
        "expense",
        "上解上级支出",
        school_a.parent.name,
    )
    s = services.summary(school_a, 2026)
    assert s["expense"]["上解上级支出"] == D("4098.76")
    assert s["balance"] == D("6148.15")  # what the school keeps
    status = allocation.year_status(school_a, 2026, today=datetime.date(2026, 11, 23))
    row = status["rows"][0]
    assert (
        row["due"],
        row["paid"],
        row["arrears"],
        row["remit_due"],
        row["remitted"],
        row["remit_arrears"],
    ) == (
        D("10246.91"),
        D("10246.91"),
        D("0.00"),
        D("4098.76"),
        D("4098.76"),
        D("0.00"),
    )
    assert not row["overdue"]


def test_arrears_are_overdue_after_the_due_date(school_a, finance):
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="100000")
    allocation.receive(actor=finance, allocation=a, amount="1500", paid_on=datetime.date(2026, 10, 14))
    row = allocation.year_status(school_a, 2026, today=datetime.date(2026, 10, 16))["rows"][0]
    assert (row["arrears"], row["overdue"], row["days_late"]) == (D("500.00"), True, 1)
    row = allocation.year_status(school_a, 2026, today=datetime.date(2026, 10, 15))["rows"][0]
    assert not row["overdue"]


def test_the_late_fee_where_the_province_charges_one(school_a, finance):
    """Beijing: 5 ‰ of the arrears a day (a rule value; off by default)."""
    chair = grant(UserFactory(), school_a, "chair")
    set_org_value(actor=chair, org=school_a, key="funds.late_fee_daily", text="0.005", source="北京市规定")
    a = allocation.declare_payroll(
        actor=finance, org=school_a, month=SEP, payroll_total="100000"
    )  # due 2,000 by 10-15
    p = allocation.receive(actor=finance, allocation=a, amount="2000", paid_on=datetime.date(2026, 10, 25))
    assert p.late_fee == D("100.00")  # 2,000 × 5 ‰ × 10 days
    assert p.entry.amount == D("2100.00") and "滞纳金 100.00" in p.entry.memo
    # The late fee is not part of the 拨缴经费 split.
    assert allocation.remittance_due(a) == D("800.00")


def test_no_late_fee_by_default(school_a, finance):
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="100000")
    p = allocation.receive(actor=finance, allocation=a, amount="2000", paid_on=datetime.date(2026, 11, 20))
    assert p.late_fee == 0


def test_a_province_split_is_used(school_a, finance):
    # The split is the province's (a school may keep less, not more: core/rule_bounds.py).
    from jiaogong.core.models import RuleValue

    school_a.province = "浙江"
    school_a.save(update_fields=["province"])
    RuleValue.objects.create(
        key="funds.school_share", scope="province", province="浙江", value="0.7", source="省总工会规定"
    )
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="100000")
    allocation.receive(actor=finance, allocation=a, amount="2000", paid_on=datetime.date(2026, 10, 10))
    assert allocation.remittance_due(a) == D("600.00")


@pytest.mark.parametrize(
    ("amount", "field"),
    [("2000.01", "amount"), ("0", "amount"), ("abc", "amount"), ("-5", "amount")],
)
def test_receiving_more_than_owed_or_a_bad_amount_writes_nothing(school_a, finance, amount, field):
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="100000")
    with pytest.raises(InvalidInput) as e:
        allocation.receive(actor=finance, allocation=a, amount=amount, paid_on=datetime.date(2026, 10, 10))
    assert field in e.value.fields
    assert not AllocationPayment.objects.exists() and not LedgerEntry.objects.exists()


def test_remitting_more_than_the_share_writes_nothing(school_a, finance):
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="100000")
    allocation.receive(actor=finance, allocation=a, amount="1000", paid_on=datetime.date(2026, 10, 10))
    with pytest.raises(InvalidInput) as e:
        allocation.remit(
            actor=finance, allocation=a, amount="400.01", remitted_on=datetime.date(2026, 10, 20)
        )
    assert "尚欠 400.00 元" in e.value.fields["amount"]
    assert not Remittance.objects.exists()


def test_a_correction_of_the_payroll_cannot_drop_below_what_was_received(school_a, finance):
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="100000")
    allocation.receive(actor=finance, allocation=a, amount="1500", paid_on=datetime.date(2026, 10, 10))
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="80000")
    assert a.due == D("1600.00")
    with pytest.raises(InvalidInput):
        allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="70000")


def test_a_future_month_cannot_be_declared(school_a, finance):
    with pytest.raises(InvalidInput):
        allocation.declare_payroll(
            actor=finance, org=school_a, month=datetime.date(2027, 1, 1), payroll_total="1"
        )


def test_the_payroll_from_the_salary_sheet(school_a, finance):
    members = [MemberFactory(org=school_a) for _ in range(2)]
    services.put_salary_bases(
        actor=finance,
        org=school_a,
        month=OCT,
        rows=[
            {"member": m.pk, "components": {"岗位工资": "2830", "薪级工资": "1467", "绩效工资": "3000"}}
            for m in members
        ],
    )
    assert allocation.payroll_from_sheet(school_a, OCT) == D("14594.00")
    assert allocation.payroll_from_sheet(school_a, SEP) is None


def test_payments_and_remittances_are_append_only(school_a, finance):
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="100000")
    p = allocation.receive(actor=finance, allocation=a, amount="2000", paid_on=datetime.date(2026, 10, 10))
    r = allocation.remit(actor=finance, allocation=a, amount="800", remitted_on=datetime.date(2026, 10, 20))
    for model, pk in ((AllocationPayment, p.pk), (Remittance, r.pk)):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=pk).update(amount=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=pk).delete()


def test_the_federation_sees_its_schools(federation, school_a, school_b, finance):
    a = allocation.declare_payroll(actor=finance, org=school_a, month=SEP, payroll_total="100000")
    allocation.receive(actor=finance, allocation=a, amount="2000", paid_on=datetime.date(2026, 10, 10))
    allocation.remit(actor=finance, allocation=a, amount="500", remitted_on=datetime.date(2026, 10, 20))
    b = allocation.declare_payroll(
        actor=grant(UserFactory(), school_b, "finance"), org=school_b, month=SEP, payroll_total="50000"
    )
    assert b.due == D("1000.00")
    Org.objects.create(name="未申报学校", kind="school", parent=federation)
    rows = {r["org"].name: r for r in allocation.federation_overview(federation, 2026)}
    ra = rows[school_a.name]
    assert (ra["due"], ra["paid"], ra["arrears"], ra["remit_due"], ra["remitted"], ra["remit_arrears"]) == (
        D("2000.00"),
        D("2000.00"),
        D("0.00"),
        D("800.00"),
        D("500.00"),
        D("300.00"),
    )
    rb = rows[school_b.name]
    assert (rb["due"], rb["paid"], rb["arrears"], rb["remit_due"]) == (
        D("1000.00"),
        D("0.00"),
        D("1000.00"),
        D("0"),
    )
    assert rows["未申报学校"]["declared"] is False
