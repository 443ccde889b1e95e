"""学习 writes: a session with its material (sniffed PDF/DOCX), attendance through the activity,
one 心得 per member editable until the deadline, book logs and the year's 先进个人 within the cap."""

import datetime
import os
import shutil
import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from jiaogong.activities.models import Activity, Attendance
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory
from jiaogong.study import exporting, rules, selectors, services
from jiaogong.study.models import ReadingAward, ReadingLog, Reflection, StudySession
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice

from .conftest import at, docx_bytes, upload


def new_session(org, actor, **more):
    day = datetime.date(2026, 9, 10)
    args = {
        "kind": "professional_study",
        "topic": "新课标解读",
        "starts_at": at(day, 16, 20),
        "ends_at": at(day, 17, 0),
        "reflection_due": datetime.date(2026, 9, 20),
    } | more
    return services.create_session(actor=actor, org=org, **args)


def test_a_session_is_a_study_activity_with_its_material(session_a):
    assert session_a.activity.kind == Activity.Kind.POLITICAL_STUDY
    assert session_a.activity.title == "学习《中华人民共和国教师法》"
    assert session_a.material_type == "application/pdf" and session_a.material_name == "教师法.pdf"
    with session_a.material.open("rb") as f:
        assert f.read().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="study.session.create").exists()


def test_a_word_document_is_accepted_by_its_bytes(school_a, sports_a, clock):
    session = new_session(
        school_a, sports_a, material=upload("材料.docx", docx_bytes(), "application/octet-stream")
    )
    assert session.material_type == services.DOCX


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + b"0" * 50,  # an image
        b"hello, this is text pretending to be a PDF",
        None,  # a zip that is not a Word document
    ],
)
def test_other_files_are_refused_whatever_their_name_and_nothing_is_written(
    school_a, sports_a, clock, content
):
    if content is None:
        out = BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("readme.txt", "not word")
        content = out.getvalue()
    with pytest.raises(InvalidInput) as e:
        new_session(school_a, sports_a, material=upload("教师法.pdf", content))
    assert "PDF 或 Word" in e.value.fields["material"]
    assert not StudySession.objects.exists() and not Activity.objects.exists()


def test_every_bad_field_is_reported_at_once(school_a, sports_a, clock):
    with pytest.raises(InvalidInput) as e:
        new_session(
            school_a,
            sports_a,
            kind="picnic",
            topic="",
            reflection_due=datetime.date(2026, 9, 1),
            ends_at=at(datetime.date(2026, 9, 10), 15, 0),
        )
    assert {"kind", "topic", "reflection_due", "ends_at"} <= set(e.value.fields)
    assert not Activity.objects.exists()


def test_a_member_submits_one_reflection_and_edits_it_until_the_deadline(session_a, member_a, clock):
    first, created = services.submit_reflection(
        actor=member_a, session=session_a, member=member_a.member, text="教师要依法执教。"
    )
    assert created
    clock(datetime.date(2026, 9, 24))  # the deadline day is still open
    again, created = services.submit_reflection(
        actor=member_a, session=session_a, member=member_a.member, text="教师要依法执教，爱岗敬业。"
    )
    assert (
        not created and again.pk == first.pk and Reflection.objects.get().text == "教师要依法执教，爱岗敬业。"
    )
    clock(datetime.date(2026, 9, 25))
    with pytest.raises(Conflict) as e:
        services.submit_reflection(actor=member_a, session=session_a, member=member_a.member, text="改")
    assert "2026-09-24 截止" in e.value.message
    assert Reflection.objects.get().text == "教师要依法执教，爱岗敬业。"
    assert AuditEvent.objects.filter(action__startswith="study.reflection").count() == 2


def test_the_database_holds_one_reflection_per_member(session_a, member_a):
    services.submit_reflection(actor=member_a, session=session_a, member=member_a.member, text="心得")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reflection.objects.create(org=session_a.org, session=session_a, member=member_a.member, text="又一篇")


def test_an_empty_reflection_or_no_member_writes_nothing(session_a, member_a, chair_a):
    with pytest.raises(InvalidInput):
        services.submit_reflection(actor=member_a, session=session_a, member=member_a.member, text="  ")
    with pytest.raises(DomainError):
        services.submit_reflection(actor=chair_a, session=session_a, member=None, text="心得")
    assert not Reflection.objects.exists()


def test_the_organiser_sees_who_has_and_hasnt_submitted(session_a, member_a, li_a, school_a):
    MemberFactory(org=school_a, name="周退休", status="retired")
    services.submit_reflection(actor=li_a, session=session_a, member=li_a.member, text="学法懂法守法")
    seen = selectors.submissions(session_a)
    assert [r.member.name for r in seen.submitted] == ["李四"]
    assert [m.name for m in seen.missing] == ["张三"]


def test_attendance_is_the_activitys_counted_once_per_member(session_a, sports_a, member_a, li_a):
    assert selectors.attendance_count(session_a) == 0
    done = services.tick_attendance(
        actor=sports_a, session=session_a, member_ids=[member_a.member_id, li_a.member_id]
    )
    assert done["present"] == 2
    assert Attendance.objects.filter(activity=session_a.activity, method="manual").count() == 2
    assert selectors.attendance_count(session_a) == 2
    services.tick_attendance(actor=sports_a, session=session_a, member_ids=[li_a.member_id])
    assert selectors.attendance_count(session_a) == 1


