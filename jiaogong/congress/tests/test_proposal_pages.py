"""提案 pages through the test client: list, form, detail with its actions, inbox, departments."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jiaogong.congress import proposals as service
from jiaogong.congress.models import Department, Proposal, ProposalCommitteeMember
from jiaogong.congress.tests.test_proposals import build_cast, counts

BODY = {"title": "改善教师食堂午餐", "reasons": "菜品单一。", "measures": "增加窗口。"}


@pytest.fixture
def cast(school_a, chair_a):
    return build_cast(school_a, chair_a, opens_on=timezone.localdate() + datetime.timedelta(days=30))


def draft(cast, by=0, **kwargs) -> Proposal:
    return service.draft_proposal(actor=cast.users[by], congress=cast.congress, **(BODY | kwargs))


def submitted(cast, by=0) -> Proposal:
    p = draft(cast, by)
    for i in [i for i in range(5) if i != by][:2]:
        p = service.second_proposal(actor=cast.users[i], proposal=p)
    return p


def assigned(cast, by=0) -> Proposal:
    return service.review_proposal(
        actor=cast.chair, proposal=submitted(cast, by), decision="accept", lead_department=cast.office
    )


def page(org, name, *args):
    return reverse(f"congress:{name}", args=[org.pk, *args])


def text(response) -> str:
    return response.content.decode()


# ---- the list ---------------------------------------------------------------------------------------------


def test_the_list_filters_by_state_with_counts(login, cast, member_a, school_a):
    submitted(cast)
    draft(cast, by=1, title="增设教工书屋")
    url = page(school_a, "proposals", cast.congress.pk)
    response = login(member_a).get(url)
    assert response.status_code == 200
    body = text(response)
    assert "全部 2" in body and "待附议 1" in body and "已提交 1" in body
    assert "增设教工书屋" in body and "改善教师食堂午餐" in body
    assert reverse("congress:detail", args=[school_a.pk, cast.congress.pk]) in body
    filtered = text(login(member_a).get(url, {"state": "submitted"}))
    assert "改善教师食堂午餐" in filtered and "增设教工书屋" not in filtered


def test_the_list_is_not_found_for_outsiders(login, cast, outsider_b, school_a):
    assert login(outsider_b).get(page(school_a, "proposals", cast.congress.pk)).status_code == 404


def test_managers_name_the_committee_on_the_list(login, cast, member_a, outsider_b, school_a):
    url = page(school_a, "proposal_committee", cast.congress.pk)
    member = cast.seats[0].member
    assert login(member_a).post(url, {"form": "add", "member": member.pk}).status_code == 403
    assert login(outsider_b).post(url, {"form": "add", "member": member.pk}).status_code == 404
    assert not ProposalCommitteeMember.objects.exists()
    response = login(cast.chair).post(url, {"form": "add", "member": member.pk})
    assert response.status_code == 302
    seat = ProposalCommitteeMember.objects.get()
    assert seat.member == member
    listing = text(login(cast.chair).get(page(school_a, "proposals", cast.congress.pk)))
    assert member.name in listing and "通常为 5–7 人" in listing
    login(cast.chair).post(url, {"form": "remove", "seat": seat.pk})
    assert not ProposalCommitteeMember.objects.exists()


# ---- the form ----------------------------------------------------------------------------------------------


def test_a_delegate_drafts_on_the_form(login, cast, school_a):
    url = page(school_a, "proposal_new", cast.congress.pk)
    client = login(cast.users[0])
    body = text(client.get(url))
    deadline = service.deadline_of(cast.congress)
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in body
    assert "意见建议" not in body
    response = client.post(url, BODY)
    p = Proposal.objects.get()
    assert response.status_code == 302 and response.url == page(school_a, "proposal", p.pk)
    assert (p.proposer, p.kind, p.state) == (cast.seats[0].member, "proposal", "awaiting_seconds")


def test_the_form_refuses_blanks_and_non_delegates(login, cast, member_a, outsider_b, school_a):
    url = page(school_a, "proposal_new", cast.congress.pk)
    before = counts()
    response = login(cast.users[0]).post(url, {"title": "", "reasons": "", "measures": "x"})
    assert response.status_code == 400
    assert "请填写案由" in text(response) and "请填写理由。" in text(response)
    assert "只有本届正式代表" in text(login(member_a).get(url))
    response = login(member_a).post(url, BODY)
    assert response.status_code == 422 and "只有本届正式代表" in text(response)
    assert login(outsider_b).get(url).status_code == 404
    assert login(outsider_b).post(url, BODY).status_code == 404
    assert counts() == before


def test_the_form_warns_when_late(login, school_a, chair_a):
    late = build_cast(school_a, chair_a, opens_on=timezone.localdate() + datetime.timedelta(days=3))
    url = page(school_a, "proposal_new", late.congress.pk)
    assert "将登记为<strong>意见建议</strong>" in text(login(late.users[0]).get(url))
    login(late.users[0]).post(url, BODY)
    assert Proposal.objects.get().kind == "suggestion"
    assert "意见建议" in text(login(late.users[0]).get(page(school_a, "proposal", Proposal.objects.get().pk)))


# ---- one proposal: every action through its form ------------------------------------------------------------------


def post(client, org, p, form, **data):
    return client.post(page(org, "proposal", p.pk), {"form": form, **data})


def test_the_whole_lifecycle_on_the_detail_page(login, cast, school_a):
    p = draft(cast)
    proposer = login(cast.users[0])
    assert "我附议" not in text(proposer.get(page(school_a, "proposal", p.pk)))
    client = login(cast.users[1])
    assert "我附议" in text(client.get(page(school_a, "proposal", p.pk)))
    assert post(client, school_a, p, "second").status_code == 302
    assert post(login(cast.users[2]), school_a, p, "second").status_code == 302
    p.refresh_from_db()
    assert p.state == "submitted"

    chair = login(cast.chair)
    assert "登记审查结论" in text(chair.get(page(school_a, "proposal", p.pk)))
    response = post(
        chair,
        school_a,
        p,
        "review",
        decision="accept",
        reason="同意立案",
        lead_department=cast.office.pk,
        supporting_departments=[cast.teaching.pk],
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.state, p.number, p.lead_department) == ("assigned", 1, cast.office)

    clerk = login(cast.clerk)
    assert post(clerk, school_a, p, "progress", percent="50", note="正在施工").status_code == 302
    assert post(clerk, school_a, p, "reply", code="B", text="下学期完成。").status_code == 302
    proposer = login(cast.users[0])
    assert "提交评价" in text(proposer.get(page(school_a, "proposal", p.pk)))
    assert post(proposer, school_a, p, "rate", rating="unsatisfied").status_code == 302
    p.refresh_from_db()
    assert p.state == "reopened"
    clerk = login(cast.clerk)
    assert post(clerk, school_a, p, "reply", code="A", text="已完成。").status_code == 302
    assert post(login(cast.users[0]), school_a, p, "rate", rating="satisfied").status_code == 302
    chair = login(cast.chair)
    assert post(chair, school_a, p, "excellent", excellent="True").status_code == 302
    p.refresh_from_db()
    assert (p.state, p.excellent, p.progress) == ("closed", True, 100)

    body = text(chair.get(page(school_a, "proposal", p.pk)))
    for label in (
        "提出",
        "附议",
        "立案",
        "交办",
        "办理进度",
        "答复",
        "评价",
        "再办理",
        "办结",
        "评为优秀提案",
    ):
        assert f"<strong>{label}</strong>" in body
    assert "进度 50%" in body and "正在施工" in body and "优秀提案" in body


def test_the_detail_page_refuses(login, cast, member_a, outsider_b, school_a):
    p = submitted(cast)
    url = page(school_a, "proposal", p.pk)
    assert login(outsider_b).get(url).status_code == 404
    before = counts()
    assert post(login(outsider_b), school_a, p, "review", decision="accept").status_code == 404
    member = login(member_a)
    body = text(member.get(url))
    assert "登记审查结论" not in body and "我附议" not in body
    assert post(member, school_a, p, "review", decision="accept").status_code == 403
    assert post(member, school_a, p, "excellent", excellent="True").status_code == 403
    assert post(member, school_a, p, "nonsense").status_code == 404
    chair = login(cast.chair)
    response = post(chair, school_a, p, "review", decision="reject", reason="")
    assert response.status_code == 400 and "不予立案须写明理由" in text(response)
    response = post(chair, school_a, p, "review")
    assert response.status_code == 400 and "请选择审查结论。" in text(response)
    response = post(login(cast.users[3]), school_a, p, "second")
    assert response.status_code == 409 and "该提案当前状态为“已提交”，不能附议。" in text(response)
    assert counts() == before
    # Another org's proposal id under this org's address is not found either.
    assert login(cast.chair).get(page(school_a, "proposal", 999999)).status_code == 404


def test_replying_twice_is_a_conflict_on_the_page(login, cast, school_a):
    p = assigned(cast)
    clerk = login(cast.clerk)
    post(clerk, school_a, p, "reply", code="A", text="已完成。")
    before = counts()
    response = post(clerk, school_a, p, "reply", code="A", text="再答")
    assert response.status_code == 409 and "不能答复" in text(response)
    response = post(clerk, school_a, p, "progress", percent="abc")
    assert response.status_code == 400
    assert counts() == before


# ---- the department inbox ----------------------------------------------------------------------------------------


def test_the_inbox_puts_overdue_first_with_reminders(login, cast, school_a):
    fresh = assigned(cast, by=0)
    late = assigned(cast, by=1)
    late_title = "逾期的提案"
    Proposal.objects.filter(pk=late.pk).update(
        title=late_title, reply_due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    service.remind_overdue(org=school_a)
    other = service.review_proposal(
        actor=cast.chair, proposal=submitted(cast, by=2), decision="accept", lead_department=cast.teaching
    )
    Proposal.objects.filter(pk=other.pk).update(title="教务处的提案")
    response = login(cast.clerk).get(page(school_a, "department_inbox"))
    assert response.status_code == 200
    body = text(response)
    assert body.index(late_title) < body.index(fresh.title)
    assert "已逾期" in body and "催办 1 次" in body
    assert "教务处的提案" not in body
    assert "教务处的提案" in text(login(cast.chair).get(page(school_a, "department_inbox")))


def test_the_inbox_refuses_others(login, cast, member_a, outsider_b, school_a):
    assert login(member_a).get(page(school_a, "department_inbox")).status_code == 403
    assert login(outsider_b).get(page(school_a, "department_inbox")).status_code == 404


# ---- departments ---------------------------------------------------------------------------------------------------


def test_managers_set_up_departments(login, cast, member_a, school_a):
    url = page(school_a, "departments")
    chair = login(cast.chair)
    assert "总务处" in text(chair.get(url))
    assert chair.post(url, {"form": "create", "name": "办公室"}).status_code == 302
    office = Department.objects.get(org=school_a, name="办公室")
    response = chair.post(url, {"form": "create", "name": "办公室"})
    assert response.status_code == 400 and "已有名为“办公室”的部门。" in text(response)
    response = chair.post(url, {"form": "add_user", "department": office.pk, "user": member_a.pk})
    assert response.status_code == 302
    assert list(office.users.all()) == [member_a]
    response = chair.post(url, {"form": "add_user", "department": office.pk, "user": member_a.pk})
    assert response.status_code == 409 and "已在办公室" in text(response)
    # Now in a department, the member may open the inbox.
    assert login(member_a).get(page(school_a, "department_inbox")).status_code == 200
    chair = login(cast.chair)
    assert (
        chair.post(url, {"form": "remove_user", "department": office.pk, "user": member_a.pk}).status_code
        == 302
    )
    assert not office.users.exists()


def test_departments_refuse_other_roles(login, cast, member_a, outsider_b, school_a):
    url = page(school_a, "departments")
    before = counts()
    assert login(member_a).get(url).status_code == 403
    assert login(cast.clerk).post(url, {"form": "create", "name": "后勤"}).status_code == 403
    assert login(outsider_b).get(url).status_code == 404
    assert login(outsider_b).post(url, {"form": "create", "name": "后勤"}).status_code == 404
    assert counts() == before
