"""What 学习 files in the 台帐 archive (学习): each study session of the year with its record
(.docx: topic, material, attendance, who submitted a 心得) and the material file; the 读书活动
with its 先进个人 list and certificates once selected."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from jiaogong.core import documents as d
from jiaogong.reports.archive import ArchiveEntry, ArchiveFile
from jiaogong.study import exporting, selectors
from jiaogong.study.models import ReadingLog, StudySession


def session_docx(session: StudySession) -> bytes:
    subs = selectors.submissions(session)
    present = sorted(
        session.activity.attendances.select_related("member")
        .values_list("member__name", flat=True)
        .distinct()
    )
    start = timezone.localtime(session.activity.starts_at)
    doc = d.new_document(session.topic)
    d.add_title(doc, f"{session.activity.get_kind_display()}记录", subtitle=session.topic)
    d.add_form(
        doc,
        [
            ("时间", f"{start:%Y-%m-%d %H:%M}–{timezone.localtime(session.activity.ends_at):%H:%M}"),
            ("地点", session.activity.location),
            ("学习主题", session.topic),
            ("出勤", f"{len(present)} 人：" + "、".join(present)),
            ("心得", f"已交 {len(subs.submitted)} 人，未交 {len(subs.missing)} 人"),
        ],
    )
    d.add_heading(doc, "学习材料")
    d.add_text(
        doc, session.material_text or (f"见附件《{session.material_name}》" if session.material else "（无）")
    )
    if subs.submitted:
        d.add_heading(doc, "心得体会")
        for r in subs.submitted:
            d.add_field(doc, r.member.name, "")
            d.add_text(doc, r.text)
    return d.to_bytes(doc)


def _read(session: StudySession) -> bytes:
    with session.material.open("rb") as f:
        return f.read()


def archive_entries(org, year: int) -> Iterable[ArchiveEntry]:
    sessions = StudySession.objects.filter(org=org, activity__starts_at__year=year).select_related("activity")
    for session in sessions.order_by("activity__starts_at", "id"):
        if session.activity.status == "cancelled":
            continue
        files = [
            ArchiveFile(
                name=f"{timezone.localtime(session.activity.starts_at):%Y%m%d}{session.topic}.docx",
                content=lambda s=session: session_docx(s),
            )
        ]
        if session.material:
            files.append(ArchiveFile(name=session.material_name, content=lambda s=session: _read(s)))
        yield ArchiveEntry(
            category="study",
            date=timezone.localtime(session.activity.starts_at).date(),
            title=session.topic,
            kind=session.activity.get_kind_display(),
            url=reverse("study:session", args=[org.pk, session.pk]),
            detail=f"出勤 {selectors.attendance_count(session)} 人，心得 {session.reflections.count()} 篇",
            files=files,
        )
    logs = ReadingLog.objects.filter(org=org, year=year)
    if logs.exists():
        awardees = list(selectors.awardees(org, year))
        yield ArchiveEntry(
            category="study",
            date=max(logs.values_list("finished_on", flat=True)),
            title=f"{year}年读书活动",
            kind="读书活动",
            url=reverse("study:reading", args=[org.pk]) + f"?year={year}",
            detail=f"{logs.values('member').distinct().count()} 人读书 {logs.count()} 本"
            + (
                f"，先进个人 {len(awardees)} 人：" + "、".join(a.member.name for a in awardees)
                if awardees
                else ""
            ),
            files=[
                ArchiveFile(
                    name=f"{year}年读书活动先进个人.docx", content=lambda: exporting.awards_docx(org, year)
                )
            ]
            if awardees
            else [],
        )
