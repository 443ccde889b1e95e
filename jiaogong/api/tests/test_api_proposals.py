"""API v1, 提案: the exact paths, fields and codes of API.md, each refusal writing nothing."""

import datetime
import re

import pytest
from django.utils import timezone

from jiaogong.congress.models import Proposal
from jiaogong.congress.tests.test_proposals import build_cast, counts
from jiaogong.factories import UserFactory, grant

BODY = {
    "title": "改善教师食堂午餐",
    "reasons": "菜品单一，排队时间长。",
    "measures": "增加窗口，每周公布菜单。",
}


@pytest.fixture
def cast(school_a, chair_a):
    # The session opens 30 days from now: proposals drafted today are on time.
    return build_cast(school_a, chair_a, opens_on=timezone.localdate() + datetime.timedelta(days=30))


def create(api, cast, by: int = 0, **body) -> int:
    response = api(cast.users[by]).post(f"/congresses/{cast.congress.pk}/proposals", BODY | body)
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def submit(api, cast, by: int = 0) -> int:
    pk = create(api, cast, by)
    for i in [i for i in range(5) if i != by][:2]:
        assert api(cast.users[i]).post(f"/proposals/{pk}/second").status_code == 200
    return pk


def assign(api, cast, by: int = 0) -> int:
    pk = submit(api, cast, by)
    response = api(cast.chair).post(
        f"/proposals/{pk}/review", {"decision": "accept", "lead_department": cast.office.pk}
    )
    assert response.status_code == 200, response.json()
    return pk


def error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.json()
    body = response.json()["error"]
    if code:
        assert body["code"] == code
    assert re.search(r"[\u4e00-\u9fff]", body["message"]), body  # a Chinese message
    return body


def test_the_whole_lifecycle_through_the_api(api, cast):
    response = api(cast.users[0]).post(f"/congresses/{cast.congress.pk}/proposals", BODY)
    assert response.status_code == 201
    data = response.json()
    assert (data["state"], data["kind"], data["seconds"], data["title"]) == (
        "awaiting_seconds",
        "proposal",
        0,
        BODY["title"],
    )
    pk = data["id"]

    first = api(cast.users[1]).post(f"/proposals/{pk}/second")
    assert (first.status_code, first.json()["state"], first.json()["seconds"]) == (200, "awaiting_seconds", 1)
    second = api(cast.users[2]).post(f"/proposals/{pk}/second")
    assert (second.json()["state"], second.json()["seconds"]) == ("submitted", 2)

    reviewed = api(cast.chair).post(
        f"/proposals/{pk}/review",
        {
            "decision": "accept",
            "lead_department": cast.office.pk,
            "supporting_departments": ["教务处"],
        },
    )
    assert reviewed.status_code == 200
    data = reviewed.json()
    today = timezone.localdate()
    assert (data["state"], data["decision"], data["number"]) == ("assigned", "accept", 1)
    assert (data["lead_department"], data["lead_department_name"]) == (cast.office.pk, "总务处")
    assert data["supporting_departments"] == [cast.teaching.pk]
    assert data["reply_due_on"] > today.isoformat()

    progress = api(cast.clerk).post(f"/proposals/{pk}/progress", {"percent": 30, "note": "已招标"})
    assert (progress.status_code, progress.json()["progress"]) == (200, 30)
    replied = api(cast.clerk).post(f"/proposals/{pk}/reply", {"code": "B", "text": "下学期增设两个窗口。"})
    assert replied.status_code == 200
    assert replied.json()["state"] == "replied"
    assert replied.json()["reply"] == {
        "code": "B",
        "text": "下学期增设两个窗口。",
        "replied_on": today.isoformat(),
    }

    unhappy = api(cast.users[0]).post(f"/proposals/{pk}/feedback", {"rating": "unsatisfied"})
    assert (unhappy.status_code, unhappy.json()["state"], unhappy.json()["rating"]) == (
        200,
        "reopened",
        "unsatisfied",
    )
    again = api(cast.clerk).post(f"/proposals/{pk}/reply", {"code": "A", "text": "已增设两个窗口。"})
    assert again.json()["state"] == "replied"
    closed = api(cast.users[0]).post(f"/proposals/{pk}/feedback", {"rating": "satisfied"})
    assert closed.json()["state"] == "closed"
    assert closed.json()["closed_on"] == today.isoformat()

    detail = api(cast.users[3]).get(f"/proposals/{pk}")
    assert detail.status_code == 200
    data = detail.json()
    for key in ("id", "state", "title", "proposer", "seconds", "decision", "lead_department", "reply_due_on"):
        assert key in data
    assert (data["proposer"], data["proposer_name"]) == (cast.seats[0].member.pk, cast.seats[0].member.name)
    assert data["seconded_by"] == [cast.seats[1].member.name, cast.seats[2].member.name]
    assert (data["rating"], data["reply"]["code"]) == ("satisfied", "A")
    history = data["history"]
    assert [h["kind"] for h in history] == [
        "awaiting_seconds",
        "second",
        "second",
        "submitted",
        "accepted",
        "assigned",
        "progress",
        "replied",
        "rated",
        "reopened",
        "replied",
        "rated",
        "closed",
    ]
    assert history[4]["from_state"] == "submitted" and history[4]["to_state"] == "accepted"
    assert history[6]["percent"] == 30 and history[6]["actor"] == "钱主任"
    assert all(datetime.datetime.fromisoformat(h["at"]).utcoffset() is not None for h in history)
    assert history[0]["at"].endswith("+08:00")


