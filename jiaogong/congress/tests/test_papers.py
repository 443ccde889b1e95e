"""The congress papers (.docx): what each one says, that LibreOffice opens them, and the page."""

import datetime
import io

import docx
import pytest
from django.urls import reverse

from jiaogong.congress import papers
from jiaogong.congress.models import (
    AgendaItem,
    Appraisal,
    Attendance,
    Delegate,
    Department,
    Poll,
    PresidiumMember,
    Proposal,
    ProposalSecond,
)
from jiaogong.core.models import AuditEvent
from jiaogong.factories import MemberFactory, congress_with_delegates
from jiaogong.testing import libreoffice_pdfs, needs_libreoffice

TODAY = datetime.date(2027, 3, 1)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NAMES = ["张三", "李四", "王五", "赵六", "陈静", "刘洋"]


def text_of(content: bytes) -> str:
    """Every paragraph and table cell of the document, one per line, in document order."""
    doc = docx.Document(io.BytesIO(content))
    lines = []
    for block in doc.element.body.iterchildren():
        if block.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in block.iter(docx.oxml.ns.qn("w:t"))))
        elif block.tag.endswith("}tbl"):
            for row in block.iter(docx.oxml.ns.qn("w:tr")):
                cells = row.iter(docx.oxml.ns.qn("w:tc"))
                lines.append(
                    " | ".join("".join(t.text or "" for t in c.iter(docx.oxml.ns.qn("w:t"))) for c in cells)
                )
    return "\n".join(lines)


def motion_result(title, counts, *, passed, base="total", conforms=True, quorum_met=True, kind="secret"):
    return {
        "state": "closed",
        "title": title,
        "kind": kind,
        "total_delegates": 6,
        "present": 5,
        "cast": sum(counts.values()),
        "counts": counts,
        "quorum_met": quorum_met,
        "passed": passed,
        "majority_base": base,
        "conforms": conforms,
        "yes_needed": 4 if base == "total" else 3,
        "receipts": [],
        "closed_at": "2026-12-10T10:00:00+08:00",
    }


def proposal(congress, proposer, number, title, state, **fields):
    return Proposal.objects.create(
        org=congress.org,
        congress=congress,
        number=number,
        title=title,
        reasons=fields.pop("reasons", f"{title}的理由。"),
        measures=fields.pop("measures", f"{title}的措施。"),
        proposer=proposer,
        state=state,
        **fields,
    )


