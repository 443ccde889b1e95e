"""The 活动 pages: who may open each (outsiders 404, wrong roles 403), the create → sign up →
cancel flows through the forms, refusals re-rendered with 422 and nothing written."""

import datetime

import pytest
from django.urls import reverse

from jiaogong.activities import services
from jiaogong.activities.models import Activity, Photo, Registration
from jiaogong.activities.tests.conftest import at, member_user
from jiaogong.core.audit import AuditEvent
from jiaogong.factories import UserFactory, grant


@pytest.fixture
def department_a(school_a):
    return grant(UserFactory(username="office_a"), school_a, "department")


@pytest.fixture
def world(school_a, member_a, organiser_a, make_activity, biweekly, png, clock):
    clock(at(2026, 9, 4, 16, 30))
    match = make_activity(capacity=10, registration_deadline=at(2026, 9, 15, 18))
    services.register(actor=member_a, org=school_a, activity=match)
    services.check_in(actor=member_a, org=school_a, activity=biweekly)
    photo = services.add_photo(
        actor=organiser_a, org=school_a, activity=biweekly, upload=png(), caption="合影"
    )
    return {"match": match, "series": biweekly, "photo": photo}


def _urls(org, w):
    a, s = w["match"], w["series"]
    return {
        # name: (url, capability needed: "view" every member / "manage" organisers)
        "home": (reverse("activities:home", args=[org.pk]), "view"),
        "calendar": (reverse("activities:calendar", args=[org.pk]), "view"),
        "calendar_year": (reverse("activities:calendar", args=[org.pk]) + "?view=year&year=2026", "view"),
        "detail": (reverse("activities:detail", args=[org.pk, a.pk]), "view"),
        "series": (reverse("activities:detail", args=[org.pk, s.pk]), "view"),
        "checkin": (reverse("activities:checkin", args=[org.pk, s.checkin_token]), "view"),
        "photo": (reverse("activities:photo", args=[org.pk, w["photo"].pk]), "view"),
        "org_feed": (reverse("activities:org_feed", args=[org.pk]), "view"),
        "new": (reverse("activities:new", args=[org.pk]), "manage"),
        "edit": (reverse("activities:edit", args=[org.pk, a.pk]), "manage"),
        "roster": (reverse("activities:roster", args=[org.pk, s.pk]), "manage"),
        "sheet_xlsx": (reverse("activities:signin_sheet", args=[org.pk, s.pk, "xlsx"]), "manage"),
        "sheet_docx": (reverse("activities:signin_sheet", args=[org.pk, s.pk, "docx"]), "manage"),
        "participation": (reverse("activities:participation", args=[org.pk]), "manage"),
        "participation_xlsx": (reverse("activities:participation_xlsx", args=[org.pk]), "manage"),
    }


POSTS = {
    # name: (url name, needs the activity, capability)
    "register": ("activities:register", "view"),
    "unregister": ("activities:unregister", "view"),
    "cancel": ("activities:cancel", "manage"),
    "held": ("activities:held", "manage"),
    "summary": ("activities:summary", "manage"),
    "photo_add": ("activities:photo_add", "manage"),
    "cost": ("activities:cost", "manage"),
    "post_cost": ("activities:post_cost", "finance"),
}


def test_every_page_opens_for_those_who_may(login, school_a, organiser_a, member_a, world):
    urls = _urls(school_a, world)
    for name, (url, need) in urls.items():
        user = organiser_a if need == "manage" else member_a
        response = login(user).get(url)
        assert response.status_code == 200, (name, response.status_code)
        if name == "photo":
            b"".join(response.streaming_content)


def test_an_outsider_gets_404_on_every_page_and_action(login, school_a, outsider_b, world):
    client = login(outsider_b)
    for name, (url, _need) in _urls(school_a, world).items():
        assert client.get(url).status_code == 404, name
    for name, (url_name, _need) in POSTS.items():
        url = reverse(url_name, args=[school_a.pk, world["match"].pk])
        assert client.post(url).status_code == 404, name


def test_a_department_account_gets_403_on_every_member_page(login, school_a, department_a, world):
    client = login(department_a)
    for name, (url, _need) in _urls(school_a, world).items():
        assert client.get(url).status_code == 403, name


def test_a_plain_member_gets_403_on_the_organisers_pages_and_actions(login, school_a, member_a, world):
    client = login(member_a)
    for name, (url, need) in _urls(school_a, world).items():
        if need == "manage":
            assert client.get(url).status_code == 403, name
    before = AuditEvent.objects.count()
    for name, (url_name, need) in POSTS.items():
        if need != "view":
            url = reverse(url_name, args=[school_a.pk, world["match"].pk])
            assert client.post(url, {"summary": "x", "cost": "5"}).status_code == 403, name
    assert AuditEvent.objects.count() == before