def test_a_late_proposal_is_recorded_as_a_suggestion(api, school_a, chair_a):
    cast = build_cast(school_a, chair_a, opens_on=timezone.localdate() + datetime.timedelta(days=5))
    response = api(cast.users[0]).post(f"/congresses/{cast.congress.pk}/proposals", BODY)
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["kind_label"]) == ("suggestion", "意见建议")


def test_non_delegates_may_not_propose_or_second(api, cast, member_a, chair_a):
    pk = create(api, cast)
    before = counts()
    for user in (member_a, chair_a):
        error(api(user).post(f"/congresses/{cast.congress.pk}/proposals", BODY), 422, "not_delegate")
        error(api(user).post(f"/proposals/{pk}/second"), 422, "not_delegate")
    assert counts() == before


def test_seconding_refusals(api, cast):
    pk = create(api, cast)
    api(cast.users[1]).post(f"/proposals/{pk}/second")
    before = counts()
    error(api(cast.users[0]).post(f"/proposals/{pk}/second"), 422, "own_proposal")
    error(api(cast.users[1]).post(f"/proposals/{pk}/second"), 409, "already_seconded")
    assert counts() == before
    api(cast.users[2]).post(f"/proposals/{pk}/second")
    before = counts()
    body = error(api(cast.users[3]).post(f"/proposals/{pk}/second"), 409, "bad_state")
    assert "已提交" in body["message"]
    assert counts() == before


def test_bad_input_is_a_400_with_chinese_fields(api, cast):
    before = counts()
    body = error(
        api(cast.users[0]).post(
            f"/congresses/{cast.congress.pk}/proposals", {"title": " ", "reasons": "", "measures": "x"}
        ),
        400,
        "invalid",
    )
    assert body["fields"] == {
        "title": "请填写案由（一事一案，简要写明提案事项）。",
        "reasons": "请填写理由。",
    }
    body = error(api(cast.users[0]).post(f"/congresses/{cast.congress.pk}/proposals", {"title": "x"}), 400)
    assert body["fields"]["reasons"] == "必填。"
    assert counts() == before
    pk = submit(api, cast)
    before = counts()
    body = error(api(cast.chair).post(f"/proposals/{pk}/review", {"decision": "reject"}), 400, "invalid")
    assert body["fields"] == {"reason": "不予立案须写明理由，理由将告知提案人。"}
    body = error(api(cast.chair).post(f"/proposals/{pk}/review", {"decision": "merge"}), 400)
    assert body["fields"] == {"merge_into": "并案时请选择要并入的提案。"}
    body = error(api(cast.chair).post(f"/proposals/{pk}/review", {"decision": "maybe"}), 400)
    assert "decision" in body["fields"]
    body = error(
        api(cast.chair).post(f"/proposals/{pk}/review", {"decision": "accept", "lead_department": 999999}),
        400,
    )
    assert "lead_department" in body["fields"]
    assert counts() == before