@pytest.fixture
def session(school_a):
    """A session with proposals in every phase, motions, an election, an appraisal, agenda and attendance."""
    congress, delegates = congress_with_delegates(school_a, 6)
    members = []
    for delegate, name in zip(delegates, NAMES, strict=True):
        delegate.member.name = name
        delegate.member.save(update_fields=["name"])
        members.append(delegate.member)
    term = congress.term
    listener = Delegate.objects.create(
        org=school_a,
        term=term,
        member=MemberFactory(org=school_a, name="孙列席"),
        kind="attending",
        elected_on=congress.opens_on,
    )
    guest = Delegate.objects.create(
        org=school_a,
        term=term,
        member=MemberFactory(org=school_a, name="周特邀"),
        kind="invited",
        elected_on=congress.opens_on,
    )
    for delegate in [*delegates[:5], listener, guest]:
        Attendance.objects.create(congress=congress, delegate=delegate, method="desk")
    for member in members[:2]:
        PresidiumMember.objects.create(congress=congress, member=member)
    AgendaItem.objects.create(congress=congress, position=1, kind="hear", title="学校工作报告")
    AgendaItem.objects.create(congress=congress, position=2, kind="elect", title="工会委员")

    general = Department.objects.create(org=school_a, name="总务处")
    academic = Department.objects.create(org=school_a, name="教务处")
    p1 = proposal(
        congress,
        members[0],
        1,
        "关于改善教师食堂伙食的建议",
        "closed",
        lead_department=general,
        reply_code="A",
        reply_text="已更换供应商。\n每周公布菜单。",
        replied_on=datetime.date(2027, 1, 15),
        rating="satisfied",
        excellent=True,
        reasons="饭菜品种单一。\n价格偏高。",
    )
    p1.co_proposers.add(members[1])
    p1.supporting_departments.add(academic)
    for member in members[2:4]:
        ProposalSecond.objects.create(proposal=p1, member=member)
    proposal(
        congress,
        members[1],
        2,
        "关于增设教师阅览室的建议",
        "rated",
        lead_department=academic,
        reply_code="B",
        reply_text="已列入明年计划。",
        replied_on=datetime.date(2027, 1, 20),
        rating="basically_satisfied",
    )
    proposal(
        congress,
        members[2],
        3,
        "关于修缮操场的建议",
        "closed",
        lead_department=general,
        reply_code="C",
        reply_text="经费不足，暂缓。",
        replied_on=datetime.date(2027, 1, 25),
        rating="unsatisfied",
        reopened_once=True,
    )
    proposal(
        congress,
        members[3],
        4,
        "关于调整作息时间的建议",
        "assigned",
        lead_department=academic,
        assigned_on=datetime.date(2026, 12, 20),
        reply_due_on=datetime.date(2027, 2, 20),
    )
    proposal(congress, members[4], None, "关于发放节日慰问品的建议", "rejected")
    proposal(congress, members[5], None, "关于开放体育馆的意见", "submitted", kind="suggestion")
    proposal(congress, members[5], None, "尚未附议的草稿", "awaiting_seconds")

    Poll.objects.create(
        org=school_a,
        congress=congress,
        title="学校工作报告",
        kind="secret",
        options=["赞成", "反对", "弃权"],
        state="closed",
        result=motion_result("学校工作报告", {"赞成": 4, "反对": 1, "弃权": 0}, passed=True),
    )
    Poll.objects.create(
        org=school_a,
        congress=congress,
        title="绩效工资分配方案",
        kind="named",
        options=["赞成", "反对", "弃权"],
        state="closed",
        result=motion_result(
            "绩效工资分配方案",
            {"赞成": 3, "反对": 2, "弃权": 0},
            passed=True,
            base="present",
            conforms=False,
            kind="named",
        ),
    )
    Poll.objects.create(
        org=school_a,
        congress=congress,
        title="校服采购办法",
        kind="secret",
        options=["赞成", "反对", "弃权"],
        state="closed",
        result=motion_result("校服采购办法", {"赞成": 2, "反对": 2, "弃权": 1}, passed=False),
    )
    Poll.objects.create(
        org=school_a, congress=congress, title="食堂管理办法", kind="secret", options=["赞成", "反对", "弃权"]
    )
    election = motion_result("工会委员选举", {"王芳": 5, "李明": 3, "赵强": 3, "钱伟": 1}, passed=True)
    election.update(seats=2, cast=5, elected=["王芳"], runoff=["李明", "赵强"], vacant=1, attendance_ok=True)
    Poll.objects.create(
        org=school_a,
        congress=congress,
        title="工会委员选举",
        kind="secret",
        options=["王芳", "李明", "赵强", "钱伟"],
        seats=2,
        state="closed",
        result=election,
    )

    scale = ["优秀", "称职", "基本称职", "不称职"]
    Appraisal.objects.create(
        org=school_a,
        congress=congress,
        scale=scale,
        state="closed",
        eligible=6,
        result={
            "eligible": 6,
            "valid": 5,
            "participation_pct": "83.3",
            "participation_ok": True,
            "scale": scale,
            "subjects": [
                {
                    "id": 1,
                    "name": "陈校长",
                    "position": "校长",
                    "counts": {"优秀": 3, "称职": 2, "基本称职": 0, "不称职": 0},
                    "percentages": {"优秀": "60.0", "称职": "40.0", "基本称职": "0.0", "不称职": "0.0"},
                    "good_rate": "100.0",
                    "flags": [],
                    "strengths": "办学思路清晰",
                    "weaknesses": "听课偏少",
                },
                {
                    "id": 2,
                    "name": "刘副校长",
                    "position": "副校长",
                    "counts": {"优秀": 0, "称职": 1, "基本称职": 2, "不称职": 2},
                    "percentages": {"优秀": "0.0", "称职": "20.0", "基本称职": "40.0", "不称职": "40.0"},
                    "good_rate": "20.0",
                    "flags": ["诫勉谈话", "可能不称职"],
                    "strengths": "",
                    "weaknesses": "作风拖拉",
                },
            ],
        },
    )
    Appraisal.objects.create(org=school_a, congress=congress, scale=scale)  # still open: not printed
    return congress


