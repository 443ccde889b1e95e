"""The roster import: every error of every row reported with its row and column, or everything written."""

import datetime
import io
import os
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from jiaogong.core.errors import DomainError
from jiaogong.core.models import AuditEvent
from jiaogong.factories import ROSTER_HEADERS as HEADERS
from jiaogong.factories import MemberFactory, UnionGroupFactory, make_id_number, roster_xlsx
from jiaogong.members import services
from jiaogong.members.importing import ImportInvalid, import_roster, template_workbook
from jiaogong.members.models import Member, MemberStatusChange


def xlsx(rows, headers=HEADERS, sheet="会员名册") -> bytes:
    return roster_xlsx(rows, headers, sheet)


def upload(content: bytes, name="roster.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def person(name="李丽", gender="女", birth=datetime.date(1988, 4, 12), seq=7, **overrides) -> dict:
    row = {
        "姓名": name,
        "性别": gender,
        "出生日期": birth.isoformat(),
        "身份证号": make_id_number(birth, "F" if gender == "女" else "M", seq),
        "手机": "13900001111",
        "入职日期": "2010-09-01",
        "是否教师": "是",
        "工会小组": "语文组",
        "入会日期": "2010-10-01",
        "状态": "在册",
    }
    row.update(overrides)
    return row


def counts():
    return Member.objects.count(), MemberStatusChange.objects.count(), AuditEvent.objects.count()


def refused(actor, org, content: bytes, name="roster.xlsx") -> ImportInvalid:
    """Import and expect a refusal that wrote nothing; return the error."""
    before = counts()
    with pytest.raises(ImportInvalid) as e:
        import_roster(actor=actor, org=org, upload=upload(content, name))
    assert counts() == before
    assert e.value.code == "import_invalid" and e.value.status == 422
    assert e.value.extra["rows"] == e.value.rows
    return e.value


# ---- valid files -------------------------------------------------------------------------------


def test_new_rows_are_created_with_pinyin_status_history_and_audit(school_a, group_a, chair_a):
    rows = [
        person("李丽", "女", datetime.date(1988, 4, 12), 7),
        person("单田芳", "男", datetime.date(1975, 1, 30), 3, 工会小组="", 状态="退休", 是否教师="否"),
    ]
    result = import_roster(actor=chair_a, org=school_a, upload=upload(xlsx(rows)))
    assert (result.created, result.updated) == (2, 0)
    li = Member.objects.get(org=school_a, name="李丽")
    shan = Member.objects.get(org=school_a, name="单田芳")
    assert (li.name_pinyin, li.name_initials) == ("lili", "ll")
    assert (shan.name_pinyin, shan.name_initials) == ("shantianfang", "stf")
    assert (li.gender, li.phone, li.union_group, li.is_teacher) == ("F", "13900001111", group_a, True)
    assert li.status_since == datetime.date(2010, 10, 1)
    assert (shan.status, shan.union_group, shan.is_teacher) == ("retired", None, False)
    history = li.status_changes.get()
    assert (history.to_status, history.note, history.recorded_by) == ("active", "名册导入", chair_a)
    created = AuditEvent.objects.filter(action="members.member.create", org=school_a)
    assert {e.object_id for e in created} == {str(li.pk), str(shan.pk)}
    assert created.get(object_id=str(li.pk)).changes["name"] == [None, "李丽"]
    summary = AuditEvent.objects.get(action="members.roster.import")
    assert summary.actor == chair_a and summary.org == school_a
    assert summary.changes["created"] == [None, 2] and summary.changes["updated"] == [None, 0]
    assert summary.changes["file"] == [None, "roster.xlsx"]


def test_a_row_with_a_members_id_number_and_name_updates_that_member(school_a, group_a, chair_a, member_a):
    zhang = member_a.member
    maths = UnionGroupFactory(org=school_a, name="数学组")
    row = person(
        "张三", "男", zhang.birth_date, 0, 身份证号=zhang.id_number, 手机="13700002222", 工会小组="数学组"
    )
    new = person("李丽")
    result = import_roster(actor=chair_a, org=school_a, upload=upload(xlsx([row, new])))
    assert (result.created, result.updated) == (1, 1)
    assert Member.objects.filter(org=school_a, id_number=zhang.id_number).count() == 1
    zhang.refresh_from_db()
    assert (zhang.phone, zhang.union_group) == ("13700002222", maths)
    event = AuditEvent.objects.get(action="members.member.update", object_id=str(zhang.pk))
    assert event.actor == chair_a
    assert event.changes["phone"][1] == "13700002222"
    assert event.changes["union_group"] == [group_a.pk, maths.pk]
    assert zhang.status_changes.count() == 0  # the status did not change


def test_importing_the_same_file_twice_changes_nothing_the_second_time(school_a, group_a, chair_a):
    content = xlsx([person("李丽"), person("王刚", "男", datetime.date(1990, 3, 3), 9)])
    import_roster(actor=chair_a, org=school_a, upload=upload(content))
    before = (Member.objects.count(), MemberStatusChange.objects.count())
    result = import_roster(actor=chair_a, org=school_a, upload=upload(content))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert (Member.objects.count(), MemberStatusChange.objects.count()) == before
    assert not AuditEvent.objects.filter(action="members.member.update").exists()


def test_a_status_change_is_recorded_in_the_status_history(school_a, group_a, chair_a, member_a):
    zhang = member_a.member
    row = person("张三", "男", zhang.birth_date, 0, 身份证号=zhang.id_number, 状态="退休")
    result = import_roster(
        actor=chair_a, org=school_a, upload=upload(xlsx([row])), today=datetime.date(2026, 11, 22)
    )
    assert result.updated == 1
    zhang.refresh_from_db()
    assert (zhang.status, zhang.status_since) == ("retired", datetime.date(2026, 11, 22))
    change = zhang.status_changes.get()
    assert (change.from_status, change.to_status, change.note) == ("active", "retired", "名册导入")
    assert AuditEvent.objects.filter(action="members.member.status", object_id=str(zhang.pk)).exists()


def test_a_status_change_the_rules_forbid_is_reported_on_its_row(school_a, group_a, chair_a):
    applicant = MemberFactory(org=school_a, name="赵六", status="applicant")
    row = person("赵六", "男", applicant.birth_date, 0, 身份证号=applicant.id_number, 状态="在册")
    error = refused(chair_a, school_a, xlsx([row]))
    assert error.rows == [{"row": 2, "column": "状态", "message": error.rows[0]["message"]}]
    assert "批准入会" in error.rows[0]["message"]


def test_blank_cells_leave_an_existing_members_values_alone(school_a, group_a, chair_a, member_a):
    zhang = member_a.member
    zhang.is_teacher, zhang.status = False, "retired"
    zhang.save()
    row = person(
        "张三",
        "男",
        zhang.birth_date,
        0,
        身份证号=zhang.id_number,
        手机=None,
        工会小组=None,
        是否教师=None,
        状态=None,
    )
    result = import_roster(actor=chair_a, org=school_a, upload=upload(xlsx([row])))
    zhang.refresh_from_db()
    assert (zhang.phone != "", zhang.union_group, zhang.is_teacher, zhang.status) == (
        True,
        group_a,
        False,
        "retired",
    )
    assert result.updated == 1  # hire and join dates came from the file


def test_a_member_without_an_id_number_is_matched_by_name_and_birth_date(school_a, group_a, chair_a):
    old = MemberFactory(
        org=school_a, name="李丽", gender="F", birth_date=datetime.date(1988, 4, 12), id_number=""
    )
    row = person("李丽")
    result = import_roster(actor=chair_a, org=school_a, upload=upload(xlsx([row])))
    assert (result.created, result.updated) == (0, 1)
    old.refresh_from_db()
    assert old.id_number == row["身份证号"]


def test_columns_are_found_by_header_text_in_any_order_and_with_aliases(school_a, group_a, chair_a):
    headers = [
        " 状态",
        "手机号",
        "姓 名",
        "工会小组",
        "身份证号码",
        "性别",
        "出生日期",
        "入会日期",
        "是否教师",
        "入职日期 ",
        "备注",
    ]
    row = person()
    row["手机号"], row["身份证号码"], row["姓 名"], row[" 状态"], row["入职日期 "] = (
        row["手机"],
        row["身份证号"],
        row["姓名"],
        row["状态"],
        row["入职日期"],
    )
    row["备注"] = "多余的列不影响导入"
    result = import_roster(actor=chair_a, org=school_a, upload=upload(xlsx([row], headers=headers)))
    assert result.created == 1
    li = Member.objects.get(name="李丽")
    assert (li.phone, li.id_number, li.hire_date) == (
        "13900001111",
        row["身份证号"],
        datetime.date(2010, 9, 1),
    )


def test_numbers_and_dates_stored_by_excel_are_read_sensibly(school_a, group_a, chair_a):
    birth = datetime.date(1988, 4, 12)
    rows = [
        person(
            "李丽",
            出生日期=datetime.datetime(1988, 4, 12),
            手机=13812345678.0,
            入职日期=40422,  # the Excel serial number of 2010-09-01
            入会日期=20101001,
            是否教师=True,
        ),
        person("王芳", seq=8, 手机=13812345679, 身份证号=make_id_number(birth, "F", 8).lower()),
    ]
    result = import_roster(actor=chair_a, org=school_a, upload=upload(xlsx(rows)))
    assert result.created == 2
    li = Member.objects.get(name="李丽")
    assert (li.phone, li.id_number) == ("13812345678", make_id_number(birth, "F", 7))
    assert (li.hire_date, li.joined_on) == (datetime.date(2010, 9, 1), datetime.date(2010, 10, 1))
    assert Member.objects.get(name="王芳").phone == "13812345679"


def test_blank_rows_between_members_are_skipped(school_a, group_a, chair_a):
    rows = [person("李丽"), {}, ["", "  ", None], person("王芳", seq=8)]
    assert import_roster(actor=chair_a, org=school_a, upload=upload(xlsx(rows))).created == 2


def test_a_row_with_only_a_note_in_an_unread_column_is_skipped(school_a, group_a, chair_a):
    headers = ["备注", *HEADERS]
    rows = [person() | {"备注": "班主任"}, {"备注": "以下为退休教师"}, person("王芳", seq=8)]
    assert import_roster(actor=chair_a, org=school_a, upload=upload(xlsx(rows, headers=headers))).created == 2


def test_a_transfer_in_the_file_needs_the_destination_column(school_a, group_a, chair_a, member_a):
    zhang = member_a.member
    row = person("张三", "男", zhang.birth_date, 0, 身份证号=zhang.id_number, 状态="调出")
    error = refused(chair_a, school_a, xlsx([row]))
    assert error.rows[0]["column"] == "状态" and "调往单位" in error.rows[0]["message"]
    headers = [*HEADERS, "调往单位", "状态日期"]
    row |= {"调往单位": "县实验小学", "状态日期": "2026-08-31"}
    assert (
        import_roster(actor=chair_a, org=school_a, upload=upload(xlsx([row], headers=headers))).updated == 1
    )
    zhang.refresh_from_db()
    assert (zhang.status, zhang.transferred_to, zhang.status_since) == (
        "transferred",
        "县实验小学",
        datetime.date(2026, 8, 31),
    )
    assert zhang.status_changes.get().destination == "县实验小学"


def test_a_column_given_twice_is_refused(school_a, group_a, chair_a):
    error = refused(chair_a, school_a, xlsx([person()], headers=[*HEADERS, "手机号"]))
    assert error.rows == [{"row": 1, "column": "手机", "message": "表头“手机”出现了两次，请删除多余的一列。"}]


def test_a_file_like_object_without_a_size_is_measured(school_a, group_a, chair_a):
    class Upload(io.BytesIO):
        name = "C:\\名册\\roster.xlsx"

    result = import_roster(actor=chair_a, org=school_a, upload=Upload(xlsx([person()])))
    assert result.created == 1
    assert AuditEvent.objects.get(action="members.roster.import").changes["file"] == [None, "roster.xlsx"]


def test_the_same_id_number_in_another_school_is_no_clash(school_a, school_b, group_a, chair_a):
    row = person()
    MemberFactory(
        org=school_b,
        name="别人",
        gender="F",
        birth_date=datetime.date(1988, 4, 12),
        id_number=row["身份证号"],
    )
    assert import_roster(actor=chair_a, org=school_a, upload=upload(xlsx([row]))).created == 1


def test_a_federation_cannot_import_members(federation, chair_a):
    with pytest.raises(DomainError) as e:
        import_roster(actor=chair_a, org=federation, upload=upload(xlsx([person()])))
    assert e.value.code == "not_a_school"


# ---- the template ------------------------------------------------------------------------------


def test_the_template_has_the_header_drop_downs_formats_and_instructions(school_a, group_a):
    UnionGroupFactory(org=school_a, name="数学组")
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook(school_a)))
    assert wb.sheetnames[:2] == ["会员名册", "填写说明"]
    ws = wb["会员名册"]
    header = [c.value for c in ws[1]]
    assert header[:10] == HEADERS and header[10:] == ["岗位/职务", "中层以上干部"]
    assert ws.max_row == 1  # no example rows
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width > 18
    formats = {c: ws.column_dimensions[c].number_format for c in "CDEFI"}
    assert formats == {"C": "yyyy-mm-dd", "D": "@", "E": "@", "F": "yyyy-mm-dd", "I": "yyyy-mm-dd"}
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["B2"] == '"男,女"' and lists["G2"] == '"是,否"'
    assert lists["J2"] == '"申请入会,在册,退休,调出,去世,非会员职工"'
    guide = wb["填写说明"]
    assert lists["H2"] == "'填写说明'!$G$2:$G$3"
    assert [guide["G2"].value, guide["G3"].value] == ["数学组", "语文组"]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    for header in HEADERS:
        assert header in text
    assert "必填" in text and "1988-04-12" in text


