"""Dues collection, arrears, the signed-year lock and the auditor's remarks, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds import services
from jiaogong.funds.models import DuesPayment, YearSignOff

OCT = datetime.date(2026, 10, 1)
SEP = datetime.date(2026, 9, 1)


@pytest.fixture
def finance(school_a):
    return grant(UserFactory(), school_a, "finance")


@pytest.fixture
def roll(school_a, finance):
    staff = [MemberFactory(org=school_a) for _ in range(4)] + [MemberFactory(org=school_a, status="retired")]
    for month in (SEP, OCT):
        services.put_salary_bases(
            actor=finance,
            org=school_a,
            month=month,
            rows=[{"member": m.pk, "components": {"岗位工资": "2830", "薪级工资": "1467"}} for m in staff],
        )
    return staff


def test_the_payroll_deduction_collects_the_whole_roll_in_one_entry(school_a, finance, roll):
    entry = services.collect_payroll(
        actor=finance, org=school_a, month=OCT, paid_on=datetime.date(2026, 10, 15)
    )
    assert (entry.kind, entry.category, entry.amount) == ("income", "会费收入", Decimal("85.80"))  # 4 × 21.45
    assert "4 人" in entry.memo
    assert DuesPayment.objects.filter(month=OCT).count() == 4  # the retiree owes nothing
    with pytest.raises(Conflict) as e:
        services.collect_payroll(actor=finance, org=school_a, month=OCT, paid_on=datetime.date(2026, 10, 15))
    assert e.value.code == "nothing_due"


def test_arrears_then_an_individual_payment(school_a, finance, roll):
    services.collect_payroll(actor=finance, org=school_a, month=OCT, paid_on=datetime.date(2026, 10, 15))
    owing = services.arrears(school_a, today=datetime.date(2026, 11, 23))
    assert {o["member"].pk for o in owing} == {m.pk for m in roll[:4]}
    assert all(o["months"] == [SEP] and o["total"] == Decimal("21.45") for o in owing)
    payment = services.collect_individual(
        actor=finance, org=school_a, member=roll[0], month=SEP, paid_on=datetime.date(2026, 11, 20)
    )
    assert payment.amount == Decimal("21.45") and payment.entry.payee == roll[0].name
    assert roll[0].pk not in {
        o["member"].pk for o in services.arrears(school_a, today=datetime.date(2026, 11, 23))
    }
    with pytest.raises(Conflict) as e:
        services.collect_individual(actor=finance, org=school_a, member=roll[0], month=SEP, paid_on=OCT)
    assert e.value.code == "already_paid"
    with pytest.raises(Conflict) as e:
        services.collect_individual(actor=finance, org=school_a, member=roll[4], month=SEP, paid_on=OCT)
    assert e.value.code == "nothing_due"  # retired: exempt
    mine = services.dues_of_member(roll[0])
    assert [(r["month"], r["payment"] is not None) for r in mine] == [(OCT, True), (SEP, True)]


def test_a_signed_year_takes_no_new_entries_and_corrections_go_into_the_open_year(school_a, finance):
    auditor = grant(UserFactory(), school_a, "auditor")
    old = services.record_entry(
        actor=finance,
        org=school_a,
        date=datetime.date(2025, 12, 20),
        kind="expense",
        category="职工活动支出",
        amount="800",
        memo="元旦游园活动",
    )
    with pytest.raises(InvalidInput):
        services.sign_off_year(actor=auditor, org=school_a, year=2025, opinion=" ")
    with pytest.raises(InvalidInput):
        services.sign_off_year(actor=auditor, org=school_a, year=datetime.date.today().year, opinion="同意")
    services.sign_off_year(actor=auditor, org=school_a, year=2025, opinion="收支真实，同意。")
    with pytest.raises(Conflict):
        services.sign_off_year(actor=auditor, org=school_a, year=2025, opinion="再签一次")
    with pytest.raises(InvalidInput) as e:
        services.record_entry(
            actor=finance,
            org=school_a,
            date=datetime.date(2025, 12, 30),
            kind="expense",
            category="职工活动支出",
            amount="100",
            memo="补记",
        )
    assert "已经经审签字" in e.value.fields["date"]
    reversal = services.reverse_entry(actor=finance, entry=old, reason="发票重复报销")
    assert reversal.date.year > 2025 and f"第 {old.pk} 号凭证" in reversal.memo
    with pytest.raises(IntegrityError), transaction.atomic():
        YearSignOff.objects.filter(org=school_a).delete()
    comment = services.comment_entry(actor=auditor, entry=old, text="附件缺少验收单")
    assert old.comments.get() == comment


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["income", "expense"]),
            st.decimals(min_value="0.01", max_value="99999.99", places=2),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_the_yearly_summary_equals_the_ledger(school_a, finance, entries):
    year = datetime.date.today().year
    before = services.summary(school_a, year)["balance"]
    expected = Decimal("0.00")
    for kind, amount, reverse in entries:
        category = "会费收入" if kind == "income" else "维权支出"
        entry = services.record_entry(
            actor=finance,
            org=school_a,
            date=datetime.date.today(),
            kind=kind,
            category=category,
            amount=amount,
            memo="性质测试",
        )
        if reverse:
            services.reverse_entry(actor=finance, entry=entry, reason="测试冲销")
        else:
            expected += amount if kind == "income" else -amount
    after = services.summary(school_a, year)
    assert after["balance"] - before == expected
    assert after["balance"] == sum(after["income"].values()) - sum(after["expense"].values())


def test_a_reminder_records_what_is_owed_and_the_member_sees_it(school_a, finance, roll, client):
    from jiaogong.funds.models import DuesReminder

    today = datetime.date(2026, 11, 23)
    reminder = services.remind(actor=finance, org=school_a, member=roll[0], method="phone", today=today)
    assert (reminder.months, reminder.amount) == (["2026-09", "2026-10"], Decimal("42.90"))
    with pytest.raises(InvalidInput):
        services.remind(actor=finance, org=school_a, member=roll[1], method="pigeon", today=today)
    with pytest.raises(Conflict) as e:
        services.remind(
            actor=finance, org=school_a, member=roll[4], method="phone", today=today
        )  # retired: owes nothing
    assert e.value.code == "nothing_owed"
    assert DuesReminder.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesReminder.objects.filter(pk=reminder.pk).update(amount=0)
    assert services.last_reminders(school_a)[roll[0].pk] == reminder


def test_annual_bases_fill_the_rest_of_the_year(school_a, finance):
    teacher = MemberFactory(org=school_a)
    result = services.put_salary_bases(
        actor=finance,
        org=school_a,
        month=datetime.date(2026, 9, 1),
        through=datetime.date(2026, 12, 1),
        rows=[{"member": teacher.pk, "components": {"岗位工资": "2830", "薪级工资": "1467"}}],
    )
    assert result["months"] == 4
    from jiaogong.funds.models import SalaryBase

    assert [b.month.month for b in SalaryBase.objects.filter(member=teacher)] == [9, 10, 11, 12]
    with pytest.raises(InvalidInput):
        services.put_salary_bases(
            actor=finance,
            org=school_a,
            month=datetime.date(2026, 9, 1),
            through=datetime.date(2027, 1, 1),
            rows=[{"member": teacher.pk, "components": {"岗位工资": "1"}}],
        )


def test_a_paid_month_keeps_its_base(school_a, finance, roll):
    services.collect_payroll(actor=finance, org=school_a, month=OCT, paid_on=datetime.date(2026, 10, 15))
    raise_ = {"member": roll[0].pk, "components": {"岗位工资": "3000", "薪级工资": "1467"}}
    with pytest.raises(InvalidInput) as e:
        services.put_salary_bases(actor=finance, org=school_a, month=OCT, rows=[raise_])
    assert "已按 21.45 元缴纳" in e.value.fields["1.member"]
    # The same figures again are fine (the dues do not change).
    same = {"member": roll[0].pk, "components": {"岗位工资": "2830", "薪级工资": "1467"}}
    assert services.put_salary_bases(actor=finance, org=school_a, month=OCT, rows=[same])["members"] == 1


def test_salary_bases_are_all_or_nothing_even_when_a_write_fails(school_a, finance, monkeypatch):
    from jiaogong.core import audit
    from jiaogong.funds.models import SalaryBase

    teachers = [MemberFactory(org=school_a) for _ in range(3)]

    def fail(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(audit, "record", fail)
    with pytest.raises(RuntimeError):
        services.put_salary_bases(
            actor=finance,
            org=school_a,
            month=OCT,
            rows=[{"member": t.pk, "components": {"岗位工资": "2830"}} for t in teachers],
        )
    assert not SalaryBase.objects.exists()


def test_a_member_sent_again_replaces_the_month(school_a, finance):
    from jiaogong.funds.models import SalaryBase

    teacher = MemberFactory(org=school_a)
    for post in ("2830", "3010"):
        services.put_salary_bases(
            actor=finance,
            org=school_a,
            month=OCT,
            rows=[{"member": teacher.pk, "components": {"岗位工资": post}}],
        )
    base = SalaryBase.objects.get(member=teacher)
    assert (base.pay, base.base, base.dues) == (Decimal("3010.00"), Decimal("3010.00"), Decimal("15.05"))