@pytest.fixture
def empty_session(school_a):
    congress, _ = congress_with_delegates(school_a, 3, number=2)
    return congress


# ---- the documents --------------------------------------------------------------------------------------


def test_compilation_lists_accepted_proposals_in_number_order(session):
    text = text_of(papers.build_proposals(session))
    assert "第1届第一次教职工代表大会" in text and "提案汇编" in text
    assert "龙胜乡中心小学工会　2026年12月10日" in text
    assert "审查立案的提案共 4 件" in text
    assert "第 1 号 | 关于改善教师食堂伙食的建议 | 张三" in text
    assert text.index("第 1 号　关于改善教师食堂伙食的建议") < text.index("第 4 号　关于调整作息时间的建议")
    assert "提案人 | 张三（联名：李四）" in text
    assert "附议人 | 王五、赵六" in text
    assert "承办部门 | 总务处（主办），教务处（协办）" in text
    assert "饭菜品种单一。\n价格偏高。" in text
    assert "关于调整作息时间的建议的措施。" in text
    for left_out in ("节日慰问品", "体育馆", "草稿"):
        assert left_out not in text


def test_report_counts_states_codes_and_satisfaction(session):
    text = text_of(papers.build_proposal_report(session, today=TODAY))
    assert "共收到提案 5 件、意见建议 1 件，经审查立案 4 件" in text
    assert "已办结 | 2" in text and "已评价 | 1" in text and "不予立案 | 1" in text and "合计 | 6" in text
    assert "A | 已解决或基本解决 | 1 | 33.3" in text
    assert "D | 留作参考 | 0 | 0.0" in text
    assert "满意 | 基本满意 | 不满意 | 已评价 | 满意率（%）" in text
    assert "1 | 1 | 1 | 3 | 66.7" in text
    assert "4 | 关于调整作息时间的建议 | 教务处 | 2027年2月20日" in text  # overdue
    assert "第 1 号　关于改善教师食堂伙食的建议（张三（联名：李四））" in text  # 优秀提案
    assert "答复日期 | 2027年1月15日" in text
    assert "已更换供应商。\n每周公布菜单。" in text
    assert "办理状态 | 已办结（经再办理）" in text
    assert "提案人评价 | 不满意" in text
    assert "答复类别 | 尚未答复" in text


def test_report_has_no_overdue_before_the_due_date(session):
    text = text_of(papers.build_proposal_report(session, today=datetime.date(2027, 2, 20)))
    assert "没有逾期未答复的提案。" in text


def test_resolutions_print_counts_outcome_and_the_non_conforming_base(session):
    text = text_of(papers.build_resolutions(session))
    assert "对 3 项事项进行了表决，通过 2 项" in text
    assert "表决方式 | 赞成 | 反对 | 弃权 | 投票人数 | 结果" in text
    assert "无记名投票 | 4 | 1 | 0 | 5 | 通过" in text
    assert "记名表决 | 3 | 2 | 0 | 5 | 通过" in text
    assert "无记名投票 | 2 | 2 | 1 | 5 | 未通过" in text
    assert "决议：大会表决通过《学校工作报告》。" in text
    assert "《校服采购办法》未获通过。" in text
    assert "应到代表 6 人，出席 5 人，投票 5 人；以出席代表为基数，需赞成票 3 票。" in text
    assert text.count(papers.NOT_CONFORMING) == 1
    assert text.index("绩效工资分配方案") < text.index(papers.NOT_CONFORMING) < text.index("校服采购办法")
    assert "食堂管理办法" not in text  # not closed
    assert "工会委员选举" not in text  # an election, not a motion


def test_elections_print_votes_elected_runoff_and_vacancy(session):
    text = text_of(papers.build_elections(session))
    assert (
        "应选 2 名，候选人 4 名。应到代表 6 人，出席 5 人，投票 5 人；以全体代表为基数，当选至少需得 4 票。"
        in text
    )
    assert "王芳 | 5 | 当选" in text
    assert "李明 | 3 | 票数相同，需另行选举" in text
    assert "钱伟 | 1 | 未当选" in text
    assert "当选：王芳" in text
    assert "需另行选举：李明、赵强" in text
    assert "空缺名额：1 名" in text
    assert papers.NOT_CONFORMING not in text


