"""Orgs and their user accounts: POST /orgs, GET /orgs, POST /orgs/{org}/users."""

from django.http import Http404
from ninja import Router, Status

from jiaogong.accounts.services import create_user
from jiaogong.api.schemas import ErrorOut, OrgIn, OrgListOut, OrgOut, UserIn, UserOut
from jiaogong.core.errors import InvalidInput
from jiaogong.core.models import Org
from jiaogong.core.permissions import org_for, orgs_visible_to
from jiaogong.core.services import create_org
from jiaogong.members.selectors import member_for

router = Router(tags=["组织与账号"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def org_out(org: Org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "parent": org.parent_id,
        "province": org.province,
    }


@router.post("/orgs", response={201: OrgOut, **ERRORS}, summary="建立组织")
def post_org(request, payload: OrgIn):
    """超级管理员可建立任何组织；上级工会（联合会）的主席可在本会下建立学校工会。

    上级工会不存在或调用者看不到时返回 404。"""
    parent = org_for(request.auth, payload.parent) if payload.parent is not None else None
    org = create_org(
        actor=request.auth, name=payload.name, kind=payload.kind, parent=parent, province=payload.province
    )
    return Status(201, org_out(org))


@router.get("/orgs", response={200: OrgListOut, 401: ErrorOut}, summary="我能看到的组织")
def get_orgs(request):
    """调用者有角色的组织；上级工会干部还能看到其下的学校工会。"""
    orgs = list(orgs_visible_to(request.auth).order_by("kind", "name", "id"))
    return {"count": len(orgs), "items": [org_out(o) for o in orgs]}


@router.post("/orgs/{int:org}/users", response={201: UserOut, **ERRORS}, summary="建立账号")
def post_user(request, org: int, payload: UserIn):
    """需要“账号管理”权限（工会主席）。`member` 必须是本单位的会员。"""
    the_org = org_for(request.auth, org, "users.manage")
    member = None
    if payload.member is not None:
        try:
            member = member_for(request.auth, the_org, payload.member)
        except Http404:
            raise InvalidInput({"member": "没有找到该会员。"}) from None
    user = create_user(
        actor=request.auth,
        org=the_org,
        username=payload.username,
        password=payload.password,
        roles=payload.roles,
        member=member,
        phone=payload.phone,
    )
    roles = sorted(user.role_grants.filter(org=the_org).values_list("role", flat=True))
    return Status(201, {"id": user.pk, "username": user.username, "roles": roles})
