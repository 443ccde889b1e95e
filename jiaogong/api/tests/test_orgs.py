import pytest

from jiaogong.accounts.models import RoleGrant, User
from jiaogong.conftest import PASSWORD
from jiaogong.core.models import AuditEvent, Org
from jiaogong.factories import MemberFactory, UserFactory, grant


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def federation_chair(federation):
    return grant(UserFactory(username="fed_chair"), federation, "chair")


# ---- POST /orgs ---------------------------------------------------------------------------------


def test_superuser_creates_a_federation(api, superuser):
    response = api(superuser).post(
        "/orgs", {"name": "桂林市教育工会", "kind": "federation", "province": "广西"}
    )
    assert response.status_code == 201
    body = response.json()
    org = Org.objects.get(pk=body["id"])
    assert body == {
        "id": org.pk,
        "name": "桂林市教育工会",
        "kind": "federation",
        "parent": None,
        "province": "广西",
    }
    assert AuditEvent.objects.filter(
        action="core.org.create", object_id=str(org.pk), actor=superuser
    ).exists()


def test_federation_chair_creates_a_school_under_it(api, federation_chair, federation):
    response = api(federation_chair).post(
        "/orgs", {"name": "平等乡小学工会", "kind": "school", "parent": federation.pk}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["parent"] == federation.pk
    assert body["province"] == "广西"  # taken from the federation
    assert AuditEvent.objects.filter(action="core.org.create", object_id=str(body["id"])).exists()


def test_outsider_cannot_see_the_federation_it_names_as_parent(api, outsider_b, federation):
    # outsider_b chairs school B, but holds nothing on the federation itself.
    before = Org.objects.count()
    response = api(outsider_b).post(
        "/orgs", {"name": "新学校工会", "kind": "school", "parent": federation.pk}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Org.objects.count() == before


def test_an_unknown_parent_is_a_404(api, federation_chair):
    response = api(federation_chair).post("/orgs", {"name": "新学校工会", "kind": "school", "parent": 999999})
    assert response.status_code == 404


def test_member_cannot_create_an_org(api, member_a, school_a):
    before = Org.objects.count()
    response = api(member_a).post("/orgs", {"name": "新学校工会", "kind": "school", "parent": school_a.pk})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Org.objects.count() == before


def test_officer_cannot_create_a_school(api, officer, federation):
    response = api(officer).post("/orgs", {"name": "新学校工会", "kind": "school", "parent": federation.pk})
    assert response.status_code == 403


def test_federation_chair_cannot_create_a_federation(api, federation_chair, federation):
    response = api(federation_chair).post(
        "/orgs", {"name": "另一个工会", "kind": "federation", "parent": federation.pk}
    )
    assert response.status_code == 403


def test_a_school_chair_cannot_create_orgs(api, chair_a, school_a):
    assert api(chair_a).post("/orgs", {"name": "新学校工会", "kind": "school"}).status_code == 403
    response = api(chair_a).post("/orgs", {"name": "分校工会", "kind": "school", "parent": school_a.pk})
    assert response.status_code == 403


def test_an_unknown_kind_is_refused_in_chinese(api, superuser):
    before = Org.objects.count()
    response = api(superuser).post("/orgs", {"name": "某工会", "kind": "club"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["kind"] == "格式不正确，应为以下之一：federation、school。"
    assert Org.objects.count() == before


def test_a_missing_name_is_refused_in_chinese(api, superuser):
    response = api(superuser).post("/orgs", {"kind": "federation"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"name": "必填。"}


def test_an_unknown_province_is_refused(api, superuser):
    before = Org.objects.count()
    response = api(superuser).post("/orgs", {"name": "某工会", "kind": "federation", "province": "火星"})
    assert response.status_code == 400
    assert "省份" in response.json()["error"]["fields"]["province"]
    assert Org.objects.count() == before


def test_a_school_must_sit_under_a_federation(api, superuser, school_a):
    before = Org.objects.count()
    response = api(superuser).post("/orgs", {"name": "分校工会", "kind": "school", "parent": school_a.pk})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["parent"] == "上级工会必须是教育工会（联合会）。"
    response = api(superuser).post("/orgs", {"name": "分校工会", "kind": "school"})
    assert response.status_code == 400
    assert "parent" in response.json()["error"]["fields"]
    assert Org.objects.count() == before


def test_a_name_is_unique_under_its_parent(api, federation_chair, federation, school_a):
    before = Org.objects.count()
    response = api(federation_chair).post(
        "/orgs", {"name": school_a.name, "kind": "school", "parent": federation.pk}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["name"] == "同一上级工会下已有同名的组织。"
    assert Org.objects.count() == before
    assert not AuditEvent.objects.filter(action="core.org.create").exists()


# ---- GET /orgs ----------------------------------------------------------------------------------


def test_orgs_lists_only_what_the_caller_can_see(api, chair_a, school_a, school_b):
    body = api(chair_a).get("/orgs").json()
    assert body["count"] == 1
    assert [o["id"] for o in body["items"]] == [school_a.pk]


def test_officer_sees_the_federation_and_its_schools(api, officer, federation, school_a, school_b):
    ids = {o["id"] for o in api(officer).get("/orgs").json()["items"]}
    assert ids == {federation.pk, school_a.pk, school_b.pk}


# ---- POST /orgs/{org}/users ---------------------------------------------------------------------


def test_chair_creates_a_user_linked_to_a_member(api, chair_a, school_a):
    member = MemberFactory(org=school_a, name="李四")
    response = api(chair_a).post(
        f"/orgs/{school_a.pk}/users",
        {"username": "lisi", "password": PASSWORD, "member": member.pk, "roles": ["member", "welfare"]},
    )
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username="lisi")
    assert body == {"id": user.pk, "username": "lisi", "roles": ["member", "welfare"]}
    assert user.member == member
    assert user.check_password(PASSWORD)


def test_the_new_user_can_get_a_token(api, chair_a, school_a):
    api(chair_a).post(
        f"/orgs/{school_a.pk}/users", {"username": "lisi", "password": PASSWORD, "roles": ["member"]}
    )
    response = api().post("/auth/token", {"username": "lisi", "password": PASSWORD})
    assert response.status_code == 200


def test_outsider_cannot_create_users_in_another_school(api, outsider_b, school_a):
    response = api(outsider_b).post(
        f"/orgs/{school_a.pk}/users", {"username": "spy", "password": PASSWORD, "roles": ["chair"]}
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="spy").exists()


def test_member_cannot_create_users(api, member_a, school_a):
    response = api(member_a).post(
        f"/orgs/{school_a.pk}/users", {"username": "friend", "password": PASSWORD, "roles": ["chair"]}
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="friend").exists()


def test_a_member_of_another_school_is_a_field_error_that_reveals_nothing(api, chair_a, school_a, school_b):
    other = MemberFactory(org=school_b, name="赵六")
    response = api(chair_a).post(
        f"/orgs/{school_a.pk}/users",
        {"username": "zhaoliu", "password": PASSWORD, "member": other.pk, "roles": ["member"]},
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"member": "没有找到该会员。"}
    assert not User.objects.filter(username="zhaoliu").exists()


def test_bad_roles_and_a_weak_password_are_refused_in_chinese(api, chair_a, school_a):
    before = (User.objects.count(), RoleGrant.objects.count())
    response = api(chair_a).post(
        f"/orgs/{school_a.pk}/users", {"username": "weak", "password": "123", "roles": ["king"]}
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["roles"] == "未知的角色：king"
    assert "password" in fields
    assert (User.objects.count(), RoleGrant.objects.count()) == before


def test_roles_must_be_a_list(api, chair_a, school_a):
    response = api(chair_a).post(
        f"/orgs/{school_a.pk}/users", {"username": "x", "password": PASSWORD, "roles": "member"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"roles": "格式不正确，应为列表。"}
