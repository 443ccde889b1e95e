"""The books under concurrency: the 经审's sign-off against new entries, and the payroll deduction
against a member paying the same month in person.

Runs on both databases (SQLite in WAL with IMMEDIATE transactions, PostgreSQL) with real
transactions and one connection per thread, as the web server has. A short pause inside the
services widens each race window, so every round is a race, not a lucky ordering.
"""

import datetime
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds import services
from jiaogong.funds.models import DuesPayment, LedgerEntry, YearSignOff

ROUNDS = 12
WRITERS = 4


def _pause():
    time.sleep(random.uniform(0, 0.02))


def _race(tasks):
    """Run the callables at the same moment, one thread and one connection each; each gives
    ("ok", value) or (the DomainError, None). Anything else (a 500) is re-raised."""
    barrier = threading.Barrier(len(tasks))

    def run(task):
        try:
            barrier.wait()
            return ("ok", task())
        except (Conflict, InvalidInput) as e:
            return (e, None)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        return list(pool.map(run, tasks))


@pytest.mark.django_db(transaction=True)
def test_no_entry_lands_in_a_year_signed_while_it_was_recorded(school_a, monkeypatch):
    finance = grant(UserFactory(), school_a, "finance")
    auditor = grant(UserFactory(), school_a, "auditor")
    checked = services.year_signed

    def slow_check(org, year):  # the check passes, then the writer dawdles before inserting
        signed = checked(org, year)
        _pause()
        return signed

    monkeypatch.setattr(services, "year_signed", slow_check)
    this_year = datetime.date.today().year
    years = [this_year - 1 - i for i in range(ROUNDS)]
    refused = 0
    for year in years:

        def record(year=year):
            return services.record_entry(
                actor=finance,
                org=school_a,
                date=datetime.date(year, 6, 1),
                kind="income",
                category="其他收入",
                amount="10.00",
                memo="并发记账",
            )

        def sign(year=year):
            _pause()
            return services.sign_off_year(actor=auditor, org=school_a, year=year, opinion="收支真实，同意。")

        outcomes = _race([sign] + [record] * WRITERS)
        assert outcomes[0][0] == "ok"
        for status, _ in outcomes[1:]:
            if status != "ok":
                assert isinstance(status, InvalidInput) and "已经经审签字" in status.fields["date"]
                refused += 1
    # The figures each sign-off saw are the year's figures for good: nothing slipped in after.
    for year in years:
        signed = AuditEvent.objects.get(action="funds.year.sign_off", changes__year=year).changes
        in_year = LedgerEntry.objects.filter(org=school_a, date__year=year)
        assert in_year.count() == signed["entries"], year
        assert Decimal(in_year.aggregate(t=Sum("amount"))["t"] or 0) == Decimal(signed["income"])
    assert YearSignOff.objects.filter(org=school_a).count() == ROUNDS
    assert LedgerEntry.objects.count() + refused == ROUNDS * WRITERS


@pytest.mark.django_db(transaction=True)
def test_payroll_deduction_racing_a_payment_in_person_is_a_409_not_a_500(school_a, monkeypatch):
    finance = grant(UserFactory(), school_a, "finance")
    staff = [MemberFactory(org=school_a) for _ in range(3)]
    months = [datetime.date(2025, m, 1) for m in range(1, ROUNDS + 1)]
    for month in months:
        services.put_salary_bases(
            actor=finance,
            org=school_a,
            month=month,
            rows=[{"member": m.pk, "components": {"岗位工资": "2830", "薪级工资": "1467"}} for m in staff],
        )
    recorded = services.record_entry

    def slow_record(**kwargs):  # both have read who owes; the other may write meanwhile
        _pause()
        return recorded(**kwargs)

    monkeypatch.setattr(services, "record_entry", slow_record)
    codes = []
    for month in months:
        paid_on = month.replace(day=15)
        outcomes = _race(
            [
                lambda month=month, paid_on=paid_on: services.collect_payroll(
                    actor=finance, org=school_a, month=month, paid_on=paid_on
                ),
                lambda month=month, paid_on=paid_on: services.collect_individual(
                    actor=finance, org=school_a, member=staff[0], month=month, paid_on=paid_on
                ),
            ]
        )
        for status, _ in outcomes:
            if status != "ok":
                assert isinstance(status, Conflict) and status.status == 409
                assert status.code in {"already_paid", "nothing_due"}
                assert "会费" in status.message
                codes.append(status.code)
        # Exactly one of them collected staff[0]'s month; a refused request wrote nothing.
        assert DuesPayment.objects.filter(member=staff[0], month=month).count() == 1
        income = LedgerEntry.objects.filter(org=school_a, date=paid_on, category="会费收入")
        paid = DuesPayment.objects.filter(org=school_a, month=month)
        assert income.aggregate(t=Sum("amount"))["t"] == paid.aggregate(t=Sum("amount"))["t"]
        assert income.count() == paid.values("entry").distinct().count()
    assert len(codes) <= ROUNDS
