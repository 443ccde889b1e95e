"""民主评议 through the services, the API and the pages."""

import io
import os
import shutil

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from jiaogong.congress import appraisals
from jiaogong.congress.models import (
    Appraisal,
    AppraisalSubject,
    AppraisalTurnout,
    Attendance,
    SealedAppraisalBallot,
)
from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.factories import close_and_count_appraisal, congress_with_delegates, decrypt, delegate_user
from jiaogong.testing import libreoffice_pdfs

LEADERS = [{"name": "王建国", "position": "校长"}, {"name": "李红梅", "position": "副校长（分管教学）"}]


@pytest.fixture
def hall(school_a):
    """9 delegates, all checked in."""
    congress, delegates = congress_with_delegates(school_a, 9, present=9)
    return congress, delegates


@pytest.fixture
def appraisal(hall, chair_a):
    return appraisals.create_appraisal(actor=chair_a, congress=hall[0], subjects=LEADERS)


def ballot(appraisal, first: str, second: str) -> dict:
    a, b = appraisal.subjects.order_by("id")
    return {str(a.pk): first, str(b.pk): second}


def test_counts_rates_and_flags(appraisal, hall, chair_a):
    _, delegates = hall
    # 王建国: 5 优秀, 1 称职, 3 不称职 → good 6/9 = 66.7 % (not below 2/3), unfit 3/9 = 1/3 (not above).
    # 李红梅: 2 优秀, 2 称职, 1 基本称职, 4 不称职 → good 4/9 = 44.4 %: both flags.
    first = ["优秀"] * 5 + ["称职"] + ["不称职"] * 3
    second = ["优秀"] * 2 + ["称职"] * 2 + ["基本称职"] + ["不称职"] * 4
    receipts = [
        appraisals.cast_appraisal_ballot(
            user=delegate_user(d), appraisal=appraisal, ratings=ballot(appraisal, a, b)
        )
        for d, a, b in zip(delegates, first, second, strict=True)
    ]
    assert len(set(receipts)) == 9
    result = close_and_count_appraisal(chair_a, appraisal)
    assert (result["eligible"], result["valid"], result["participation_pct"], result["participation_ok"]) == (
        9,
        9,
        "100.0",
        True,
    )
    wang, li = result["subjects"]
    assert wang["counts"] == {"优秀": 5, "称职": 1, "基本称职": 0, "不称职": 3}
    assert wang["percentages"]["优秀"] == "55.6" and wang["good_rate"] == "66.7" and wang["flags"] == []
    assert li["good_rate"] == "44.4" and li["flags"] == ["诫勉谈话", "可能不称职"]
    appraisal.refresh_from_db()
    assert appraisal.state == "closed" and appraisals.kept_result(appraisal) == result
    assert sorted(result["receipts"]) == sorted(receipts)


def test_participation_below_two_thirds_is_invalid(appraisal, hall, chair_a):
    for d in hall[1][:5]:  # 5 of 9 < 6
        appraisals.cast_appraisal_ballot(
            user=delegate_user(d), appraisal=appraisal, ratings=ballot(appraisal, "优秀", "称职")
        )
    result = close_and_count_appraisal(chair_a, appraisal)
    assert result["participation_ok"] is False and result["participation_pct"] == "55.6"


def test_one_ballot_each_and_only_present_formal_delegates(appraisal, hall, chair_a, school_a):
    congress, delegates = hall
    voter = delegate_user(delegates[0])
    appraisals.cast_appraisal_ballot(
        user=voter, appraisal=appraisal, ratings=ballot(appraisal, "优秀", "优秀")
    )
    with pytest.raises(Conflict) as e:
        appraisals.cast_appraisal_ballot(
            user=voter, appraisal=appraisal, ratings=ballot(appraisal, "称职", "称职")
        )
    assert e.value.code == "already_voted"
    with pytest.raises(PermissionDenied):
        appraisals.cast_appraisal_ballot(
            user=chair_a, appraisal=appraisal, ratings=ballot(appraisal, "优秀", "优秀")
        )
    Attendance.objects.filter(delegate=delegates[1]).delete()
    with pytest.raises(PermissionDenied, match="签到"):
        appraisals.cast_appraisal_ballot(
            user=delegate_user(delegates[1]), appraisal=appraisal, ratings=ballot(appraisal, "优秀", "优秀")
        )
    with pytest.raises(InvalidInput) as e:
        appraisals.cast_appraisal_ballot(
            user=delegate_user(delegates[2]),
            appraisal=appraisal,
            ratings={str(appraisal.subjects.first().pk): "优秀"},
        )
    assert any("李红梅" in m for m in e.value.fields.values())
    assert SealedAppraisalBallot.objects.count() == 1 and AppraisalTurnout.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        AppraisalTurnout.objects.create(appraisal=appraisal, delegate=delegates[0])


def test_an_appraisal_ballot_is_ciphertext_with_no_voter_and_no_time(appraisal, hall):
    tracker = appraisals.cast_appraisal_ballot(
        user=delegate_user(hall[1][0]), appraisal=appraisal, ratings=ballot(appraisal, "优秀", "称职")
    )
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, SealedAppraisalBallot._meta.db_table
            )
        }
    assert columns == {"tracker", "appraisal_id", "body"}
    stored = SealedAppraisalBallot.objects.get()
    assert stored.tracker == tracker
    # Two subjects × four grades: eight 0/1 ciphertexts, and nothing readable about the grades.
    assert [len(a["ciphertexts"]) for a in stored.body["answers"]] == [4, 4]
    assert not any(level in str(stored.body) for level in appraisal.scale)
    event = AuditEvent.objects.get(action="congress.appraisal.vote")
    assert "优秀" not in str(event.changes)


