import pytest

from jiaogong.demo import generate_school
from jiaogong.recuperation import selectors
from jiaogong.recuperation.demo import load_recuperation
from jiaogong.recuperation.models import Application, Trip

pytestmark = pytest.mark.django_db


def test_the_demo_has_this_years_plan_a_fair_queue_and_the_top_three_approved(school_a, welfare_a, today):
    members = generate_school(school_a, 40, seed=3, today=today, actor=welfare_a)
    plan = load_recuperation(actor=welfare_a, school=school_a, members=members, today=today, seed=3)
    assert plan.year == today.year and plan.quota == 6 and plan.batches.count() == 2
    applications = Application.objects.filter(plan=plan)
    assert 8 <= applications.count() <= 12
    approved = applications.filter(status="approved")
    assert approved.count() == 3 and {a.batch.name for a in approved} == {"第一批"}
    # the two who went two years ago are not eligible and did not apply
    recent = [t.member for t in Trip.objects.filter(plan__isnull=True, went_on__year=today.year - 2)]
    assert len(recent) == 2
    for m in recent:
        assert not selectors.eligibility(m, today)[0]
        assert not applications.filter(member=m).exists()
    queue = selectors.queue(plan, today)
    assert len(queue) == applications.count() - 3
    # the approved came first in the fair order: all never been, or none in the queue has never been
    approved_never = all(selectors.last_time(a.member, before=today) is None for a in approved)
    assert approved_never or all(r["last_time"] is not None for r in queue)
