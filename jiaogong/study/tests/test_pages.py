"""学习 pages: outsiders get 404 and wrong roles 403 on every page; the material is served only
to the school's members; a member submits a 心得 on the page; the organiser ticks attendance and
sees who hasn't submitted; the chair selects the 先进个人 and downloads the .docx."""

import datetime

import pytest
from django.urls import reverse

from jiaogong.activities.models import Attendance
from jiaogong.factories import MemberFactory, UserFactory, grant
from jiaogong.study import services
from jiaogong.study.models import ReadingAward, ReadingLog, Reflection, StudySession

from .conftest import PDF_BYTES, docx_bytes, upload


def url(name, *args):
    return reverse(f"study:{name}", args=args)


def every_page(org, session):
    return [
        ("get", url("home", org.pk)),
        ("get", url("create", org.pk)),
        ("post", url("create", org.pk)),
        ("get", url("session", org.pk, session.pk)),
        ("post", url("reflect", org.pk, session.pk)),
        ("post", url("attendance", org.pk, session.pk)),
        ("get", url("material", org.pk, session.pk)),
        ("post", url("upload_material", org.pk, session.pk)),
        ("get", url("reading", org.pk)),
        ("post", url("log_book", org.pk)),
        ("post", url("select_awards", org.pk)),
        ("get", url("awards_docx", org.pk)),
    ]


def test_every_page_is_a_404_for_an_outsider(login, outsider_b, school_a, session_a):
    client = login(outsider_b)
    for method, u in every_page(school_a, session_a):
        assert getattr(client, method)(u, {"text": "x"}).status_code == 404, u
    assert not Reflection.objects.exists()


def test_another_schools_session_is_a_404_under_its_own_org(login, outsider_b, school_b, session_a):
    client = login(outsider_b)
    assert client.get(url("session", school_b.pk, session_a.pk)).status_code == 404
    assert client.get(url("material", school_b.pk, session_a.pk)).status_code == 404


def test_a_department_user_is_refused_everywhere(login, school_a, session_a):
    client = login(grant(UserFactory(username="zongwu"), school_a, "department"))
    for method, u in every_page(school_a, session_a):
        assert getattr(client, method)(u).status_code == 403, u


def test_a_plain_member_is_refused_the_organisers_and_the_chairs_pages(
    login, member_a, school_a, session_a, clock
):
    client = login(member_a)
    for method, u in [
        ("get", url("create", school_a.pk)),
        ("post", url("create", school_a.pk)),
        ("post", url("attendance", school_a.pk, session_a.pk)),
        ("post", url("upload_material", school_a.pk, session_a.pk)),
        ("post", url("select_awards", school_a.pk)),
        ("get", url("awards_docx", school_a.pk)),
    ]:
        assert getattr(client, method)(u, {"members": [member_a.member_id]}).status_code == 403, u
    assert not Attendance.objects.exists() and not ReadingAward.objects.exists()


def test_the_organiser_cannot_select_the_awards(login, sports_a, school_a):
    assert login(sports_a).post(url("select_awards", school_a.pk)).status_code == 403


