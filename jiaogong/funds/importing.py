"""The month's salary sheet (.xlsx): 姓名, 身份证号 (optional), then one column per salary item.

Rows are matched to members by ID number, or else by a name that is unique in the union; every
problem is reported with its row and column, and nothing is written unless all rows are good.
"""

import io
import re
from decimal import Decimal

import openpyxl
from openpyxl.styles import Font, PatternFill

from jiaogong.core.errors import InvalidInput
from jiaogong.core.rules import value_for
from jiaogong.core.xlsx import UnsafeWorkbook, bounded_rows, new_workbook
from jiaogong.funds import services
from jiaogong.members.importing import MAX_ROWS, ImportInvalid, _id_key, _load_sheet, _read_upload
from jiaogong.members.models import Member

NAME, ID = "姓名", "身份证号"


def template_workbook(org) -> bytes:
    """A sheet with the active members' names and the salary items that count (and one that doesn't)."""
    counted = list(value_for(org, "dues.base_components"))
    wb = new_workbook()
    ws = wb.active
    ws.title = "工资基数"
    headers = [NAME, ID, *counted, "绩效工资"]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FBEAEA")
    for i, width in enumerate([12, 22, *[12] * (len(headers) - 2)], start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
    for member in Member.objects.filter(org=org, status__in=("active", "retired")).order_by("name_pinyin"):
        ws.append([member.name])
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_salary_sheet(*, actor, org, month, upload, through=None) -> dict:
    wb, ws = _load_sheet(_read_upload(upload))
    try:
        rows = list(bounded_rows(ws, max_rows=MAX_ROWS + 1))
    except UnsafeWorkbook as e:
        raise ImportInvalid([{"row": 0, "column": "", "message": str(e)}]) from None
    finally:
        wb.close()
    if not rows:
        raise ImportInvalid(
            [{"row": 1, "column": "", "message": "第一行应为表头：姓名、身份证号、各工资项目。"}]
        )
    headers = [re.sub(r"\s+", "", str(h or "")) for h in rows[0]]
    if NAME not in headers:
        raise ImportInvalid([{"row": 1, "column": NAME, "message": "表头缺少“姓名”列。"}])
    items = [(i, h) for i, h in enumerate(headers) if h and h not in (NAME, ID)]
    if not items:
        raise ImportInvalid(
            [{"row": 1, "column": "", "message": "表头没有工资项目列（如 岗位工资、薪级工资）。"}]
        )
    members = list(Member.objects.filter(org=org))
    by_id = {m.id_number.upper(): m for m in members if m.id_number}
    by_name: dict[str, list[Member]] = {}
    for m in members:
        by_name.setdefault(m.name, []).append(m)
    problems, checked, row_of = [], [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = dict(enumerate(row))
        name = str(cells.get(headers.index(NAME)) or "").strip()
        id_text = _id_key(cells.get(headers.index(ID))) if ID in headers else ""
        components = {h: cells.get(i) for i, h in items if cells.get(i) not in (None, "")}
        if not name and not components:
            continue  # a blank line
        member = by_id.get(id_text) if id_text else None
        if member is None:
            same = by_name.get(name, [])
            if not name:
                problems.append({"row": number, "column": NAME, "message": "缺少姓名。"})
                continue
            if len(same) != 1:
                message = (
                    f"本工会没有名为“{name}”的会员。"
                    if not same
                    else f"有 {len(same)} 位会员名为“{name}”，请填写身份证号。"
                )
                problems.append({"row": number, "column": NAME, "message": message})
                continue
            member = same[0]
        if not components:
            problems.append({"row": number, "column": "", "message": f"{member.name} 没有填写任何工资项目。"})
            continue
        texts = {k: _amount_text(v) for k, v in components.items()}
        for column, text in texts.items():
            errors: dict[str, str] = {}
            services.parse_amount(text, field=column, label=column, errors=errors, positive=False)
            problems += [{"row": number, "column": column, "message": m} for m in errors.values()]
        checked.append({"member": member.pk, "components": texts})
        row_of.append(number)
    if problems:
        raise ImportInvalid(problems)
    if not checked:
        raise ImportInvalid([{"row": 2, "column": "", "message": "文件中没有数据行。"}])
    try:
        return services.put_salary_bases(actor=actor, org=org, month=month, rows=checked, through=through)
    except InvalidInput as e:
        raise ImportInvalid(_rows_of(e.fields, row_of)) from None


def _amount_text(value) -> str:
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value).strip()


def _rows_of(fields: dict, row_of: list[int]) -> list[dict]:
    """The service's "3.components.岗位工资" as {row, column, message} of the sheet."""
    out = []
    for key, message in fields.items():
        index, _, rest = key.partition(".")
        column = rest.partition(".")[2] if rest.startswith("components.") else ""
        row = row_of[int(index) - 1] if index.isdigit() and int(index) <= len(row_of) else 0
        out.append({"row": row, "column": column, "message": re.sub(r"^第 \d+ 行[：]?", "", message)})
    return out
