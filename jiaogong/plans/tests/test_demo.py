"""The demo plans: this school year's, imported like a pasted seed, published, partly done."""

import datetime

from django.utils import timezone

from jiaogong.factories import MemberFactory
from jiaogong.plans import selectors
from jiaogong.plans.demo import load_plans, school_year_of
from jiaogong.plans.models import Plan


def test_the_demo_loads_this_and_last_school_years_plans_with_some_items_done(school_a, chair_a):
    today = timezone.localdate()
    members = [MemberFactory(org=school_a) for _ in range(5)]
    load_plans(actor=chair_a, school=school_a, members=members, today=today, seed=1)
    year = school_year_of(today)
    current = Plan.objects.get(org=school_a, year=year)
    assert current.title == f"龙胜乡中心小学{year}—{year + 1}学年工会工作计划"
    assert current.status == "published" and current.kind == "school_year"
    assert current.sections.count() == 5 and current.items.count() == 21 and current.remainder == ""
    assert current.guidance.startswith("以习近平新时代中国特色社会主义思想为指导")
    views = selectors.schedule(school_a, current, today)
    past = [v for v in views if v.end and v.end < today]
    if past:  # after September: something is done, some of it through a linked record
        assert any(v.status == "done" for v in past)
        assert any(v.item.link_kind for v in past) or len(past) < 3
    last = Plan.objects.get(org=school_a, year=year - 1)
    counts = selectors.counts(selectors.schedule(school_a, last, today))
    assert counts["done"] >= 12 and counts["total"] == 21


def test_the_demo_in_january_links_what_was_held(school_a, chair_a):
    today = datetime.date(timezone.localdate().year, 1, 20)
    if today > timezone.localdate():
        today = today.replace(year=today.year - 1)
    load_plans(actor=chair_a, school=school_a, members=[], today=today, seed=2)
    current = Plan.objects.get(org=school_a, year=today.year - 1)
    views = selectors.schedule(school_a, current, today)
    linked = [v for v in views if v.item.link_kind]
    assert linked and all(v.status == "done" for v in linked)
    assert any(v.status == "late" for v in views)
