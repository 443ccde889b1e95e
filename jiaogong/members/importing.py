"""The 实名制 roster as a spreadsheet: the import template, the all-or-nothing import, the export.

The import reads what people actually produce in Excel or WPS: headers in any order (with a few
common aliases), dates typed as text or stored as dates or serial numbers, ID and phone numbers
stored as numbers. Every error of every row is reported with its Excel row and column; if there
is a single one, nothing is written (API.md: "422 import_invalid … with nothing written").
"""

import datetime
import io
import re
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from jiaogong.core import audit, xlsx
from jiaogong.core.errors import DomainError, InvalidInput
from jiaogong.core.models import AuditEvent
from jiaogong.core.parsing import parse_date
from jiaogong.core.text import clean
from jiaogong.core.xlsx import UnsafeWorkbook, new_workbook, open_workbook
from jiaogong.members import privacy, rules, services
from jiaogong.members.models import Member, MemberStatusChange, UnionGroup

SHEET = "会员名册"
GUIDE_SHEET = "填写说明"
MAX_ROWS = 10_000  # data rows per file: far above the largest school, low enough to answer in seconds
IMPORT_NOTE = "名册导入"

# The template's columns, in order: (header, field, kind, width). The first ten are the
# 实名制 columns every file must have; the last two are optional.
TEMPLATE_COLUMNS = [
    ("姓名", "name", "text", 12),
    ("性别", "gender", "text", 7),
    ("出生日期", "birth_date", "date", 12),
    ("身份证号", "id_number", "digits", 22),
    ("手机", "phone", "digits", 15),
    ("入职日期", "hire_date", "date", 12),
    ("是否教师", "is_teacher", "bool", 10),
    ("工会小组", "union_group", "text", 14),
    ("入会日期", "joined_on", "date", 12),
    ("状态", "status", "text", 11),
    ("岗位/职务", "post", "text", 14),
    ("中层以上干部", "is_cadre", "bool", 13),
]
REQUIRED_HEADERS = [h for h, *_ in TEMPLATE_COLUMNS[:10]]
# Read on import when present (an export carries them), never required.
EXTRA_COLUMNS = [
    ("状态日期", "status_since", "date", 12),
    ("调往单位", "transferred_to", "text", 18),
]
EXPORT_ONLY_COLUMNS = [("年龄", "age", "int", 6), ("教龄", "service_years", "int", 6)]
ALIASES = {
    "手机号": "手机",
    "手机号码": "手机",
    "身份证号码": "身份证号",
    "身份证": "身份证号",
    "岗位": "岗位/职务",
    "职务": "岗位/职务",
}

KIND = {f: kind for _, f, kind, _ in TEMPLATE_COLUMNS + EXTRA_COLUMNS}
HEADER_OF = {f: h for h, f, *_ in TEMPLATE_COLUMNS + EXTRA_COLUMNS}
FIELD_OF = {h: f for h, f, *_ in TEMPLATE_COLUMNS + EXTRA_COLUMNS}
# On an update a blank cell leaves the value alone, except these, which identify the person.
ALWAYS_CHECKED = {"name", "gender", "birth_date"}

NOT_XLSX = "不是有效的 .xlsx 文件，请使用下载的模板填写，并在 Excel 或 WPS 中保存为 .xlsx 格式。"


class ImportInvalid(DomainError):
    """The roster file is refused; `.rows` lists every problem as {row, column, message}."""

    status = 422

    def __init__(self, rows: list[dict], message: str | None = None):
        rows = sorted(rows, key=lambda r: r["row"])
        if message is None:
            message = f"导入文件有 {len(rows)} 处错误，未导入任何数据。"
        super().__init__("import_invalid", message, extra={"rows": rows})
        self.rows = rows


def _refuse(message: str, *, row: int = 0, column: str = "") -> ImportInvalid:
    return ImportInvalid([{"row": row, "column": column, "message": message}], message=message)


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int = 0  # existing members the file matched without changing anything


