"""The open 困难职工档案 as .xlsx (the chair's export, for the 上级工会's 困难职工 database and the
台帐): one row a family, then the household members and the help given, each on its own sheet.
ID numbers and phones follow members.sensitive (members.selectors.reveal, which logs a read in
clear); the export itself is logged per file by the view (services.log_export)."""

import io

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jiaogong.core.xlsx import new_workbook
from jiaogong.hardship.models import HelpRecord, HouseholdMember
from jiaogong.members.selectors import reveal

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FBEAEA")

FILE_HEADERS = [
    ("序号", 6),
    ("姓名", 10),
    ("工会小组", 12),
    ("身份证号", 20),
    ("手机", 14),
    ("困难类别", 10),
    ("认定理由", 40),
    ("致困原因", 18),
    ("家庭人口", 8),
    ("家庭年收入（元）", 14),
    ("刚性支出（元）", 14),
    ("人均月收入（元）", 14),
    ("低保标准（元/人·月）", 14),
    ("当年致困支出（元）", 14),
    ("本人健康状况", 20),
    ("住房情况", 12),
    ("所在地", 14),
    ("建档日期", 12),
    ("最近复核", 12),
    ("帮扶金额合计（元）", 14),
]


def _put(ws, row: int, column: int, value, *, number_format: str | None = None, bold: bool = False):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def _sheet(ws, title: str, headers, heading: str):
    ws.title = title
    for i, (_, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    cell = _put(ws, 1, 1, heading)
    cell.font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for i, (header, _) in enumerate(headers, start=1):
        c = _put(ws, 2, i, header, bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(horizontal="center", wrap_text=True)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"


def workbook(org, files, *, today, user) -> bytes:
    wb = new_workbook()
    ws = wb.active
    _sheet(
        ws,
        "困难职工档案",
        FILE_HEADERS,
        f"{org.name}困难职工档案（{today:%Y-%m-%d} 导出，在档 {len(files)} 户）",
    )
    ids = [f.pk for f in files]
    helps = list(
        HelpRecord.objects.filter(file_id__in=ids).select_related("file__member").order_by("given_on", "id")
    )
    totals: dict[int, object] = {}
    for h in helps:
        if h.amount is not None:
            totals[h.file_id] = totals.get(h.file_id, 0) + h.amount
    for n, f in enumerate(files, start=1):
        r = n + 2
        shown = reveal(user, org, f.member, via="export")
        values = [
            n,
            f.member.name,
            f.member.union_group.name if f.member.union_group_id else "",
            shown["id_number"] or "",
            shown["phone"] or "",
            f.get_category_display(),
            "；".join(f.reasons),
            "、".join(f.cause_labels),
            f.household_size,
            f.annual_income,
            f.rigid_expenses,
            f.per_capita_monthly,
            f.dibao_monthly,
            f.hardship_costs,
            f.health,
            f.get_housing_display() if f.housing else "",
            f.locality,
            f.opened_on,
            getattr(f, "last_review_on", None),
            totals.get(f.pk, 0),
        ]
        for c, value in enumerate(values, start=1):
            fmt = MONEY if c in (10, 11, 12, 13, 14, 20) else DATE if c in (18, 19) else None
            _put(ws, r, c, value, number_format=fmt)

    people = wb.create_sheet()
    headers = [("职工", 10), ("姓名", 10), ("关系", 8), ("出生年份", 10), ("职业/状况", 16), ("健康状况", 18)]
    headers.append(("年收入（元）", 14))
    _sheet(people, "家庭成员", headers, "家庭成员")
    rows = (
        HouseholdMember.objects.filter(file_id__in=ids)
        .select_related("file__member")
        .order_by("file_id", "id")
    )
    for r, h in enumerate(rows, start=3):
        for c, value in enumerate(
            [h.file.member.name, h.name, h.relation, h.birth_year, h.occupation, h.health, h.annual_income],
            start=1,
        ):
            _put(people, r, c, value, number_format=MONEY if c == 7 else None)

    given = wb.create_sheet()
    headers = [
        ("职工", 10),
        ("日期", 12),
        ("帮扶类型", 12),
        ("形式", 8),
        ("金额（元）", 12),
        ("记账凭证", 10),
    ]
    headers.append(("说明", 30))
    _sheet(given, "帮扶记录", headers, "帮扶记录")
    for r, h in enumerate(helps, start=3):
        values = [
            h.file.member.name,
            h.given_on,
            h.get_kind_display(),
            h.get_form_display(),
            h.amount,
            h.ledger_entry_id,
            h.note,
        ]
        for c, value in enumerate(values, start=1):
            _put(given, r, c, value, number_format=MONEY if c == 5 else DATE if c == 2 else None)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