def test_an_organiser_without_funds_write_gets_403_posting_the_cost(login, school_a, organiser_a, world):
    url = reverse("activities:post_cost", args=[school_a.pk, world["match"].pk])
    assert login(organiser_a).post(url, {"subcategory": "文体活动", "date": "2026-09-20"}).status_code == 403


def test_another_orgs_activity_is_404_inside_my_org(
    login, school_a, school_b, outsider_b, chair_a, make_activity, world
):
    theirs = make_activity(org=school_b, actor=outsider_b)
    client = login(chair_a)
    assert client.get(reverse("activities:detail", args=[school_a.pk, theirs.pk])).status_code == 404
    assert (
        client.get(reverse("activities:checkin", args=[school_a.pk, theirs.checkin_token])).status_code == 404
    )
    assert client.post(reverse("activities:register", args=[school_a.pk, theirs.pk])).status_code == 404


def test_a_wrong_checkin_token_is_404(login, school_a, member_a, world):
    assert (
        login(member_a).get(reverse("activities:checkin", args=[school_a.pk, "not-a-token"])).status_code
        == 404
    )


def test_the_organiser_creates_a_biweekly_series_with_the_picker(login, school_a, organiser_a, clock):
    clock(at(2026, 8, 28, 9))
    response = login(organiser_a).post(
        reverse("activities:new", args=[school_a.pk]),
        {
            "title": "工会活动：气排球",
            "kind": "recreation",
            "location": "学校体育馆",
            "date": "2026-09-04",
            "start_time": "16:20",
            "end_time": "17:00",
            "repeat": "biweekly",
            "weekday": "",
            "until": "2027-01-15",
            "skip_dates": "2026-10-02",
            "capacity": "24",
            "registration_deadline": "2026-09-03T18:00",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="工会活动：气排球")
    assert activity.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270115T155959Z"
    assert activity.skip_dates == ["2026-10-02"] and activity.capacity == 24 and activity.registration
    page = login(organiser_a).get(response["Location"]).content.decode()
    assert "每两周周五（至 2027-01-15）" in page and "2026-10-02" in page


def test_a_bad_form_is_re_rendered_with_422_and_nothing_written(login, school_a, organiser_a):
    before = (Activity.objects.count(), AuditEvent.objects.count())
    response = login(organiser_a).post(
        reverse("activities:new", args=[school_a.pk]),
        {
            "title": "",
            "kind": "sports",
            "date": "2026-09-04",
            "start_time": "17:00",
            "end_time": "16:00",
            "rrule": "FREQ=HOURLY",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "请填写活动名称。" in html
    assert (Activity.objects.count(), AuditEvent.objects.count()) == before


def test_the_service_refusal_shows_on_the_form(login, school_a, organiser_a):
    response = login(organiser_a).post(
        reverse("activities:new", args=[school_a.pk]),
        {
            "title": "羽毛球",
            "kind": "sports",
            "date": "2026-09-04",
            "start_time": "17:00",
            "end_time": "16:00",
        },
    )
    assert response.status_code == 422 and "结束时间不能早于开始时间。" in response.content.decode()
    assert not Activity.objects.exists()


def test_the_edit_form_starts_from_the_picker_values(login, school_a, organiser_a, biweekly):
    html = (
        login(organiser_a).get(reverse("activities:edit", args=[school_a.pk, biweekly.pk])).content.decode()
    )
    assert '<option value="biweekly" selected>' in html and 'value="2027-01-15"' in html


def test_a_member_signs_up_and_cancels_through_the_page(login, school_a, member_a, world):
    match = world["match"]
    client = login(member_a)
    services.cancel_registration(actor=member_a, org=school_a, activity=match)
    assert client.post(reverse("activities:register", args=[school_a.pk, match.pk])).status_code == 302
    assert Registration.objects.get(activity=match, member=member_a.member, status="confirmed")
    html = client.get(reverse("activities:detail", args=[school_a.pk, match.pk])).content.decode()
    assert "报名成功" in html
    assert client.post(reverse("activities:unregister", args=[school_a.pk, match.pk])).status_code == 302
    assert (
        not Registration.objects.filter(activity=match, member=member_a.member)
        .exclude(status="cancelled")
        .exists()
    )


def test_a_refused_sign_up_is_shown_with_422(login, school_a, member_a, world, clock):
    clock(at(2026, 9, 16, 9))
    response = login(member_a).post(reverse("activities:register", args=[school_a.pk, world["series"].pk]))
    assert response.status_code == 422 and "不需要报名" in response.content.decode()


def test_the_organiser_cancels_an_activity_with_a_reason(login, school_a, organiser_a, world):
    response = login(organiser_a).post(
        reverse("activities:cancel", args=[school_a.pk, world["match"].pk]), {"reason": "台风"}
    )
    assert response.status_code == 302
    world["match"].refresh_from_db()
    assert world["match"].status == "cancelled"
    event = AuditEvent.objects.filter(action="activities.activity.cancel").get()
    assert event.changes == {"reason": "台风"}


def test_a_held_series_cannot_be_cancelled(login, school_a, organiser_a, world):
    response = login(organiser_a).post(reverse("activities:cancel", args=[school_a.pk, world["series"].pk]))
    assert response.status_code == 422 and "已经举行" in response.content.decode()


def test_marking_held_before_the_start_is_refused(login, school_a, organiser_a, world):
    response = login(organiser_a).post(reverse("activities:held", args=[school_a.pk, world["match"].pk]))
    assert response.status_code == 422 and "还没有开始" in response.content.decode()
    world["match"].refresh_from_db()
    assert world["match"].status == "planned"


def test_the_summary_is_saved(login, school_a, organiser_a, world):
    url = reverse("activities:summary", args=[school_a.pk, world["series"].pk])
    assert login(organiser_a).post(url, {"summary": "共 32 人参加，气氛热烈。"}).status_code == 302
    world["series"].refresh_from_db()
    assert world["series"].summary == "共 32 人参加，气氛热烈。"


def test_photos_are_sniffed_and_served_only_through_the_view(login, school_a, organiser_a, member_a, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("activities:photo_add", args=[school_a.pk, world["series"].pk])
    fake = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")
    response = login(organiser_a).post(url, {"image": fake, "caption": "假的"})
    assert response.status_code == 422 and "照片只能是 JPG 或 PNG 图片。" in response.content.decode()
    assert Photo.objects.count() == 1
    served = login(member_a).get(reverse("activities:photo", args=[school_a.pk, world["photo"].pk]))
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    served.close()  # the photo is a file response (last: closing it ends the test's connection)


def test_the_calendar_marks_holidays_and_make_up_days(login, school_a, member_a, world):
    html = (
        login(member_a)
        .get(reverse("activities:calendar", args=[school_a.pk]) + "?year=2026&month=10")
        .content.decode()
    )
    assert "国庆节" in html and "调休上班" in html
    # The series on 10-16 and 10-30 (10-02 skipped): in the grid (its title and its tooltip) and
    # in the phone list.
    assert html.count("工会活动（每两周周五）") == 2 * 3
    assert html.count(f'href="/o/{school_a.pk}/activities/{world["series"].pk}/"') == 2 * 2
    assert "10月1日–7日" in html  # the holiday's days are one line on a phone


def test_the_year_view_lists_each_month(login, school_a, member_a, world):
    html = (
        login(member_a)
        .get(reverse("activities:calendar", args=[school_a.pk]) + "?view=year&year=2026")
        .content.decode()
    )
    assert "2026年行事历" in html and "12月" in html and "国庆节" in html and "15日–23日 春节" in html
    assert html.count("工会活动（每两周周五）") == 8  # 9-04 … 12-25 minus 10-02


def test_participation_filters_by_group_for_htmx(
    login, school_a, organiser_a, member_a, math_group, world, group_a
):
    member_user(school_a, "数学老师", math_group)
    client = login(organiser_a)
    url = reverse("activities:participation", args=[school_a.pk])
    html = client.get(url, {"year": 2026, "group": math_group.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "<h1>" not in html and "数学老师" in html and "张三" not in html
    full = client.get(url, {"year": 2026}).content.decode()
    assert "张三" in full and "数学老师" in full and "<h1>活动参与统计</h1>" in full


def test_the_admins_holiday_table_shows_with_its_names(login, school_a, member_a):
    from jiaogong.core.models import Holiday

    Holiday.objects.create(date=datetime.date(2027, 2, 8), is_working_day=False, name="2027年春节（示例）")
    Holiday.objects.create(date=datetime.date(2027, 2, 20), is_working_day=True, name="春节调休上班")
    html = (
        login(member_a)
        .get(reverse("activities:calendar", args=[school_a.pk]) + "?year=2027&month=2")
        .content.decode()
    )
    assert "2027年春节（示例）" in html and "春节调休上班" in html