# ---- the template ------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
BOLD = Font(bold=True)

GUIDE = [
    # header, required, format, example, explanation
    ("姓名", "必填", "文字", "李丽", "与身份证一致。"),
    ("性别", "必填", "男 / 女（下拉选择）", "女", "须与身份证号第17位一致（奇数为男，偶数为女）。"),
    (
        "出生日期",
        "必填",
        "日期 yyyy-mm-dd",
        "1988-04-12",
        "也可写 1988/4/12、1988年4月12日；须与身份证号中的出生日期一致。",
    ),
    (
        "身份证号",
        "选填",
        "18位文本",
        "110101198804120029",
        "本列已设为文本格式，请勿改成数字（否则末几位会丢失）。填写后系统核对校验位。",
    ),
    ("手机", "选填", "11位文本", "13812345678", "以1开头的11位手机号，可带空格或短横线。"),
    ("入职日期", "选填", "日期 yyyy-mm-dd", "2010-09-01", "用于计算教龄；不得早于16周岁。"),
    ("是否教师", "选填", "是 / 否（下拉选择）", "是", "留空视为“是”。"),
    (
        "工会小组",
        "选填",
        "下拉选择",
        "语文组",
        "须是本单位已建立的工会小组（见右侧列表），新小组请先在系统中建立。",
    ),
    ("入会日期", "选填", "日期 yyyy-mm-dd", "2010-10-01", "加入工会的日期。"),
    ("状态", "选填", "下拉选择", "在册", "可选：" + "、".join(Member.Status.labels) + "；留空视为“在册”。"),
    ("岗位/职务", "选填（可删除本列）", "文字", "语文教师", "最多50字。"),
    ("中层以上干部", "选填（可删除本列）", "是 / 否（下拉选择）", "否", "留空视为“否”。"),
]


def _style_header(ws, headers: list[str], widths: list[int], required: set[str]) -> None:
    for i, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=i, value=header)
        cell.font = BOLD
        cell.fill = REQUIRED_FILL if header in required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _column_formats(ws, kinds: list[str]) -> None:
    """Dates as yyyy-mm-dd and ID/phone as text, as column styles: Excel, WPS and LibreOffice give
    them to every cell typed into the column, and no empty formatted rows pad the sheet."""
    for i, kind in enumerate(kinds, start=1):
        fmt = {"date": "yyyy-mm-dd", "digits": "@"}.get(kind)
        if fmt is not None:
            ws.column_dimensions[get_column_letter(i)].number_format = fmt


