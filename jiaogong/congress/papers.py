"""The congress papers as Word files: 提案汇编, 提案办理情况报告, 决议, 选举结果, 民主评议结果 and
the draft 会议纪要. Each builder reads one session's rows and returns the .docx bytes.

The papers print what was kept at the time: a closed poll's `result` and a closed appraisal's
`result` are the evidence, so they are printed as stored, never recounted here.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from jiaogong.congress import rules
from jiaogong.congress.appraisals import kept_result as kept_appraisal
from jiaogong.congress.models import (
    Appraisal,
    Attendance,
    Congress,
    Delegate,
    Poll,
    PresidiumMember,
    Proposal,
)
from jiaogong.congress.sessions import voters
from jiaogong.congress.voting import kept_result
from jiaogong.core import documents as d
from jiaogong.core.rules import value_for

# Proposals that were accepted (立案) and so carry a number, whatever happened to them since.
ACCEPTED_STATES = ("accepted", "assigned", "replied", "rated", "reopened", "closed")
NOT_CONFORMING = "本次表决以出席人数为基数，不符合“超过全体代表半数”的规定。"
FLAGS_NOTE = "以下提示依据评议参数自动生成，仅供党组织参考，不是评议结论。"
BASE_LABELS = {"total": "全体代表", "present": "出席代表"}
KIND_LABELS = dict(Poll.Kind.choices)


# ---- reading the session ---------------------------------------------------------------------------------


def accepted_proposals(congress: Congress):
    return (
        Proposal.objects.filter(congress=congress, number__isnull=False, state__in=ACCEPTED_STATES)
        .select_related("proposer", "lead_department")
        .prefetch_related("co_proposers", "supporting_departments", "seconds__member")
        .order_by("number")
    )


def closed_polls(congress: Congress, *, elections: bool):
    return Poll.objects.filter(
        congress=congress, state=Poll.State.CLOSED, seats__isnull=not elections
    ).order_by("closed_at", "id")


def closed_appraisals(congress: Congress):
    return Appraisal.objects.filter(congress=congress, state=Appraisal.State.CLOSED).order_by(
        "closed_at", "id"
    )


def names(people) -> str:
    return "、".join(p.name for p in people) or "无"


def proposers(p: Proposal) -> str:
    co = list(p.co_proposers.all())
    return p.proposer.name + (f"（联名：{names(co)}）" if co else "")


def departments(p: Proposal) -> str:
    if not p.lead_department:
        return "尚未交办"
    supporting = list(p.supporting_departments.all())
    return f"{p.lead_department.name}（主办）" + (f"，{names(supporting)}（协办）" if supporting else "")


def session_label(congress: Congress) -> str:
    mode = congress.term.get_mode_display()
    return f"第{congress.term.number}届第{congress.number}次{mode}"


def _start(congress: Congress, paper: str, *, draft: bool = False):
    """A new document titled with the session and the paper; the subtitle names the org and date."""
    heading = f"{paper}（草稿）" if draft else paper
    doc = d.new_document(f"{congress.title} {heading}")
    d.add_title(doc, congress.title)
    d.add_title(doc, heading, subtitle=f"{congress.org.name}　{d.cn_date(congress.opens_on)}")
    return doc


MOTION_VERBS = ("讨论通过", "审议通过", "表决通过", "审议", "讨论", "听取", "评议", "选举", "通过")


def subject_of(title: str) -> str:
    """What a resolution adopts, in book-title marks: "讨论通过《绩效方案》" → "《绩效方案》";
    a title without marks gets them ("校服采购办法" → "《校服采购办法》")."""
    title = title.strip()
    if "《" in title and "》" in title:
        return title[title.index("《") : title.rindex("》") + 1]
    for verb in MOTION_VERBS:
        if title.startswith(verb) and len(title) > len(verb):
            title = title[len(verb) :]
            break
    return f"《{title}》"


def agenda_line(item) -> str:
    """The agenda item with its kind as the verb, unless the title already starts with one."""
    label = item.get_kind_display()
    return (
        item.title
        if item.title.startswith(MOTION_VERBS) or item.title.startswith(label)
        else label + item.title
    )


def _result(poll: Poll) -> dict:
    return kept_result(poll)


# ---- 1. 提案汇编 ----------------------------------------------------------------------------------------


def build_proposals(congress: Congress) -> bytes:
    """Every accepted proposal in number order, after a contents list, as delegates receive them."""
    items = list(accepted_proposals(congress))
    doc = _start(congress, "提案汇编")
    if not items:
        d.add_paragraph(doc, "本次会议未收到提案。")
        return d.to_bytes(doc)
    d.add_paragraph(doc, f"本次会议经提案工作委员会审查立案的提案共 {len(items)} 件，汇编如下。")
    d.add_heading(doc, "目录", 1)
    d.add_table(
        doc,
        ["立案号", "案由", "提案人"],
        [[f"第 {p.number} 号", p.title, p.proposer.name] for p in items],
        widths=[2.2, 9.6, 3.8],
        align=["center", "left", "center"],
    )
    for p in items:
        d.add_heading(doc, f"第 {p.number} 号　{p.title}", 1, new_page=True)
        d.add_form(
            doc,
            [
                ("立案号", f"第 {p.number} 号"),
                ("案由", p.title),
                ("提案人", proposers(p)),
                ("附议人", names(s.member for s in p.seconds.all())),
                ("承办部门", departments(p)),
            ],
        )
        d.add_heading(doc, "理由", 2)
        d.add_text(doc, p.reasons)
        d.add_heading(doc, "建议措施", 2)
        d.add_text(doc, p.measures)
    return d.to_bytes(doc)


# ---- 2. 提案办理情况报告 ----------------------------------------------------------------------------------


def satisfaction(items: list[Proposal]) -> dict:
    """Counts of the three ratings and 满意率 = (满意 + 基本满意) / rated, one decimal."""
    counts = Counter(p.rating for p in items if p.rating)
    rated = sum(counts.values())
    good = counts[Proposal.Rating.SATISFIED] + counts[Proposal.Rating.BASICALLY]
    return {
        "counts": {label: counts[value] for value, label in Proposal.Rating.choices},
        "rated": rated,
        "rate": rules.percent(good, rated) if rated else None,
    }


def build_proposal_report(congress: Congress, *, today: datetime.date | None = None) -> bytes:
    """How the accepted proposals were handled, to be printed for the next session."""
    today = today or timezone.localdate()
    everything = list(Proposal.objects.filter(congress=congress).exclude(state="awaiting_seconds"))
    items = list(accepted_proposals(congress))
    doc = _start(congress, "提案办理情况报告")
    kinds = Counter(p.kind for p in everything)
    d.add_paragraph(
        doc,
        f"本次会议共收到提案 {kinds[Proposal.Kind.PROPOSAL]} 件、意见建议 {kinds[Proposal.Kind.SUGGESTION]} 件，"
        f"经审查立案 {len(items)} 件。截至{d.cn_date(today)}，办理情况报告如下。",
    )
    if not items:
        d.add_paragraph(doc, "本次会议没有立案的提案，无办理情况可报告。")
        return d.to_bytes(doc)

    d.add_heading(doc, "一、办理状态", 1)
    states = Counter(p.state for p in everything)
    d.add_table(
        doc,
        ["状态", "件数"],
        [[label, states[value]] for value, label in Proposal.State.choices if states[value]]
        + [["合计", len(everything)]],
        widths=[8, 4],
        align=["left", "center"],
    )

    d.add_heading(doc, "二、答复类别", 1)
    codes = Counter(p.reply_code for p in items if p.reply_code)
    replied = sum(codes.values())
    d.add_table(
        doc,
        ["类别", "说明", "件数", "占已答复（%）"],
        [
            [value, label, codes[value], rules.percent(codes[value], replied)]
            for value, label in Proposal.Code.choices
        ]
        + [["", "合计", replied, "100.0" if replied else "0.0"]],
        widths=[1.6, 7, 2.4, 3.6],
        align=["center", "left", "center", "center"],
    )

    d.add_heading(doc, "三、提案人评价", 1)
    sat = satisfaction(items)
    d.add_table(
        doc,
        [*sat["counts"], "已评价", "满意率（%）"],
        [[*sat["counts"].values(), sat["rated"], sat["rate"] or "—"]],
        align=["center"] * 5,
    )
    if sat["rate"] is None:
        d.add_paragraph(doc, "尚无提案人作出评价。")
    else:
        d.add_paragraph(doc, f"满意率 = （满意 + 基本满意）÷ 已评价件数 = {sat['rate']}%。")

    d.add_heading(doc, "四、逾期未答复", 1)
    overdue = [p for p in items if rules.reply_overdue(p.reply_due_on, p.state, today)]
    if overdue:
        d.add_table(
            doc,
            ["立案号", "案由", "主办部门", "答复期限"],
            [
                [
                    p.number,
                    p.title,
                    p.lead_department.name if p.lead_department else "",
                    d.cn_date(p.reply_due_on),
                ]
                for p in overdue
            ],
            widths=[1.8, 7.6, 3.2, 3],
            align=["center", "left", "center", "center"],
        )
    else:
        d.add_paragraph(doc, "没有逾期未答复的提案。")

    d.add_heading(doc, "五、优秀提案", 1)
    excellent = [p for p in items if p.excellent]
    if excellent:
        d.add_bullets(doc, (f"第 {p.number} 号　{p.title}（{proposers(p)}）" for p in excellent))
    else:
        d.add_paragraph(doc, "本次会议尚未评选优秀提案。")

    d.add_heading(doc, "六、逐件办理情况", 1)
    for p in items:
        d.add_heading(doc, f"第 {p.number} 号　{p.title}", 2)
        d.add_form(
            doc,
            [
                ("提案人", proposers(p)),
                ("承办部门", departments(p)),
                ("办理状态", p.get_state_display() + ("（经再办理）" if p.reopened_once else "")),
                ("答复类别", f"{p.reply_code} {p.get_reply_code_display()}" if p.reply_code else "尚未答复"),
                ("答复日期", d.cn_date(p.replied_on) if p.replied_on else "—"),
                ("提案人评价", p.get_rating_display() if p.rating else "尚未评价"),
            ],
        )
        if p.reply_text.strip():
            d.add_paragraph(doc, "答复内容：", indent=False, bold=True)
            d.add_text(doc, p.reply_text)
    return d.to_bytes(doc)


# ---- 3. 决议 and 4. 选举结果 ---------------------------------------------------------------------------------


def _basis(result: dict, *, election: bool = False) -> str:
    """Who was entitled, present and voting, and the votes a motion (or a candidate) needed."""
    base = result.get("majority_base", "")
    needed = "当选至少需得" if election else "需赞成票"
    return (
        f"应到代表 {result.get('total_delegates', 0)} 人，出席 {result.get('present', 0)} 人，"
        f"投票 {result.get('cast', 0)} 人；以{BASE_LABELS.get(base, base)}为基数，"
        f"{needed} {result.get('yes_needed', 0)} 票。"
    )


def motion_sentence(poll: Poll) -> str:
    """One line of the outcome: "《…》：赞成 a 票，反对 b 票，弃权 c 票，通过。"."""
    result = _result(poll)
    counts = "，".join(f"{option} {n} 票" for option, n in result.get("counts", {}).items())
    outcome = "通过" if result.get("passed") else "未通过"
    return f"{poll.title}：{counts}，{outcome}。"


def build_resolutions(congress: Congress) -> bytes:
    """The motions put to the vote and how each ended, with the base of the majority."""
    polls = list(closed_polls(congress, elections=False))
    doc = _start(congress, "决议")
    if not polls:
        d.add_paragraph(doc, "本次会议没有已结束的表决事项。")
        return d.to_bytes(doc)
    passed = [p for p in polls if _result(p).get("passed")]
    d.add_paragraph(
        doc,
        f"{session_label(congress)}于{d.cn_date(congress.opens_on)}召开，"
        f"对 {len(polls)} 项事项进行了表决，通过 {len(passed)} 项。",
    )
    for i, poll in enumerate(polls, start=1):
        result = _result(poll)
        d.add_heading(doc, f"{i}. {poll.title}", 2)
        counts = result.get("counts", {})
        d.add_table(
            doc,
            ["表决方式", *counts, "投票人数", "结果"],
            [
                [
                    KIND_LABELS.get(result.get("kind", poll.kind), ""),
                    *counts.values(),
                    result.get("cast", 0),
                    "通过" if result.get("passed") else "未通过",
                ]
            ],
            align=["center"] * (len(counts) + 3),
        )
        d.add_paragraph(doc, _basis(result))
        if not result.get("quorum_met", True):
            d.add_paragraph(doc, "出席代表未达到法定人数，本项表决不能生效。", bold=True)
        if result.get("passed"):
            d.add_paragraph(doc, f"决议：大会表决通过{subject_of(poll.title)}。", bold=True)
        else:
            d.add_paragraph(doc, f"{subject_of(poll.title)}未获通过。", bold=True)
        if result.get("conforms") is False:
            d.add_paragraph(doc, NOT_CONFORMING, bold=True)
    return d.to_bytes(doc)


def candidate_status(name: str, result: dict) -> str:
    if name in result.get("elected", []):
        return "当选"
    if name in result.get("runoff", []):
        return "票数相同，需另行选举"
    return "未当选"


def election_sentence(poll: Poll) -> str:
    result = _result(poll)
    elected = "、".join(result.get("elected", [])) or "无人"
    text = f"{poll.title}：应选 {result.get('seats', poll.seats)} 名，{elected}当选"
    if result.get("runoff"):
        text += f"；{'、'.join(result['runoff'])}票数相同，需另行选举"
    if result.get("vacant"):
        text += f"；空缺 {result['vacant']} 名"
    return text + "。"


def _election_section(doc, poll: Poll, number: int) -> None:
    result = _result(poll)
    d.add_heading(doc, f"{number}. {poll.title}", 2)
    d.add_paragraph(
        doc,
        f"应选 {result.get('seats', poll.seats)} 名，候选人 {len(result.get('counts', {}))} 名。"
        + _basis(result, election=True),
    )
    ranked = sorted(result.get("counts", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    d.add_table(
        doc,
        ["候选人", "得票", "结果"],
        [[name, votes, candidate_status(name, result)] for name, votes in ranked],
        widths=[5, 3, 6],
        align=["center", "center", "center"],
    )
    if result.get("attendance_ok") is False:
        d.add_paragraph(doc, "参加选举的代表人数未达到规定，本次选举无效。", bold=True)
    d.add_field(doc, "当选", "、".join(result.get("elected", [])) or "无")
    if result.get("runoff"):
        d.add_field(doc, "需另行选举", "、".join(result["runoff"]) + "（得票相同，超出应选名额）")
    d.add_field(doc, "空缺名额", f"{result.get('vacant', 0)} 名")
    if result.get("conforms") is False:
        d.add_paragraph(doc, NOT_CONFORMING, bold=True)


def build_elections(congress: Congress) -> bytes:
    polls = list(closed_polls(congress, elections=True))
    doc = _start(congress, "选举结果")
    if not polls:
        d.add_paragraph(doc, "本次会议没有已结束的选举。")
        return d.to_bytes(doc)
    for i, poll in enumerate(polls, start=1):
        _election_section(doc, poll, i)
    return d.to_bytes(doc)


# ---- 5. 民主评议结果 ----------------------------------------------------------------------------------------


def _appraisal_section(doc, appraisal: Appraisal, number: int | None) -> None:
    result = kept_appraisal(appraisal) or {}
    scale = result.get("scale") or appraisal.scale
    if number is not None:
        d.add_heading(doc, f"第 {number} 次评议", 1)
    ok = result.get("participation_ok")
    d.add_table(
        doc,
        ["在册人数", "参评人数", "参评率", "评议是否有效"],
        [
            [
                result.get("eligible", appraisal.eligible or 0),
                result.get("valid", 0),
                f"{result.get('participation_pct', '0.0')}%",
                "有效" if ok else "无效（参评率未达到规定）",
            ]
        ],
        align=["center"] * 4,
    )
    subjects = result.get("subjects", [])
    if not subjects:
        d.add_paragraph(doc, "本次评议没有评议对象。")
        return
    d.add_heading(doc, "评议等次统计", 2)
    d.add_table(
        doc,
        ["姓名", "职务", *scale, "好评率"],
        [
            [
                s.get("name", ""),
                s.get("position", ""),
                *(
                    f"{s.get('counts', {}).get(level, 0)}（{s.get('percentages', {}).get(level, '0.0')}%）"
                    for level in scale
                ),
                f"{s['good_rate']}%" if s.get("good_rate") is not None else "—",
            ]
            for s in subjects
        ],
        widths=[2.2, 2.4, *[(d.TEXT_WIDTH - 6.4) / max(len(scale), 1)] * len(scale), 1.8],
        align=["center"] * (len(scale) + 3),
    )
    d.add_paragraph(doc, f"好评率 = （{'+'.join(scale[:2])}）÷ 有效评议票数。", indent=False)
    d.add_heading(doc, "提示", 2)
    d.add_paragraph(doc, FLAGS_NOTE)
    flagged = [s for s in subjects if s.get("flags")]
    if flagged:
        d.add_bullets(doc, (f"{s['name']}：{'、'.join(s['flags'])}" for s in flagged))
    else:
        d.add_paragraph(doc, "无。")
    d.add_heading(doc, "主要优点与不足", 2)
    for s in subjects:
        d.add_paragraph(doc, f"{s.get('name', '')}（{s.get('position', '')}）", indent=False, bold=True)
        d.add_field(doc, "主要优点", s.get("strengths") or "—")
        d.add_field(doc, "主要不足", s.get("weaknesses") or "—")


def build_appraisals(congress: Congress) -> bytes:
    appraisals = list(closed_appraisals(congress))
    doc = _start(congress, "民主评议结果")
    if not appraisals:
        d.add_paragraph(doc, "本次会议没有已结束的民主评议。")
        return d.to_bytes(doc)
    for i, appraisal in enumerate(appraisals, start=1):
        _appraisal_section(doc, appraisal, i if len(appraisals) > 1 else None)
    return d.to_bytes(doc)


# ---- 6. 会议纪要（草稿） -----------------------------------------------------------------------------------


def attendance_of(congress: Congress) -> dict:
    """Formal delegates seated at the session, who of them checked in, and the non-voting attendees."""
    formal = list(voters(congress).select_related("member").order_by("member__name", "id"))
    present_ids = set(Attendance.objects.filter(congress=congress).values_list("delegate_id", flat=True))
    others = (
        Delegate.objects.filter(pk__in=present_ids, kind__in=[Delegate.Kind.ATTENDING, Delegate.Kind.INVITED])
        .select_related("member")
        .order_by("kind", "member__name")
    )
    present = [x for x in formal if x.pk in present_ids]
    return {
        "total": len(formal),
        "present": len(present),
        "absent": [x.member.name for x in formal if x.pk not in present_ids],
        "attending": [x.member.name for x in others if x.kind == Delegate.Kind.ATTENDING],
        "invited": [x.member.name for x in others if x.kind == Delegate.Kind.INVITED],
    }


def build_minutes(congress: Congress) -> bytes:
    """A draft the secretary completes: the facts of the session in the order of a 会议纪要."""
    doc = _start(congress, "会议纪要", draft=True)
    att = attendance_of(congress)

    d.add_heading(doc, "一、会议基本情况", 1)
    quorum = value_for(congress.org, "congress.quorum")
    met = rules.quorum_met(att["present"], att["total"], quorum)
    d.add_paragraph(
        doc,
        f"{session_label(congress)}于{d.cn_date(congress.opens_on)}召开。"
        f"应到正式代表 {att['total']} 人，实到 {att['present']} 人，"
        + (
            "达到法定人数。"
            if met
            else f"未达到法定人数（需 {rules.quorum_needed(att['total'], quorum)} 人）。"
        ),
    )
    d.add_field(doc, "缺席代表", "、".join(att["absent"]) or "无")
    d.add_field(doc, "列席代表", "、".join(att["attending"]) or "无")
    d.add_field(doc, "特邀代表", "、".join(att["invited"]) or "无")

    d.add_heading(doc, "二、主席团", 1)
    presidium = PresidiumMember.objects.filter(congress=congress).select_related("member").order_by("id")
    d.add_paragraph(doc, names(p.member for p in presidium) if presidium else "未设主席团。")

    d.add_heading(doc, "三、会议议程", 1)
    agenda = list(congress.agenda.all())
    if agenda:
        for i, item in enumerate(agenda, start=1):
            d.add_paragraph(doc, f"{i}. {agenda_line(item)}")
    else:
        d.add_paragraph(doc, "未登记议程。")

    d.add_heading(doc, "四、表决情况", 1)
    polls = list(Poll.objects.filter(congress=congress).order_by("id"))
    if not polls:
        d.add_paragraph(doc, "本次会议没有表决事项。")
    for poll in polls:
        if poll.state != Poll.State.CLOSED:
            d.add_paragraph(doc, f"{poll.title}：{poll.get_state_display()}。")
        elif poll.is_election:
            d.add_paragraph(doc, election_sentence(poll))
        else:
            d.add_paragraph(doc, motion_sentence(poll))
        if poll.state == Poll.State.CLOSED and _result(poll).get("conforms") is False:
            d.add_paragraph(doc, NOT_CONFORMING)

    d.add_heading(doc, "五、决议", 1)
    passed = [p for p in closed_polls(congress, elections=False) if _result(p).get("passed")]
    if passed:
        for i, poll in enumerate(passed, start=1):
            d.add_paragraph(doc, f"{i}. 大会表决通过{subject_of(poll.title)}。")
    else:
        d.add_paragraph(doc, "本次会议没有通过的决议。")

    d.add_heading(doc, "六、选举结果", 1)
    elections = list(closed_polls(congress, elections=True))
    for poll in elections:
        d.add_paragraph(doc, election_sentence(poll))
    if not elections:
        d.add_paragraph(doc, "本次会议没有选举。")

    d.add_heading(doc, "七、民主评议", 1)
    appraisals = list(closed_appraisals(congress))
    for appraisal in appraisals:
        result = kept_appraisal(appraisal) or {}
        d.add_paragraph(
            doc,
            f"在册 {result.get('eligible', 0)} 人，参评 {result.get('valid', 0)} 人，"
            f"参评率 {result.get('participation_pct', '0.0')}%，评议"
            + ("有效。" if result.get("participation_ok") else "无效（参评率未达到规定）。"),
        )
        rates = [
            f"{s.get('name', '')} {s['good_rate']}%"
            if s.get("good_rate") is not None
            else f"{s.get('name', '')} —"
            for s in result.get("subjects", [])
        ]
        if rates:
            d.add_paragraph(doc, "好评率：" + "，".join(rates) + "。")
    if not appraisals:
        d.add_paragraph(doc, "本次会议没有进行民主评议。")

    d.add_heading(doc, "八、提案", 1)
    received = Proposal.objects.filter(congress=congress).exclude(state="awaiting_seconds")
    kinds = Counter(received.values_list("kind", flat=True))
    accepted = accepted_proposals(congress).count()
    if kinds:
        d.add_paragraph(
            doc,
            f"会议共收到提案 {kinds[Proposal.Kind.PROPOSAL]} 件、意见建议 {kinds[Proposal.Kind.SUGGESTION]} 件，"
            f"经提案工作委员会审查立案 {accepted} 件。",
        )
    else:
        d.add_paragraph(doc, "本次会议未收到提案。")

    d.add_paragraph(doc, "（本纪要为系统生成的草稿，请秘书处核对、补充后印发。）", indent=False)
    return d.to_bytes(doc)


# ---- the list of papers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    slug: str
    title: str
    contains: str
    build: Callable[[Congress], bytes]
    capability: str  # congress.view: every delegate may have it; congress.manage: the union office only


PAPERS = [
    Paper(
        "proposals",
        "提案汇编",
        "立案提案的目录与全文：案由、提案人、附议人、理由、建议措施、承办部门。",
        build_proposals,
        "congress.view",
    ),
    Paper(
        "proposal-report",
        "提案办理情况报告",
        "办理状态、答复类别、满意率、逾期未答复、优秀提案和逐件答复。",
        build_proposal_report,
        "congress.manage",
    ),
    Paper(
        "resolutions",
        "决议",
        "已结束的表决事项：票数、表决基数和是否通过。",
        build_resolutions,
        "congress.view",
    ),
    Paper(
        "elections",
        "选举结果",
        "已结束的选举：应选人数、候选人得票、当选、另行选举和空缺名额。",
        build_elections,
        "congress.view",
    ),
    Paper(
        "appraisals",
        "民主评议结果",
        "参评率、各评议对象的等次票数、好评率、提示和主要优缺点。",
        build_appraisals,
        "congress.manage",
    ),
    Paper(
        "minutes",
        "会议纪要（草稿）",
        "出席情况、主席团、议程、表决与选举结果、民主评议和提案概况。",
        build_minutes,
        "congress.view",
    ),
]
PAPERS_BY_SLUG = {p.slug: p for p in PAPERS}


def contents(congress: Congress) -> dict[str, str]:
    """What each paper holds so far, in a few words ("" when it would only say there is nothing)."""
    motions = closed_polls(congress, elections=False).count()
    elections = closed_polls(congress, elections=True).count()
    appraisals = closed_appraisals(congress).count()
    accepted = accepted_proposals(congress).count()
    replied = accepted_proposals(congress).exclude(reply_code="").count()
    return {
        "proposals": f"立案提案 {accepted} 件" if accepted else "",
        "proposal-report": f"立案 {accepted} 件，已答复 {replied} 件" if accepted else "",
        "resolutions": f"已结束表决 {motions} 项" if motions else "",
        "elections": f"已结束选举 {elections} 项" if elections else "",
        "appraisals": f"已结束评议 {appraisals} 次" if appraisals else "",
        "minutes": "随会议进展自动汇总",
    }
