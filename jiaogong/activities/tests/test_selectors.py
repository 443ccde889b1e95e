"""occurrences_between: series expanded into the window, skip dates and cancelled activities left out,
the window's both ends included, another org's activities never seen."""

import datetime

from jiaogong.activities import selectors, services
from jiaogong.activities.tests.conftest import at


def test_a_biweekly_series_gives_its_fridays_in_the_window_without_the_skipped_one(school_a, biweekly):
    found = selectors.occurrences_between(school_a, datetime.date(2026, 9, 1), datetime.date(2026, 10, 31))
    assert [o.date for o in found] == [
        datetime.date(2026, 9, 4),
        datetime.date(2026, 9, 18),
        # 10-02 (国庆) is a skip date
        datetime.date(2026, 10, 16),
        datetime.date(2026, 10, 30),
    ]
    assert all(o.activity == biweekly for o in found)
    assert all(
        (o.starts_at.hour, o.starts_at.minute, o.ends_at.hour, o.ends_at.minute) == (16, 20, 17, 0)
        for o in found
    )


def test_both_ends_of_the_window_are_included(school_a, biweekly):
    found = selectors.occurrences_between(school_a, datetime.date(2026, 9, 18), datetime.date(2026, 9, 18))
    assert [o.starts_at for o in found] == [at(2026, 9, 18, 16, 20)]
    assert (
        selectors.occurrences_between(school_a, datetime.date(2026, 9, 19), datetime.date(2026, 10, 1)) == []
    )


def test_single_activities_and_series_come_in_time_order(school_a, biweekly, make_activity):
    single = make_activity(
        title="教师节庆祝大会",
        kind="festival",
        starts_at=at(2026, 9, 10, 15, 0),
        ends_at=at(2026, 9, 10, 17, 0),
    )
    found = selectors.occurrences_between(school_a, datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
    assert [(o.activity.title, o.date.day) for o in found] == [
        (biweekly.title, 4),
        (single.title, 10),
        (biweekly.title, 18),
    ]


def test_a_series_that_started_before_the_window_still_shows(school_a, biweekly):
    found = selectors.occurrences_between(school_a, datetime.date(2027, 1, 1), datetime.date(2027, 1, 31))
    # 12-25, then 2027-01-08; the series ends on 01-15 (01-22 would be next)
    assert [o.date for o in found] == [datetime.date(2027, 1, 8)]


def test_cancelled_activities_are_left_out(school_a, organiser_a, make_activity):
    activity = make_activity()
    services.cancel_activity(actor=organiser_a, org=school_a, activity=activity)
    assert (
        selectors.occurrences_between(school_a, datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)) == []
    )


def test_another_orgs_activities_are_not_seen(school_a, school_b, outsider_b, make_activity):
    make_activity(org=school_b, actor=outsider_b)
    assert (
        selectors.occurrences_between(school_a, datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)) == []
    )
    assert (
        len(selectors.occurrences_between(school_b, datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)))
        == 1
    )