def template_workbook(org) -> bytes:
    """The downloadable import template: header, drop-downs, formats; and a sheet of instructions."""
    wb = new_workbook()
    ws = wb.active
    ws.title = SHEET
    headers = [h for h, *_ in TEMPLATE_COLUMNS]
    _style_header(ws, headers, [w for *_, w in TEMPLATE_COLUMNS], set(REQUIRED_HEADERS[:3]))
    last = MAX_ROWS + 1
    _column_formats(ws, [k for _, _, k, _ in TEMPLATE_COLUMNS])
    col = {h: get_column_letter(i) for i, h in enumerate(headers, start=1)}

    def choose(header: str, formula: str, prompt: str) -> None:
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="输入有误",
            error=prompt,
            promptTitle=header,
            prompt=prompt,
            showInputMessage=True,
        )
        dv.add(f"{col[header]}2:{col[header]}{last}")
        ws.add_data_validation(dv)

    choose("性别", '"男,女"', "请选择“男”或“女”。")
    choose("是否教师", '"是,否"', "请选择“是”或“否”。")
    choose("中层以上干部", '"是,否"', "请选择“是”或“否”。")
    choose("状态", '"' + ",".join(Member.Status.labels) + '"', "请从下拉列表中选择状态。")

    guide = wb.create_sheet(GUIDE_SHEET)
    guide.append(["列名", "是否必填", "格式", "示例", "说明"])
    for row in GUIDE:
        guide.append(list(row))
    for i, width in enumerate([14, 18, 20, 22, 70], start=1):
        guide.column_dimensions[get_column_letter(i)].width = width
        guide.cell(row=1, column=i).font = BOLD
        guide.cell(row=1, column=i).fill = HEADER_FILL
    max_mb = settings.IMPORT_MAX_BYTES / 1024 / 1024
    notes = [
        "填写要求",
        "1. 请勿修改第一行表头（列的顺序可以调整）；从第2行起每行填写一人，不要合并单元格。",
        "2. 标为浅橙色的姓名、性别、出生日期必须填写；其余列可以留空。",
        "3. 身份证号与本单位已有会员相同（且姓名一致）时，更新该会员的信息；"
        "更新时留空的单元格不修改原有信息。其余行新增为会员。",
        "4. 文件中有任何一处错误时，全部不导入，系统会列出每一处错误的行号和列名，改正后重新上传即可。",
        f"5. 请保存为 .xlsx 格式，文件不超过 {max_mb:g} MB，最多 {MAX_ROWS} 行。",
        "6. 可选列“状态日期”“调往单位”：新增会员或状态发生变化时使用（调出须填写调往单位）。",
    ]
    start = len(GUIDE) + 3
    for offset, text in enumerate(notes):
        cell = guide.cell(row=start + offset, column=1, value=text)
        if offset == 0:
            cell.font = BOLD
    # The org's groups: listed here for people, and the source of the 工会小组 drop-down.
    guide.cell(row=1, column=7, value="本单位工会小组").font = BOLD
    guide.cell(row=1, column=7).fill = HEADER_FILL
    guide.column_dimensions["G"].width = 18
    names = list(UnionGroup.objects.filter(org=org).order_by("name").values_list("name", flat=True))
    for i, name in enumerate(names, start=2):
        guide.cell(row=i, column=7, value=name).data_type = "s"
    if names:
        choose(
            "工会小组", f"'{GUIDE_SHEET}'!$G$2:$G${len(names) + 1}", "请从下拉列表中选择本单位的工会小组。"
        )
    else:
        guide.cell(row=2, column=7, value="（尚未建立，请先在系统中建立工会小组，或留空）")

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- reading the upload ------------------------------------------------------------------------


def _read_upload(upload) -> bytes:
    """The upload's bytes, refusing an oversized or empty file before anything is parsed."""
    limit = settings.IMPORT_MAX_BYTES
    too_big = f"文件过大，上限为 {limit / 1024 / 1024:g} MB；请删除多余的工作表、图片或空行后再试。"
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > limit:
        raise _refuse(too_big)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)  # never more than one byte past the limit, whatever .size said
    if len(data) > limit:
        raise _refuse(too_big)
    if not data:
        raise _refuse("文件是空的（0 字节），请选择填写好的名册文件。")
    return data


def _load_sheet(data: bytes):
    """The roster sheet, through the one safe opener (core/xlsx.py: zip bombs and oversized sheets
    are refused before any XML is parsed)."""
    try:
        wb = open_workbook(data, max_rows=MAX_ROWS + 1)
    except UnsafeWorkbook as e:
        message = str(e)
        if message.startswith(xlsx.NOT_XLSX):  # in the roster's own words
            message = NOT_XLSX + message.removeprefix(xlsx.NOT_XLSX)
        raise _refuse(message) from None
    if not wb.worksheets:
        wb.close()
        raise _refuse(NOT_XLSX)
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    # Some writers store a wrong <dimension>; read the cells actually present instead.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    return wb, ws


