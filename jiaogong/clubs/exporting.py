"""A club's year on paper (.docx through core/documents.py): members and leader, the activity plan
and sessions, the budget with its lines, approval and spending — for the 台帐."""

from django.utils import timezone

from jiaogong.clubs import selectors
from jiaogong.clubs.models import Club
from jiaogong.core import documents as d


def filename(club: Club, year: int) -> str:
    return f"{year}年{club.name}活动记录.docx"


def club_year_docx(club: Club, year: int) -> bytes:
    members = selectors.members_of(club)
    budget = selectors.budget_of(club, year)
    figures = selectors.figures(budget)
    plan = selectors.plan_of(club, year)
    doc = d.new_document(f"{year}年{club.name}")
    d.add_title(doc, f"{club.name}{year}年活动记录", subtitle=club.org.name)
    d.add_form(
        doc,
        [
            ("小组名称", club.name),
            ("组长", club.leader.name if club.leader_id else "待选举"),
            ("成员", f"{len(members)} 人：" + "、".join(m.name for m in members)),
            ("简介", club.description),
        ],
    )
    d.add_heading(doc, "一、年度活动计划")
    d.add_text(doc, plan.text if plan else "（未制定）")
    d.add_heading(doc, "二、小组活动")
    sessions = list(selectors.sessions_of(club, year))
    if sessions:
        d.add_table(
            doc,
            ["时间", "活动", "地点", "状态"],
            [
                [
                    timezone.localtime(s.activity.starts_at).strftime("%Y-%m-%d %H:%M")
                    + ("（重复）" if s.activity.rrule else ""),
                    s.activity.title,
                    s.activity.location,
                    s.activity.get_status_display(),
                ]
                for s in sessions
            ],
            widths=[4.5, 6, 3.5, 2],
        )
    else:
        d.add_text(doc, "（无）")
    d.add_heading(doc, "三、活动经费")
    if budget is None:
        d.add_text(doc, "本年度未申请经费。")
    else:
        d.add_table(
            doc,
            ["项目", "金额（元）"],
            [[line["item"], line["amount"]] for line in budget.lines] + [["申请合计", str(budget.requested)]],
            widths=[11, 4],
            align=["left", "right"],
        )
        d.add_field(
            doc,
            "审批",
            budget.get_status_display() + (f"，批准 {budget.approved} 元" if budget.approved else ""),
        )
        if budget.reason:
            d.add_field(doc, "审批意见", budget.reason)
        spendings = list(selectors.spendings_of(budget))
        if spendings:
            d.add_table(
                doc,
                ["日期", "摘要", "金额（元）", "凭证号"],
                [[str(s.date), s.memo, str(s.amount), str(s.ledger_entry_id)] for s in spendings],
                widths=[3, 7.5, 3, 2.5],
                align=["center", "left", "right", "center"],
            )
        d.add_field(
            doc, "经费使用", f"批准 {figures.approved} 元，已支出 {figures.spent} 元，剩余 {figures.left} 元"
        )
    return d.to_bytes(doc)
