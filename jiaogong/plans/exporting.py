"""The plan as a Word paper, in the usual layout of a school union plan: the title, 一、指导思想,
二、主要工作 (its sections as （一）（二）…), 三、工作安排 (by month, quarter or week, each with its
numbered items), and the union's name and the date at the foot."""

import datetime

from django.utils import timezone

from jiaogong.core import documents as d
from jiaogong.plans import selectors
from jiaogong.plans.models import Plan

CN_ORDINALS = "一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (section numbers of a plan)."""
    if n <= 10:
        return CN_ORDINALS[n - 1]
    if n < 20:
        return "十" + CN_ORDINALS[n - 11]
    tens, ones = divmod(n, 10)
    return CN_ORDINALS[tens - 1] + "十" + (CN_ORDINALS[ones - 1] if ones else "")


def _span(view) -> str:
    if view.start is None:
        return ""
    if view.item.period_kind == "week":
        return f"（{view.start.month}月{view.start.day}日—{view.end.month}月{view.end.day}日）"
    return ""


def plan_docx(plan: Plan, *, today: datetime.date | None = None) -> bytes:
    today = today or timezone.localdate()
    org = plan.org
    doc = d.new_document(plan.title)
    d.add_title(doc, plan.title, subtitle=f"{org.name}　{plan.period_label}")

    number = 0
    if plan.guidance.strip():
        number += 1
        d.add_heading(doc, f"{cn_ordinal(number)}、指导思想", 1)
        d.add_text(doc, plan.guidance)

    sections = list(plan.sections.all())
    if sections:
        number += 1
        d.add_heading(doc, f"{cn_ordinal(number)}、主要工作", 1)
        for n, section in enumerate(sections, start=1):
            d.add_heading(doc, f"（{cn_ordinal(n)}）{section.title}", 2)
            if section.text.strip():
                d.add_text(doc, section.text)

    views = selectors.schedule(org, plan, today)
    if views:
        number += 1
        d.add_heading(doc, f"{cn_ordinal(number)}、工作安排", 1)
        for label, group in selectors.grouped(views):
            shown = label if label != "时间待定" else "时间待定"
            d.add_heading(doc, f"{shown}{_span(group[0])}", 3)
            for n, view in enumerate(group, start=1):
                d.add_paragraph(doc, f"{n}、{view.item.text}")

    doc.add_paragraph()
    d.add_paragraph(doc, org.name, indent=False, align="right")
    d.add_paragraph(
        doc,
        d.cn_date(timezone.localtime(plan.published_at).date() if plan.published_at else today),
        indent=False,
        align="right",
    )
    return d.to_bytes(doc)


def filename(plan: Plan) -> str:
    safe = "".join(c for c in plan.title if c not in '\\/:*?"<>|').strip() or "工作计划"
    return f"{safe}.docx"
