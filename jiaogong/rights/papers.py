"""维权 papers (.docx): the 调解协议书 of an agreed case, and the collective contract with the
status of the union's checks clause by clause (the paper the chair brings to the yearly review)."""

import datetime

from docx.shared import Pt

from jiaogong.core import documents as d
from jiaogong.rights import selectors
from jiaogong.rights.models import CollectiveContract, MediationCase

FINDING_MARK = {"met": "履行", "partly": "部分履行", "not_met": "未履行"}
STATE_LABEL = {"never": "从未检查", "stale": "本年度未检查", "current": ""}


def agreement_docx(case: MediationCase) -> bytes:
    """调解协议书 (调解仲裁法第十四条: the parties, the matters, the agreement; signed by the
    parties and the mediators, sealed by the committee)."""
    doc = d.new_document(f"调解协议书 {case}")
    d.add_title(doc, "劳动争议调解协议书", subtitle=str(case))
    mediators = [s.member.name for s in case.mediators.select_related("member")]
    d.add_form(
        doc,
        [
            ("申请人", "、".join(case.applicant_names())),
            ("被申请人", case.respondent),
            ("争议事项", case.get_subject_display()),
            ("申请 / 受理", f"{d.cn_date(case.applied_on)}申请，{d.cn_date(case.accepted_on)}受理"),
            ("调解员", "、".join(mediators) or "—"),
        ],
    )
    d.add_heading(doc, "一、申请事项", 2)
    d.add_text(doc, case.claim)
    if case.facts:
        d.add_heading(doc, "二、争议的事实和理由", 2)
        d.add_text(doc, case.facts)
    d.add_heading(doc, "三、经调解，双方自愿达成如下协议", 2)
    d.add_text(doc, case.agreement)
    d.add_paragraph(
        doc,
        "本协议书自双方当事人签名或者盖章、调解员签名并加盖调解组织印章后生效，对双方当事人具有约束力，"
        "当事人应当履行。达成调解协议后，一方当事人在协议约定期限内不履行调解协议的，另一方当事人可以"
        "依法申请仲裁（《中华人民共和国劳动争议调解仲裁法》第十四条、第十五条）。本协议书一式三份，"
        "双方当事人各执一份，调解委员会存档一份。",
    )
    # The signatures, the seal and the date stay together on one page.
    lines = [
        ("申请人（签名）：＿＿＿＿＿＿　　　被申请人（签名或盖章）：＿＿＿＿＿＿", ""),
        ("调解员（签名）：＿＿＿＿＿＿＿＿＿＿＿＿", ""),
        (f"{committee_name(case.org)}（印章）　{d.cn_date(case.agreed_on)}", "right"),
    ]
    for i, (line, align) in enumerate(lines):
        paragraph = d.add_paragraph(doc, line, indent=False, align=align)
        paragraph.paragraph_format.space_before = Pt(4)
        paragraph.paragraph_format.keep_with_next = i < len(lines) - 1
    return d.to_bytes(doc)


def committee_name(org) -> str:
    """The school's committee (not the union's): 龙胜乡中心小学工会 → 龙胜乡中心小学劳动争议调解委员会."""
    return f"{org.name.removesuffix('工会')}劳动争议调解委员会"


def _clause_rows(rows, with_topic: bool = False):
    out = []
    for r in rows:
        clause, last = r["clause"], r["last"]
        status = (
            f"{FINDING_MARK[last.finding]}\n{last.checked_on:%Y-%m-%d}\n{last.checked_by}" if last else "—"
        )
        flag = STATE_LABEL[r["state"]]
        follow_up = f"跟进：{last.follow_up}" if last and last.follow_up else ""
        note = "\n".join(x for x in (flag, last.note if last else "", follow_up) if x)
        label = f"第{clause.number}条"
        if with_topic and clause.topic:
            label += f"\n{clause.get_topic_display()}"
        out.append([label, clause.text, status, note or "—"])
    return out


def contract_docx(contract: CollectiveContract, today: datetime.date) -> bytes:
    overview = selectors.contract_overview(contract, today)
    doc = d.new_document(contract.title)
    d.add_title(doc, contract.title, subtitle=f"{contract.org.name} · 履约检查情况（截至{d.cn_date(today)}）")
    adopted = contract.congress.title if contract.congress_id else ""
    if contract.adopted_on:
        adopted = (
            f"{adopted}（{d.cn_date(contract.adopted_on)}通过）"
            if adopted
            else d.cn_date(contract.adopted_on)
        )
    d.add_form(
        doc,
        [
            ("签订日期", d.cn_date(contract.signed_on)),
            ("期限", f"{d.cn_date(contract.starts_on)}至{d.cn_date(contract.ends_on)}"),
            ("教代会审议", adopted or "—"),
            (
                "履约审议",
                "、".join(d.cn_date(r.reviewed_on) for r in overview["reviews"]) or "尚未审议",
            ),
            ("下次审议", d.cn_date(overview["next_review"])),
            (
                "检查情况",
                f"条款 {len(overview['rows'])} 条；最近一次检查：履行 {overview['findings']['met']} 条，"
                f"部分履行 {overview['findings']['partly']} 条，未履行 {overview['findings']['not_met']} 条；"
                f"本年度未检查 {overview['unchecked']} 条。",
            ),
        ],
    )
    headers = ["条款", "内容", "最近检查", "说明 / 跟进"]
    widths = [2.0, 7.2, 2.9, 3.5]
    for i, chapter in enumerate(overview["chapters"], start=1):
        d.add_heading(doc, f"第{_cn(i)}章　{chapter['label']}", 2)
        d.add_table(doc, headers, _clause_rows(chapter["rows"]), widths=widths)
    if overview["women"]:
        d.add_heading(doc, "女职工权益保护专项集体合同（女职工特殊保护）", 2)
        d.add_table(doc, headers, _clause_rows(overview["women"], with_topic=True), widths=widths)
    d.add_paragraph(doc, "")
    d.add_paragraph(doc, "工会主席（签字）：　　　　　　　　　　学校法定代表人（签字）：", indent=False)
    return d.to_bytes(doc)


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
