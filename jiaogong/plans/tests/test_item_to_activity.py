"""A schedule item turned into the activity that fulfils it, from the plan's link page."""

import datetime

from jiaogong.activities.models import Activity
from jiaogong.core.models import AuditEvent
from jiaogong.plans import services
from jiaogong.plans.models import Item
from jiaogong.plans.tests.conftest import item_of

FORM = {
    "title": "庆祝第42个教师节联欢会",
    "kind": "festival",
    "location": "学校报告厅",
    "date": "2026-09-10",
    "start_time": "15:00",
    "end_time": "17:00",
    "repeat": "",
}


def test_the_link_page_offers_to_create_the_activity(login, chair_a, school_a, plan):
    item = item_of(plan, "庆祝教师节")
    page = login(chair_a).get(f"/o/{school_a.pk}/plans/{plan.pk}/items/{item.pk}/link/")
    assert page.status_code == 200
    assert f"/o/{school_a.pk}/activities/new/?plan_item={item.pk}" in page.content.decode()


def test_the_new_activity_form_starts_from_the_item(login, chair_a, school_a, plan):
    item = item_of(plan, "庆祝教师节")
    page = login(chair_a).get(f"/o/{school_a.pk}/activities/new/?plan_item={item.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="庆祝教师节"' in html and 'name="plan_item"' in html
    assert 'value="2026-09-01"' in html  # the first day of the item's month


def test_saving_creates_the_activity_and_links_the_item(login, chair_a, school_a, plan):
    item = item_of(plan, "庆祝教师节")
    response = login(chair_a).post(f"/o/{school_a.pk}/activities/new/", {**FORM, "plan_item": item.pk})
    activity = Activity.objects.get(org=school_a, title=FORM["title"])
    assert response.status_code == 302 and response.url == f"/o/{school_a.pk}/activities/{activity.pk}/"
    item.refresh_from_db()
    assert (item.link_kind, item.link_id) == ("activity", activity.pk)
    assert AuditEvent.objects.filter(action="activities.activity.create", object_id=str(activity.pk)).exists()


def test_bad_input_creates_nothing_and_links_nothing(login, chair_a, school_a, plan):
    item = item_of(plan, "庆祝教师节")
    response = login(chair_a).post(
        f"/o/{school_a.pk}/activities/new/", {**FORM, "title": "", "plan_item": item.pk}
    )
    assert response.status_code == 422
    assert not Activity.objects.filter(org=school_a).exists()
    assert Item.objects.get(pk=item.pk).link_kind == ""


def test_the_activity_is_not_kept_when_the_link_fails(chair_a, school_a, plan, monkeypatch):
    """Creating and linking go together: a refused link leaves no activity behind."""
    from jiaogong.core.errors import InvalidInput

    def refuse(**kwargs):
        raise InvalidInput({"record_id": "请选择要关联的记录。"})

    monkeypatch.setattr(services, "link_item", refuse)
    item = item_of(plan, "庆祝教师节")
    start = datetime.datetime(2026, 9, 10, 15, 0, tzinfo=datetime.UTC)
    try:
        services.create_activity_for_item(
            actor=chair_a, item=item, title="教师节联欢会", kind="festival", starts_at=start, ends_at=start
        )
    except InvalidInput:
        pass
    else:
        raise AssertionError("the refused link was not reported")
    assert not Activity.objects.filter(org=school_a).exists()


def test_another_orgs_item_is_a_404(login, outsider_b, school_b, school_a, plan):
    item = item_of(plan, "庆祝教师节")
    client = login(outsider_b)
    assert client.get(f"/o/{school_b.pk}/activities/new/?plan_item={item.pk}").status_code == 404
    response = client.post(f"/o/{school_b.pk}/activities/new/", {**FORM, "plan_item": item.pk})
    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_an_organiser_who_does_not_write_the_plan_cannot_link_it(login, sports_a, school_a, plan):
    item = item_of(plan, "庆祝教师节")
    client = login(sports_a)
    assert client.get(f"/o/{school_a.pk}/activities/new/?plan_item={item.pk}").status_code == 403
    assert client.post(f"/o/{school_a.pk}/activities/new/", {**FORM, "plan_item": item.pk}).status_code == 403
    assert not Activity.objects.exists()
    # Without the item the same organiser creates activities as before.
    assert client.post(f"/o/{school_a.pk}/activities/new/", FORM).status_code == 302


def test_a_member_cannot_create_activities_at_all(login, member_a, school_a, plan):
    item = item_of(plan, "庆祝教师节")
    assert login(member_a).get(f"/o/{school_a.pk}/activities/new/?plan_item={item.pk}").status_code == 403