def _normalise_header(value) -> str:
    text = re.sub(r"\s+", "", "" if value is None else str(value)).strip("*＊")
    return ALIASES.get(text, text)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(field_name: str, value) -> Any:
    """One Excel cell as the text or typed value clean_member_data expects; ValueError if hopeless."""
    if _blank(value):
        return None
    kind = KIND[field_name]
    if isinstance(value, str):
        text = clean(value, multiline=False).strip()  # a cell may hold _x001B_-escaped controls
        if kind == "digits" and "*" in text:
            raise ValueError(
                f"{HEADER_OF[field_name]}已脱敏（含*），不能导入；请使用明文导出的名册或填写完整号码。"
            )
        return text
    if isinstance(value, bool):
        return value if kind == "bool" else ("是" if value else "否")
    if isinstance(value, datetime.datetime | datetime.date):
        if kind == "date":
            return value.date() if isinstance(value, datetime.datetime) else value
        if kind == "digits":
            raise ValueError(f"{HEADER_OF[field_name]}被 Excel 识别成了日期，请把该列设为文本后重新填写。")
        return str(value.date() if isinstance(value, datetime.datetime) else value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            if kind == "date" and 1 <= value < 100_000:
                return from_excel(value).date()
            return str(value)
        number = int(value)
        if kind == "digits" and isinstance(value, float) and number >= 10**15:
            # Excel keeps 15 significant digits: an 18-digit ID stored as a number has lost its tail.
            raise ValueError("身份证号被存成了数字，末几位已丢失；请把该列设为文本后重新填写完整号码。")
        if kind == "date":
            if 1 <= number < 100_000:  # an Excel date serial number shown without a date format
                return from_excel(number).date()
            return str(number)  # 19880412
        return str(number)
    return str(value).strip()


def _id_key(value) -> str:
    """The ID number normalised as rules.clean_id_number does, for matching rows and members; "" when
    blank or malformed (clean_member_data reports that). Cheap: the region lookup is done once, there."""
    text = re.sub(r"\s", "", "" if value is None else str(value)).upper()
    return text if re.fullmatch(r"\d{17}[\dX]", text) else ""


def _status_error(member: Member, to_status: str, destination: str) -> tuple[str, str] | None:
    """services.change_status's refusals as (field, message), checked up front so they become row errors."""
    if to_status == "active" and member.status == "applicant":
        return "status", "入会申请须经工会委员会批准，请在系统中使用“批准入会”，不能通过导入改为“在册”。"
    if not rules.can_change_status(member.status, to_status):
        return "status", f"不能从“{member.get_status_display()}”改为“{Member.Status(to_status).label}”。"
    if to_status == "transferred" and not destination:
        return "transferred_to", "改为“调出”须在“调往单位”列填写调往单位。"
    return None


@dataclass
class _Row:
    number: int
    target: Member | None
    cleaned: dict
    status_since: datetime.date | None
    transferred_to: str


def import_roster(*, actor, org, upload, today: datetime.date | None = None) -> ImportResult:
    """Import the roster file: every row valid, or nothing written (ImportInvalid lists every error).

    A row whose ID number is already in the org's registry updates that member when the names
    agree (a different name is an error); a row without a matching ID number updates the one
    member of the org with no ID number and the same name and birth date, if there is one;
    every other row is a new member.
    """
    if org.is_federation:
        raise DomainError("not_a_school", "会员只能登记在学校工会。")
    today = today or timezone.localdate()
    file_name = str(getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    data = _read_upload(upload)
    with warnings.catch_warnings():
        # openpyxl warns about Excel features it does not read (extensions, styles): noise here.
        warnings.simplefilter("ignore")
        wb, ws = _load_sheet(data)
        try:
            rows = _validate(org, ws, today)
        finally:
            wb.close()
    return _write(actor=actor, org=org, rows=rows, file_name=file_name, today=today)


def _validate(org, ws, today: datetime.date) -> list[_Row]:
    header_row = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    columns: dict[str, int] = {}  # field -> 0-based column index
    shown: dict[str, str] = {}  # field -> the header as written in the file
    problems: list[dict] = []
    for index, value in enumerate(header_row):
        header = _normalise_header(value)
        if header not in FIELD_OF:
            continue  # 年龄, 教龄, notes… are ignored
        f = FIELD_OF[header]
        if f in columns:
            problems.append(
                {"row": 1, "column": header, "message": f"表头“{header}”出现了两次，请删除多余的一列。"}
            )
            continue
        columns[f] = index
        shown[f] = re.sub(r"\s+", "", str(value))
    missing = [h for h in REQUIRED_HEADERS if FIELD_OF[h] not in columns]
    if missing:
        problems.append(
            {
                "row": 1,
                "column": "、".join(missing),
                "message": "缺少必需的列：" + "、".join(missing) + "。表头须在第1行，请使用下载的模板。",
            }
        )
    if problems:
        raise ImportInvalid(problems)

    groups = {g.name: g for g in UnionGroup.objects.filter(org=org)}
    existing = list(Member.objects.filter(org=org))
    existing_ids = {m.id_number: m.pk for m in existing if m.id_number}
    by_id = {m.id_number: m for m in existing if m.id_number}
    without_id: dict[tuple, list[Member]] = {}
    for m in existing:
        if not m.id_number:
            without_id.setdefault((m.name, m.birth_date), []).append(m)

    width = max(columns.values()) + 1
    seen_ids: dict[str, int] = {}
    claimed: dict[int, int] = {}  # member pk -> the row that updates it
    out: list[_Row] = []
    count = 0
    for number, values in enumerate(ws.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
        if all(index >= len(values) or _blank(values[index]) for index in columns.values()):
            continue  # blank, or only notes in columns the import does not read
        count += 1
        if count > MAX_ROWS:
            raise _refuse(f"数据行过多（超过 {MAX_ROWS} 行），请分成几个文件导入。")
        errors: dict[str, str] = {}
        raw: dict[str, Any] = {}
        for f, index in columns.items():
            value = values[index] if index < len(values) else None
            try:
                raw[f] = _cell(f, value)
            except ValueError as e:
                errors[f] = str(e)
                raw[f] = None

        status_since = None
        if "status_since" in raw:
            try:
                status_since = parse_date(raw.pop("status_since"))
            except ValueError as e:
                errors["status_since"] = str(e)
        transferred_to = str(raw.pop("transferred_to", None) or "")[:100]

        # Who is this row? The same ID number, else (no ID on record) the same name and birth date.
        key = _id_key(raw.get("id_number"))
        name = str(raw.get("name") or "").strip()
        target = None
        id_error = None
        if key and key in seen_ids:
            id_error = f"与第{seen_ids[key]}行身份证号重复。"
        elif key:
            seen_ids[key] = number
        if key and key in by_id:
            if name and by_id[key].name != name:
                id_error = id_error or f"身份证号与本单位会员 {by_id[key].name} 相同，请核对。"
            else:
                target = by_id[key]
        elif name:
            try:
                birth = parse_date(raw.get("birth_date"))
            except ValueError:
                birth = None
            candidates = without_id.get((name, birth), [])
            if len(candidates) == 1:
                target = candidates[0]
        if target is not None and not id_error:
            if target.pk in claimed:
                id_error = f"与第{claimed[target.pk]}行是同一会员，请合并为一行。"
            else:
                claimed[target.pk] = number

        data = dict(raw)
        if target is not None:
            data = {f: v for f, v in raw.items() if v is not None or f in ALWAYS_CHECKED}
        cleaned: dict = {}
        try:
            cleaned = services.clean_member_data(
                org,
                data,
                instance=target,
                today=today,
                groups=groups,
                existing_ids=existing_ids,
            )
        except InvalidInput as e:
            errors = {**e.fields, **errors}
        if id_error:
            errors["id_number"] = id_error

        if (
            target is not None
            and "status" not in errors
            and cleaned.get("status", target.status) != target.status
        ):
            refused = _status_error(target, cleaned["status"], transferred_to)
            if refused:
                f, message = refused
                errors[f if f in columns else "status"] = message

        if errors:
            order = list(columns)
            for f in sorted(errors, key=lambda f: order.index(f) if f in order else len(order)):
                problems.append(
                    {"row": number, "column": shown.get(f, HEADER_OF.get(f, f)), "message": errors[f]}
                )
            continue
        out.append(_Row(number, target, cleaned, status_since, transferred_to))

    if problems:
        raise ImportInvalid(problems)
    if not out:
        raise _refuse("没有数据行：请从第2行起每行填写一人。", row=2)
    return out


# ---- writing -----------------------------------------------------------------------------------


def _actor_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _event(who, org, action: str, member: Member, changes: dict) -> AuditEvent:
    """The row audit.record would write, for bulk_create."""
    return AuditEvent(
        org=org,
        actor=who,
        action=action,
        object_type=Member._meta.label_lower,
        object_id=str(member.pk),
        object_repr=str(member)[:200],
        changes=changes,
    )


def _write(*, actor, org, rows: list[_Row], file_name: str, today: datetime.date) -> ImportResult:
    try:
        with transaction.atomic():
            result = _write_rows(actor=actor, org=org, rows=rows, file_name=file_name, today=today)
    except IntegrityError:
        # Someone registered one of these ID numbers while the file was being checked.
        raise _refuse("导入期间本单位名册有变动（身份证号重复），未导入任何数据，请重新上传。") from None
    return result


def _write_rows(*, actor, org, rows: list[_Row], file_name: str, today: datetime.date) -> ImportResult:
    who = _actor_or_none(actor)
    new = []
    for row in rows:
        if row.target is not None:
            continue
        member = Member(org=org, **row.cleaned)
        member.name_pinyin, member.name_initials = rules.pinyin_of(member.name)
        since = row.status_since or (member.joined_on if member.status == Member.Status.ACTIVE else None)
        member.status_since = since or today
        member.transferred_to = row.transferred_to if member.status == Member.Status.TRANSFERRED else ""
        new.append(member)
    # bulk_create skips Member.save(): the pinyin is computed above, the ids come back (SQLite ≥ 3.35, PostgreSQL).
    Member.objects.bulk_create(new, batch_size=500)
    MemberStatusChange.objects.bulk_create(
        [
            MemberStatusChange(
                org=org,
                member=m,
                from_status="",
                to_status=m.status,
                effective_on=m.status_since,
                destination=m.transferred_to,
                note=IMPORT_NOTE,
                recorded_by=who,
            )
            for m in new
        ],
        batch_size=500,
    )
    AuditEvent.objects.bulk_create(
        [
            _event(
                who,
                org,
                "members.member.create",
                m,
                audit.diff({}, audit.snapshot(m, services.MEMBER_FIELDS)),
            )
            for m in new
        ],
        batch_size=500,
    )

    # Updates: field changes in bulk (with an audit row each), then status moves one by one
    # through services.change_status, which writes the status history and its own audit row.
    now = timezone.now()
    changed: list[tuple[Member, tuple]] = []
    events: list[AuditEvent] = []
    moves: list[tuple[Member, str, _Row]] = []
    updated = unchanged = 0
    for row in rows:
        member = row.target
        if member is None:
            continue
        before = audit.snapshot(member, services.MEMBER_FIELDS)
        for name, value in row.cleaned.items():
            if name != "status":
                setattr(member, name, value)
        changes = audit.diff(before, audit.snapshot(member, services.MEMBER_FIELDS))
        if changes:
            fields = sorted(changes)
            if "name" in changes:
                member.name_pinyin, member.name_initials = rules.pinyin_of(member.name)
                fields += ["name_pinyin", "name_initials"]
            member.updated_at = now
            changed.append((member, tuple(fields)))
            events.append(_event(who, org, "members.member.update", member, changes))
        to_status = row.cleaned.get("status", member.status)
        if to_status != member.status:
            moves.append((member, to_status, row))
        if changes or to_status != member.status:
            updated += 1
        else:
            unchanged += 1
    # Write only the fields that changed for each member (grouped by the set of changed fields):
    # anything else was read before the transaction and must not overwrite a concurrent edit.
    by_fields: dict[tuple, list[Member]] = {}
    for member, fields in changed:
        by_fields.setdefault(fields, []).append(member)
    for fields, members in by_fields.items():
        Member.objects.bulk_update(members, [*fields, "updated_at"], batch_size=200)
    AuditEvent.objects.bulk_create(events, batch_size=500)
    for member, to_status, row in moves:
        services.change_status(
            actor=actor,
            member=member,
            to_status=to_status,
            effective_on=row.status_since or today,
            destination=row.transferred_to,
            note=IMPORT_NOTE,
        )

    audit.record(
        actor=actor,
        org=org,
        action="members.roster.import",
        changes={
            "created": [None, len(new)],
            "updated": [None, updated],
            "unchanged": [None, unchanged],
            "file": [None, file_name],
        },
        object_repr=file_name,
    )
    return ImportResult(created=len(new), updated=updated, unchanged=unchanged)


# ---- the export --------------------------------------------------------------------------------

EXPORT_COLUMNS = TEMPLATE_COLUMNS + EXPORT_ONLY_COLUMNS + EXTRA_COLUMNS


def _export_value(value):
    """Strings without the control characters .xlsx cannot hold; blanks as empty cells."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return value or None
    return value


def export_roster(*, actor, org, members, clear: bool, today: datetime.date | None = None) -> bytes:
    """The roster (already filtered by the caller) as .xlsx, with the template's columns first.

    ID numbers and phones are masked unless `clear`; a clear export is audited. A clear export
    can be imported again as it is.
    """
    today = today or timezone.localdate()
    if hasattr(members, "select_related"):
        members = members.filter(org=org).select_related("union_group")
    members = [m for m in members if m.org_id == org.pk]

    wb = new_workbook()
    ws = wb.active
    ws.title = SHEET
    headers = [h for h, *_ in EXPORT_COLUMNS]
    _style_header(ws, headers, [w for *_, w in EXPORT_COLUMNS], set())
    labels = dict(Member.Status.choices)
    genders = dict(Member.Gender.choices)
    date_format = "yyyy-mm-dd"
    for r, m in enumerate(members, start=2):
        values = {
            "name": m.name,
            "gender": genders.get(m.gender, m.gender),
            # A masked export carries the birth year and the ID's region only: privacy.py.
            "birth_date": m.birth_date if clear else privacy.shown_birth(actor, org, m.birth_date),
            "id_number": m.id_number if clear else privacy.list_id_number(actor, org, m.id_number),
            "phone": m.phone if clear else privacy.list_phone(actor, org, m.phone),
            "hire_date": m.hire_date,
            "is_teacher": "是" if m.is_teacher else "否",
            "union_group": m.union_group.name if m.union_group_id else "",
            "joined_on": m.joined_on,
            "status": labels.get(m.status, m.status),
            "post": m.post,
            "is_cadre": "是" if m.is_cadre else "否",
            "age": m.age(today) if clear else privacy.shown_age(actor, org, m.birth_date, today),
            "service_years": m.service_years(today),
            "status_since": m.status_since,
            "transferred_to": m.transferred_to,
        }
        for c, (_, f, kind, _) in enumerate(EXPORT_COLUMNS, start=1):
            value = _export_value(values[f])
            cell = ws.cell(row=r, column=c, value=value)
            if kind == "date":
                cell.number_format = date_format
            elif kind == "digits":
                cell.number_format = "@"
            if isinstance(value, str):
                # openpyxl would store "=…" as a formula: a name must never run in someone's Excel.
                cell.data_type = "s"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(members) + 1, 1)}"

    if clear:
        audit.record(
            actor=actor,
            org=org,
            action="members.roster.export",
            changes={"count": [None, len(members)], "clear": [None, True]},
            object_repr=f"{org.name} 会员名册",
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
