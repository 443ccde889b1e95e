"""What 工作计划 files in the 台帐 archive: each plan of the year (组织建设), with its .docx."""

from collections.abc import Iterable

from django.urls import reverse

from jiaogong.plans import exporting
from jiaogong.plans.models import Plan
from jiaogong.reports.archive import ArchiveEntry, ArchiveFile


def archive_entries(org, year: int) -> Iterable[ArchiveEntry]:
    """The plans of `year` (an annual plan of that year, a 学年 plan beginning in it, a term
    plan beginning in it), drafts included: the inspection sees what the union planned."""
    for plan in Plan.objects.filter(org=org, year=year).order_by("starts_on", "id"):
        items = plan.items.count()
        yield ArchiveEntry(
            category="organization",
            date=plan.starts_on,
            title=plan.title,
            kind="工作计划",
            url=reverse("plans:detail", args=[org.pk, plan.pk]),
            detail=f"{plan.period_label}，{plan.sections.count()} 个部分、{items} 项工作安排"
            + ("" if plan.status == Plan.Status.PUBLISHED else "（草稿）"),
            files=[
                ArchiveFile(
                    name=exporting.filename(plan), content=lambda plan=plan: exporting.plan_docx(plan)
                )
            ],
        )
