"""API v1 兴趣小组: list, join, request a budget, approve/refuse — outsiders 404, wrong roles 403,
bad input 400 with Chinese fields and nothing written."""

from jiaogong.clubs.models import Budget, Membership

from .conftest import LINES


def test_a_member_lists_and_joins_a_club(api, member_a, school_a, club_a):
    r = api(member_a).get(f"/orgs/{school_a.pk}/clubs")
    assert r.status_code == 200
    assert r.json()["items"][0] == {
        "id": club_a.pk,
        "name": "教师书画社",
        "description": club_a.description,
        "leader": None,
        "leader_name": "",
        "members": 0,
        "joined": False,
    }
    r = api(member_a).post(f"/clubs/{club_a.pk}/join")
    assert r.status_code == 201 and r.json()["member"] == member_a.member_id
    again = api(member_a).post(f"/clubs/{club_a.pk}/join")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_joined"
    assert api(member_a).get(f"/orgs/{school_a.pk}/clubs").json()["items"][0]["joined"] is True


def test_outsiders_get_404_on_every_endpoint(api, outsider_b, school_a, club_a, budget_a):
    client = api(outsider_b)
    assert client.get(f"/orgs/{school_a.pk}/clubs").status_code == 404
    assert client.post(f"/clubs/{club_a.pk}/join").status_code == 404
    assert client.post(f"/clubs/{club_a.pk}/budgets", {"year": 2026, "lines": LINES}).status_code == 404
    assert client.post(f"/club-budgets/{budget_a.pk}/approve", {}).status_code == 404
    assert client.post(f"/club-budgets/{budget_a.pk}/refuse", {"reason": "x"}).status_code == 404
    assert client.get(f"/club-budgets/{budget_a.pk}").status_code == 404
    assert client.get("/club-budgets/999999").status_code == 404
    assert Budget.objects.get().status == "pending" and Membership.objects.count() == 3


def test_wrong_roles_get_403(api, school_a, club_a, budget_a, members_in, sports_a, finance_a):
    from jiaogong.factories import UserFactory, grant

    office = grant(UserFactory(username="zongwu"), school_a, "department")
    assert api(office).get(f"/orgs/{school_a.pk}/clubs").status_code == 403
    assert api(office).post(f"/clubs/{club_a.pk}/join").status_code == 403
    assert api(office).get(f"/club-budgets/{budget_a.pk}").status_code == 403
    assert (
        api(members_in["zhang"])
        .post(f"/clubs/{club_a.pk}/budgets", {"year": 2027, "lines": LINES})
        .status_code
        == 403
    )
    for user in (members_in["li"], sports_a, finance_a):
        assert api(user).post(f"/club-budgets/{budget_a.pk}/approve", {}).status_code == 403
        assert api(user).post(f"/club-budgets/{budget_a.pk}/refuse", {"reason": "x"}).status_code == 403
    assert Budget.objects.count() == 1 and Budget.objects.get().status == "pending"


def test_the_leader_requests_and_the_chair_approves_less(api, members_in, chair_a, led_club):
    r = api(members_in["li"]).post(
        f"/clubs/{led_club.pk}/budgets", {"year": 2026, "lines": LINES, "note": "全年"}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["requested"] == "2000.00" and body["status"] == "pending"
    r = api(chair_a).post(
        f"/club-budgets/{body['id']}/approve", {"amount": "1500.00", "reason": "讲座费减半"}
    )
    assert r.status_code == 200
    assert (
        r.json()["status"] == "approved"
        and r.json()["approved"] == "1500.00"
        and r.json()["left"] == "1500.00"
    )
    again = api(chair_a).post(f"/club-budgets/{body['id']}/refuse", {"reason": "x"})
    assert again.status_code == 409


def test_bad_budget_input_is_400_with_fields_and_writes_nothing(api, members_in, led_club):
    client = api(members_in["li"])
    r = client.post(
        f"/clubs/{led_club.pk}/budgets", {"year": 2026, "lines": [{"item": "纸", "amount": "-1"}]}
    )
    assert r.status_code == 400 and "lines.1" in r.json()["error"]["fields"]
    r = client.post(f"/clubs/{led_club.pk}/budgets", {"year": "明年", "lines": LINES})
    assert r.status_code == 400 and "year" in r.json()["error"]["fields"]
    assert not Budget.objects.exists()


def test_approving_more_than_asked_is_400(api, chair_a, budget_a):
    r = api(chair_a).post(f"/club-budgets/{budget_a.pk}/approve", {"amount": "9999"})
    assert r.status_code == 400 and "amount" in r.json()["error"]["fields"]
    assert Budget.objects.get().status == "pending"


def test_a_refusal_with_a_reason(api, vice_a, budget_a):
    r = api(vice_a).post(f"/club-budgets/{budget_a.pk}/refuse", {"reason": "请细化讲座费用"})
    assert r.status_code == 200 and r.json()["status"] == "refused" and r.json()["reason"] == "请细化讲座费用"
