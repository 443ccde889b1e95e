"""The papers of a competition: the results sheet (.xlsx: the ranking with prizes, then one sheet
a round with its matches or scores) and the 荣誉证书 (.docx, one landscape page per winner — a
member of an individual competition, a team of a team competition)."""

import io

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jiaogong.competitions import selectors
from jiaogong.competitions.models import Round
from jiaogong.core import documents as d
from jiaogong.core.text import xml_safe
from jiaogong.core.xlsx import new_workbook

THIN = Side(style="thin")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
RED = RGBColor(0xB0, 0x1C, 0x1C)


def _people(entry) -> str:
    return "、".join(p.member.name for p in entry.people.all())


def _num(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _put(ws, row, column, value, *, bold=False, align=None):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.border = BOX
    if bold:
        cell.font = Font(bold=True)
    if align:
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    return cell


def _sheet(wb, title, heading, headers, rows, widths, *, first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    ws.cell(row=1, column=1, value=heading).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    for c, h in enumerate(headers, 1):
        _put(ws, 3, c, h, bold=True, align="center")
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    for r, values in enumerate(rows, 4):
        for c, v in enumerate(values, 1):
            _put(ws, r, c, v, align="center" if c == 1 else None)
    ws.freeze_panes = "A4"
    # Printed on A4, as wide as the page (the 台帐 is a paper file).
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "3:3"
    return ws


def results_xlsx(view: selectors.Overview) -> bytes:
    comp = view.competition
    wb = new_workbook()
    who = "队名" if comp.is_team else "姓名"
    _sheet(
        wb,
        "总成绩",
        f"{comp.title}成绩表",
        ["名次", who, "队员" if comp.is_team else "工会小组", "分组", "奖项"],
        [
            [
                s.place,
                s.entry.name,
                _people(s.entry)
                if comp.is_team
                else "、".join(
                    p.member.union_group.name for p in s.entry.people.all() if p.member.union_group_id
                ),
                s.entry.division.name if s.entry.division_id else "",
                s.award.tier.name if s.award else "",
            ]
            for s in view.ranking
        ],
        [7, 16, 24, 10, 10],
        first=True,
    )
    unit = f"（{comp.unit}）" if comp.unit else ""
    for rs in view.rounds:
        rnd = rs.round
        if rnd.has_matches:
            rows = []
            for block in rs.blocks:
                for m in block.matches:
                    rows.append(
                        [
                            len(rows) + 1,
                            m.division.name if m.division_id else "",
                            m.home.name,
                            f"{_fmt(m.home_score)} : {_fmt(m.away_score)}" if m.played else "未赛",
                            m.away.name,
                            (m.home.name if m.winner_id == m.home_id else m.away.name)
                            if m.winner_id
                            else ("平" if m.played else ""),
                        ]
                    )
            ws = _sheet(
                wb,
                rnd.name,
                f"{comp.title}·{rnd.name}对阵与比分",
                ["场次", "分组", "甲方", "比分", "乙方", "胜方"],
                rows,
                [6, 10, 16, 12, 16, 16],
            )
            if rnd.kind == Round.Kind.ROUND_ROBIN:
                start = len(rows) + 6
                ws.cell(row=start - 1, column=1, value="积分表").font = Font(bold=True)
                heads = ["名次", "分组", who, "场", "胜", "平", "负", "得分", "失分", "积分"]
                for c, h in enumerate(heads, 1):
                    _put(ws, start, c, h, bold=True, align="center")
                r = start + 1
                for block in rs.blocks:
                    for row in block.rows:
                        values = [
                            row.place or "",
                            block.division.name if block.division else "",
                            row.entry.name,
                            row.played,
                            row.won,
                            row.drawn,
                            row.lost,
                            _num(row.score_for),
                            _num(row.score_against),
                            row.points,
                        ]
                        for c, v in enumerate(values, 1):
                            _put(ws, r, c, v)
                        r += 1
        else:
            label = "名次" if rnd.kind == Round.Kind.PLACINGS else f"成绩{unit}"
            rows = [
                [
                    row["place"],
                    block.division.name if block.division else "",
                    row["entry"].name,
                    _num(row["value"]),
                ]
                for block in rs.blocks
                for row in block.rows
            ]
            _sheet(
                wb, rnd.name, f"{comp.title}·{rnd.name}", ["名次", "分组", who, label], rows, [7, 10, 18, 12]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def _line(
    doc, text, *, size, font=d.BODY_FONT, align="left", bold=False, color=None, before=0, after=0, indent=0
):
    p = doc.add_paragraph()
    p.alignment = d.ALIGN[align]
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.line_spacing = 1.5
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * indent)
    run = p.add_run(xml_safe(text))
    d.set_fonts(run, font, size=size, bold=bold)
    if color is not None:
        run.font.color.rgb = color
    return p


def _page_border(section) -> None:
    """A double border round the page, as printed certificates have."""
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "double")
        edge.set(qn("w:sz"), "18")
        edge.set(qn("w:space"), "24")
        edge.set(qn("w:color"), "B01C1C")
        borders.append(edge)
    sect = section._sectPr
    # pgBorders goes after pgMar in the schema's order.
    margins = sect.find(qn("w:pgMar"))
    margins.addnext(borders)


def certificates_docx(competition, awards, *, issued_on) -> bytes:
    """荣誉证书: A4 landscape, one page a winner: the title, “XXX 同志：”, the competition and the
    prize, “特发此证，以资鼓励。”, the union and the date."""
    doc = d.new_document(f"{competition.title}荣誉证书")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(3.2), Cm(2.5)
    section.left_margin, section.right_margin = Cm(4), Cm(4)
    for p in section.footer.paragraphs:  # a certificate carries no page number
        p._p.getparent().remove(p._p)
    _page_border(section)
    org = competition.org.name
    for i, award in enumerate(awards):
        entry = award.entry
        title = _line(doc, "荣 誉 证 书", size=40, font="黑体", align="center", color=RED, after=24)
        if i:
            title.paragraph_format.page_break_before = True
        _line(doc, f"{entry.name}{'' if competition.is_team else ' 同志'}：", size=22, font="楷体", after=12)
        where = f"（{entry.division.name}）" if entry.division_id else ""
        _line(
            doc,
            f"在{org}举办的{competition.title}{where}中，荣获{award.tier.name}。",
            size=22,
            font="楷体",
            indent=2,
        )
        if competition.is_team:
            _line(doc, f"队员：{_people(entry)}", size=14, font="楷体", indent=3)
        _line(doc, "特发此证，以资鼓励。", size=22, font="楷体", indent=2, after=36)
        _line(doc, org, size=18, font="楷体", align="right")
        _line(doc, d.cn_date(issued_on), size=18, font="楷体", align="right")
    if not awards:
        _line(doc, "（尚未颁奖）", size=16, align="center")
    return d.to_bytes(doc)
