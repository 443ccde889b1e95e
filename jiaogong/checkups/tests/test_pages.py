"""体检 pages: outsiders get 404 and wrong roles 403 on every page; the managers open a round, mark
people and export the 签到表; a member sees her own rounds."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from jiaogong.checkups import demo, selectors
from jiaogong.checkups.models import Entry, Round
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory
from jiaogong.testing import libreoffice_pdfs


def url(name, *args):
    return reverse(f"checkups:{name}", args=args)


def pages(org, round_, entry):
    return [
        ("get", url("home", org.pk)),
        ("get", url("create", org.pk)),
        ("get", url("round", org.pk, round_.pk)),
        ("post", url("mark", org.pk, round_.pk, entry.pk)),
        ("post", url("add_eligible", org.pk, round_.pk)),
        ("get", url("export", org.pk, round_.pk)),
    ]


def test_every_manager_page_is_a_404_for_an_outsider(login, outsider_b, round_a, school_a):
    client = login(outsider_b)
    entry = selectors.entries(round_a).first()
    for method, u in pages(school_a, round_a, entry) + [("get", url("mine", school_a.pk))]:
        assert getattr(client, method)(u).status_code == 404, u


def test_another_schools_round_is_a_404_even_for_its_own_manager(login, round_a, school_b):
    from jiaogong.factories import UserFactory, grant

    other = grant(UserFactory(username="other_welfare"), school_b, "welfare")
    entry = selectors.entries(round_a).first()
    client = login(other)
    assert client.get(url("round", school_b.pk, round_a.pk)).status_code == 404
    assert client.post(url("mark", school_b.pk, round_a.pk, entry.pk), {"status": "done"}).status_code == 404
    assert client.get(url("export", school_b.pk, round_a.pk)).status_code == 404


@pytest.mark.parametrize("who", ["member_a", "finance_a"])
def test_every_manager_page_is_a_403_for_a_wrong_role(request, login, round_a, school_a, who):
    client = login(request.getfixturevalue(who))
    entry = selectors.entries(round_a).first()
    for method, u in pages(school_a, round_a, entry):
        assert getattr(client, method)(u).status_code == 403, u
    assert Entry.objects.filter(status="done").count() == 0


@pytest.mark.parametrize("who", ["chair_a", "welfare_a", "women_a"])
def test_the_managers_see_the_rounds(request, login, round_a, school_a, who):
    response = login(request.getfixturevalue(who)).get(url("home", school_a.pk))
    assert response.status_code == 200 and round_a.title in response.content.decode()


def test_creating_a_round_lists_the_women_for_a_gynaecology_check(
    login, women_a, staff, member_a, school_a, day
):
    response = login(women_a).post(
        url("create", school_a.pk),
        {
            "title": "2026年女职工妇检",
            "kind": "gynaecology",
            "year": str(day.year),
            "starts_on": str(day),
            "ends_on": str(day + datetime.timedelta(days=7)),
            "provider": "县妇幼保健院",
            "include_retirees": "on",
        },
    )
    r = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == url("round", school_a.pk, r.pk)
    assert sorted(e.member.name for e in r.entries.all()) == ["陈静", "黄丽"]


def test_a_bad_round_re_renders_with_422_in_chinese_and_nothing_is_written(login, welfare_a, school_a, day):
    response = login(welfare_a).post(
        url("create", school_a.pk),
        {
            "title": "",
            "kind": "checkup",
            "year": "2026",
            "starts_on": str(day),
            "ends_on": "2000-01-01",
            "provider": "",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "请填写名称" in body and "结束日期不能早于开始日期" in body and "请填写体检机构" in body
    assert Round.objects.count() == 0


def test_the_round_page_shows_progress_the_not_done_filter_and_the_unposted_total(
    login, welfare_a, round_a, school_a
):
    body = login(welfare_a).get(url("round", school_a.pk, round_a.pk) + "?show=pending").content.decode()
    assert "不记检查结果" in body and "应付合计 900.00 元" in body and "未记入工会账簿" in body
    assert "陈静" in body and "未检 3" in body


def test_marking_a_person_done_from_the_page(login, welfare_a, round_a, school_a, day):
    entry = selectors.entries(round_a).first()
    response = login(welfare_a).post(
        url("mark", school_a.pk, round_a.pk, entry.pk), {"status": "done", "on": str(day), "show": "pending"}
    )
    assert response.status_code == 302 and "show=pending" in response["Location"]
    entry.refresh_from_db()
    assert entry.status == "done" and entry.status_on == day


def test_a_bad_mark_says_why_in_chinese_and_changes_nothing(login, welfare_a, round_a, school_a, day):
    entry = selectors.entries(round_a).first()
    client = login(welfare_a)
    response = client.post(
        url("mark", school_a.pk, round_a.pk, entry.pk),
        {"status": "done", "on": str(day + datetime.timedelta(days=1))},
        follow=True,
    )
    assert "日期不能晚于今天" in response.content.decode()
    entry.refresh_from_db()
    assert (
        entry.status == "pending"
        and not AuditEvent.objects.filter(action="checkups.entry.set_status").exists()
    )


def test_the_sign_in_sheet_lists_everyone_with_a_column_to_sign(login, chair_a, round_a, school_a):
    response = login(chair_a).get(url("export", school_a.pk, round_a.pk))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "本人签名" in cells and "陈静" in cells and "刘洋" in cells
    assert any("应付合计 900.00 元" in str(c) for c in cells)


def test_the_refresh_adds_a_new_member_from_the_page(login, welfare_a, round_a, school_a):
    MemberFactory(org=school_a, name="新老师", gender="F")
    login(welfare_a).post(url("add_eligible", school_a.pk, round_a.pk))
    assert round_a.entries.filter(member__name="新老师").exists()


def test_a_member_sees_her_own_rounds_and_status_only(login, member_a, round_a, school_a, welfare_a, day):
    from jiaogong.checkups import services

    mine = Entry.objects.get(round=round_a, member=member_a.member)
    services.set_status(actor=welfare_a, entry=mine, status="done", on=day)
    body = login(member_a).get(url("mine", school_a.pk)).content.decode()
    assert round_a.title in body and "已检" in body and "陈静" not in body and "不记检查结果" in body


def test_a_user_without_a_member_record_sees_an_explanation(login, chair_a, school_a):
    body = login(chair_a).get(url("mine", school_a.pk)).content.decode()
    assert "没有关联本单位的会员档案" in body


def test_the_demo_opens_a_checkup_and_a_screening_with_progress(school_a, welfare_a, staff, member_a, day):
    rounds = demo.load_checkups(
        actor=welfare_a, school=school_a, members=list(staff.values()), today=day, seed=3
    )
    assert [r.kind for r in rounds] == ["checkup", "two_cancers"]
    assert Entry.objects.filter(round=rounds[1]).count() == 1  # 陈静, the only active woman
    assert Entry.objects.filter(round=rounds[0]).count() == 4  # with the retiree
    assert Entry.objects.exclude(status="pending").filter(status_on__isnull=True).count() == 0


def libreoffice_opens(content: bytes, tmp_path, name: str) -> None:
    """LibreOffice converts the workbook to PDF (skipped where it is not installed, never on CI)."""
    import os
    import shutil

    if shutil.which("libreoffice") is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed (CI installs it)")
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(content)
    libreoffice_pdfs([path], tmp_path)


def test_libreoffice_opens_the_sign_in_sheet(round_a, tmp_path):
    from jiaogong.checkups import exporting

    libreoffice_opens(exporting.round_workbook(round_a), tmp_path, "checkups")
