import datetime
import io

import openpyxl
import pytest
from django.test.client import MULTIPART_CONTENT

from jiaogong.core.models import AuditEvent
from jiaogong.factories import make_id_number
from jiaogong.members.models import Member, MemberStatusChange

from .conftest import xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW_ID = make_id_number(datetime.date(1988, 4, 12), "M", seq=3)


@pytest.fixture
def zhang(member_a):
    m = member_a.member
    m.id_number = make_id_number(m.birth_date, "M", seq=5, region="450300")  # factories use 110101
    m.phone = "13812345678"
    m.save()
    return m


def valid_file(zhang):
    return xlsx(
        [
            [
                "王老师",
                "男",
                "1988-04-12",
                NEW_ID,
                "13700001111",
                "2010-09-01",
                "是",
                "语文组",
                "2010-10-01",
                "在册",
            ],
            # 张三 is already registered (same ID number): his phone changes
            ["张三", "男", zhang.birth_date, zhang.id_number, "13955556666", None, None, None, None, None],
        ]
    )


def invalid_file():
    return xlsx(
        [
            ["王老师", "X", "1988-04-12", NEW_ID, "", "", "是", "", "", ""],
            ["赵老师", "女", "明年", "", "", "", "是", "", "", ""],
        ]
    )


def upload(client, org, file):
    return client.post(f"/orgs/{org.pk}/members/import", {"file": file}, content_type=MULTIPART_CONTENT)


def written():
    return (Member.objects.count(), MemberStatusChange.objects.count(), AuditEvent.objects.count())


# ---- POST /orgs/{org}/members/import ------------------------------------------------------------


def test_chair_imports_a_roster(api, chair_a, school_a, group_a, zhang):
    response = upload(api(chair_a), school_a, valid_file(zhang))
    assert response.status_code == 200
    assert response.json() == {"created": 1, "updated": 1}
    new = Member.objects.get(org=school_a, name="王老师")
    assert (new.id_number, new.union_group, new.gender) == (NEW_ID, group_a, "M")
    zhang.refresh_from_db()
    assert zhang.phone == "13955556666"
    assert AuditEvent.objects.filter(action="members.roster.import", actor=chair_a).exists()


def test_an_invalid_roster_is_refused_with_its_rows_and_nothing_is_written(api, chair_a, school_a, zhang):
    client = api(chair_a)
    before = written()
    response = upload(client, school_a, invalid_file())
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_invalid"
    assert error["message"]
    rows = {(r["row"], r["column"]) for r in error["rows"]}
    assert rows == {(2, "性别"), (3, "出生日期")}
    assert all(r["message"] for r in error["rows"])
    assert written() == before


def test_a_file_that_is_not_xlsx_is_refused(api, chair_a, school_a):
    client = api(chair_a)
    before = written()
    fake = io.BytesIO(b"name,gender\n")
    fake.name = "roster.csv"
    response = upload(client, school_a, fake)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "import_invalid"
    assert written() == before


def test_the_import_wants_a_file(api, chair_a, school_a):
    response = api(chair_a).post(f"/orgs/{school_a.pk}/members/import", {}, content_type=MULTIPART_CONTENT)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"file": "必填。"}


@pytest.mark.parametrize("who", ["member_a", "officer"])
def test_other_roles_cannot_import(api, request, school_a, zhang, who):
    client = api(request.getfixturevalue(who))
    before = written()
    response = upload(client, school_a, valid_file(zhang))
    assert response.status_code == 403
    assert written() == before


def test_outsider_cannot_import_into_another_school(api, outsider_b, school_a, zhang):
    client = api(outsider_b)
    before = written()
    assert upload(client, school_a, valid_file(zhang)).status_code == 404
    assert written() == before


# ---- GET /orgs/{org}/members/export -------------------------------------------------------------


def rows_of(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_chair_exports_the_roster_in_clear(api, chair_a, school_a, zhang):
    response = api(chair_a).get(f"/orgs/{school_a.pk}/members/export")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    [row] = rows_of(response)
    assert (row["姓名"], row["身份证号"], row["手机"]) == ("张三", zhang.id_number, "13812345678")
    assert AuditEvent.objects.filter(action="members.roster.export", actor=chair_a).exists()


def test_officer_exports_the_roster_masked(api, officer, school_a, zhang):
    response = api(officer).get(f"/orgs/{school_a.pk}/members/export")
    assert response.status_code == 200
    [row] = rows_of(response)
    assert row["身份证号"] == zhang.masked_id_number
    assert row["手机"] == "138****5678"


def test_the_export_takes_the_list_filters(api, chair_a, school_a, zhang):
    from jiaogong.factories import MemberFactory

    MemberFactory(org=school_a, name="李四")
    response = api(chair_a).get(f"/orgs/{school_a.pk}/members/export", {"q": "zs"})
    assert [r["姓名"] for r in rows_of(response)] == ["张三"]


def test_member_cannot_export(api, member_a, school_a):
    response = api(member_a).get(f"/orgs/{school_a.pk}/members/export")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_outsider_cannot_export_another_school(api, outsider_b, school_a, zhang):
    response = api(outsider_b).get(f"/orgs/{school_a.pk}/members/export")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_exported_clear_roster_imports_again_unchanged(api, chair_a, school_a, zhang):
    client = api(chair_a)
    exported = io.BytesIO(client.get(f"/orgs/{school_a.pk}/members/export").content)
    exported.name = "export.xlsx"
    response = upload(client, school_a, exported)
    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 0}