def test_reject_and_merge(api, cast):
    target = submit(api, cast, by=0)
    other = submit(api, cast, by=1)
    third = submit(api, cast, by=2)
    rejected = api(cast.chair).post(
        f"/proposals/{third}/review",
        {"decision": "reject", "reason": "不属于教代会职权范围。", "forward_as_suggestion": True},
    )
    assert rejected.status_code == 200
    assert (rejected.json()["state"], rejected.json()["decision"], rejected.json()["kind"]) == (
        "rejected",
        "reject",
        "suggestion",
    )
    merged = api(cast.chair).post(f"/proposals/{other}/review", {"decision": "merge", "merge_into": target})
    assert (merged.json()["state"], merged.json()["merged_into"]) == ("merged", target)
    assert api(cast.chair).get(f"/proposals/{target}").json()["co_proposers"] == [cast.seats[1].member.pk]


def test_handling_refusals(api, cast, member_a):
    pk = assign(api, cast)
    before = counts()
    for user in (member_a, cast.users[0], cast.chair):
        error(api(user).post(f"/proposals/{pk}/reply", {"code": "A", "text": "好"}), 403, "forbidden")
        error(api(user).post(f"/proposals/{pk}/progress", {"percent": 10}), 403)
    error(api(cast.clerk).post(f"/proposals/{pk}/reply", {"code": "E", "text": "好"}), 400)
    error(api(cast.clerk).post(f"/proposals/{pk}/progress", {"percent": 120}), 400)
    error(api(cast.users[0]).post(f"/proposals/{pk}/feedback", {"rating": "satisfied"}), 409, "bad_state")
    error(api(member_a).post(f"/proposals/{pk}/review", {"decision": "accept"}), 403)
    error(api(cast.chair).post(f"/proposals/{pk}/review", {"decision": "accept"}), 409, "bad_state")
    assert counts() == before
    api(cast.clerk).post(f"/proposals/{pk}/reply", {"code": "A", "text": "已解决。"})
    before = counts()
    body = error(
        api(cast.clerk).post(f"/proposals/{pk}/reply", {"code": "A", "text": "再答"}), 409, "bad_state"
    )
    assert body["message"] == "该提案当前状态为“已答复”，不能答复。"
    error(api(cast.users[1]).post(f"/proposals/{pk}/feedback", {"rating": "satisfied"}), 403)
    assert counts() == before


def test_assign_later_and_mark_excellent(api, cast, member_a):
    pk = submit(api, cast)
    accepted = api(cast.chair).post(f"/proposals/{pk}/review", {"decision": "accept"})
    assert (accepted.json()["state"], accepted.json()["lead_department"]) == ("accepted", None)
    error(api(member_a).post(f"/proposals/{pk}/assign", {"lead_department": "总务处"}), 403)
    error(api(cast.chair).post(f"/proposals/{pk}/assign", {"lead_department": "不存在的处"}), 400)
    assigned = api(cast.chair).post(f"/proposals/{pk}/assign", {"lead_department": "总务处"})
    assert (assigned.status_code, assigned.json()["state"]) == (200, "assigned")
    error(api(member_a).post(f"/proposals/{pk}/excellent", {}), 403)
    marked = api(cast.chair).post(f"/proposals/{pk}/excellent", {})
    assert marked.json()["excellent"] is True
    assert marked.json()["history"][-1]["kind"] == "excellent"


