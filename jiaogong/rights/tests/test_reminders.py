"""The "rights" reminders: a mediation deadline near or passed goes to the chair and the case's
mediators only, named by its number (never its content); the contract's yearly review goes to
the chair and the vice-chairs."""

import datetime

from jiaogong.notifications import sources
from jiaogong.rights import reminders, services
from jiaogong.rights.tests.conftest import SECRET


def _accept(chair, case, day):
    """Accepted today (the deadline is 15 days on): the source is then asked about later days."""
    return services.move_case(actor=chair, case=case, to="accepted", on=day)


def test_the_source_is_registered_for_the_daily_job():
    assert reminders.rights_due in sources.SOURCES


def test_a_case_whose_deadline_is_near_reminds_the_chair_and_its_mediators_only(
    school_a, chair, case, on_case, off_case, applicant, day
):
    case = _accept(chair, case, day)
    later = day + datetime.timedelta(days=14)  # the deadline is tomorrow
    (item,) = reminders.rights_due(school_a, later)
    assert item.key == f"rights.case.due:{case.pk}"
    assert item.due_on == later + datetime.timedelta(days=1) and not item.overdue
    assert set(item.recipients) == {chair.pk, on_case.pk}
    assert off_case.pk not in item.recipients and applicant.pk not in item.recipients
    assert str(case) in item.title and SECRET not in item.title and "郑老师" not in item.title


def test_a_case_past_its_deadline_is_overdue_under_another_key(school_a, chair, case, day):
    case = _accept(chair, case, day)
    (item,) = reminders.rights_due(school_a, day + datetime.timedelta(days=16))
    assert item.key == f"rights.case.overdue:{case.pk}" and item.overdue
    assert "仲裁" in item.title


def test_a_case_far_from_its_deadline_or_not_accepted_reminds_nobody(school_a, chair, case, day):
    assert reminders.rights_due(school_a, day) == []  # applied, not accepted: no deadline yet
    _accept(chair, case, day)
    assert reminders.rights_due(school_a, day + datetime.timedelta(days=11)) == []  # 4 days left


def test_the_contracts_yearly_review_reminds_its_keepers_when_it_comes_due(
    school_a, chair, vice_chair, member_a, day
):
    contract = services.create_contract(
        actor=chair,
        org=school_a,
        title="集体合同（第三期）",
        signed_on=day - datetime.timedelta(days=363),
        starts_on=day - datetime.timedelta(days=363),
        ends_on=day + datetime.timedelta(days=700),
    )
    (item,) = reminders.rights_due(school_a, day)
    due = contract.starts_on.replace(year=contract.starts_on.year + 1)
    assert item.key == f"rights.contract.review:{contract.pk}:{due.isoformat()}"
    assert set(item.recipients) == {chair.pk, vice_chair.pk}
    services.record_review(
        actor=chair, contract=contract, reviewed_on=day, note="教代会审议通过履约情况报告。"
    )
    assert reminders.rights_due(school_a, day) == []


def test_another_schools_cases_are_not_in_this_schools_reminders(school_a, school_b, chair, case, day):
    _accept(chair, case, day)
    assert reminders.rights_due(school_b, day + datetime.timedelta(days=14)) == []
