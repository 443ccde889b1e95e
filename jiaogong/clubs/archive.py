"""What 兴趣小组 files in the 台帐 archive (文体): each club active in the year — its members and
leader, plan, sessions and budget — with the year's record as .docx."""

import datetime
from collections.abc import Iterable

from django.urls import reverse

from jiaogong.clubs import exporting, selectors
from jiaogong.clubs.models import Club
from jiaogong.reports.archive import ArchiveEntry, ArchiveFile


def archive_entries(org, year: int) -> Iterable[ArchiveEntry]:
    """A club is filed for a year in which it had a plan, a session or a budget request."""
    for club in Club.objects.filter(org=org).select_related("leader", "org").order_by("name", "id"):
        plan = selectors.plan_of(club, year)
        sessions = selectors.sessions_of(club, year).count()
        budget = selectors.budget_of(club, year)
        if plan is None and not sessions and budget is None:
            continue
        figures = selectors.figures(budget)
        money = (
            f"经费批准 {figures.approved} 元、已支出 {figures.spent} 元"
            if budget is not None and budget.status == "approved"
            else (
                f"经费申请 {budget.requested} 元（{budget.get_status_display()}）" if budget else "未申请经费"
            )
        )
        yield ArchiveEntry(
            category="culture",
            date=datetime.date(year, 1, 1),
            title=f"{club.name}（{year}年）",
            kind="兴趣小组",
            url=reverse("clubs:club", args=[org.pk, club.pk]) + f"?year={year}",
            detail=f"成员 {len(selectors.members_of(club))} 人，组长 {club.leader.name if club.leader_id else '待选举'}，"
            f"活动 {sessions} 项，{money}",
            files=[
                ArchiveFile(
                    name=exporting.filename(club, year),
                    content=lambda club=club: exporting.club_year_docx(club, year),
                )
            ],
        )
