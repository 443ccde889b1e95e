"""What the apps built before issue 6 file in the 台帐, written here (their `archive.py` would be
theirs to write): members and committees → 组织建设, congress sessions and proposals → 民主管理,
the collective contract and mediation cases → 维权, visits, greetings and retirees' meetings →
送温暖, checkups → 女工 (妇检, 两癌筛查) or 送温暖, the ledger and its receipts → 经费, donations.

The papers are built only when the zip is made (ArchiveFile.content is a function). Private
details stay out: a visit is its 事由, date and amount; a mediation case is its number, subject and
status; the roster has no ID numbers or phones.
"""

import datetime
import io

from django.db.models import Count, Q, Sum

from jiaogong.core import documents as d
from jiaogong.reports.archive import ArchiveEntry, ArchiveFile
from jiaogong.reports.figures import url


def _xlsx(title: str, headers: list[str], rows: list[list]) -> bytes:
    from openpyxl.styles import Alignment, Font

    from jiaogong.core.xlsx import new_workbook

    wb = new_workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    for col, header in enumerate(headers, 1):
        cell = ws.cell(2, col, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[cell.column_letter].width = max(10, len(header) * 2 + 4)
    for r, values in enumerate(rows, 3):
        for col, value in enumerate(values, 1):
            ws.cell(r, col, value)
    ws.print_title_rows = "2:2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _safe(name: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' else c for c in name).strip() or "文件"


# ---- 组织建设 ----------------------------------------------------------------------------------------


def organization(org, year: int):
    from jiaogong.members.models import CommitteeTerm, Member, MemberStatusChange, UnionGroup

    members = list(
        Member.objects.filter(org=org, status=Member.Status.ACTIVE)
        .select_related("union_group")
        .order_by("union_group__name", "name_pinyin", "id")
    )

    def roster():
        return _xlsx(
            f"{org.name}会员名册",
            ["序号", "姓名", "性别", "工会小组", "入会日期", "岗位/职务"],
            [
                [
                    i,
                    m.name,
                    m.get_gender_display(),
                    m.union_group.name if m.union_group else "",
                    m.joined_on,
                    m.post,
                ]
                for i, m in enumerate(members, 1)
            ],
        )

    yield ArchiveEntry(
        category="organization",
        date=datetime.date(year, 12, 31),
        title=f"{year}年会员名册",
        kind="会员名册",
        url=url("members:list", org.pk),
        detail=f"在册会员 {len(members)} 人，工会小组 {UnionGroup.objects.filter(org=org).count()} 个（不含证件号码和手机号）",
        files=[ArchiveFile(f"{year}年会员名册.xlsx", roster, "members.view")],
    )

    changes = list(
        MemberStatusChange.objects.filter(org=org, effective_on__year=year)
        .select_related("member")
        .order_by("effective_on", "id")
    )
    if changes:

        def change_sheet():
            return _xlsx(
                f"{year}年会员变动",
                ["日期", "姓名", "原状态", "新状态", "调往单位", "说明"],
                [
                    [
                        c.effective_on,
                        c.member.name,
                        c.get_from_status_display(),
                        c.get_to_status_display(),
                        c.destination,
                        c.note,
                    ]
                    for c in changes
                ],
            )

        yield ArchiveEntry(
            category="organization",
            date=changes[-1].effective_on,
            title=f"{year}年会员会籍变动",
            kind="会籍变动",
            url=url("members:list", org.pk),
            detail=f"共 {len(changes)} 人次",
            files=[ArchiveFile(f"{year}年会员会籍变动.xlsx", change_sheet, "members.view")],
        )

    terms = CommitteeTerm.objects.filter(org=org, elected_on__year=year).prefetch_related("seats__member")
    for term in terms:
        seats = [s for s in term.seats.all()]

        def term_doc(term=term, seats=seats):
            doc = d.new_document(str(term))
            d.add_title(doc, f"{org.name}{term}", size=18)
            d.add_paragraph(
                doc, f"选举日期：{d.cn_date(term.elected_on)}；任期 {term.years} 年。", indent=False
            )
            d.add_table(
                doc,
                ["姓名", "职务", "分工", "任职日期", "离任日期"],
                [
                    [
                        s.member.name,
                        s.get_position_display(),
                        s.get_portfolio_display(),
                        d.cn_date(s.since),
                        d.cn_date(s.until) if s.until else "",
                    ]
                    for s in seats
                ],
                widths=[3, 3, 3.6, 3, 3],
            )
            return d.to_bytes(doc)

        yield ArchiveEntry(
            category="women" if term.body == CommitteeTerm.Body.WOMEN else "organization",
            date=term.elected_on,
            title=f"选举产生{term}",
            kind="委员会换届",
            url=url("members:committee", org.pk),
            detail=f"委员 {len(seats)} 人",
            files=[ArchiveFile(f"{_safe(str(term))}名单.docx", term_doc)],
        )


# ---- 民主管理 ----------------------------------------------------------------------------------------


def democracy(org, year: int):
    from jiaogong.congress import papers
    from jiaogong.congress.models import Congress, Proposal

    for congress in Congress.objects.filter(org=org, opens_on__year=year).order_by("opens_on", "id"):
        contents = papers.contents(congress)
        files = [
            ArchiveFile(f"{_safe(congress.title)}-{paper.title}.docx", lambda p=paper, c=congress: p.build(c))
            for paper in papers.PAPERS
            if contents.get(paper.slug)
        ]
        received = Proposal.objects.filter(congress=congress).exclude(state=Proposal.State.AWAITING_SECONDS)
        yield ArchiveEntry(
            category="democracy",
            date=congress.opens_on,
            title=congress.title,
            kind="教代会",
            url=url("congress:detail", org.pk, congress.pk),
            detail="；".join(
                [f"收到提案和意见建议 {received.count()} 件"]
                + [v for k, v in contents.items() if v and k not in ("minutes", "proposal-report")]
            ),
            files=files,
        )
        for p in received.filter(kind=Proposal.Kind.PROPOSAL, number__isnull=False).order_by("number"):
            yield ArchiveEntry(
                category="democracy",
                date=p.replied_on or congress.opens_on,
                title=f"提案第{p.number}号：{p.title}",
                kind="提案",
                url=url("congress:proposal", org.pk, p.pk),
                detail=f"{p.get_state_display()}{('·' + p.get_reply_code_display()) if p.reply_code else ''}"
                f"{('·' + p.get_rating_display()) if p.rating else ''}",
            )


# ---- 维权 --------------------------------------------------------------------------------------------


def rights(org, year: int):
    from jiaogong.rights import papers
    from jiaogong.rights.models import CollectiveContract, MediationCase

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    contracts = CollectiveContract.objects.filter(org=org, starts_on__lte=end, ends_on__gte=start).order_by(
        "signed_on"
    )
    for c in contracts:
        yield ArchiveEntry(
            category="rights",
            date=c.signed_on if c.signed_on.year == year else start,
            title=c.title,
            kind="集体合同",
            url=url("rights:contract", org.pk, c.pk),
            detail=f"{d.cn_date(c.starts_on)}至{d.cn_date(c.ends_on)}"
            + (f"；{year}年签订" if c.signed_on.year == year else "；本年度有效"),
            files=[ArchiveFile(f"{_safe(c.title)}.docx", lambda c=c: papers.contract_docx(c, end))],
        )
    for case in MediationCase.objects.filter(org=org, year=year).order_by("number"):
        yield ArchiveEntry(
            category="rights",
            date=case.applied_on,
            title=f"劳动争议调解 {case.year}年第{case.number}号",
            kind="调解案件",
            url=url("rights:case", org.pk, case.pk),
            detail=f"{case.get_subject_display()}·{case.get_status_display()}",
        )


# ---- 送温暖 ------------------------------------------------------------------------------------------


def welfare(org, year: int):
    from jiaogong.welfare import exporting
    from jiaogong.welfare import selectors as welfare_selectors
    from jiaogong.welfare.models import GreetingBatch, RetireeMeeting, Visit

    visits = list(
        Visit.objects.filter(org=org, visited_on__year=year)
        .select_related("event")
        .order_by("visited_on", "id")
    )
    if visits:
        labels = {}
        for v in visits:
            labels.setdefault(v.event.kind, welfare_selectors.kind_label(org, v.event.kind))

        def visit_sheet():
            return _xlsx(
                f"{year}年走访慰问登记",
                ["序号", "走访日期", "事由", "慰问形式", "金额（元）"],
                [[i, v.visited_on, labels[v.event.kind], v.form, v.amount] for i, v in enumerate(visits, 1)],
            )

        total = sum((v.amount or 0 for v in visits), 0)
        yield ArchiveEntry(
            category="welfare",
            date=visits[-1].visited_on,
            title=f"{year}年走访慰问登记",
            kind="走访慰问",
            url=url("welfare:queue", org.pk) + "?state=visited" if url("welfare:queue", org.pk) else "",
            detail=f"走访 {len(visits)} 人次，金额 {total:,.2f} 元",
            files=[ArchiveFile(f"{year}年走访慰问登记.xlsx", visit_sheet, "welfare.view")],
        )
    batches = (
        GreetingBatch.objects.filter(org=org, status=GreetingBatch.Status.POSTED, given_on__year=year)
        .annotate(people=Count("recipients"), total=Sum("recipients__amount"))
        .order_by("given_on", "id")
    )
    for b in batches:
        yield ArchiveEntry(
            category="welfare",
            date=b.given_on,
            title=b.title,
            kind=b.get_kind_display(),
            url=url("welfare:batch", org.pk, b.pk),
            detail=f"{b.people} 人，{b.item}，金额 {(b.total or 0):,.2f} 元",
            files=[
                ArchiveFile(
                    f"{_safe(b.title)}签领表.xlsx", lambda b=b: exporting.signoff_xlsx(b), "welfare.view"
                )
            ],
        )
    for m in RetireeMeeting.objects.filter(org=org, held_on__year=year).annotate(n=Count("attendance")):
        yield ArchiveEntry(
            category="welfare",
            date=m.held_on,
            title=m.title,
            kind="退休教师座谈会",
            url=url("welfare:meeting", org.pk, m.pk),
            detail=f"出席 {m.n} 人" + (f"；{m.place}" if m.place else ""),
        )


# ---- 女工 (and checkups) -----------------------------------------------------------------------------


def checkups(org, year: int):
    from jiaogong.checkups import exporting
    from jiaogong.checkups.models import Round

    rounds = Round.objects.filter(org=org, year=year).annotate(
        total=Count("entries"), done=Count("entries", filter=Q(entries__status="done"))
    )
    for r in rounds.order_by("starts_on", "id"):
        yield ArchiveEntry(
            category="welfare" if r.kind == Round.Kind.CHECKUP else "women",
            date=r.starts_on,
            title=r.title,
            kind=r.get_kind_display(),
            url=url("checkups:round", org.pk, r.pk),
            detail=f"{r.provider}；应检 {r.total} 人",
            files=[
                ArchiveFile(
                    f"{_safe(r.title)}签到表.xlsx", lambda r=r: exporting.round_workbook(r), "checkups.manage"
                )
            ],
        )


# ---- 经费 --------------------------------------------------------------------------------------------


def funds(org, year: int):
    from jiaogong.funds import reports
    from jiaogong.funds.models import Attachment, LedgerEntry

    entries = LedgerEntry.objects.filter(org=org, date__year=year)
    count = entries.count()
    if count:
        yield ArchiveEntry(
            category="funds",
            date=datetime.date(year, 12, 31),
            title=f"{year}年经费收支账目和收支情况报告",
            kind="经费",
            url=url("funds:reports", org.pk) + f"?year={year}" if url("funds:reports", org.pk) else "",
            detail=f"记账凭证 {count} 笔",
            files=[
                # No viewer: who was paid for a hardship file's help or a 慰问 is left out (funds/privacy.py).
                ArchiveFile(
                    f"{year}年经费收支明细账.xlsx", lambda: reports.ledger_xlsx(org, year), "funds.view"
                ),
                ArchiveFile(
                    f"{year}年经费收支情况报告.docx",
                    lambda: reports.annual_report_docx(org, year, today=datetime.date(year, 12, 31)),
                ),
            ],
        )
    attachments = list(
        Attachment.objects.filter(entry__org=org, entry__date__year=year)
        .select_related("entry")
        .order_by("entry__date", "id")
    )
    if attachments:

        def reader(a):
            def read():
                with a.file.open("rb") as fh:
                    return fh.read()

            return read

        yield ArchiveEntry(
            category="funds",
            date=attachments[-1].entry.date,
            title=f"{year}年记账凭证附件",
            kind="凭证附件",
            url=url("funds:ledger", org.pk) + f"?year={year}" if url("funds:ledger", org.pk) else "",
            detail=f"收据、发票 {len(attachments)} 份",
            files=[
                ArchiveFile(f"凭证{a.entry_id}-{a.pk}-{_safe(a.name)}", reader(a), "funds.view")
                for a in attachments
            ],
        )


def donations(org, year: int):
    from jiaogong.donations import exporting
    from jiaogong.donations.models import Campaign

    for c in Campaign.objects.filter(org=org, starts_on__year=year).order_by("starts_on", "id"):
        yield ArchiveEntry(
            category="welfare",
            date=c.starts_on,
            title=c.title,
            kind="慈善捐款",
            url=url("donations:campaign", org.pk, c.pk),
            detail=f"接收单位：{c.beneficiary}",
            files=[
                ArchiveFile(
                    f"{_safe(c.title)}捐款明细.xlsx",
                    lambda c=c: exporting.campaign_workbook(c),
                    "donations.view",
                )
            ],
        )


SOURCES = [organization, democracy, rights, welfare, checkups, funds, donations]
