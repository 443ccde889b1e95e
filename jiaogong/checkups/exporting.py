"""A round's 签到表 (.xlsx): the list the welfare member takes to the hospital, one row a person
with a column to sign; the current status is printed so the sheet also serves as the 台帐."""

import io

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jiaogong.checkups import selectors
from jiaogong.checkups.models import Round
from jiaogong.core.xlsx import new_workbook

HEADERS = [
    ("序号", 6),
    ("姓名", 12),
    ("性别", 6),
    ("工会小组", 14),
    ("状态", 8),
    ("日期", 12),
    ("本人签名", 18),
]
FILL = PatternFill("solid", fgColor="FBEAEA")


def _put(ws, row, column, value, *, bold=False, number_format=None):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    return cell


def _line(ws, row, text, *, size=11, bold=False):
    cell = _put(ws, row, 1, text)
    cell.font = Font(bold=bold, size=size)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))


def round_workbook(round_: Round) -> bytes:
    counts = selectors.progress(round_)
    wb = new_workbook()
    ws = wb.active
    ws.title = "签到表"
    for i, (_, width) in enumerate(HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    _line(ws, 1, f"{round_.title}签到表", size=14, bold=True)
    _line(
        ws,
        2,
        f"{round_.org.name}　{round_.get_kind_display()}　机构：{round_.provider}　"
        f"时间：{round_.starts_on:%Y-%m-%d} 至 {round_.ends_on:%Y-%m-%d}　只记是否参检，不记检查结果",
    )
    for i, (header, _) in enumerate(HEADERS, start=1):
        _put(ws, 3, i, header, bold=True).fill = FILL
    r = 3
    for n, e in enumerate(selectors.entries(round_), start=1):
        r += 1
        _put(ws, r, 1, n)
        _put(ws, r, 2, e.member.name)
        _put(ws, r, 3, e.member.get_gender_display())
        _put(ws, r, 4, e.member.union_group.name if e.member.union_group_id else "未分组")
        _put(ws, r, 5, e.get_status_display())
        _put(ws, r, 6, e.status_on, number_format="yyyy-mm-dd")
        ws.row_dimensions[r].height = 22
    r += 2
    _line(
        ws,
        r,
        f"应检 {counts['total']} 人，已检 {counts['done']} 人，未检 {counts['pending']} 人，放弃 {counts['declined']} 人。",
    )
    if counts["total_due"] is not None:
        r += 1
        _line(
            ws,
            r,
            f"人均费用 {round_.cost_per_person} 元，应付合计 {counts['total_due']} 元（不含放弃者；未记入工会账簿）。",
        )
    r += 2
    _line(ws, r, "经办人（签字）：　　　　　　　　工会主席（签字）：")
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