def test_another_orgs_proposal_is_404_on_every_endpoint(api, cast, outsider_b):
    pk = assign(api, cast)
    before = counts()
    client = api(outsider_b)
    error(client.get(f"/proposals/{pk}"), 404, "not_found")
    error(client.post(f"/congresses/{cast.congress.pk}/proposals", BODY), 404)
    error(client.get(f"/congresses/{cast.congress.pk}/proposals"), 404)
    for path, body in (
        ("second", None),
        ("review", {"decision": "accept"}),
        ("assign", {"lead_department": "总务处"}),
        ("progress", {"percent": 10}),
        ("reply", {"code": "A", "text": "x"}),
        ("feedback", {"rating": "satisfied"}),
        ("excellent", {}),
    ):
        error(client.post(f"/proposals/{pk}/{path}", body), 404, "not_found")
    error(client.post(f"/congresses/{cast.congress.pk}/proposal-committee", {"members": []}), 404)
    error(client.post(f"/departments/{cast.office.pk}/users", {"user": outsider_b.pk}), 404)
    error(api(outsider_b).get(f"/proposals/{999999}"), 404)
    assert counts() == before
    assert api().get(f"/proposals/{pk}").status_code == 401


def test_list_proposals_with_counts(api, cast, member_a):
    submit(api, cast)
    create(api, cast, by=1)
    response = api(member_a).get(f"/congresses/{cast.congress.pk}/proposals")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert (data["counts"]["submitted"], data["counts"]["awaiting_seconds"], data["counts"]["closed"]) == (
        1,
        1,
        0,
    )
    filtered = api(member_a).get(f"/congresses/{cast.congress.pk}/proposals", {"state": "submitted"})
    assert [p["state"] for p in filtered.json()["items"]] == ["submitted"]


def test_departments_and_committee(api, cast, school_a, member_a, outsider_b):
    helper = grant(UserFactory(username="helper"), school_a, "department")
    response = api(cast.chair).post(
        f"/orgs/{school_a.pk}/departments", {"name": "办公室", "users": [helper.pk]}
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["name"], data["users"]) == ("办公室", [helper.pk])
    error(api(cast.chair).post(f"/orgs/{school_a.pk}/departments", {"name": "办公室"}), 400)
    error(
        api(cast.chair).post(f"/orgs/{school_a.pk}/departments", {"name": "x", "users": [outsider_b.pk]}), 400
    )
    error(api(member_a).post(f"/orgs/{school_a.pk}/departments", {"name": "后勤"}), 403, "forbidden")
    error(api(outsider_b).post(f"/orgs/{school_a.pk}/departments", {"name": "后勤"}), 404)
    added = api(cast.chair).post(f"/departments/{data['id']}/users", {"user": member_a.pk})
    assert set(added.json()["users"]) == {member_a.pk, helper.pk}
    error(api(cast.chair).post(f"/departments/{data['id']}/users", {"user": member_a.pk}), 409)
    listed = api(helper).get(f"/orgs/{school_a.pk}/departments")
    assert {d["name"] for d in listed.json()} == {"办公室", "总务处", "教务处"}
    error(api(member_a).get(f"/orgs/{school_a.pk}/departments"), 403)

    members = [s.member.pk for s in cast.seats[:3]]
    committee = api(cast.chair).post(
        f"/congresses/{cast.congress.pk}/proposal-committee", {"members": members}
    )
    assert committee.status_code == 200
    assert sorted(committee.json()["members"]) == sorted(members)
    assert committee.json()["warnings"] == ["提案工作委员会现有 3 人，通常为 5–7 人。"]
    error(api(member_a).post(f"/congresses/{cast.congress.pk}/proposal-committee", {"members": members}), 403)
    # A committee member reviews without a manager role.
    pk = submit(api, cast, by=3)
    reviewed = api(cast.users[0]).post(f"/proposals/{pk}/review", {"decision": "accept"})
    assert reviewed.json()["state"] == "accepted"


def test_overdue_list(api, cast, school_a, member_a):
    pk = assign(api, cast)
    Proposal.objects.filter(pk=pk).update(reply_due_on=timezone.localdate() - datetime.timedelta(days=1))
    response = api(cast.clerk).get(f"/orgs/{school_a.pk}/proposals/overdue")
    assert [p["id"] for p in response.json()["items"]] == [pk]
    assert response.json()["items"][0]["overdue"] is True
    error(api(member_a).get(f"/orgs/{school_a.pk}/proposals/overdue"), 403)