def test_attendance_of_another_schools_member_is_refused(session_a, sports_a, school_b):
    with pytest.raises(InvalidInput):
        services.tick_attendance(
            actor=sports_a, session=session_a, member_ids=[MemberFactory(org=school_b).pk]
        )
    assert not Attendance.objects.exists()


def test_a_member_logs_a_book_once_a_year(member_a, clock):
    clock(datetime.date(2026, 11, 1))
    log = services.log_book(
        actor=member_a,
        member=member_a.member,
        title="《给教师的建议》",
        author="苏霍姆林斯基",
        finished_on=datetime.date(2026, 10, 8),
        reflection="教育首先是人学。",
    )
    assert log.title == "给教师的建议" and log.year == 2026
    with pytest.raises(InvalidInput) as e:
        services.log_book(
            actor=member_a,
            member=member_a.member,
            title="给教师的建议",
            finished_on=datetime.date(2026, 10, 9),
            reflection="再读",
        )
    assert "已登记过" in e.value.fields["title"]
    with pytest.raises(InvalidInput) as e:
        services.log_book(
            actor=member_a,
            member=member_a.member,
            title="",
            finished_on=datetime.date(2026, 12, 1),
            reflection="",
        )
    assert set(e.value.fields) == {"title", "finished_on", "reflection"}
    assert ReadingLog.objects.count() == 1


def readers(org, count, clock):
    """`count` readers; reader i logs i+1 books (so the last has the most)."""
    clock(datetime.date(2026, 12, 20))
    people = [MemberFactory(org=org, name=f"读者{i}") for i in range(count)]
    for i, m in enumerate(people):
        for n in range(i + 1):
            services.log_book(
                actor=None,
                member=m,
                title=f"书{n}",
                finished_on=datetime.date(2026, 3, 1 + n),
                reflection="心得" * 20,
            )
    return people


def test_the_chair_selects_within_the_cap(school_a, chair_a, clock):
    people = readers(school_a, 20, clock)
    assert rules.award_cap(20) == 2
    board = selectors.reading_board(school_a, 2026)
    assert board["cap"] == 2 and [r.member.name for r in board["rows"] if r.proposed] == ["读者19", "读者18"]
    with pytest.raises(InvalidInput) as e:
        services.select_awardees(
            actor=chair_a, org=school_a, year=2026, member_ids=[p.pk for p in people[:3]]
        )
    assert "最多评选 2 人" in e.value.fields["members"] and "20 人" in e.value.fields["members"]
    assert not ReadingAward.objects.exists()
    services.select_awardees(actor=chair_a, org=school_a, year=2026, member_ids=[people[19].pk, people[5].pk])
    assert sorted(a.member.name for a in selectors.awardees(school_a, 2026)) == ["读者19", "读者5"]
    services.select_awardees(actor=chair_a, org=school_a, year=2026, member_ids=[people[19].pk])
    assert [a.member.name for a in selectors.awardees(school_a, 2026)] == ["读者19"]
    assert AuditEvent.objects.filter(action="study.reading.awards").count() == 2


def test_only_readers_of_the_year_and_only_the_chair(school_a, chair_a, sports_a, member_a, clock):
    people = readers(school_a, 3, clock)
    with pytest.raises(InvalidInput):
        services.select_awardees(actor=chair_a, org=school_a, year=2026, member_ids=[member_a.member_id])
    with pytest.raises(PermissionDenied):
        services.select_awardees(actor=sports_a, org=school_a, year=2026, member_ids=[people[2].pk])
    with pytest.raises(InvalidInput):
        services.select_awardees(actor=chair_a, org=school_a, year=2026, member_ids=[])
    assert not ReadingAward.objects.exists()


def test_no_more_books_for_a_year_once_its_awards_are_made(school_a, chair_a, clock):
    people = readers(school_a, 1, clock)
    services.select_awardees(actor=chair_a, org=school_a, year=2026, member_ids=[people[0].pk])
    with pytest.raises(InvalidInput):
        services.log_book(
            actor=None,
            member=people[0],
            title="新书",
            finished_on=datetime.date(2026, 12, 1),
            reflection="好",
        )


def test_the_awards_document_lists_them_and_has_a_certificate_each(school_a, chair_a, clock):
    import docx

    people = readers(school_a, 20, clock)
    services.select_awardees(
        actor=chair_a, org=school_a, year=2026, member_ids=[people[19].pk, people[18].pk]
    )
    document = docx.Document(BytesIO(exporting.awards_docx(school_a, 2026)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2026年教职工读书活动先进个人名单" in text and "共 20 名会员登记读书 210 本" in text
    assert text.count("荣 誉 证 书") == 2 and "读者19 同志：" in text and "读者18 同志：" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows[1:]]
    assert rows == [["1", "读者18", "", "19", "760"], ["2", "读者19", "", "20", "800"]]


@needs_libreoffice
def test_libreoffice_opens_the_awards_document(school_a, chair_a, clock, tmp_path):
    people = readers(school_a, 10, clock)
    services.select_awardees(actor=chair_a, org=school_a, year=2026, member_ids=[people[9].pk])
    (tmp_path / "awards.docx").write_bytes(exporting.awards_docx(school_a, 2026))
    libreoffice_pdfs([tmp_path / "awards.docx"], tmp_path / "pdf")
    pdf = tmp_path / "pdf" / "awards.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    if os.environ.get("KEEP_STUDY_PDF"):
        shutil.copy(pdf, os.environ["KEEP_STUDY_PDF"])
