"""The 工作总结 as a Word paper: the chair's text area by area, each area's figures in a table and
its chart under it (the same charts as the page)."""

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from jiaogong.core import documents as d
from jiaogong.funds.charts import FontMissing
from jiaogong.reports import charts as summary_charts
from jiaogong.reports.models import AREAS

NUMBERS = "一二三四五六七八九十"


def _chart(doc, chart) -> None:
    try:
        picture = summary_charts.png(chart)
    except FontMissing as e:
        d.add_paragraph(doc, f"（未能生成图表：{e}）", indent=False)
        return
    doc.add_picture(io.BytesIO(picture), width=Cm(11))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(doc, chart.title, indent=False, align="center")


def summary_docx(org, year: int, *, texts: dict[str, str], values, charts, today) -> bytes:
    """texts: {area: text}; values: figures.year_figures; charts: charts.summary_charts."""
    title = f"{org.name}{year}年工作总结"
    doc = d.new_document(title)
    d.add_title(doc, title)
    by_key = {c.key: c for c in charts}
    number = 0
    for area, label in AREAS.items():
        text = texts.get(area, "")
        if area == "intro":
            d.add_text(doc, text)
            continue
        shown = [v for v in values.values() if v.figure.area == area]
        if not text.strip() and not any(v.count for v in shown):
            continue
        d.add_heading(doc, f"{NUMBERS[number]}、{label}", 2)
        number += 1
        d.add_text(doc, text)
        rows = [[v.figure.label, v.text, str(v.count) if v.figure.measure == "amount" else ""] for v in shown]
        if rows:
            d.add_table(
                doc, ["项目", "数字", "笔数"], rows, widths=[7.6, 5, 3], align=["left", "right", "right"]
            )
        chart_key = summary_charts.AREA_CHARTS.get(area)
        if chart_key and chart_key in by_key and not by_key[chart_key].empty:
            _chart(doc, by_key[chart_key])
    d.add_paragraph(doc)
    d.add_paragraph(doc, org.name, indent=False, align="right")
    d.add_paragraph(doc, d.cn_date(today), indent=False, align="right")
    return d.to_bytes(doc)
