"""A plan's 参保名单/保费清单 (.xlsx): one row a person with the premium, and the total — the list
sent with the premiums to the federation's 互助保障 office."""

import io

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from jiaogong.checkups.exporting import _line, _put
from jiaogong.core import audit
from jiaogong.core.xlsx import new_workbook
from jiaogong.members import privacy
from jiaogong.members.rules import mask_id_number
from jiaogong.mutual_aid import selectors
from jiaogong.mutual_aid.models import Plan

HEADERS = [
    ("序号", 6),
    ("姓名", 12),
    ("性别", 6),
    ("身份证号", 22),
    ("工会小组", 14),
    ("保费（元）", 12),
    ("参保日期", 12),
]
FILL = PatternFill("solid", fgColor="FBEAEA")
MONEY = "#,##0.00"


def premium_workbook(plan: Plan, *, viewer=None) -> bytes:
    """The list; ID numbers in clear only for a viewer who may read them (members.sensitive), and
    then the export is logged as a reveal (who, when, which plan, how many); masked otherwise.
    No viewer (a script) gets them masked."""
    total = selectors.premium_total(plan)
    clear = viewer is not None and privacy.sees_clear(viewer, plan.org)
    wb = new_workbook()
    ws = wb.active
    ws.title = "保费清单"
    for i, (_, width) in enumerate(HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    _line(ws, 1, f"{plan}参保名单及保费清单", size=14, bold=True)
    _line(
        ws,
        2,
        f"{plan.org.name}　每人 {plan.premium} 元　保障期 {plan.covers_from:%Y-%m-%d} 至 {plan.covers_to:%Y-%m-%d}　"
        "保费交上级工会互助保障，不计入本单位工会经费",
    )
    for i, (header, _) in enumerate(HEADERS, start=1):
        _put(ws, 3, i, header, bold=True).fill = FILL
    r = 3
    enrolments = list(selectors.enrolments(plan))
    for n, e in enumerate(enrolments, start=1):
        r += 1
        _put(ws, r, 1, n)
        _put(ws, r, 2, e.member.name)
        _put(ws, r, 3, e.member.get_gender_display())
        number = e.member.id_number
        if not clear:
            number = privacy.shown_id_number(viewer, plan.org, number) if viewer else mask_id_number(number)
        _put(ws, r, 4, number)
        _put(ws, r, 5, e.member.union_group.name if e.member.union_group_id else "未分组")
        _put(ws, r, 6, e.premium, number_format=MONEY)
        _put(ws, r, 7, e.enrolled_on, number_format="yyyy-mm-dd")
    r += 1
    _put(ws, r, 1, "合计", bold=True)
    _put(ws, r, 2, f"{total['count']} 人", bold=True)
    cell = _put(ws, r, 6, total["total"], number_format=MONEY)
    cell.font = Font(bold=True)
    r += 2
    _line(ws, r, "经办人（签字）：　　　　　　　　工会主席（签字）：　　　　　　　　（盖章）")
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    out = io.BytesIO()
    wb.save(out)
    revealed = sum(1 for e in enrolments if e.member.id_number)
    if clear and revealed:
        audit.record(
            actor=viewer,
            org=plan.org,
            action="mutual_aid.plan.export",
            obj=plan,
            changes={"count": [None, revealed], "clear": [None, True], "file": [None, "保费清单.xlsx"]},
            object_repr=f"{plan} 保费清单（含完整身份证号）",
        )
    return out.getvalue()
