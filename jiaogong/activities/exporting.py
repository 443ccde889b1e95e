"""Exports: an activity's 签到表 (.xlsx and .docx: who signed up and who was there, a blank signature
column for the paper copy kept in the 台帐) and the year's participation workbook."""

import io

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jiaogong.activities import recurrence
from jiaogong.activities.models import Activity, Attendance, Registration
from jiaogong.core import documents as d
from jiaogong.core.xlsx import new_workbook

THIN = Side(style="thin")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
SIGNIN_HEADERS = [("序号", 6), ("姓名", 11), ("工会小组", 13), ("报名", 10), ("出勤", 22), ("签名", 16)]


def signin_rows(activity: Activity) -> list[dict]:
    """Everyone who signed up (in order) or was recorded present, with their attendance dates."""
    attended: dict[int, list] = {}
    for a in Attendance.objects.filter(activity=activity).order_by("occurs_on"):
        attended.setdefault(a.member_id, []).append(a)
    regs = (
        Registration.objects.filter(activity=activity)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("member__union_group")
        .order_by("registered_at", "id")
    )
    rows, seen = [], set()
    for r in regs:
        seen.add(r.member_id)
        rows.append((r.member, r.get_status_display(), attended.get(r.member_id, [])))
    extra = (
        Attendance.objects.filter(activity=activity)
        .exclude(member_id__in=seen)
        .select_related("member__union_group")
        .order_by("member__name_pinyin", "member_id", "occurs_on")
    )
    for a in extra:
        if a.member_id not in seen:
            seen.add(a.member_id)
            rows.append((a.member, "未报名", attended[a.member_id]))
    out = []
    for member, status, days in rows:
        if activity.rrule:
            present = f"{len(days)} 次" + (
                f"（{'、'.join(f'{x.occurs_on:%m-%d}' for x in days[:8])}{'…' if len(days) > 8 else ''}）"
                if days
                else ""
            )
        else:
            present = days[0].get_method_display() if days else ""
        out.append(
            {
                "name": member.name,
                "group": member.union_group.name if member.union_group_id else "",
                "status": status if activity.registration else "",
                "present": present,
            }
        )
    return out


def _title(activity: Activity) -> str:
    return f"{activity.title}签到表"


def _subtitle(activity: Activity) -> str:
    start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    when = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    if activity.rrule:
        when += "，" + recurrence.describe(activity.rrule, start.tzinfo)
    where = f"　地点：{activity.location}" if activity.location else ""
    return f"{activity.org.name}　时间：{when}{where}"


def _put(ws, row, column, value, *, bold=False, border=True, align=None, fmt=None):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    if border:
        cell.border = BOX
    if align:
        cell.alignment = Alignment(horizontal=align, vertical="center")
    if fmt:
        cell.number_format = fmt
    return cell


def _sheet_head(ws, title: str, subtitle: str, headers) -> None:
    for i, (_h, w) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row, text, size in ((1, title, 15), (2, subtitle, 11)):
        cell = _put(ws, row, 1, text, border=False)
        cell.font = Font(bold=row == 1, size=size)
        cell.alignment = Alignment(horizontal="center" if row == 1 else "left", vertical="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
    for i, (header, _w) in enumerate(headers, start=1):
        cell = _put(ws, 3, i, header, bold=True, align="center")
        cell.fill = PatternFill("solid", fgColor="EDEDED")
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def signin_xlsx(activity: Activity) -> bytes:
    rows = signin_rows(activity)
    wb = new_workbook()
    ws = wb.active
    ws.title = "签到表"
    _sheet_head(ws, _title(activity), _subtitle(activity), SIGNIN_HEADERS)
    r = 4
    for n, row in enumerate(rows, start=1):
        for c, value in enumerate([n, row["name"], row["group"], row["status"], row["present"], ""], start=1):
            _put(ws, r, c, value, align="center" if c == 1 else None)
        ws.row_dimensions[r].height = 24
        r += 1
    _put(ws, r, 1, "合计", bold=True, align="center")
    _put(ws, r, 2, f"{len(rows)} 人", bold=True)
    for c in range(3, 7):
        _put(ws, r, c, "")
    r += 2
    _put(ws, r, 1, "组织者（签字）：______________　　　日期：______年____月____日", border=False)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(SIGNIN_HEADERS))
    return _save(wb)


def signin_docx(activity: Activity) -> bytes:
    rows = signin_rows(activity)
    doc = d.new_document(_title(activity))
    d.add_title(doc, _title(activity))
    d.add_paragraph(doc, _subtitle(activity), indent=False)
    d.add_table(
        doc,
        [h for h, _w in SIGNIN_HEADERS],
        [[str(n), r["name"], r["group"], r["status"], r["present"], ""] for n, r in enumerate(rows, start=1)]
        + [["合计", f"{len(rows)} 人", "", "", "", ""]],
        widths=[1.3, 2.2, 2.6, 1.8, 4.6, 3.0],
        align=["center", "left", "left", "center", "left", "left"],
    )
    if activity.summary:
        d.add_heading(doc, "活动小结", 2)
        d.add_text(doc, activity.summary)
    d.add_paragraph(doc, "组织者（签字）：______________　　　日期：______年____月____日", indent=False)
    return d.to_bytes(doc)


def participation_xlsx(stats, *, org) -> bytes:
    """Three sheets: 按会员 (every active member, activities and times), 按工会小组 (rate), 未参加."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "按会员"
    sub = f"{org.name}　{stats.year}年　在册会员 {stats.total_members} 人，参加 {stats.participants} 人"
    headers = [("序号", 6), ("姓名", 11), ("工会小组", 14), ("参加活动（项）", 14), ("出勤（次）", 11)]
    _sheet_head(ws, f"{stats.year}年工会活动参与统计", sub, headers)
    for n, row in enumerate(stats.members, start=1):
        m = row.member
        values = [n, m.name, m.union_group.name if m.union_group_id else "未分组", row.activities, row.times]
        for c, value in enumerate(values, start=1):
            _put(ws, n + 3, c, value, align="center" if c == 1 else None)
    ws = wb.create_sheet("按工会小组")
    headers = [("工会小组", 16), ("在册会员", 10), ("参加人数", 10), ("参与率", 10)]
    _sheet_head(ws, f"{stats.year}年各工会小组参与率", sub, headers)
    for n, g in enumerate(stats.groups, start=4):
        for c, value in enumerate([g.name, g.members, g.participants, g.rate], start=1):
            _put(ws, n, c, value, fmt="0.0%" if c == 4 else None)
    ws = wb.create_sheet("未参加")
    headers = [("序号", 6), ("姓名", 11), ("工会小组", 16)]
    _sheet_head(ws, f"{stats.year}年未参加任何活动的会员", f"共 {len(stats.non_participants)} 人", headers)
    for n, m in enumerate(stats.non_participants, start=1):
        for c, value in enumerate([n, m.name, m.union_group.name if m.union_group_id else "未分组"], start=1):
            _put(ws, n + 3, c, value, align="center" if c == 1 else None)
    return _save(wb)