def test_appraisal_result_prints_participation_levels_rates_and_flags(session):
    text = text_of(papers.build_appraisals(session))
    assert "在册人数 | 参评人数 | 参评率 | 评议是否有效" in text
    assert "6 | 5 | 83.3% | 有效" in text
    assert "姓名 | 职务 | 优秀 | 称职 | 基本称职 | 不称职 | 好评率" in text
    assert "陈校长 | 校长 | 3（60.0%） | 2（40.0%） | 0（0.0%） | 0（0.0%） | 100.0%" in text
    assert "刘副校长 | 副校长 | 0（0.0%） | 1（20.0%） | 2（40.0%） | 2（40.0%） | 20.0%" in text
    assert papers.FLAGS_NOTE in text and "不是评议结论" in text
    assert "· 刘副校长：诫勉谈话、可能不称职" in text
    assert "陈校长：" not in text.split(papers.FLAGS_NOTE)[1].split("主要优点与不足")[0]
    assert "主要优点：办学思路清晰" in text and "主要不足：作风拖拉" in text
    assert "第 1 次评议" not in text  # one closed appraisal: no numbering


def test_minutes_collect_the_session(session):
    text = text_of(papers.build_minutes(session))
    assert "会议纪要（草稿）" in text
    assert "应到正式代表 6 人，实到 5 人，达到法定人数。" in text
    assert "缺席代表：刘洋" in text
    assert "列席代表：孙列席" in text and "特邀代表：周特邀" in text
    assert "张三、李四" in text  # 主席团
    assert "1. 听取学校工作报告" in text and "2. 选举工会委员" in text
    assert "学校工作报告：赞成 4 票，反对 1 票，弃权 0 票，通过。" in text
    assert "校服采购办法：赞成 2 票，反对 2 票，弃权 1 票，未通过。" in text
    assert "食堂管理办法：未开始。" in text
    assert papers.NOT_CONFORMING in text
    assert "2. 大会表决通过《绩效工资分配方案》。" in text
    assert "工会委员选举：应选 2 名，王芳当选；李明、赵强票数相同，需另行选举；空缺 1 名。" in text
    assert "参评率 83.3%，评议有效。" in text and "陈校长 100.0%，刘副校长 20.0%" in text
    assert "会议共收到提案 5 件、意见建议 1 件，经提案工作委员会审查立案 4 件。" in text


def test_minutes_report_a_missing_quorum(empty_session):
    text = text_of(papers.build_minutes(empty_session))
    assert "应到正式代表 3 人，实到 0 人，未达到法定人数（需 2 人）。" in text
    assert "缺席代表：" in text and "未设主席团。" in text and "未登记议程。" in text


@pytest.mark.parametrize(
    ("slug", "sentence"),
    [
        ("proposals", "本次会议未收到提案。"),
        ("proposal-report", "本次会议没有立案的提案，无办理情况可报告。"),
        ("resolutions", "本次会议没有已结束的表决事项。"),
        ("elections", "本次会议没有已结束的选举。"),
        ("appraisals", "本次会议没有已结束的民主评议。"),
        ("minutes", "本次会议未收到提案。"),
    ],
)
def test_an_empty_session_still_gives_a_sensible_paper(empty_session, slug, sentence):
    text = text_of(papers.PAPERS_BY_SLUG[slug].build(empty_session))
    assert "第2届第一次教职工代表大会" in text
    assert sentence in text


def test_contents_say_what_each_paper_holds(session, empty_session):
    assert papers.contents(session)["proposals"] == "立案提案 4 件"
    assert papers.contents(session)["proposal-report"] == "立案 4 件，已答复 3 件"
    assert papers.contents(session)["resolutions"] == "已结束表决 3 项"
    assert papers.contents(session)["elections"] == "已结束选举 1 项"
    assert papers.contents(session)["appraisals"] == "已结束评议 1 次"
    assert papers.contents(empty_session)["proposals"] == ""


