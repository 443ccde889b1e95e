"""The 送温暖 pages: who may open each (outsiders 404, wrong roles 403), the report → assign → visit
flow through the forms, refusals re-rendered with 422 and nothing written, downloads."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jiaogong.factories import UserFactory, grant
from jiaogong.funds.models import Benefit, LedgerEntry
from jiaogong.welfare import services
from jiaogong.welfare.models import CareEvent, GreetingBatch, Visit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def department_a(school_a):
    return grant(UserFactory(username="office_a"), school_a, "department")


@pytest.fixture
def world(school_a, member_a, welfare_a, leader_a, colleague, retiree, today, png):
    """An event visited with a photo, an open one assigned to the leader, a draft batch."""
    done = services.report_event(
        actor=member_a, org=school_a, member=colleague, kind="hospitalized", occurred_on=today
    )
    services.assign_visitor(actor=welfare_a, org=school_a, event=done, visitor=leader_a.member)
    done.refresh_from_db()
    visit = services.record_visit(
        actor=leader_a, org=school_a, event=done, visited_on=today, visitors=[leader_a.member_id],
        form="cash", amount="500", photo=png(),
    )  # fmt: skip
    open_ = services.report_event(
        actor=member_a, org=school_a, member=colleague, kind="marriage", occurred_on=today
    )
    services.assign_visitor(actor=welfare_a, org=school_a, event=open_, visitor=leader_a.member)
    batch = services.create_batch(
        actor=welfare_a, org=school_a, kind="festival", festival="春节", given_on=today, item="大米",
        amounts={"active": "300", "retired": "200"},
    )  # fmt: skip
    return {"done": done, "open": open_, "photo": visit.photos.get(), "batch": batch}


def urls(org, world):
    o = org.pk
    return {
        "home": reverse("welfare:home", args=[o]),
        "report": reverse("welfare:report", args=[o]),
        "mine": reverse("welfare:mine", args=[o]),
        "queue": reverse("welfare:queue", args=[o]),
        "event": reverse("welfare:event", args=[o, world["done"].pk]),
        "photo": reverse("welfare:photo", args=[o, world["photo"].pk]),
        "batches": reverse("welfare:batches", args=[o]),
        "batch_new": reverse("welfare:batch_new", args=[o]),
        "batch": reverse("welfare:batch", args=[o, world["batch"].pk]),
        "sheet": reverse("welfare:batch_sheet", args=[o, world["batch"].pk, "xlsx"]),
        "birthdays": reverse("welfare:birthdays", args=[o]),
        "retirees": reverse("welfare:retirees", args=[o]),
    }


POSTS = {
    "assign": lambda o, w: reverse("welfare:assign", args=[o, w["open"].pk]),
    "visit": lambda o, w: reverse("welfare:visit", args=[o, w["open"].pk]),
    "batch_edit": lambda o, w: reverse("welfare:batch_edit", args=[o, w["batch"].pk]),
    "batch_post": lambda o, w: reverse("welfare:batch_post", args=[o, w["batch"].pk]),
}
MANAGER_ONLY = {"queue", "batches", "batch_new", "batch", "sheet", "birthdays", "retirees"}
FOR_EVERY_MEMBER = {"home", "report", "mine"}


@pytest.mark.parametrize("name", sorted(MANAGER_ONLY | FOR_EVERY_MEMBER | {"event", "photo"}))
def test_an_outsider_gets_404_on_every_page(login, outsider_b, school_a, world, name):
    assert login(outsider_b).get(urls(school_a, world)[name]).status_code == 404


@pytest.mark.parametrize("name", sorted(POSTS))
def test_an_outsider_gets_404_on_every_post(login, outsider_b, school_a, world, name):
    assert login(outsider_b).post(POSTS[name](school_a.pk, world), {}).status_code == 404


def test_another_schools_event_is_404_even_for_a_chair(login, outsider_b, school_b, world):
    client = login(outsider_b)
    assert client.get(reverse("welfare:event", args=[school_b.pk, world["done"].pk])).status_code == 404
    assert client.get(reverse("welfare:photo", args=[school_b.pk, world["photo"].pk])).status_code == 404
    assert client.get(reverse("welfare:batch", args=[school_b.pk, world["batch"].pk])).status_code == 404


@pytest.mark.parametrize("name", sorted(MANAGER_ONLY))
def test_a_plain_member_gets_403_on_the_managers_pages(login, member_a, school_a, world, name):
    assert login(member_a).get(urls(school_a, world)[name]).status_code == 403


@pytest.mark.parametrize("name", ["event", "photo"])
def test_a_member_who_is_not_the_visitor_cannot_open_the_event_or_its_photo(
    login, member_a, school_a, world, name
):
    assert login(member_a).get(urls(school_a, world)[name]).status_code == 403


@pytest.mark.parametrize("name", sorted(FOR_EVERY_MEMBER))
def test_a_school_department_gets_403(login, department_a, school_a, world, name):
    assert login(department_a).get(urls(school_a, world)[name]).status_code == 403


@pytest.mark.parametrize("name", ["assign", "batch_edit", "batch_post"])
def test_the_group_leader_cannot_assign_or_post_batches(login, leader_a, school_a, world, name):
    assert login(leader_a).post(POSTS[name](school_a.pk, world), {}).status_code == 403


def test_a_member_cannot_record_someone_elses_visit(login, member_a, school_a, world):
    assert login(member_a).post(POSTS["visit"](school_a.pk, world), {}).status_code == 403
    assert Visit.objects.count() == 1


def test_a_plain_member_cannot_post_the_birthday_batch(login, member_a, school_a, world):
    assert login(member_a).post(reverse("welfare:birthdays", args=[school_a.pk]), {}).status_code == 403


@pytest.mark.parametrize("user", ["member_a", "leader_a", "welfare_a", "chair_a"])
def test_every_member_opens_the_hub_and_the_report_form(request, login, school_a, world, user):
    client = login(request.getfixturevalue(user))
    assert client.get(urls(school_a, world)["home"]).status_code == 200
    assert client.get(urls(school_a, world)["report"]).status_code == 200


@pytest.mark.parametrize("name", sorted(MANAGER_ONLY | {"event", "photo", "mine"}))
def test_the_welfare_member_opens_every_page(login, welfare_a, school_a, world, name):
    response = login(welfare_a).get(urls(school_a, world)[name])
    response.close()  # the photo is a file response
    assert response.status_code == 200


def test_the_photo_is_served_inline_with_its_sniffed_type(login, leader_a, school_a, world):
    response = login(leader_a).get(urls(school_a, world)["photo"])
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    response.close()


def test_the_retiree_list_masks_phones_for_the_welfare_member(login, welfare_a, school_a, world, retiree):
    body = login(welfare_a).get(urls(school_a, world)["retirees"]).content.decode()
    assert retiree.masked_phone in body and retiree.phone not in body


def test_the_signoff_sheet_downloads(login, welfare_a, school_a, world):
    response = login(welfare_a).get(urls(school_a, world)["sheet"])
    assert response["Content-Type"] == XLSX
    docx = login(welfare_a).get(reverse("welfare:batch_sheet", args=[school_a.pk, world["batch"].pk, "docx"]))
    assert docx.status_code == 200
    assert (
        login(welfare_a)
        .get(reverse("welfare:batch_sheet", args=[school_a.pk, world["batch"].pk, "pdf"]))
        .status_code
        == 404
    )


# ---- the flow through the forms ----------------------------------------------------------------------


def test_report_assign_and_visit_through_the_forms(
    login, school_a, member_a, welfare_a, leader_a, colleague, today, png
):
    response = login(member_a).post(
        reverse("welfare:report", args=[school_a.pk]),
        {"member": colleague.pk, "kind": "hospitalized", "occurred_on": today.isoformat(), "note": "县医院"},
    )
    assert response.status_code == 302
    event = CareEvent.objects.get()
    page = login(welfare_a).get(reverse("welfare:event", args=[school_a.pk, event.pk])).content.decode()
    assert f'<option value="{leader_a.member_id}" selected>' in page  # the group leader by default
    response = login(welfare_a).post(
        reverse("welfare:assign", args=[school_a.pk, event.pk]),
        {"visitor": leader_a.member_id, "due_on": (today + datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 302
    client = login(leader_a)
    assert colleague.name in client.get(reverse("welfare:mine", args=[school_a.pk])).content.decode()
    url = reverse("welfare:visit", args=[school_a.pk, event.pk])
    data = {"visited_on": today.isoformat(), "visitors": [leader_a.member_id], "form": "cash", "note": "看望"}
    refused = client.post(url, data | {"amount": "1000.01", "photo": png()})
    assert refused.status_code == 422
    assert "生病住院慰问每次不超过 1000.00 元" in refused.content.decode()
    assert (Visit.objects.count(), Benefit.objects.count(), LedgerEntry.objects.count()) == (0, 0, 0)
    accepted = client.post(url, data | {"amount": "1000", "photo": png()})
    assert accepted.status_code == 302
    visit = Visit.objects.get()
    assert visit.benefit.entry.amount == 1000
    assert visit.photos.count() == 1


def test_a_bad_report_re_renders_with_422_and_writes_nothing(login, school_a, member_a):
    response = login(member_a).post(reverse("welfare:report", args=[school_a.pk]), {"kind": "hospitalized"})
    assert response.status_code == 422
    assert "请选择会员" in response.content.decode()
    assert CareEvent.objects.count() == 0


def test_batch_builder_preview_and_post_through_the_pages(login, school_a, welfare_a, retiree, today):
    client = login(welfare_a)
    response = client.post(
        reverse("welfare:batch_new", args=[school_a.pk]),
        {
            "festival": "春节",
            "given_on": today.isoformat(),
            "item": "大米",
            "amount_active": "1600",
            "amount_retired": "200",
        },
    )
    batch = GreetingBatch.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("welfare:batch", args=[school_a.pk, batch.pk])).content.decode()
    assert "超出慰问标准" in page
    refused = client.post(reverse("welfare:batch_post", args=[school_a.pk, batch.pk]))
    assert refused.status_code == 422
    assert LedgerEntry.objects.count() == 0
    row = batch.recipients.get(klass="active")
    client.post(
        reverse("welfare:batch_edit", args=[school_a.pk, batch.pk]), {"recipient": row.pk, "amount": "500"}
    )
    assert client.post(reverse("welfare:batch_post", args=[school_a.pk, batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "posted" and batch.entry.amount == 700


def test_a_department_user_cannot_open_an_event_it_is_not_assigned(login, department_a, school_a, world):
    assert login(department_a).get(urls(school_a, world)["event"]).status_code == 403


def test_the_assigned_visitor_opens_and_records_whatever_their_role(
    login, school_a, welfare_a, committee_member, world, today
):
    office = grant(UserFactory(username="office_visitor", member=committee_member), school_a, "department")
    services.assign_visitor(actor=welfare_a, org=school_a, event=world["open"], visitor=committee_member)
    client = login(office)
    assert client.get(reverse("welfare:event", args=[school_a.pk, world["open"].pk])).status_code == 200
    response = client.post(
        reverse("welfare:visit", args=[school_a.pk, world["open"].pk]),
        {
            "visited_on": today.isoformat(),
            "visitors": [committee_member.pk],
            "form": "goods",
            "amount": "600",
        },
    )
    assert response.status_code == 302
    assert Visit.objects.get(event=world["open"]).benefit.amount == 600


def test_the_hub_links_each_person_to_the_rest_of_the_welfare_work_they_may_open(
    login, school_a, member_a, welfare_a
):
    url = reverse("welfare:home", args=[school_a.pk])

    def href(name, args):
        return f'href="{reverse(name, args=args)}"'

    mine = login(member_a).get(url).content.decode()
    assert href("checkups:mine", args=[school_a.pk]) in mine
    assert href("mutual_aid:mine", args=[school_a.pk]) in mine
    assert href("checkups:home", args=[school_a.pk]) not in mine
    assert href("recuperation:home", args=[school_a.pk]) in mine
    assert href("rights:home", args=[school_a.pk]) in mine
    managed = login(welfare_a).get(url).content.decode()
    assert href("checkups:home", args=[school_a.pk]) in managed
    assert href("mutual_aid:home", args=[school_a.pk]) in managed
