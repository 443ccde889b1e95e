"""个人信息保护法: a member who left is pseudonymised after the retention period. Afterwards the
ledger's totals and the congress's results are unchanged, and a database reader finds no trace of
the old name, ID number or phone in the member tables or the audit rows."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from jiaogong.congress import voting
from jiaogong.core.models import AuditEvent
from jiaogong.factories import UserFactory, congress_with_delegates, delegate_user, grant
from jiaogong.funds import services as funds
from jiaogong.members import pseudonymise, rules, services
from jiaogong.members.models import Member

TODAY = datetime.date(2030, 6, 1)


def test_due_after_the_retention_years_from_leaving():
    left = datetime.date(2026, 6, 1)
    assert not rules.pseudonymise_due("transferred", left, datetime.date(2029, 5, 31), 3)
    assert rules.pseudonymise_due("transferred", left, datetime.date(2029, 6, 1), 3)
    assert rules.pseudonymise_due("deceased", left, datetime.date(2040, 1, 1), 3)
    assert not rules.pseudonymise_due("retired", left, datetime.date(2040, 1, 1), 3)
    assert not rules.pseudonymise_due("active", left, datetime.date(2040, 1, 1), 3)
    assert not rules.pseudonymise_due("transferred", None, datetime.date(2040, 1, 1), 3)


@pytest.fixture
def departed(school_a, chair_a):
    """A delegate who voted, paid dues in person, was edited, then transferred out on 2026-12-05."""
    finance = grant(UserFactory(username="finance_a"), school_a, "finance")
    congress, delegates = congress_with_delegates(school_a, 3, present=3, scrutineers=0)
    poll = voting.create_poll(
        actor=chair_a, congress=congress, title="审议《绩效工资分配方案》", kind="named"
    )
    voting.open_poll(actor=chair_a, poll=poll)
    for d, choice in zip(delegates, ["赞成", "赞成", "反对"], strict=True):
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice=choice)
    voting.close_poll(actor=chair_a, poll=poll)
    member = delegates[0].member
    services.update_member(actor=chair_a, member=member, data={"name": "欧阳明远", "phone": "13911112222"})
    member.refresh_from_db()
    funds.record_entry(
        actor=finance,
        org=school_a,
        date=datetime.date(2026, 12, 1),
        kind="income",
        category="会费收入",
        amount=Decimal("21.45"),
        payee=member.name,
        memo=f"{member.name} 2026年12月会费（个人缴纳）",
    )
    services.change_status(
        actor=chair_a,
        member=member,
        to_status="transferred",
        effective_on=datetime.date(2026, 12, 5),
        destination="县一中",
        note=f"{member.name}本人申请调动，电话13911112222",
    )
    member.refresh_from_db()
    return member, poll


def _raw(sql):
    with connection.cursor() as c:
        c.execute(sql)
        return "\n".join(" ".join(str(v) for v in r) for r in c.fetchall())


def _forms(value: str) -> list[str]:
    """The value as a reader of the raw columns may find it: as is, or JSON-escaped (SQLite)."""
    return [value, json.dumps(value)[1:-1]]


def test_pseudonymisation_leaves_no_trace_and_keeps_the_evidence(school_a, departed):
    member, poll = departed
    old = {"name": member.name, "id": member.id_number, "phone": member.phone}
    assert all(old.values())
    before = _raw("SELECT changes FROM core_auditevent")
    assert any(f in before for f in _forms(old["name"]))
    assert "13911112222" in _raw("SELECT note FROM members_memberstatuschange")
    totals = funds.summary(school_a, 2026)
    counts = voting.count(poll)

    assert pseudonymise.due(school_a, datetime.date(2029, 12, 4)) == []
    assert pseudonymise.run_daily(TODAY) == {school_a.pk: [member.pk]}

    member.refresh_from_db()
    assert member.name == f"已离会会员 #{member.pk}" and member.status == "transferred"
    assert member.id_number == "" and member.phone == "" and member.birth_date.month == 1
    # The database reader: the member tables and the audit rows.
    tables = _raw("SELECT * FROM members_member") + _raw("SELECT * FROM members_memberstatuschange")
    audit_rows = _raw("SELECT object_repr, changes FROM core_auditevent")
    for value in old.values():
        for form in _forms(value):
            assert form not in tables and form not in audit_rows, value
    assert rules.mask_phone(old["phone"]) not in audit_rows  # nor its masked form
    # The evidence: the ledger (which keeps its payee, as accounting records must) and the vote.
    assert funds.summary(school_a, 2026) == totals
    assert voting.count(poll) == counts
    assert member.status_changes.get().destination == "县一中"
    (event,) = AuditEvent.objects.filter(action="members.member.pseudonymise")
    assert event.object_id == str(member.pk) and old["name"] not in str(event.changes)
    # And the audit table is append-only again.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="x")


def test_a_second_run_changes_nothing(school_a, departed):
    pseudonymise.run_daily(TODAY)
    before = AuditEvent.objects.count()
    assert pseudonymise.run_daily(TODAY) == {}
    assert AuditEvent.objects.count() == before


def test_the_retention_is_a_rule_of_the_school(school_a, departed, chair_a):
    from jiaogong.core.rules import set_org_value

    set_org_value(
        actor=chair_a, org=school_a, key="members.pseudonymise_after_years", text="5", source="校规"
    )
    assert pseudonymise.run_daily(TODAY, dry_run=True) == {}
    assert pseudonymise.run_daily(datetime.date(2031, 12, 31), dry_run=True) == {
        school_a.pk: [departed[0].pk]
    }


def test_the_retention_is_bounded(school_a, chair_a):
    from jiaogong.core.errors import DomainError
    from jiaogong.core.rules import set_org_value

    with pytest.raises((DomainError, ValueError)):
        set_org_value(
            actor=chair_a, org=school_a, key="members.pseudonymise_after_years", text="0", source="x"
        )


def test_the_command_runs_it(school_a, departed, capsys):
    call_command("pseudonymise_members", "--today", TODAY.isoformat(), "--dry-run")
    assert "到期（未修改） 1 人" in capsys.readouterr().out
    assert Member.objects.get(pk=departed[0].pk).name == "欧阳明远"
    call_command("pseudonymise_members", "--today", TODAY.isoformat())
    assert "已假名化 1 人" in capsys.readouterr().out
    assert Member.objects.get(pk=departed[0].pk).name.startswith("已离会会员")
