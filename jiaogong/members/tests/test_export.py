"""The roster export: masked unless asked in clear (and then audited), re-importable, readable elsewhere."""

import csv
import datetime
import io
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from jiaogong.core.models import AuditEvent
from jiaogong.factories import ROSTER_HEADERS, MemberFactory, UnionGroupFactory
from jiaogong.members import rules
from jiaogong.members.importing import export_roster, import_roster, template_workbook
from jiaogong.members.models import Member, MemberStatusChange

TEMPLATE_HEADERS = [*ROSTER_HEADERS, "岗位/职务", "中层以上干部"]
LIBREOFFICE = Path("/usr/bin/libreoffice")


def rows_of(content: bytes) -> list[dict]:
    ws = openpyxl.load_workbook(io.BytesIO(content))["会员名册"]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_export_has_the_template_columns_then_age_service_and_status(school_a, member_a, today):
    content = export_roster(
        actor=None, org=school_a, members=Member.objects.filter(org=school_a), clear=True, today=today
    )
    ws = openpyxl.load_workbook(io.BytesIO(content))["会员名册"]
    header = [c.value for c in ws[1]]
    assert header == TEMPLATE_HEADERS + ["年龄", "教龄", "状态日期", "调往单位"]
    (row,) = rows_of(content)
    zhang = member_a.member
    assert row["姓名"] == "张三" and row["性别"] == "男" and row["工会小组"] == "语文组"
    assert row["出生日期"] == datetime.datetime(1985, 5, 20) and row["状态"] == "在册"
    assert (row["年龄"], row["教龄"]) == (rules.age_on(zhang.birth_date, today), 18)
    assert ws["D2"].number_format == "@" and ws["C2"].number_format == "yyyy-mm-dd"


def test_the_export_masks_id_numbers_and_phones_and_is_not_audited(school_a, member_a, chair_a):
    zhang = member_a.member
    content = export_roster(
        actor=chair_a, org=school_a, members=Member.objects.filter(org=school_a), clear=False
    )
    (row,) = rows_of(content)
    assert row["身份证号"] == rules.mask_id_number(zhang.id_number) and "*" in row["身份证号"]
    assert row["手机"] == rules.mask_phone(zhang.phone) and zhang.phone not in content.decode("latin-1")
    assert not AuditEvent.objects.filter(action="members.roster.export").exists()


def test_an_export_in_clear_shows_them_and_is_audited(school_a, member_a, chair_a):
    zhang = member_a.member
    MemberFactory(org=school_a, name="李四")
    content = export_roster(
        actor=chair_a, org=school_a, members=Member.objects.filter(org=school_a), clear=True
    )
    by_name = {r["姓名"]: r for r in rows_of(content)}
    assert (by_name["张三"]["身份证号"], by_name["张三"]["手机"]) == (zhang.id_number, zhang.phone)
    event = AuditEvent.objects.get(action="members.roster.export")
    assert (event.actor, event.org) == (chair_a, school_a)
    assert event.changes == {"count": [None, 2], "clear": [None, True]}


def test_the_export_holds_only_the_given_members_of_the_org(school_a, school_b, member_a, chair_a):
    MemberFactory(org=school_a, name="李四", status="retired")
    MemberFactory(org=school_b, name="外校")
    content = export_roster(
        actor=chair_a, org=school_a, members=Member.objects.filter(status="active"), clear=False
    )
    assert [r["姓名"] for r in rows_of(content)] == ["张三"]


def test_a_name_that_looks_like_a_formula_is_exported_as_text(school_a, chair_a):
    MemberFactory(org=school_a, name='=HYPERLINK("http://x","点")')
    content = export_roster(
        actor=chair_a, org=school_a, members=Member.objects.filter(org=school_a), clear=False
    )
    ws = openpyxl.load_workbook(io.BytesIO(content))["会员名册"]
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("=HYPERLINK")