def test_bad_setup_writes_nothing(hall, chair_a):
    for subjects in (
        [],
        [{"name": "", "position": "校长"}],
        [{"name": "王", "position": ""}],
        [LEADERS[0], LEADERS[0]],
    ):
        with pytest.raises(InvalidInput):
            appraisals.create_appraisal(actor=chair_a, congress=hall[0], subjects=subjects)
    assert not Appraisal.objects.exists() and not AppraisalSubject.objects.exists()


def test_closed_is_closed_and_notes_come_after(appraisal, hall, chair_a):
    subject = appraisal.subjects.first()
    with pytest.raises(Conflict):
        appraisals.set_notes(actor=chair_a, subject=subject, strengths="x", weaknesses="y")
    appraisals.close_appraisal(actor=chair_a, appraisal=appraisal)
    with pytest.raises(Conflict):
        appraisals.close_appraisal(actor=chair_a, appraisal=appraisal)
    with pytest.raises(Conflict):  # counting: the notes wait for the result
        appraisals.set_notes(actor=chair_a, subject=subject, strengths="x", weaknesses="y")
    decrypt(appraisal)
    with pytest.raises(Conflict) as e:
        appraisals.cast_appraisal_ballot(
            user=delegate_user(hall[1][0]), appraisal=appraisal, ratings=ballot(appraisal, "优秀", "优秀")
        )
    assert e.value.code == "appraisal_closed"
    appraisals.set_notes(actor=chair_a, subject=subject, strengths="作风民主", weaknesses="深入课堂不够")
    appraisal.refresh_from_db()
    assert appraisal.result["subjects"][0]["strengths"] == "作风民主"


def test_the_xlsx_report_reads_back_and_libreoffice_opens_it(appraisal, hall, chair_a, tmp_path):
    for d in hall[1][:7]:
        appraisals.cast_appraisal_ballot(
            user=delegate_user(d), appraisal=appraisal, ratings=ballot(appraisal, "优秀", "基本称职")
        )
    close_and_count_appraisal(chair_a, appraisal)
    appraisal.refresh_from_db()
    content = appraisals.report_xlsx(appraisal)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert "在册代表 9 人，参评 7 人，参评率 77.8%" in sheet["A2"].value
    rows = list(sheet.iter_rows(min_row=4, max_row=5, values_only=True))
    assert rows[0][:4] == ("王建国", "校长", 7, 100.0)
    assert rows[1][0] == "李红梅" and "诫勉谈话" in rows[1][11]
    if shutil.which("libreoffice") is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it)")
    path = tmp_path / "评议.xlsx"
    path.write_bytes(content)
    libreoffice_pdfs([path], tmp_path)


# ---- pages ---------------------------------------------------------------------------------------------


def test_pages_set_up_vote_close_and_download(login, chair_a, school_a, hall):
    congress, delegates = hall
    client = login(chair_a)
    response = client.post(
        reverse("congress:appraisal_new", args=[school_a.pk, congress.pk]),
        {"subjects": "王建国 校长\n李红梅，副校长"},
    )
    appraisal = Appraisal.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "congress:appraisal", args=[school_a.pk, appraisal.pk]
    )
    a, b = appraisal.subjects.order_by("id")
    assert (b.name, b.position) == ("李红梅", "副校长")
    voter = login(delegate_user(delegates[0]))
    vote_url = reverse("congress:appraisal_vote", args=[school_a.pk, appraisal.pk])
    page = voter.get(vote_url)
    assert "王建国" in page.text and "不称职" in page.text
    missing = voter.post(vote_url, {f"s{a.pk}": "优秀"})
    assert missing.status_code == 400 and "请为李红梅选择" in missing.text
    done = voter.post(vote_url, {f"s{a.pk}": "优秀", f"s{b.pk}": "称职"})
    assert done.status_code == 200 and "评议票已提交" in done.text
    assert "您已提交评议票" in voter.get(vote_url).text
    client = login(chair_a)
    detail = reverse("congress:appraisal", args=[school_a.pk, appraisal.pk])
    live = client.get(detail, headers={"HX-Request": "true", "HX-Target": "appraisal-turnout"})
    assert "已提交评议票" in live.text and "<html" not in live.text
    client.post(detail, {"action": "close"})
    assert "待监票人解密" in client.get(detail).text
    decrypt(appraisal)
    page = client.get(detail)
    assert "参评率 11.1%" in page.text and "评议无效" in page.text
    client.post(detail, {"subject": a.pk, "strengths": "作风民主", "weaknesses": ""})
    assert AppraisalSubject.objects.get(pk=a.pk).strengths == "作风民主"
    report = client.get(reverse("congress:appraisal_report", args=[school_a.pk, appraisal.pk]))
    assert report.status_code == 200 and report.content[:2] == b"PK"


def test_pages_refuse_outsiders_and_wrong_roles(login, member_a, outsider_b, school_a, appraisal, hall):
    congress, _ = hall
    urls = [
        reverse("congress:appraisal_new", args=[school_a.pk, congress.pk]),
        reverse("congress:appraisal", args=[school_a.pk, appraisal.pk]),
        reverse("congress:appraisal_vote", args=[school_a.pk, appraisal.pk]),
        reverse("congress:appraisal_report", args=[school_a.pk, appraisal.pk]),
    ]
    for url in urls:
        assert login(outsider_b).get(url).status_code == 404, url
    member = login(member_a)
    assert member.get(urls[0]).status_code == 403
    assert member.get(urls[1]).status_code == 200
    assert member.post(urls[1], {"action": "close"}).status_code == 403
    assert member.get(urls[3]).status_code == 403
    appraisal.refresh_from_db()
    assert appraisal.state == "open"
