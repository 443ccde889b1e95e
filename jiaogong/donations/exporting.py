"""A campaign's 捐款明细 as .xlsx: the sheet the finance member prints, has signed and hands over
with the money, and keeps for the 台帐. Title, one row a giver (group, amount, date), the totals
row, the breakdown by 工会小组 and, at the bottom, the hand-over record."""

import io

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jiaogong.core.xlsx import new_workbook
from jiaogong.donations import selectors
from jiaogong.donations.models import Campaign, Contribution
from jiaogong.members import rules as member_rules

HEADERS = [
    ("序号", 6),
    ("姓名", 12),
    ("工会小组", 14),
    ("金额（元）", 12),
    ("捐款日期", 12),
    ("方式", 10),
    ("备注", 24),
]
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FBEAEA")
TOP = Border(top=Side(style="thin"))


def _put(ws, row: int, column: int, value, *, number_format: str | None = None, bold: bool = False):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula: a name must not run in someone's Excel
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def _line(ws, row: int, text: str, *, size: int | None = None, bold: bool = False) -> None:
    """A text line across the table's width."""
    cell = _put(ws, row, 1, text)
    cell.font = Font(bold=bold or size is not None, size=size or 11)
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))


def campaign_workbook(campaign: Campaign) -> bytes:
    totals = selectors.totals(campaign)
    rows = sorted(
        selectors.effective(campaign).select_related("member"),
        key=lambda c: (
            c.group_name == "",
            c.group_name,
            c.member.name_pinyin if c.member_id else member_rules.pinyin_of(c.name)[0],
            c.pk,
        ),
    )
    methods = dict(Contribution.Method.choices)

    wb = new_workbook()
    ws = wb.active
    ws.title = "捐款明细"
    for i, (_, width) in enumerate(HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    _line(ws, 1, f"{campaign.title}捐款明细表", size=14)
    ws.row_dimensions[1].height = 24
    _line(
        ws,
        2,
        f"{campaign.org.name}　接收单位：{campaign.beneficiary}　"
        f"时间：{campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d}　代收代转，不计入工会经费",
    )
    header_row = 3
    for i, (header, _) in enumerate(HEADERS, start=1):
        cell = _put(ws, header_row, i, header, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    r = header_row
    for n, c in enumerate(rows, start=1):
        r += 1
        _put(ws, r, 1, n)
        _put(ws, r, 2, c.name)
        _put(ws, r, 3, c.group_name or ("未分组" if c.member_id else "非会员"))
        _put(ws, r, 4, c.amount, number_format=MONEY)
        _put(ws, r, 5, c.paid_on, number_format=DATE)
        _put(ws, r, 6, methods.get(c.method, c.method))
        _put(ws, r, 7, c.memo)
    r += 1
    _put(ws, r, 1, "合计", bold=True)
    _put(ws, r, 2, f"{totals['givers']} 人", bold=True)
    _put(ws, r, 4, totals["total"], number_format=MONEY, bold=True)
    for column in range(1, len(HEADERS) + 1):
        ws.cell(row=r, column=column).border = TOP
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"

    r += 2
    _line(ws, r, "按工会小组", bold=True)
    r += 1
    for i, header in enumerate(["", "工会小组", "应捐人数", "金额（元）", "捐款人数", "参与率"], start=1):
        if header:
            _put(ws, r, i, header, bold=True).fill = HEADER_FILL
    for g in totals["groups"]:
        r += 1
        _put(ws, r, 2, g["group"])
        _put(ws, r, 3, g["headcount"])
        _put(ws, r, 4, g["total"], number_format=MONEY)
        _put(ws, r, 5, g["givers"])
        _put(ws, r, 6, f"{g['rate']}%" if g["rate"] is not None else "")

    r += 2
    _line(ws, r, "移交记录", bold=True)
    record = getattr(campaign, "hand_over", None)
    if record is None:
        r += 1
        _line(ws, r, f"尚未移交。已收捐款 {totals['total']} 元，{totals['givers']} 人。")
    else:
        handed_by = record.handed_by.get_full_name() or record.handed_by.username
        for label, value, fmt in [
            ("移交日期", record.handed_on, DATE),
            ("接收单位", record.recipient, None),
            ("移交金额（元）", record.amount, MONEY),
            ("捐款人数", record.givers, None),
            ("收据编号", record.receipt_number, None),
            ("经手人", handed_by, None),
            ("说明", record.note, None),
        ]:
            r += 1
            _put(ws, r, 2, label, bold=True)
            _put(ws, r, 3, value, number_format=fmt)
    r += 2
    _line(ws, r, "经手人（签字）：　　　　　　　　工会主席（签字）：　　　　　　　　接收单位（盖章）：")

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
