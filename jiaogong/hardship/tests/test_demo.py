"""The demo 困难职工档案 load into a generated school: four families, one flagged, help posted."""

import datetime

from jiaogong.demo import generate_school
from jiaogong.funds.models import LedgerEntry
from jiaogong.hardship import reminders, selectors
from jiaogong.hardship.demo import load_hardship
from jiaogong.hardship.models import HelpRecord


def test_the_demo_families_like_a_schools_hardship_survey(school_a, welfare, chair_a):
    today = datetime.date.today()
    members = generate_school(school_a, 40, seed=3, today=today)
    files = load_hardship(actor=welfare, school=school_a, members=members, today=today, seed=3)
    assert [f.category for f in files] == ["deep", "relative", "accident", "none"]
    assert sum(1 for f in files if f.closed_on is None) == 3
    assert [f.pk for f in selectors.due_for_review(school_a, today.year)] == [files[1].pk]
    helps = HelpRecord.objects.filter(org=school_a)
    posted = LedgerEntry.objects.filter(org=school_a, category="维权支出")
    assert sum(h.amount for h in helps if h.amount) == sum(e.amount for e in posted) == 8300
    assert helps.filter(amount__isnull=True).count() == 1  # 就业服务
    assert set(selectors.members_with_open_files(school_a, today)) == {f.member for f in files[:3]}
    if today.month >= 10:
        assert len(reminders.hardship_reviews(school_a, today)) == 1
