"""Writes of the reports app: drafting the year's 工作总结 and the chair's edits of its text."""

from django.db import transaction
from django.utils import timezone

from jiaogong.core import audit
from jiaogong.core.errors import InvalidInput
from jiaogong.reports import drafting, figures
from jiaogong.reports.models import AREAS, Summary, SummarySection

MAX_TEXT = 20000
FIRST_YEAR, LAST_YEAR = 2000, 2100


def check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise InvalidInput({"year": "年度应为四位数字，如 2026。"}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput({"year": f"年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间。"})
    return year


@transaction.atomic
def draft_summary(*, actor, org, year: int, overwrite: bool = False, values=None) -> Summary:
    """Draft (or redraft) the year's summary from the records. An area the chair has edited keeps
    the chair's text unless `overwrite`; its new draft is kept beside it either way."""
    year = check_year(year)
    f = values if values is not None else figures.year_figures(org, year)
    now = timezone.now()
    summary, created = Summary.objects.select_for_update().get_or_create(
        org=org, year=year, defaults={"drafted_at": now, "drafted_by": actor}
    )
    if not created:
        summary.drafted_at, summary.drafted_by = now, actor
        summary.save(update_fields=["drafted_at", "drafted_by", "updated_at"])
    existing = {s.area: s for s in summary.sections.all()}
    kept = []
    for area in AREAS:
        text = drafting.draft(area, f, org_name=org.name, year=year)
        section = existing.get(area)
        if section is None:
            SummarySection.objects.create(summary=summary, area=area, text=text, draft=text)
            continue
        section.draft = text
        if section.edited and not overwrite:
            kept.append(area)
            section.save(update_fields=["draft"])
            continue
        section.text, section.edited, section.edited_by, section.edited_at = text, False, None, None
        section.save(update_fields=["text", "draft", "edited", "edited_by", "edited_at"])
    audit.record(
        actor=actor,
        org=org,
        action="reports.summary.draft",
        obj=summary,
        changes={"year": year, "overwrite": overwrite, "kept": [AREAS[a] for a in kept]},
    )
    return summary


@transaction.atomic
def save_section(*, actor, org, summary: Summary, area: str, text) -> SummarySection:
    """The chair's text for one area of the summary."""
    if summary.org_id != org.pk:
        raise InvalidInput({"area": "没有这份总结。"})
    if area not in AREAS:
        raise InvalidInput({"area": "没有这一部分。"})
    text = str(text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput({"text": f"这一部分不能超过 {MAX_TEXT} 字（现为 {len(text)} 字）。"})
    section, _ = SummarySection.objects.select_for_update().get_or_create(summary=summary, area=area)
    before = section.text
    section.text = text
    section.edited = text != section.draft
    section.edited_by, section.edited_at = (actor, timezone.now()) if section.edited else (None, None)
    section.save()
    audit.record(
        actor=actor,
        org=org,
        action="reports.summary.edit",
        obj=summary,
        changes={"area": AREAS[area], "length": [len(before), len(text)]},
    )
    return section
