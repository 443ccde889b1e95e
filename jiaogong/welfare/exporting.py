"""A greeting batch's 签领表 (sign-off sheet) as .xlsx and .docx: one row a recipient (name, 工会小组,
item, amount, a blank signature column), the totals, and the chair's and the handler's
signature lines. Printed, signed by each person who takes the goods, and kept with the voucher."""

import io
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jiaogong.core import documents as d
from jiaogong.core.xlsx import new_workbook
from jiaogong.welfare.models import GreetingBatch

HEADERS = [
    ("序号", 6),
    ("姓名", 11),
    ("工会小组", 13),
    ("类别", 14),
    ("慰问品", 22),
    ("金额（元）", 11),
    ("签名", 16),
]
MONEY = "#,##0.00"
THIN = Side(style="thin")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)


def rows_of(batch: GreetingBatch) -> list[dict]:
    recipients = batch.recipients.select_related("member__union_group").order_by(
        "member__union_group__name", "member__name_pinyin", "id"
    )
    out = []
    for r in recipients:
        klass = r.get_klass_display() + ("·困难职工家庭" if r.hardship else "")
        out.append(
            {
                "name": r.member.name,
                "group": r.member.union_group.name if r.member.union_group_id else "",
                "klass": klass,
                "item": batch.item,
                "amount": r.amount,
            }
        )
    return out


def _title(batch: GreetingBatch) -> str:
    return f"{batch.title}签领表"


def _subtitle(batch: GreetingBatch) -> str:
    form = {"goods": "实物", "cake_voucher": "蛋糕券"}.get(batch.form, batch.form)
    return f"{batch.org.name}　发放日期：{batch.given_on:%Y-%m-%d}　形式：{form}"


def _put(ws, row, column, value, *, fmt=None, bold=False, border=True, align=None):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    if border:
        cell.border = BOX
    if align:
        cell.alignment = Alignment(horizontal=align, vertical="center")
    return cell


def signoff_xlsx(batch: GreetingBatch) -> bytes:
    rows = rows_of(batch)
    total = sum((r["amount"] for r in rows), Decimal("0.00"))
    wb = new_workbook()
    ws = wb.active
    ws.title = "签领表"
    width = len(HEADERS)
    for i, (_h, w) in enumerate(HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row, text, size in ((1, _title(batch), 15), (2, _subtitle(batch), 11)):
        cell = _put(ws, row, 1, text, border=False)
        cell.font = Font(bold=row == 1, size=size)
        cell.alignment = Alignment(horizontal="center" if row == 1 else "left", vertical="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[1].height = 26
    for i, (header, _w) in enumerate(HEADERS, start=1):
        cell = _put(ws, 3, i, header, bold=True, align="center")
        cell.fill = PatternFill("solid", fgColor="EDEDED")
    r = 4
    for n, row in enumerate(rows, start=1):
        _put(ws, r, 1, n, align="center")
        _put(ws, r, 2, row["name"])
        _put(ws, r, 3, row["group"])
        _put(ws, r, 4, row["klass"])
        _put(ws, r, 5, row["item"])
        _put(ws, r, 6, row["amount"], fmt=MONEY)
        _put(ws, r, 7, "")
        ws.row_dimensions[r].height = 24
        r += 1
    _put(ws, r, 1, "合计", bold=True, align="center")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    _put(ws, r, 3, f"{len(rows)} 人", bold=True)
    for c in (4, 5, 7):
        _put(ws, r, c, "")
    _put(ws, r, 6, total, fmt=MONEY, bold=True)
    r += 2
    cell = _put(
        ws, r, 1, "工会主席（签字）：______________　　　经办人（签字）：______________", border=False
    )
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    r += 1
    cell = _put(ws, r, 1, "日期：______年____月____日", border=False)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def signoff_docx(batch: GreetingBatch) -> bytes:
    rows = rows_of(batch)
    total = sum((r["amount"] for r in rows), Decimal("0.00"))
    doc = d.new_document(_title(batch))
    d.add_title(doc, _title(batch))
    d.add_paragraph(doc, _subtitle(batch), indent=False)
    d.add_table(
        doc,
        [h for h, _w in HEADERS],
        [
            [str(n), r["name"], r["group"], r["klass"], r["item"], f"{r['amount']:,.2f}", ""]
            for n, r in enumerate(rows, start=1)
        ]
        + [["合计", "", f"{len(rows)} 人", "", "", f"{total:,.2f}", ""]],
        widths=[1.4, 1.9, 2.1, 2.4, 3.2, 2.2, 2.4],
        align=["center", "left", "left", "left", "left", "right", "left"],
    )
    d.add_paragraph(doc, "工会主席（签字）：______________　　　经办人（签字）：______________", indent=False)
    d.add_paragraph(doc, "日期：______年____月____日", indent=False)
    return d.to_bytes(doc)