@needs_libreoffice
def test_libreoffice_opens_every_paper(session, empty_session, tmp_path):
    files = []
    for congress in (session, empty_session):
        for paper in papers.PAPERS:
            path = tmp_path / f"{congress.pk}-{paper.slug}.docx"
            path.write_bytes(paper.build(congress))
            files.append(path)
    libreoffice_pdfs(files, tmp_path)
    for path in files:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists(), pdf.name
        assert pdf.stat().st_size > 1000, pdf.name


# ---- the page -------------------------------------------------------------------------------------------------


def test_page_lists_the_six_papers_with_what_they_hold(login, chair_a, session):
    response = login(chair_a).get(reverse("congress:papers", args=[session.org_id, session.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for paper in papers.PAPERS:
        assert paper.title in page
        assert reverse("congress:paper", args=[session.org_id, session.pk, paper.slug]) in page
    assert "立案提案 4 件" in page
    assert reverse("congress:detail", args=[session.org_id, session.pk]) in page


def test_page_marks_empty_papers(login, chair_a, empty_session):
    page = login(chair_a).get(reverse("congress:papers", args=[empty_session.org_id, empty_session.pk]))
    assert page.content.decode().count("尚无内容") == 5


@pytest.mark.parametrize("paper", papers.PAPERS, ids=lambda p: p.slug)
def test_manager_downloads_each_paper_and_it_is_audited(login, chair_a, session, paper):
    response = login(chair_a).get(reverse("congress:paper", args=[session.org_id, session.pk, paper.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"
    assert paper.title.split("（")[0] in text_of(response.content)
    event = AuditEvent.objects.get(action="congress.paper.download")
    assert (event.actor, event.org_id, event.object_id) == (chair_a, session.org_id, str(session.pk))
    assert event.changes["paper"] == paper.slug


def test_member_sees_the_page_but_only_managers_get_the_two_office_papers(login, member_a, session):
    client = login(member_a)
    page = client.get(reverse("congress:papers", args=[session.org_id, session.pk]))
    assert page.status_code == 200
    assert (
        reverse("congress:paper", args=[session.org_id, session.pk, "appraisals"])
        not in page.content.decode()
    )
    for slug in ("proposals", "resolutions", "elections", "minutes"):
        assert (
            client.get(reverse("congress:paper", args=[session.org_id, session.pk, slug])).status_code == 200
        )
    for slug in ("proposal-report", "appraisals"):
        assert (
            client.get(reverse("congress:paper", args=[session.org_id, session.pk, slug])).status_code == 403
        )
    assert AuditEvent.objects.filter(action="congress.paper.download").count() == 4


def test_outsider_gets_404(login, outsider_b, session):
    client = login(outsider_b)
    assert client.get(reverse("congress:papers", args=[session.org_id, session.pk])).status_code == 404
    assert (
        client.get(reverse("congress:paper", args=[session.org_id, session.pk, "minutes"])).status_code == 404
    )
    assert not AuditEvent.objects.filter(action="congress.paper.download").exists()


def test_another_orgs_congress_and_unknown_paper_are_404(login, chair_a, outsider_b, school_b, session):
    other, _ = congress_with_delegates(school_b, 1)
    client = login(chair_a)
    assert client.get(reverse("congress:papers", args=[session.org_id, other.pk])).status_code == 404
    assert (
        client.get(reverse("congress:paper", args=[session.org_id, other.pk, "minutes"])).status_code == 404
    )
    assert (
        client.get(reverse("congress:paper", args=[session.org_id, session.pk, "budget"])).status_code == 404
    )


def test_anonymous_is_sent_to_login(client, session):
    response = client.get(reverse("congress:paper", args=[session.org_id, session.pk, "minutes"]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("讨论通过《教职工奖励性绩效工资分配方案（修订）》", "《教职工奖励性绩效工资分配方案（修订）》"),
        ("审议《学校财务工作报告》", "《学校财务工作报告》"),
        ("校服采购办法", "《校服采购办法》"),
        ("审议通过校服采购办法", "《校服采购办法》"),
    ],
)
def test_a_resolution_names_what_it_adopts_once(title, subject):
    assert papers.subject_of(title) == subject
