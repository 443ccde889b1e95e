"""The 台帐 of competitions: each competition of the year under 文体, with its results sheet and,
once prizes are given, the certificates."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from jiaogong.competitions import exporting, selectors
from jiaogong.reports.archive import ArchiveEntry, ArchiveFile


def _safe(name: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' else c for c in name)


def archive_entries(org, year: int) -> Iterable[ArchiveEntry]:
    competitions = (
        selectors.competitions_of(org)
        .filter(activity__starts_at__year=year)
        .order_by("activity__starts_at", "id")
    )
    for comp in competitions:
        day = timezone.localdate(comp.activity.starts_at)
        awards = selectors.awards_of(comp)
        prizes = "、".join(f"{t.name}{t.count}个" for t in comp.tiers.all())
        detail = f"{comp.sport}·{comp.get_entry_kind_display()}，参赛 {comp.entry_count} {'队' if comp.is_team else '人'}"
        if awards:
            detail += f"，获奖 {len(awards)} 个（{prizes}）"
        stem = _safe(f"{day:%Y%m%d}_{comp.title}")
        files = [
            ArchiveFile(f"{stem}_成绩表.xlsx", lambda c=comp: exporting.results_xlsx(selectors.overview(c))),
        ]
        if awards:
            files.append(
                ArchiveFile(
                    f"{stem}_荣誉证书.docx",
                    lambda c=comp, a=awards: exporting.certificates_docx(
                        c, a, issued_on=timezone.localdate(c.activity.ends_at)
                    ),
                )
            )
        yield ArchiveEntry(
            category="culture",
            date=day,
            title=comp.title,
            kind="文体比赛",
            url=reverse("competitions:detail", args=[org.pk, comp.pk]),
            detail=detail,
            files=files,
        )
