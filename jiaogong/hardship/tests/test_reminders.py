"""The reminder source "hardship_reviews": files not reviewed this year, from the review month on,
to the chair and the welfare member only, once per file and year."""

import datetime

import pytest

from jiaogong.core.rules import set_org_value
from jiaogong.factories import MemberFactory
from jiaogong.hardship import reminders, services
from jiaogong.notifications import sources
from jiaogong.notifications.models import Notification

YEAR = datetime.date.today().year
LAST_YEAR = datetime.date(YEAR - 1, 11, 1)


@pytest.fixture
def old_files(school_a, make_file, teacher):
    """Two files opened last year (due this year) and one opened this year (not due)."""
    first = make_file(teacher, opened_on=LAST_YEAR)
    second = make_file(MemberFactory(org=school_a, name="黄丽"), opened_on=LAST_YEAR)
    make_file(MemberFactory(org=school_a, name="刘洋"))
    return first, second


def test_the_source_is_registered():
    assert reminders.hardship_reviews in sources.SOURCES


def test_each_due_file_is_one_item_keyed_by_file_and_year(
    school_a, old_files, chair_a, welfare, leader, finance
):
    items = reminders.hardship_reviews(school_a, datetime.date(YEAR, 10, 1))
    assert sorted(i.key for i in items) == sorted(f"hardship.review:{f.pk}:{YEAR}" for f in old_files)
    for item in items:
        assert item.kind == "hardship_reviews"
        assert set(item.recipients) == {chair_a.pk, welfare.pk}  # not the group leader, not finance
        assert item.url == f"/o/{school_a.pk}/welfare/hardship/{item.key.split(':')[1]}/"
        assert item.due_on == datetime.date(YEAR, 12, 31)
    assert "化疗" not in " ".join(i.title + i.body for i in items)


def test_nothing_is_due_before_the_review_month(school_a, old_files, chair_a):
    assert reminders.hardship_reviews(school_a, datetime.date(YEAR, 9, 30)) == []


def test_the_review_month_is_a_parameter(school_a, old_files, chair_a):
    set_org_value(
        actor=chair_a, org=school_a, key="hardship.review_month", text="3", source="本校工会委员会决定"
    )
    assert len(reminders.hardship_reviews(school_a, datetime.date(YEAR, 3, 1))) == 2


def test_a_reviewed_or_closed_file_is_no_longer_due(school_a, old_files, chair_a, welfare):
    first, second = old_files
    services.review_file(actor=welfare, file=first, reviewed_on=datetime.date.today(), conclusion="keep")
    services.close_file(actor=welfare, file=second, closed_on=datetime.date.today(), reason="调出本校")
    assert reminders.hardship_reviews(school_a, datetime.date(YEAR, 12, 1)) == []


def test_the_daily_job_reminds_of_each_file_once_per_recipient(school_a, old_files, chair_a, welfare):
    from jiaogong.notifications.services import notify

    for day in (datetime.date(YEAR, 10, 1), datetime.date(YEAR, 10, 1), datetime.date(YEAR, 10, 2)):
        notify(org=school_a, items=reminders.hardship_reviews(school_a, day))
    rows = Notification.objects.filter(kind="hardship_reviews")
    assert rows.count() == 4  # 2 files × (chair, welfare member)
    assert set(rows.values_list("user_id", flat=True)) == {chair_a.pk, welfare.pk}


def test_another_school_gets_nothing_of_school_a(school_b, old_files):
    assert reminders.hardship_reviews(school_b, datetime.date(YEAR, 10, 1)) == []
