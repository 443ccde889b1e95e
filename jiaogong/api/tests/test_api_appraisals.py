"""API v1, 民主评议: create, ballots, close, report."""

import pytest

from jiaogong.congress import appraisals
from jiaogong.congress.models import Appraisal
from jiaogong.factories import SCRUTINEER_CODES, UserFactory, congress_with_delegates, delegate_user, grant

LEADERS = [{"name": "王建国", "position": "校长"}, {"name": "李红梅", "position": "副校长（分管教学）"}]


@pytest.fixture
def hall(school_a):
    congress, delegates = congress_with_delegates(school_a, 9, present=9)
    return congress, delegates


@pytest.fixture
def appraisal(hall, chair_a):
    return appraisals.create_appraisal(actor=chair_a, congress=hall[0], subjects=LEADERS)


def test_the_api_end_to_end(api, chair_a, member_a, hall):
    congress, delegates = hall
    response = api(chair_a).post(f"/congresses/{congress.pk}/appraisals", {"subjects": LEADERS})
    assert response.status_code == 201
    body = response.json()
    ids = [s["id"] for s in body["subjects"]]
    assert [s["name"] for s in body["subjects"]] == ["王建国", "李红梅"]
    for d in delegates[:6]:
        r = api(delegate_user(d)).post(
            f"/appraisals/{body['id']}/ballots", {"ratings": {str(ids[0]): "优秀", str(ids[1]): "称职"}}
        )
        assert r.status_code == 201 and len(r.json()["tracker"]) == 52
    again = api(delegate_user(delegates[0])).post(
        f"/appraisals/{body['id']}/ballots", {"ratings": {str(ids[0]): "优秀", str(ids[1]): "称职"}}
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_voted"
    bad = api(delegate_user(delegates[7])).post(
        f"/appraisals/{body['id']}/ballots", {"ratings": {str(ids[0]): "很好"}}
    )
    assert bad.status_code == 400 and bad.json()["error"]["fields"]
    assert api(member_a).post(f"/appraisals/{body['id']}/ballots", {"ratings": {}}).status_code == 403
    live = api(member_a).get(f"/appraisals/{body['id']}").json()
    assert live["turnout"] == 6 and live["result"] is None
    assert api(member_a).post(f"/appraisals/{body['id']}/close").status_code == 403
    closed = api(chair_a).post(f"/appraisals/{body['id']}/close")
    assert closed.status_code == 200 and closed.json() == {"state": "counting", "eligible": 9, "valid": 6}
    assert api(chair_a).get(f"/appraisals/{body['id']}/report.xlsx").status_code == 409
    for member_id, code in SCRUTINEER_CODES[congress.pk].items():
        scrutineer = next(d for d in delegates if d.member_id == member_id)
        r = api(delegate_user(scrutineer)).post(
            f"/appraisals/{body['id']}/partial-decryptions", {"backup_code": code}
        )
        assert r.status_code == 201
    assert r.json()["state"] == "closed"
    result = api(member_a).get(f"/appraisals/{body['id']}").json()["result"]
    assert (result["eligible"], result["valid"], result["participation_ok"]) == (9, 6, True)
    bulletin = api(member_a).get(f"/appraisals/{body['id']}/bulletin").json()
    assert bulletin["result"]["counts"] == [[6, 0, 0, 0], [0, 6, 0, 0]] and len(bulletin["ballots"]) == 6
    assert result["subjects"][0]["good_rate"] == "100.0" and result["subjects"][0]["flags"] == []
    assert set(result["subjects"][0]) >= {"id", "counts", "good_rate", "flags"}
    report = api(chair_a).get(f"/appraisals/{body['id']}/report.xlsx")
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxml")


def test_the_api_refuses_outsiders_wrong_roles_and_bad_input(
    api, chair_a, member_a, outsider_b, appraisal, hall
):
    congress, _ = hall
    assert (
        api(member_a).post(f"/congresses/{congress.pk}/appraisals", {"subjects": LEADERS}).status_code == 403
    )
    assert (
        api(outsider_b).post(f"/congresses/{congress.pk}/appraisals", {"subjects": LEADERS}).status_code
        == 404
    )
    response = api(chair_a).post(f"/congresses/{congress.pk}/appraisals", {"subjects": []})
    assert response.status_code == 400 and "被评议" in response.json()["error"]["fields"]["subjects"]
    for method, path in (
        ("get", f"/appraisals/{appraisal.pk}"),
        ("post", f"/appraisals/{appraisal.pk}/ballots"),
        ("post", f"/appraisals/{appraisal.pk}/close"),
        ("get", f"/appraisals/{appraisal.pk}/report.xlsx"),
        ("get", f"/appraisals/{appraisal.pk}/bulletin"),
        ("post", f"/appraisals/{appraisal.pk}/partial-decryptions"),
    ):
        body = (
            {"ratings": {}}
            if path.endswith("ballots")
            else {"backup_code": "x"}
            if "partial" in path
            else None
        )
        assert getattr(api(outsider_b), method)(path, body).status_code == 404, path
    office = grant(UserFactory(), congress.org, "department")
    assert api(office).post(f"/appraisals/{appraisal.pk}/close").status_code == 403
    assert api(chair_a).get(f"/appraisals/{appraisal.pk}/report.xlsx").status_code == 409
    assert Appraisal.objects.count() == 1