def test_a_clear_export_imports_again_without_changes(school_a, group_a, member_a, chair_a, today):
    MemberFactory(org=school_a, name="李四", gender="F", is_teacher=False, post="会计", union_group=None)
    MemberFactory(org=school_a, name="王五", status="transferred", transferred_to="县实验小学")
    content = export_roster(
        actor=chair_a, org=school_a, members=Member.objects.filter(org=school_a), clear=True
    )
    before = (Member.objects.count(), MemberStatusChange.objects.count())
    upload = SimpleUploadedFile("export.xlsx", content)
    result = import_roster(actor=chair_a, org=school_a, upload=upload, today=today)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert (Member.objects.count(), MemberStatusChange.objects.count()) == before


def test_a_clear_export_imports_into_another_school_as_new_members(
    school_a, school_b, group_a, member_a, chair_a
):
    MemberFactory(
        org=school_a, name="王五", status="transferred", transferred_to="县实验小学", union_group=group_a
    )
    content = export_roster(
        actor=chair_a, org=school_a, members=Member.objects.filter(org=school_a), clear=True
    )
    UnionGroupFactory(org=school_b, name="语文组")
    result = import_roster(actor=chair_a, org=school_b, upload=SimpleUploadedFile("a.xlsx", content))
    assert result.created == 2
    wang = Member.objects.get(org=school_b, name="王五")
    assert (wang.status, wang.transferred_to, wang.union_group.org) == ("transferred", "县实验小学", school_b)
    assert wang.status_changes.get().destination == "县实验小学"


def libreoffice(convert_to: str, outdir: Path, *files: Path) -> None:
    """Convert with LibreOffice headless, in a private profile so parallel runs don't clash."""
    # Not skipped when LibreOffice is missing: the files must open outside Excel, and this checks it.
    assert LIBREOFFICE.exists(), "LibreOffice is required at /usr/bin/libreoffice for this test"
    profile = Path(f"/tmp/lo-{uuid.uuid4().hex}")
    try:
        subprocess.run(
            [
                str(LIBREOFFICE),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                convert_to,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_libreoffice_opens_the_template_and_an_export(school_a, group_a, member_a, chair_a, tmp_path):
    template = tmp_path / "template.xlsx"
    template.write_bytes(template_workbook(school_a))
    export = tmp_path / "export.xlsx"
    export.write_bytes(
        export_roster(actor=chair_a, org=school_a, members=Member.objects.filter(org=school_a), clear=True)
    )
    out = tmp_path / "csv"
    # comma, double quote, UTF-8 (76), from the first line
    libreoffice("csv:Text - txt - csv (StarCalc):44,34,76,1", out, template, export)
    template_rows = list(csv.reader((out / "template.csv").read_text(encoding="utf-8").splitlines()))
    assert template_rows == [TEMPLATE_HEADERS]
    export_rows = list(csv.reader((out / "export.csv").read_text(encoding="utf-8").splitlines()))
    assert export_rows[0][:12] == TEMPLATE_HEADERS
    zhang = member_a.member
    assert export_rows[1][:5] == ["张三", "男", "1985-05-20", zhang.id_number, zhang.phone]


def test_an_export_saved_again_by_libreoffice_imports(
    school_a, school_b, group_a, member_a, chair_a, tmp_path
):
    export = tmp_path / "export.xlsx"
    export.write_bytes(
        export_roster(actor=chair_a, org=school_a, members=Member.objects.filter(org=school_a), clear=True)
    )
    out = tmp_path / "resaved"
    libreoffice("xlsx:Calc MS Excel 2007 XML", out, export)
    UnionGroupFactory(org=school_b, name="语文组")
    upload = SimpleUploadedFile("resaved.xlsx", (out / "export.xlsx").read_bytes())
    assert import_roster(actor=chair_a, org=school_b, upload=upload).created == 1
    copy = Member.objects.get(org=school_b)
    zhang = member_a.member
    assert (copy.name, copy.id_number, copy.phone, copy.birth_date) == (
        "张三",
        zhang.id_number,
        zhang.phone,
        zhang.birth_date,
    )
