"""Reads of the reports app, always scoped by org."""

import datetime

from django.http import Http404

from jiaogong.reports import charts, figures
from jiaogong.reports.models import AREAS, Summary

# Figures of the apps a school may not use (no competitions, no clubs): left off the page while 0.
SHOWN_WHEN_ANY = {"competitions", "clubs", "study_sessions", "reflections"}


def default_year(today: datetime.date) -> int:
    """The year a summary is most likely written for: last year in January and February (the
    summary is written after the year ends), this year otherwise."""
    return today.year - 1 if today.month <= 2 else today.year


def summary_of(org, year: int) -> Summary | None:
    return Summary.objects.filter(org=org, year=year).prefetch_related("sections").first()


def texts_of(summary: Summary | None) -> dict[str, str]:
    if summary is None:
        return {}
    return {s.area: s.text for s in summary.sections.all()}


def areas(org, year: int, values: dict, summary: Summary | None) -> list[dict]:
    """Each area of the summary page: its text (the section), its figures and its chart."""
    sections = {s.area: s for s in summary.sections.all()} if summary else {}
    by_key = {c.key: c for c in charts.summary_charts(values, year)}
    out = []
    numbers = iter("一二三四五六七八九十")
    for area, label in AREAS.items():
        chart_key = charts.AREA_CHARTS.get(area)
        out.append(
            {
                "key": area,
                "label": label,
                "number": "" if area == "intro" else next(numbers),
                "section": sections.get(area),
                "values": [
                    v
                    for v in values.values()
                    if v.figure.area == area and (v.count or v.key not in SHOWN_WHEN_ANY)
                ],
                "chart": by_key.get(chart_key) if chart_key else None,
            }
        )
    return out


def figure_rows(org, year: int, key: str, group: str = ""):
    try:
        return figures.rows_of(org, year, key, group)
    except KeyError:
        raise Http404("没有这个数字。") from None


def years_with_summaries(org) -> list[int]:
    return list(Summary.objects.filter(org=org).values_list("year", flat=True))
