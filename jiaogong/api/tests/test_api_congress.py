"""API v1, 教代会 sessions and votes: the exact paths, fields and codes of API.md."""

import datetime

import pytest

from jiaogong.congress import sessions, voting
from jiaogong.congress.models import Attendance, Congress, Poll, SealedBallot, Turnout
from jiaogong.factories import (
    MemberFactory,
    UserFactory,
    congress_with_delegates,
    decrypt,
    delegate_user,
    grant,
)


@pytest.fixture
def staff(school_a):
    return [MemberFactory(org=school_a, is_teacher=i % 5 != 0) for i in range(12)]


@pytest.fixture
def hall(school_a):
    congress, delegates = congress_with_delegates(school_a, 12, present=8)
    return congress, delegates


def make_poll(api, chair, congress, **body):
    response = api(chair).post(
        f"/congresses/{congress.pk}/polls", {"title": "审议方案", "kind": "secret"} | body
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_create_a_congress(api, chair_a, school_a, staff):
    body = {
        "term": 8,
        "session": 1,
        "title": "第八届第一次教职工代表大会",
        "opens_on": "2026-12-10",
        "delegates": [m.pk for m in staff[:10]],
    }
    response = api(chair_a).post(f"/orgs/{school_a.pk}/congresses", body)
    assert response.status_code == 201
    data = response.json()
    assert data["total_delegates"] == 10
    assert data["composition"]["teachers_pct"] == "80.0"
    assert set(data["composition"]) >= {"teachers_pct", "women_pct", "young_pct"}
    assert isinstance(data["warnings"], list) and any("教职工大会" in w for w in data["warnings"])
    congress = Congress.objects.get(pk=data["id"])
    assert (congress.term.number, congress.number, congress.opens_on) == (8, 1, datetime.date(2026, 12, 10))
    again = api(chair_a).post(f"/orgs/{school_a.pk}/congresses", body)
    assert again.status_code == 409 and again.json()["error"]["code"] == "session_exists"


def test_create_a_congress_refuses_bad_input_in_chinese(api, chair_a, school_a, school_b):
    stranger = MemberFactory(org=school_b)
    base = {"term": 8, "session": 1, "title": "会", "opens_on": "2026-12-10"}
    response = api(chair_a).post(f"/orgs/{school_a.pk}/congresses", base | {"delegates": [stranger.pk]})
    assert response.status_code == 400
    assert "没有找到这些会员" in response.json()["error"]["fields"]["delegates"]
    response = api(chair_a).post(f"/orgs/{school_a.pk}/congresses", base | {"opens_on": "12/10"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.json()["error"]["fields"]["opens_on"]
    response = api(chair_a).post(f"/orgs/{school_a.pk}/congresses", base | {"mode": "everyone"})
    assert response.status_code == 400 and "mode" in response.json()["error"]["fields"]
    assert not Congress.objects.exists()


def test_congress_roles_and_tenancy(api, member_a, outsider_b, officer, school_a, hall):
    congress, _ = hall
    body = {"term": 9, "session": 1, "title": "会", "opens_on": "2026-12-10", "delegates": []}
    assert api(member_a).post(f"/orgs/{school_a.pk}/congresses", body).status_code == 403
    assert api(outsider_b).post(f"/orgs/{school_a.pk}/congresses", body).status_code == 404
    assert api().post(f"/orgs/{school_a.pk}/congresses", body).status_code == 401
    assert api(outsider_b).get(f"/congresses/{congress.pk}").status_code == 404
    assert api(member_a).get(f"/congresses/{congress.pk}").status_code == 200
    assert api(officer).get(f"/orgs/{school_a.pk}/congresses").json()["count"] == 1
    assert api(member_a).post(f"/congresses/{congress.pk}/attendance", {"present": []}).status_code == 403
    assert api(outsider_b).post(f"/congresses/{congress.pk}/attendance", {"present": []}).status_code == 404
    assert (
        api(member_a).post(f"/congresses/{congress.pk}/polls", {"title": "x", "kind": "secret"}).status_code
        == 403
    )
    assert (
        api(outsider_b).post(f"/congresses/{congress.pk}/polls", {"title": "x", "kind": "secret"}).status_code
        == 404
    )


def test_attendance(api, chair_a, school_a):
    congress, delegates = congress_with_delegates(school_a, 12)
    present = [d.member_id for d in delegates[:7]]
    response = api(chair_a).post(f"/congresses/{congress.pk}/attendance", {"present": present})
    assert response.status_code == 200
    assert response.json() == {"total": 12, "present": 7, "quorum_met": False, "quorum_needed": 8}
    response = api(chair_a).post(
        f"/congresses/{congress.pk}/attendance", {"present": [delegates[7].member_id]}
    )
    assert response.json()["quorum_met"] is True and response.json()["present"] == 8
    stranger = MemberFactory(org=school_a)
    response = api(chair_a).post(f"/congresses/{congress.pk}/attendance", {"present": [stranger.pk]})
    assert (
        response.status_code == 400 and "不是本次会议的代表" in response.json()["error"]["fields"]["present"]
    )
    assert Attendance.objects.filter(congress=congress).count() == 8


def test_a_secret_vote_from_opening_to_result(api, chair_a, member_a, school_a):
    """The whole secret vote as scripts run it (API.md, "Verifiable secret ballots"): 监票人, their
    key shares (generated by the server for API clients, answered once as backup codes), the
    ballots, the close, the partial decryptions and the result with trackers only."""
    congress, delegates = congress_with_delegates(school_a, 12, present=8, scrutineers=0)
    poll_id = make_poll(api, chair_a, congress)
    refused = api(chair_a).post(f"/polls/{poll_id}/open")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "no_joint_key"
    trio = delegates[9:12]
    named = api(chair_a).post(
        f"/congresses/{congress.pk}/scrutineers", {"members": [d.member_id for d in trio]}
    )
    assert named.status_code == 200
    assert named.json()["threshold"] == 3 and [s["member"] for s in named.json()["scrutineers"]] == [
        d.member_id for d in trio
    ]
    assert api(member_a).post(f"/congresses/{congress.pk}/key-shares", {}).status_code == 403
    codes = {}
    for d in trio:
        response = api(delegate_user(d)).post(f"/congresses/{congress.pk}/key-shares", {})
        assert response.status_code == 201
        codes[d.member_id] = response.json()["backup_code"]
        assert codes[d.member_id].startswith("JG1-")
    assert response.json()["joint_key"]  # the last share made the joint key
    again = api(delegate_user(trio[0])).post(f"/congresses/{congress.pk}/key-shares", {})
    assert again.status_code == 409
    assert api(member_a).post(f"/polls/{poll_id}/open").status_code == 403
    assert api(chair_a).post(f"/polls/{poll_id}/open").json()["state"] == "open"
    trackers = []
    for i, d in enumerate(delegates[:8]):
        response = api(delegate_user(d)).post(
            f"/polls/{poll_id}/ballots", {"choice": "赞成" if i < 7 else "反对"}
        )
        assert response.status_code == 201
        assert response.json()["tracker"] == response.json()["receipt"]
        trackers.append(response.json()["tracker"])
    again = api(delegate_user(delegates[0])).post(f"/polls/{poll_id}/ballots", {"choice": "反对"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_voted"
    absent = api(delegate_user(delegates[10])).post(f"/polls/{poll_id}/ballots", {"choice": "赞成"})
    assert absent.status_code == 403 and "签到" in absent.json()["error"]["message"]
    assert api(member_a).post(f"/polls/{poll_id}/ballots", {"choice": "赞成"}).status_code == 403
    live = api(member_a).get(f"/polls/{poll_id}/result").json()
    assert live["state"] == "open" and live["cast"] == 8 and live["counts"] == {} and live["receipts"] == []
    closed = api(chair_a).post(f"/polls/{poll_id}/close")
    assert (
        closed.status_code == 200 and closed.json()["state"] == "counting" and closed.json()["counts"] == {}
    )
    early = api(delegate_user(delegates[1])).post(f"/polls/{poll_id}/ballots", {"choice": "赞成"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "poll_not_open"
    assert (
        api(member_a).post(f"/polls/{poll_id}/partial-decryptions", {"backup_code": "x"}).status_code == 403
    )
    wrong = api(delegate_user(trio[0])).post(
        f"/polls/{poll_id}/partial-decryptions", {"backup_code": codes[trio[1].member_id]}
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "wrong_backup_code"
    for n, d in enumerate(trio, start=1):
        response = api(delegate_user(d)).post(
            f"/polls/{poll_id}/partial-decryptions", {"backup_code": codes[d.member_id]}
        )
        assert response.status_code == 201
        assert response.json()["state"] == ("closed" if n == 3 else "counting")
        assert len(response.json()["pending"]) == 3 - n
    result = api(member_a).get(f"/polls/{poll_id}/result").json()
    assert result["state"] == "closed"
    assert (result["total_delegates"], result["present"], result["cast"]) == (12, 8, 8)
    assert result["counts"] == {"赞成": 7, "反对": 1, "弃权": 0}
    assert result["quorum_met"] is True and result["passed"] is True and result["majority_base"] == "total"
    assert result["receipts"] == sorted(trackers)  # trackers only: never a tracker next to a choice
    bulletin = api(member_a).get(f"/polls/{poll_id}/bulletin").json()
    assert [b["tracker"] for b in bulletin["ballots"]] == sorted(trackers)
    assert bulletin["result"]["counts"] == [[7, 1, 0]] and len(bulletin["partial_decryptions"]) == 3
    assert "赞成" not in str(bulletin["ballots"]) and "choice" not in str(bulletin["ballots"])
    assert api(chair_a).post(f"/polls/{poll_id}/close").status_code == 409


def test_phones_send_encrypted_ballots_and_partial_decryptions(api, chair_a, school_a):
    """What the phone pages send: the ballot encrypted with its proofs, and each 监票人's partial
    decryption with its proofs (the secrets never reach the server)."""
    from jiaogong.congress import crypto
    from jiaogong.congress.models import Scrutineer

    congress, delegates = congress_with_delegates(school_a, 6, present=6, scrutineers=0)
    pair = delegates[4:]
    api(chair_a).post(f"/congresses/{congress.pk}/scrutineers", {"members": [d.member_id for d in pair]})
    secrets = []
    for d in pair:
        seed = crypto.new_seed()
        secret = crypto.secret_from_seed(seed)
        position = Scrutineer.objects.get(congress=congress, member=d.member).position
        context = f"congress:{school_a.pk}:{congress.pk}:scrutineer:{position}"
        body = {"public_share": crypto.base(secret).hex(), "proof": crypto.prove_key(secret, context)}
        forged = {**body, "proof": crypto.prove_key(secret, context + "x")}
        bad = api(delegate_user(d)).post(f"/congresses/{congress.pk}/key-shares", forged)
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_key_share"
        response = api(delegate_user(d)).post(f"/congresses/{congress.pk}/key-shares", body)
        assert response.status_code == 201 and response.json()["backup_code"] is None
        secrets.append(secret)
    poll_id = make_poll(api, chair_a, congress)
    api(chair_a).post(f"/polls/{poll_id}/open")
    descriptor = Poll.objects.get(pk=poll_id).descriptor
    for i, d in enumerate(delegates[:6]):
        sealed = crypto.encrypt_ballot(descriptor, [[int(i < 4), int(i >= 4), 0]])
        response = api(delegate_user(d)).post(f"/polls/{poll_id}/ballots", {"encrypted": sealed})
        assert response.status_code == 201 and response.json()["tracker"] == crypto.tracker(
            descriptor, sealed
        )
    api(chair_a).post(f"/polls/{poll_id}/close", {"confirm": True})
    tally = Poll.objects.get(pk=poll_id).encrypted_tally
    context = crypto.descriptor_hash(descriptor)
    made = crypto.partial_decrypt(secrets[1], tally, context)  # the other 监票人's secret
    bad = api(delegate_user(pair[0])).post(f"/polls/{poll_id}/partial-decryptions", made)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_partial"
    for d, secret in zip(pair, secrets, strict=True):
        made = crypto.partial_decrypt(secret, tally, context)
        assert api(delegate_user(d)).post(f"/polls/{poll_id}/partial-decryptions", made).status_code == 201
    assert api(chair_a).get(f"/polls/{poll_id}/result").json()["counts"] == {"赞成": 4, "反对": 2, "弃权": 0}


def test_a_poll_does_not_open_without_quorum(api, chair_a, school_a):
    congress, delegates = congress_with_delegates(school_a, 12, present=7)
    poll_id = make_poll(api, chair_a, congress)
    response = api(chair_a).post(f"/polls/{poll_id}/open")
    assert response.status_code == 422 and response.json()["error"]["code"] == "quorum_not_met"
    assert "法定人数" in response.json()["error"]["message"]
    assert Poll.objects.get(pk=poll_id).state == "draft"
    early = api(delegate_user(delegates[0])).post(f"/polls/{poll_id}/ballots", {"choice": "赞成"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "poll_not_open"


def test_bad_ballots_and_polls_write_nothing(api, chair_a, hall):
    congress, delegates = hall
    response = api(chair_a).post(f"/congresses/{congress.pk}/polls", {"title": "", "kind": "secret"})
    assert response.status_code == 400 and response.json()["error"]["fields"]["title"]
    response = api(chair_a).post(f"/congresses/{congress.pk}/polls", {"title": "x", "kind": "open"})
    assert response.status_code == 400 and "kind" in response.json()["error"]["fields"]
    response = api(chair_a).post(
        f"/congresses/{congress.pk}/polls",
        {"title": "选举", "kind": "secret", "options": ["甲", "乙"], "seats": 2},
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "not_competitive"
    assert not Poll.objects.exists()
    poll_id = make_poll(api, chair_a, congress)
    api(chair_a).post(f"/polls/{poll_id}/open")
    response = api(delegate_user(delegates[0])).post(f"/polls/{poll_id}/ballots", {"choice": "同意"})
    assert response.status_code == 400 and "赞成" in response.json()["error"]["fields"]["choice"]
    response = api(delegate_user(delegates[0])).post(f"/polls/{poll_id}/ballots", {})
    assert response.status_code == 400
    assert not SealedBallot.objects.exists() and not Turnout.objects.exists()


def test_an_election_through_the_api(api, chair_a, hall):
    congress, delegates = hall
    poll_id = make_poll(api, chair_a, congress, title="补选工会委员", options=["甲", "乙", "丙"], seats=2)
    api(chair_a).post(f"/polls/{poll_id}/open")
    for i, d in enumerate(delegates[:8]):
        marks = ["甲", "乙"] if i < 7 else ["丙"]
        assert api(delegate_user(d)).post(f"/polls/{poll_id}/ballots", {"choice": marks}).status_code == 201
    api(chair_a).post(f"/polls/{poll_id}/close")
    decrypt(Poll.objects.get(pk=poll_id))
    result = api(chair_a).get(f"/polls/{poll_id}/result").json()
    assert result["counts"] == {"甲": 7, "乙": 7, "丙": 1}
    assert result["elected"] == ["乙", "甲"] or result["elected"] == ["甲", "乙"]
    assert result["seats"] == 2 and result["vacant"] == 0 and result["runoff"] == []


def test_polls_of_another_org_are_not_found(api, outsider_b, member_a, chair_a, hall):
    congress, delegates = hall
    poll_id = make_poll(api, chair_a, congress)
    for method, path, body in (
        ("post", f"/polls/{poll_id}/open", None),
        ("post", f"/polls/{poll_id}/close", None),
        ("post", f"/polls/{poll_id}/ballots", {"choice": "赞成"}),
        ("get", f"/polls/{poll_id}/result", None),
        ("get", f"/polls/{poll_id}", None),
        ("get", f"/polls/{poll_id}/bulletin", None),
        ("post", f"/polls/{poll_id}/partial-decryptions", {"backup_code": "JG1-AAAAA"}),
        ("post", f"/congresses/{congress.pk}/scrutineers", {"members": []}),
        ("get", f"/congresses/{congress.pk}/scrutineers", None),
        ("post", f"/congresses/{congress.pk}/key-shares", {}),
    ):
        response = getattr(api(outsider_b), method)(path, body)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    assert api(member_a).post(f"/polls/{poll_id}/close").status_code == 403
    department = grant(UserFactory(), hall[0].org, "department")
    assert api(department).post(f"/polls/{poll_id}/open").status_code == 403


def test_the_openapi_document_lists_the_congress_paths(api, chair_a):
    paths = api(chair_a).get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/orgs/{org}/congresses",
        "/api/v1/congresses/{id}/attendance",
        "/api/v1/congresses/{id}/polls",
        "/api/v1/polls/{id}/open",
        "/api/v1/polls/{id}/ballots",
        "/api/v1/polls/{id}/close",
        "/api/v1/polls/{id}/result",
        "/api/v1/polls/{id}/bulletin",
        "/api/v1/polls/{id}/partial-decryptions",
        "/api/v1/congresses/{id}/scrutineers",
        "/api/v1/congresses/{id}/key-shares",
        "/api/v1/appraisals/{id}/partial-decryptions",
        "/api/v1/appraisals/{id}/bulletin",
    ):
        assert path in paths, path


def test_a_school_rule_on_those_present_is_reported(api, chair_a, school_a, hall):
    from jiaogong.core.rules import set_org_value

    congress, delegates = hall
    set_org_value(actor=chair_a, org=school_a, key="congress.majority_base", text="present", source="校规")
    poll_id = make_poll(api, chair_a, congress)
    api(chair_a).post(f"/polls/{poll_id}/open")
    for d in delegates[:5]:
        api(delegate_user(d)).post(f"/polls/{poll_id}/ballots", {"choice": "赞成"})
    api(chair_a).post(f"/polls/{poll_id}/close")
    decrypt(Poll.objects.get(pk=poll_id))
    result = api(chair_a).get(f"/polls/{poll_id}/result").json()
    assert result["passed"] is True and result["majority_base"] == "present" and result["conforms"] is False
    assert sessions.quorum_status(congress).present == 8


def test_a_ballot_not_recorded_is_a_503_and_writes_nothing(api, chair_a, hall, monkeypatch):
    congress, delegates = hall
    poll_id = make_poll(api, chair_a, congress, kind="named")
    api(chair_a).post(f"/polls/{poll_id}/open")
    first = api(delegate_user(delegates[0])).post(f"/polls/{poll_id}/ballots", {"choice": "赞成"})
    monkeypatch.setattr(voting, "new_receipt", lambda: first.json()["receipt"])
    response = api(delegate_user(delegates[1])).post(f"/polls/{poll_id}/ballots", {"choice": "反对"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_recorded"
    assert "重新提交" in response.json()["error"]["message"]
    assert Turnout.objects.filter(poll_id=poll_id).count() == 1
    from jiaogong.congress.models import Ballot

    assert Ballot.objects.count() == 1


def _forged_ballots(descriptor: dict) -> dict:
    """The four tampered ballots of the issue, each otherwise well formed."""
    import json as _json

    from jiaogong.congress import crypto
    from jiaogong.congress.tests.test_crypto import NON_SQUARE, forged_two

    other_poll = {**descriptor, "election": descriptor["election"] + "0"}
    off_group = _json.loads(_json.dumps(crypto.encrypt_ballot(descriptor, [[1, 0, 0]])))
    off_group["answers"][0]["ciphertexts"][1][0] = NON_SQUARE
    return {
        "a 2 in one option": forged_two(descriptor),
        "a proof from another poll": crypto.encrypt_ballot(other_poll, [[1, 0, 0]]),
        "a point outside the group": off_group,
        "garbage": {"credential": "x", "answers": "y"},
    }


def test_tampered_ballots_are_422_invalid_ballot_and_write_nothing(api, chair_a, hall):
    from jiaogong.congress import crypto
    from jiaogong.core.models import AuditEvent

    congress, delegates = hall
    poll_id = make_poll(api, chair_a, congress)
    api(chair_a).post(f"/polls/{poll_id}/open")
    descriptor = Poll.objects.get(pk=poll_id).descriptor
    voter = api(delegate_user(delegates[0]))
    for what, ballot in _forged_ballots(descriptor).items():
        response = voter.post(f"/polls/{poll_id}/ballots", {"encrypted": ballot})
        assert response.status_code == 422, what
        assert response.json()["error"]["code"] == "invalid_ballot", what
        assert response.json()["error"]["message"].startswith("选票无效"), what
    assert not SealedBallot.objects.exists() and not Turnout.objects.exists()
    assert not AuditEvent.objects.filter(action="congress.poll.vote").exists()
    # A replayed ballot: another delegate sends the very same ciphertexts.
    sealed = crypto.encrypt_ballot(descriptor, [[0, 1, 0]])
    assert voter.post(f"/polls/{poll_id}/ballots", {"encrypted": sealed}).status_code == 201
    replay = api(delegate_user(delegates[1])).post(f"/polls/{poll_id}/ballots", {"encrypted": sealed})
    assert replay.status_code == 422 and replay.json()["error"]["code"] == "invalid_ballot"
    assert SealedBallot.objects.count() == 1 and Turnout.objects.count() == 1
    both = voter.post(f"/polls/{poll_id}/ballots", {"encrypted": sealed, "choice": "赞成"})
    assert both.status_code == 400
