"""Side doors to a hardship file, played by the roles that may not open it: the 经审 and the finance
member read the ledger (API and page), the 经审 and a vice-chair read the audit page, the federation
officer and the 经审 read the 工作总结's drill-downs. None of them learns who was helped or why."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from jiaogong.factories import UserFactory, grant
from jiaogong.funds import services as funds
from jiaogong.funds.models import LedgerEntry
from jiaogong.hardship import services

YEAR = datetime.date.today().year


@pytest.fixture
def auditor(school_a):
    return grant(UserFactory(username="auditor_a"), school_a, "auditor")


@pytest.fixture
def vice(school_a):
    return grant(UserFactory(username="vice_a"), school_a, "vice_chair")


@pytest.fixture
def helped(a_file, welfare, finance, school_a):
    funds.record_entry(
        actor=finance,
        org=school_a,
        date=datetime.date(YEAR, 1, 2),
        kind="income",
        category="会费收入",
        amount=Decimal("5000"),
        memo="会费",
        account=LedgerEntry.Account.CASH,
    )
    funds.record_entry(
        actor=finance,
        org=school_a,
        date=datetime.date(YEAR, 1, 2),
        kind="income",
        category="会费收入",
        amount=Decimal("5000"),
        memo="会费",
    )
    help_record = services.record_help(
        actor=welfare,
        file=a_file,
        kind="medical",
        given_on=datetime.date(YEAR, 1, 5),
        form="cash",
        amount=Decimal("800"),
    )
    return help_record.ledger_entry


def _secrets(a_file):
    return [a_file.member.name, f"档案第 {a_file.pk} 号", "乳腺癌"]


@pytest.mark.parametrize("who", ["finance", "auditor"])
def test_the_api_ledger_entry_does_not_name_the_helped_member(api, request, helped, a_file, who):
    body = api(request.getfixturevalue(who)).get(f"/ledger/entries/{helped.pk}").json()
    assert body["amount"] == "800.00" and body["category"] == "维权支出"
    text = str(body)
    assert not any(s in text for s in _secrets(a_file)), text


def test_the_chair_reads_the_payee_of_the_help(api, chair_a, helped, a_file):
    body = api(chair_a).get(f"/ledger/entries/{helped.pk}").json()
    assert body["payee"] == a_file.member.name and f"档案第 {a_file.pk} 号" in body["memo"]


def test_the_ledger_page_shows_the_auditor_the_amount_not_the_member(
    client, auditor, helped, a_file, school_a
):
    client.force_login(auditor)
    html = client.get(reverse("funds:ledger", args=[school_a.pk]) + f"?year={YEAR}").content.decode()
    assert "800.00" in html and "维权支出" in html
    assert not any(s in html for s in _secrets(a_file))


@pytest.mark.parametrize("who", ["auditor", "vice"])
def test_the_audit_page_shows_no_hardship_event_to_roles_without_hardship_view(
    client, request, helped, a_file, school_a, who
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("core:audit", args=[school_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "hardship." not in html and "困难职工档案" not in html
    assert not any(s in html for s in _secrets(a_file)), who
    assert "会费" in html  # the ledger's own events remain


def test_the_chair_sees_the_hardship_events_on_the_audit_page(client, chair_a, helped, a_file, school_a):
    from jiaogong.core.models import AuditEvent
    from jiaogong.core.views import audit_scope_q

    hardship_events = AuditEvent.objects.filter(org=school_a, action__startswith="hardship.")
    assert hardship_events.exists()
    assert AuditEvent.objects.filter(
        audit_scope_q(chair_a, school_a), action__startswith="hardship."
    ).count() == (hardship_events.count())


# ---- the 工作总结's drill-downs -----------------------------------------------------------------------


def _figure(client, user, org, key):
    client.force_login(user)
    response = client.get(reverse("reports:figure", args=[org.pk, YEAR, key]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_officer_sees_the_expense_total_but_no_entry(client, officer, helped, a_file, school_a):
    html = _figure(client, officer, school_a, "expense")
    assert "800.00 元" in html and "只能查看合计" in html
    assert not any(s in html for s in _secrets(a_file))


def test_the_auditor_sees_each_expense_but_not_who_was_helped(client, auditor, helped, a_file, school_a):
    html = _figure(client, auditor, school_a, "expense")
    assert "800" in html and "维权支出" in html and "详情仅经办人可见" in html
    assert not any(s in html for s in _secrets(a_file))


def test_the_chair_sees_the_help_in_the_drill_down(client, chair_a, helped, a_file, school_a):
    html = _figure(client, chair_a, school_a, "expense")
    assert f"档案第 {a_file.pk} 号" in html


@pytest.mark.parametrize("key", ["dues", "income", "expense"])
def test_no_members_dues_or_memo_for_a_reader_without_the_ledger(officer, school_a, key):
    from jiaogong.reports import figures

    rows = [figures.Row("张三", datetime.date(YEAR, 3, 1), "3月会费", amount=Decimal("21.45"), group="3月")]
    assert figures.rows_shown(officer, school_a, figures.FIGURES[key], rows) is None


@pytest.mark.parametrize("key", ["visits", "greeting_people", "benefits"])
def test_no_care_record_for_the_officer_or_a_vice_chair(officer, vice, school_a, key):
    from jiaogong.reports import figures

    rows = [figures.Row("住院慰问", datetime.date(YEAR, 3, 1), "", amount=Decimal("500"), group="住院")]
    assert figures.rows_shown(officer, school_a, figures.FIGURES[key], rows) is None
    assert figures.rows_shown(vice, school_a, figures.FIGURES[key], rows) is None


def test_the_archive_zip_leaves_out_files_the_reader_may_not_open(vice, chair_a, school_a):
    from jiaogong.reports import archive

    entry = archive.ArchiveEntry(
        category="welfare",
        date=datetime.date(YEAR, 9, 1),
        title="中秋慰问",
        kind="节日慰问",
        files=[
            archive.ArchiveFile("签领表.xlsx", lambda: b"x", "welfare.view"),
            archive.ArchiveFile("a", lambda: b""),
        ],
    )
    (for_vice,) = archive.readable_by(vice, school_a, [entry])
    assert [f.name for f in for_vice.files] == ["a"]
    (for_chair,) = archive.readable_by(chair_a, school_a, [entry])
    assert len(for_chair.files) == 2