def test_the_downloaded_template_filled_in_imports(school_a, group_a, chair_a):
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook(school_a)))
    ws = wb["会员名册"]
    birth = datetime.date(1979, 12, 1)
    ws.append(
        [
            "周敏",
            "女",
            birth,
            make_id_number(birth, "F", 4),
            "13612345678",
            datetime.date(2001, 9, 1),
            "是",
            "语文组",
            datetime.date(2001, 10, 8),
            "在册",
            "教务主任",
            "是",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    result = import_roster(actor=chair_a, org=school_a, upload=upload(out.getvalue()))
    assert result.created == 1
    zhou = Member.objects.get(name="周敏")
    assert (zhou.post, zhou.is_cadre, zhou.union_group, zhou.birth_date) == ("教务主任", True, group_a, birth)


# ---- refusals: nothing written, one clear message ----------------------------------------------


def test_missing_columns_are_named_on_row_one(school_a, group_a, chair_a):
    headers = [h for h in HEADERS if h not in ("出生日期", "工会小组")]
    error = refused(chair_a, school_a, xlsx([person()], headers=headers))
    assert len(error.rows) == 1
    assert error.rows[0]["row"] == 1 and error.rows[0]["column"] == "出生日期、工会小组"
    assert "缺少必需的列：出生日期、工会小组" in error.rows[0]["message"]


def test_a_bad_date_is_reported_with_its_row_and_column(school_a, group_a, chair_a):
    error = refused(chair_a, school_a, xlsx([person(), person("王芳", seq=8, 入职日期="2010-13-45")]))
    assert error.rows == [{"row": 3, "column": "入职日期", "message": "“2010-13-45”不是有效日期。"}]
    assert error.message == "导入文件有 1 处错误，未导入任何数据。"


def test_a_bad_id_checksum_is_reported(school_a, group_a, chair_a):
    good = person()["身份证号"]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    error = refused(chair_a, school_a, xlsx([person(身份证号=bad)]))
    assert error.rows == [{"row": 2, "column": "身份证号", "message": "身份证号校验位不正确，请核对。"}]


def test_an_id_number_stored_as_an_excel_number_gets_a_hint(school_a, group_a, chair_a):
    # Excel (and openpyxl) keep 15 significant digits of a number: the ID's last digits are gone.
    error = refused(chair_a, school_a, xlsx([person(身份证号=int(person()["身份证号"]))]))
    assert error.rows[0]["column"] == "身份证号" and "设为文本" in error.rows[0]["message"]


def test_a_masked_id_number_gets_a_clear_message(school_a, group_a, chair_a):
    error = refused(chair_a, school_a, xlsx([person(身份证号="110101********0029", 手机="139****1111")]))
    assert [r["column"] for r in error.rows] == ["身份证号", "手机"]
    assert all("已脱敏" in r["message"] for r in error.rows)


def test_a_duplicate_id_number_in_the_file_names_the_first_row(school_a, group_a, chair_a):
    li = person()
    error = refused(
        chair_a, school_a, xlsx([person("王刚", "男", datetime.date(1990, 3, 3), 9), li, dict(li), dict(li)])
    )
    assert error.rows == [
        {"row": 4, "column": "身份证号", "message": "与第3行身份证号重复。"},
        {"row": 5, "column": "身份证号", "message": "与第3行身份证号重复。"},
    ]


def test_an_id_number_of_another_member_of_the_school_is_refused(school_a, group_a, chair_a):
    li_si = MemberFactory(org=school_a, name="李四", gender="F", birth_date=datetime.date(1988, 4, 12))
    error = refused(chair_a, school_a, xlsx([person("李丽", 身份证号=li_si.id_number)]))
    assert error.rows == [
        {"row": 2, "column": "身份证号", "message": "身份证号与本单位会员 李四 相同，请核对。"}
    ]


def test_an_unknown_group_is_refused(school_a, group_a, chair_a):
    error = refused(chair_a, school_a, xlsx([person(工会小组="物理组")]))
    assert error.rows == [
        {"row": 2, "column": "工会小组", "message": "没有名为“物理组”的工会小组，请先建立该小组。"}
    ]


def test_a_group_of_another_school_is_unknown(school_a, school_b, group_a, chair_a):
    UnionGroupFactory(org=school_b, name="美术组")
    error = refused(chair_a, school_a, xlsx([person(工会小组="美术组")]))
    assert error.rows[0]["column"] == "工会小组"


def test_every_error_of_every_row_is_reported_with_row_and_column(school_a, group_a, chair_a):
    rows = [
        person(),
        person("", "X", seq=8, 出生日期="不详", 手机="123", 工会小组="物理组"),
        person("王芳", seq=9),
        person("赵敏", seq=10, 状态="离职", 是否教师="也许", 入会日期="2010/02/30"),
    ]
    error = refused(chair_a, school_a, xlsx(rows))
    found = {(r["row"], r["column"]) for r in error.rows}
    assert found == {
        (3, "姓名"),
        (3, "性别"),
        (3, "出生日期"),
        (3, "手机"),
        (3, "工会小组"),
        (5, "是否教师"),
        (5, "入会日期"),
        (5, "状态"),
    }
    assert [r["row"] for r in error.rows] == sorted(r["row"] for r in error.rows)
    assert error.message == "导入文件有 8 处错误，未导入任何数据。"
    assert all(r["message"] for r in error.rows)


def test_an_empty_file_is_refused(school_a, chair_a):
    error = refused(chair_a, school_a, b"")
    assert error.message.startswith("文件是空的") and error.rows[0]["row"] == 0


def test_a_header_only_file_is_refused(school_a, group_a, chair_a):
    error = refused(chair_a, school_a, xlsx([{}, {}]))
    assert "没有数据行" in error.message and len(error.rows) == 1


def test_csv_text_named_xlsx_is_refused(school_a, chair_a):
    content = (",".join(HEADERS) + "\n李丽,女,1988-04-12\n").encode("utf-8")
    error = refused(chair_a, school_a, content)
    assert error.message.startswith("不是有效的 .xlsx 文件，请使用下载的模板")


def test_an_old_xls_file_is_refused(school_a, chair_a):
    content = bytes.fromhex("d0cf11e0a1b11ae1") + os.urandom(4096)
    error = refused(chair_a, school_a, content, name="roster.xls")
    assert error.message.startswith("不是有效的 .xlsx 文件，请使用下载的模板") and ".xls" in error.message


def test_a_zip_that_is_not_a_workbook_is_refused(school_a, chair_a):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "不是表格")
    error = refused(chair_a, school_a, out.getvalue())
    assert error.message.startswith("不是有效的 .xlsx 文件")


def test_a_file_over_the_size_limit_is_refused_before_parsing(school_a, chair_a, settings):
    assert settings.IMPORT_MAX_BYTES == 5 * 1024 * 1024
    error = refused(chair_a, school_a, os.urandom(10 * 1024 * 1024))
    assert error.message.startswith("文件过大") and "5 MB" in error.message


def test_an_oversized_stream_without_a_size_is_refused(school_a, chair_a, settings):
    settings.IMPORT_MAX_BYTES = 1000

    class Upload(io.BytesIO):
        name = "roster.xlsx"

    with pytest.raises(ImportInvalid) as e:
        import_roster(actor=chair_a, org=school_a, upload=Upload(b"PK" + b"x" * 5000))
    assert e.value.message.startswith("文件过大")


def test_a_failure_while_writing_rolls_back_every_row(school_a, group_a, chair_a, member_a, monkeypatch):
    """New members are written first; a clash found by the database afterwards undoes them too."""
    zhang = member_a.member
    rows = [person(), person("张三", "男", zhang.birth_date, 0, 身份证号=zhang.id_number, 状态="退休")]

    def clash(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: members_member.org_id, members_member.id_number")

    monkeypatch.setattr(services, "change_status", clash)
    error = refused(chair_a, school_a, xlsx(rows))
    assert "未导入任何数据" in error.message
    assert not Member.objects.filter(name="李丽").exists()
