"""API v1, "Welfare": POST /orgs/{org}/care-events and POST /care-events/{id}/visits (API.md), and
the GETs, assignment and photos around them."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.funds.models import Benefit, LedgerEntry
from jiaogong.welfare import services
from jiaogong.welfare.models import CareEvent, Visit

from .conftest import png_bytes


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def event(school_a, member_a, welfare_a, leader_a, colleague, today):
    e = services.report_event(
        actor=member_a, org=school_a, member=colleague, kind="hospitalized", occurred_on=today
    )
    return services.assign_visitor(actor=welfare_a, org=school_a, event=e, visitor=leader_a.member)


def test_a_member_reports_an_event(api, school_a, member_a, colleague, today):
    r = api(member_a).post(
        f"/orgs/{school_a.pk}/care-events",
        {"member": colleague.pk, "kind": "hospitalized", "occurred_on": today.isoformat()},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["visit_due_on"] == (today + datetime.timedelta(days=7)).isoformat()
    assert body["status"] == "new" and body["label"] == "生病住院"
    assert CareEvent.objects.get().pk == body["id"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "picnic"}, "kind"),
        ({"occurred_on": "2026-13-01"}, "occurred_on"),
        ({"member": 999999}, "member"),
    ],
)
def test_bad_input_is_400_with_chinese_fields_and_writes_nothing(
    api, school_a, member_a, colleague, today, payload, field
):
    data = {"member": colleague.pk, "kind": "marriage", "occurred_on": today.isoformat()} | payload
    r = api(member_a).post(f"/orgs/{school_a.pk}/care-events", data)
    assert r.status_code == 400
    assert field in r.json()["error"]["fields"]
    assert CareEvent.objects.count() == 0


def test_an_outsider_cannot_report_in_another_school(api, school_a, outsider_b, colleague, today):
    r = api(outsider_b).post(
        f"/orgs/{school_a.pk}/care-events",
        {"member": colleague.pk, "kind": "marriage", "occurred_on": today.isoformat()},
    )
    assert r.status_code == 404
    assert CareEvent.objects.count() == 0


def test_a_department_cannot_report(api, school_a, colleague, today):
    office = grant(UserFactory(), school_a, "department")
    r = api(office).post(
        f"/orgs/{school_a.pk}/care-events",
        {"member": colleague.pk, "kind": "marriage", "occurred_on": today.isoformat()},
    )
    assert r.status_code == 403


def test_the_visitor_records_the_visit_and_the_money_is_booked(api, event, leader_a, today):
    r = api(leader_a).post(
        f"/care-events/{event.pk}/visits",
        {
            "visited_on": today.isoformat(),
            "visitors": [leader_a.member_id],
            "form": "cash",
            "amount": "1000.00",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["amount"] == "1000.00"
    entry = LedgerEntry.objects.get(pk=body["entry"])
    assert (entry.category, entry.subcategory, str(entry.amount)) == ("维权支出", "送温暖", "1000.00")
    assert Benefit.objects.get(pk=body["benefit"]).entry_id == entry.pk


def test_one_fen_above_the_cap_is_422_cap_exceeded_with_what_is_left(api, event, leader_a, today):
    r = api(leader_a).post(
        f"/care-events/{event.pk}/visits",
        {
            "visited_on": today.isoformat(),
            "visitors": [leader_a.member_id],
            "form": "cash",
            "amount": "1000.01",
        },
    )
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "cap_exceeded" and error["remaining"] == "1000.00"
    assert (Visit.objects.count(), LedgerEntry.objects.count()) == (0, 0)


def test_a_wrong_form_is_422_form_not_allowed(api, event, leader_a, today):
    r = api(leader_a).post(
        f"/care-events/{event.pk}/visits",
        {
            "visited_on": today.isoformat(),
            "visitors": [leader_a.member_id],
            "form": "cake_voucher",
            "amount": "100",
        },
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "form_not_allowed"
    assert Visit.objects.count() == 0


def test_a_member_who_is_not_the_visitor_gets_403(api, event, member_a, today):
    r = api(member_a).post(
        f"/care-events/{event.pk}/visits", {"visited_on": today.isoformat(), "visitors": [member_a.member_id]}
    )
    assert r.status_code == 403
    assert api(member_a).get(f"/care-events/{event.pk}").status_code == 403


def test_an_outsider_gets_404_on_the_event_and_its_visits(api, event, outsider_b, today):
    assert api(outsider_b).get(f"/care-events/{event.pk}").status_code == 404
    r = api(outsider_b).post(
        f"/care-events/{event.pk}/visits", {"visited_on": today.isoformat(), "visitors": []}
    )
    assert r.status_code == 404
    assert api(outsider_b).post(f"/care-events/{event.pk}/assign", {"visitor": 1}).status_code == 404
    assert api(outsider_b).get(f"/orgs/{event.org_id}/care-events").status_code == 404


def test_the_queue_and_assignment_are_for_the_welfare_member(
    api, school_a, event, welfare_a, leader_a, member_a, committee_member
):
    r = api(welfare_a).get(f"/orgs/{school_a.pk}/care-events", {"state": "assigned"})
    assert r.status_code == 200 and [i["id"] for i in r.json()["items"]] == [event.pk]
    assert api(member_a).get(f"/orgs/{school_a.pk}/care-events").status_code == 403
    assert (
        api(leader_a).post(f"/care-events/{event.pk}/assign", {"visitor": committee_member.pk}).status_code
        == 403
    )
    r = api(welfare_a).post(f"/care-events/{event.pk}/assign", {"visitor": committee_member.pk})
    assert r.status_code == 200 and r.json()["visitor"] == committee_member.pk


def test_assigning_a_plain_member_is_400(api, school_a, event, welfare_a):
    stranger = MemberFactory(org=school_a)
    r = api(welfare_a).post(f"/care-events/{event.pk}/assign", {"visitor": stranger.pk})
    assert r.status_code == 400 and "visitor" in r.json()["error"]["fields"]


def test_my_visits_lists_what_is_assigned_to_me(api, school_a, event, leader_a, member_a):
    assert [i["id"] for i in api(leader_a).get(f"/orgs/{school_a.pk}/care-events/mine").json()["items"]] == [
        event.pk
    ]
    assert api(member_a).get(f"/orgs/{school_a.pk}/care-events/mine").json()["count"] == 0


def test_a_photo_is_uploaded_and_a_fake_one_refused(api, client, event, leader_a, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    visit = services.record_visit(
        actor=leader_a, org=event.org, event=event, visited_on=today, visitors=[leader_a.member_id]
    )
    caller = api(leader_a)
    ok = caller.post(
        f"/visits/{visit.pk}/photos", {"file": SimpleUploadedFile("a.png", png_bytes())}, multipart=True
    )
    assert ok.status_code == 201 and len(ok.json()["photos"]) == 1
    bad = caller.post(
        f"/visits/{visit.pk}/photos", {"file": SimpleUploadedFile("a.png", b"GIF89a....")}, multipart=True
    )
    assert bad.status_code == 400
    assert visit.photos.count() == 1


def test_a_visit_whose_voucher_warns_is_a_409_until_the_caller_confirms(
    api, school_a, chair_a, welfare_a, event, today
):
    """八不准 through the API: the visit's voucher is not confirmed on the caller's behalf (here the
    school named its trigger with a banned word); 409 `needs_confirmation` writes nothing, the same
    request with `confirm: true` is recorded."""
    import json

    from jiaogong.core.rules import set_org_value, value_for

    triggers = value_for(school_a, "welfare.triggers")
    triggers["hospitalized"]["label"] = "生病住院（发放补贴）"
    set_org_value(
        actor=chair_a,
        org=school_a,
        key="welfare.triggers",
        text=json.dumps(triggers, ensure_ascii=False),
        source="校规",
    )
    body = {"visited_on": str(today), "visitors": [welfare_a.member_id], "form": "cash", "amount": "500.00"}
    refused = api(welfare_a).post(f"/care-events/{event.pk}/visits", body)
    assert refused.status_code == 409, refused.json()
    assert refused.json()["error"]["code"] == "needs_confirmation"
    assert refused.json()["error"]["warnings"] == ["工会经费不得用于发放奖金、津贴或补贴（八不准）。"]
    assert not Visit.objects.exists() and not LedgerEntry.objects.exists() and not Benefit.objects.exists()
    done = api(welfare_a).post(f"/care-events/{event.pk}/visits", body | {"confirm": True})
    assert done.status_code == 201, done.json()
    assert LedgerEntry.objects.get().amount == 500
