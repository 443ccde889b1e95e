"""The roster spreadsheet pages: import with its error report, the template, the export."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiaogong.core.models import AuditEvent
from jiaogong.factories import ROSTER_HEADERS as HEADER
from jiaogong.factories import MemberFactory, make_id_number, roster_xlsx
from jiaogong.members.models import Member


def url(name, org, *args):
    return reverse(f"members:{name}", args=[org.pk, *args])


def xlsx_upload(rows, header=HEADER, name="名册.xlsx"):
    return SimpleUploadedFile(name, roster_xlsx(rows, header), content_type="application/octet-stream")


def row(name, gender, birth, seq, group="语文组", status="在册"):
    return [
        name,
        gender,
        birth.isoformat(),
        make_id_number(birth, "M" if gender == "男" else "F", seq),
        "13900001111",
        "2010-09-01",
        "是",
        group,
        "2010-10-01",
        status,
    ]


def read_sheet(content: bytes) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    return rows


# ---- import -------------------------------------------------------------------------------------


def test_import_page_offers_the_template_and_the_upload_form(login, chair_a, school_a):
    html = login(chair_a).get(url("import", school_a)).content.decode()
    assert url("import_template", school_a) in html
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html


def test_import_creates_the_members_and_reports_the_counts(login, chair_a, school_a, group_a):
    upload = xlsx_upload(
        [
            row("李丽", "女", datetime.date(1988, 4, 12), 1),
            row("王强", "男", datetime.date(1979, 11, 3), 2),
        ]
    )
    response = login(chair_a).post(url("import", school_a), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "导入完成" in html and "新增 <b>2</b> 人，更新 <b>0</b> 人" in html
    assert url("list", school_a) in html
    li = Member.objects.get(org=school_a, name="李丽")
    assert (li.gender, li.union_group, li.birth_date) == ("F", group_a, datetime.date(1988, 4, 12))


def test_import_updates_a_member_already_in_the_roster(login, chair_a, school_a, group_a):
    birth = datetime.date(1988, 4, 12)
    MemberFactory(
        org=school_a, name="李丽", gender="F", birth_date=birth, id_number=make_id_number(birth, "F", 1)
    )
    html = (
        login(chair_a)
        .post(url("import", school_a), {"file": xlsx_upload([row("李丽", "女", birth, 1)])})
        .content.decode()
    )
    assert "新增 <b>0</b> 人，更新 <b>1</b> 人" in html
    assert Member.objects.filter(org=school_a, name="李丽").count() == 1


def test_import_errors_are_reported_by_row_and_column_and_nothing_is_written(
    login, chair_a, school_a, group_a
):
    good = row("李丽", "女", datetime.date(1988, 4, 12), 1)
    bad_id = row("王强", "男", datetime.date(1979, 11, 3), 2)
    bad_id[3] = bad_id[3][:-1] + ("0" if bad_id[3][-1] != "0" else "1")
    no_group = row("陈静", "女", datetime.date(1990, 1, 5), 3, group="不存在组")
    response = login(chair_a).post(url("import", school_a), {"file": xlsx_upload([good, bad_id, no_group])})
    html = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何数据。" in html and "文件中有 2 处问题" in html
    assert '<th class="num">行</th><th>列</th><th>问题</th>' in html
    assert '<td class="num">3</td><td class="nowrap">身份证号</td>' in html
    assert '<td class="num">4</td><td class="nowrap">工会小组</td>' in html
    assert "身份证号校验位不正确" in html
    assert not Member.objects.filter(org=school_a).exists()
    assert not AuditEvent.objects.filter(action="members.member.create").exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(login, chair_a, school_a):
    upload = SimpleUploadedFile("名册.xlsx", b"not a workbook", content_type="application/octet-stream")
    html = login(chair_a).post(url("import", school_a), {"file": upload}).content.decode()
    assert "未导入任何数据。" in html and "不是有效的 .xlsx 文件" in html
    assert not Member.objects.exists()


def test_import_without_a_file_asks_for_one(login, chair_a, school_a):
    html = login(chair_a).post(url("import", school_a), {}).content.decode()
    assert "请选择要导入的名册文件。" in html


def test_plain_member_may_not_import(login, member_a, school_a, group_a):
    upload = xlsx_upload([row("李丽", "女", datetime.date(1988, 4, 12), 1)])
    response = login(member_a).post(url("import", school_a), {"file": upload})
    assert response.status_code == 403
    assert not Member.objects.filter(name="李丽").exists()


def test_outsider_may_not_import(login, outsider_b, school_a, group_a):
    upload = xlsx_upload([row("李丽", "女", datetime.date(1988, 4, 12), 1)])
    assert login(outsider_b).post(url("import", school_a), {"file": upload}).status_code == 404
    assert not Member.objects.exists()


def test_template_is_an_xlsx_with_the_roster_header(login, chair_a, school_a):
    response = login(chair_a).get(url("import_template", school_a))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    assert list(read_sheet(response.content)[0][:10]) == HEADER


def test_plain_member_may_not_download_the_template(login, member_a, school_a):
    assert login(member_a).get(url("import_template", school_a)).status_code == 403


# ---- export -------------------------------------------------------------------------------------


def test_chair_exports_the_filtered_roster_in_clear(login, chair_a, school_a, member_a):
    li = MemberFactory(org=school_a, name="李四")
    response = login(chair_a).get(url("export", school_a), {"q": "zs"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response.content[:2] == b"PK"
    rows = read_sheet(response.content)
    assert rows[0][:10] == tuple(HEADER)
    names = [r[0] for r in rows[1:]]
    assert names == ["张三"] and li.name not in names
    assert rows[1][3] == member_a.member.id_number
    assert AuditEvent.objects.filter(action="members.roster.export", actor=chair_a).exists()


def test_federation_officer_exports_masked_numbers(login, officer, school_a, member_a):
    response = login(officer).get(url("export", school_a))
    rows = read_sheet(response.content)
    zhang = member_a.member
    assert rows[1][0] == "张三" and rows[1][3] == zhang.masked_id_number and rows[1][4] == zhang.masked_phone


def test_plain_member_may_not_export(login, member_a, school_a):
    assert login(member_a).get(url("export", school_a)).status_code == 403