def test_the_material_is_served_to_a_member_with_a_safe_type(login, member_a, school_a, session_a):
    response = login(member_a).get(url("material", school_a.pk, session_a.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff" and "inline" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_member_submits_and_edits_a_reflection_on_the_page(login, member_a, school_a, session_a, clock):
    client = login(member_a)
    assert "提交心得" in client.get(url("session", school_a.pk, session_a.pk)).content.decode()
    bad = client.post(url("reflect", school_a.pk, session_a.pk), {"text": ""})
    assert bad.status_code == 422 and "请填写心得体会" in bad.content.decode()
    assert not Reflection.objects.exists()
    assert (
        client.post(url("reflect", school_a.pk, session_a.pk), {"text": "学法守法，依法执教。"}).status_code
        == 302
    )
    assert (
        client.post(
            url("reflect", school_a.pk, session_a.pk), {"text": "学法守法，依法执教，关爱学生。"}
        ).status_code
        == 302
    )
    assert Reflection.objects.get().text == "学法守法，依法执教，关爱学生。"
    assert "已提交" in client.get(url("home", school_a.pk) + "?year=2026").content.decode()
    clock(datetime.date(2026, 10, 1))
    late = client.post(url("reflect", school_a.pk, session_a.pk), {"text": "改"})
    assert late.status_code == 422 and "截止" in late.content.decode()


def test_the_organiser_ticks_attendance_and_sees_who_is_missing(
    login, sports_a, member_a, li_a, school_a, session_a, clock
):
    services.submit_reflection(actor=li_a, session=session_a, member=li_a.member, text="心得")
    client = login(sports_a)
    page = client.get(url("session", school_a.pk, session_a.pk)).content.decode()
    assert "已交 1 人，未交 1 人" in page and "张三" in page
    response = client.post(
        url("attendance", school_a.pk, session_a.pk), {"members": [member_a.member_id, li_a.member_id]}
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(activity=session_a.activity).count() == 2
    assert "出勤</dt><dd>2 人" in client.get(url("session", school_a.pk, session_a.pk)).content.decode()


def test_the_organiser_creates_a_session_with_a_word_file(login, sports_a, school_a, clock):
    client = login(sports_a)
    form = {
        "kind": "professional_study",
        "topic": "新课标解读",
        "day": "2026-09-17",
        "start": "16:20",
        "end": "17:00",
        "reflection_due": "2026-09-30",
        "location": "会议室",
    }
    bad = client.post(url("create", school_a.pk), form | {"material": upload("课标.pdf", b"GIF89a fake")})
    assert bad.status_code == 422 and "PDF 或 Word" in bad.content.decode()
    assert not StudySession.objects.exists()
    ok = client.post(
        url("create", school_a.pk),
        form | {"material": upload("课标.docx", docx_bytes(), "application/msword")},
    )
    session = StudySession.objects.get()
    assert ok.status_code == 302 and ok["Location"] == url("session", school_a.pk, session.pk)
    assert session.material_type == services.DOCX


def test_the_chair_selects_the_advanced_readers_and_downloads_the_document(
    login, chair_a, member_a, school_a, clock
):
    clock(datetime.date(2026, 12, 20))
    client = login(member_a)
    bad = client.post(
        url("log_book", school_a.pk), {"title": "", "finished_on": "2026-12-01", "reflection": ""}
    )
    assert bad.status_code == 422 and not ReadingLog.objects.exists()
    client.post(
        url("log_book", school_a.pk),
        {
            "title": "给教师的建议",
            "author": "苏霍姆林斯基",
            "finished_on": "2026-10-08",
            "reflection": "教育首先是人学。",
        },
    )
    other = MemberFactory(org=school_a, name="王芳")
    services.log_book(
        actor=None, member=other, title="教育漫话", finished_on=datetime.date(2026, 5, 1), reflection="好"
    )
    chair = login(chair_a)
    page = chair.get(url("reading", school_a.pk) + "?year=2026").content.decode()
    assert "2 人读书 2 本，先进个人最多 1 人" in page
    too_many = chair.post(
        url("select_awards", school_a.pk) + "?year=2026", {"members": [member_a.member_id, other.pk]}
    )
    assert too_many.status_code == 422 and "最多评选 1 人" in too_many.content.decode()
    assert chair.get(url("awards_docx", school_a.pk) + "?year=2026").status_code == 404
    assert (
        chair.post(
            url("select_awards", school_a.pk) + "?year=2026", {"members": [member_a.member_id]}
        ).status_code
        == 302
    )
    response = chair.get(url("awards_docx", school_a.pk) + "?year=2026")
    assert response.status_code == 200 and response.content.startswith(b"PK")


@pytest.mark.parametrize("who", ["member_a", "sports_a", "chair_a"])
def test_every_role_with_the_section_reads_the_pages(request, login, school_a, session_a, who):
    client = login(request.getfixturevalue(who))
    for name, args in (("home", ()), ("session", (session_a.pk,)), ("reading", ())):
        assert client.get(url(name, school_a.pk, *args)).status_code == 200
