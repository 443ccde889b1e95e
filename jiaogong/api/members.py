"""The member registry: list and search, read, create, update, status, import and export."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from jiaogong.api.schemas import (
    ErrorOut,
    ImportErrorOut,
    ImportOut,
    MemberFilters,
    MemberIn,
    MemberListOut,
    MemberOut,
    MemberPatch,
    Paging,
    StatusIn,
)
from jiaogong.core.errors import InvalidInput
from jiaogong.core.permissions import can, org_for
from jiaogong.members import privacy, services
from jiaogong.members.importing import export_roster, import_roster
from jiaogong.members.models import Member
from jiaogong.members.selectors import group_for, member_for, members_for, reveal

router = Router(tags=["会员"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def member_out(member: Member, viewer, org, shown: dict | None = None) -> dict:
    """The member as JSON, as `viewer` may see it (members/privacy.py). `shown` holds
    id_number/phone already revealed (and logged) by selectors.reveal; as the list shows them if None."""
    shown = shown or {
        "id_number": privacy.list_id_number(viewer, org, member.id_number),
        "phone": privacy.list_phone(viewer, org, member.phone),
    }
    group = member.union_group
    return {
        "id": member.pk,
        "name": member.name,
        "gender": member.gender,
        "birth_date": privacy.shown_birth_date(viewer, org, member.birth_date),
        "birth_year": member.birth_date.year if member.birth_date else None,
        "hire_date": member.hire_date,
        "id_number": shown["id_number"],
        "phone": shown["phone"],
        "is_teacher": member.is_teacher,
        "is_cadre": member.is_cadre,
        "post": member.post,
        "union_group": group.pk if group else None,
        "union_group_name": group.name if group else None,
        "joined_on": member.joined_on,
        "status": member.status,
        "status_since": member.status_since,
        "transferred_to": member.transferred_to,
        "name_pinyin": member.name_pinyin,
        "name_initials": member.name_initials,
    }


def member_shown(user, org, member: Member) -> dict:
    """One member, with ID number and phone in clear for roles that need them (the read is audited)."""
    return member_out(member, user, org, reveal(user, org, member, via="api"))


def member_data(org, fields: dict) -> dict:
    """API values to the service's: a group id must be of this org; null text fields are empty."""
    data = dict(fields)
    for key in ("id_number", "phone", "post"):
        if key in data and data[key] is None:
            data[key] = ""
    if data.get("union_group") is not None:
        try:
            data["union_group"] = group_for(org, data["union_group"])
        except Http404:
            raise InvalidInput({"union_group": "没有找到该工会小组。"}) from None
    return data


def filtered(user, org, filters: MemberFilters):
    return members_for(
        user,
        org,
        q=filters.q,
        status=filters.status or "",
        group=str(filters.group) if filters.group is not None else "",
        lst=filters.list or "",
    )


@router.get("/orgs/{int:org}/members", response={200: MemberListOut, **ERRORS}, summary="会员名册")
def list_members(request, org: int, filters: Query[MemberFilters], paging: Query[Paging]):
    """需要“查看会员”权限；上级工会干部可查看所属学校。

    `q` 按姓名、全拼或首字母查找（`zs`、`zhang` 都能找到“张三”）。**列表中的身份证号和手机号一律打码**
    （如 `330102************`、`138****5678`），不论调用者的角色；不能查看出生日期的角色 `birth_date` 为 null，只给 `birth_year`；需要明文时请按 id 读取单个会员
    （有权限的角色才显示明文，并记入操作记录）。默认每页 100 条，最多 500 条（`limit`、`offset`）。"""
    the_org = org_for(request.auth, org, "members.view")
    members = filtered(request.auth, the_org, filters)
    page = members[paging.offset : paging.offset + paging.limit]
    return {"count": members.count(), "items": [member_out(m, request.auth, the_org) for m in page]}


@router.post("/orgs/{int:org}/members", response={201: MemberOut, **ERRORS}, summary="登记会员")
def create_member(request, org: int, payload: MemberIn):
    """需要“编辑会员”权限（主席、副主席、组织委员）。字段校验不通过时返回 400，`fields` 中给出各字段的中文说明。"""
    the_org = org_for(request.auth, org, "members.edit")
    fields = payload.model_dump()
    if fields["status"] is None:
        del fields["status"]
    member = services.create_member(actor=request.auth, org=the_org, data=member_data(the_org, fields))
    return Status(201, member_shown(request.auth, the_org, member))


@router.get("/orgs/{int:org}/members/export", summary="导出会员名册（.xlsx）")
def export_members(request, org: int, filters: Query[MemberFilters]):
    """需要“导出名册”权限。可用与名册相同的筛选条件。只有能查看明文的角色导出的表格中身份证号、手机号为明文。"""
    the_org = org_for(request.auth, org, "members.export")
    members = filtered(request.auth, the_org, filters)
    clear = can(request.auth, the_org, "members.sensitive")
    content = export_roster(actor=request.auth, org=the_org, members=members, clear=clear)
    response = HttpResponse(content, content_type=XLSX)
    filename = f"{the_org.name}-会员名册-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@router.post(
    "/orgs/{int:org}/members/import",
    response={200: ImportOut, 422: ImportErrorOut, **ERRORS},
    summary="导入会员名册（.xlsx）",
)
def import_members(request, org: int, file: File[UploadedFile]):
    """需要“导入名册”权限。表头同可下载的模板。任一行有误时返回 422 和出错的行、列、说明，且一条也不写入。"""
    the_org = org_for(request.auth, org, "members.import")
    result = import_roster(actor=request.auth, org=the_org, upload=file)
    return {"created": result.created, "updated": result.updated}


@router.get("/orgs/{int:org}/members/{int:member}", response={200: MemberOut, **ERRORS}, summary="会员详情")
def get_member(request, org: int, member: int):
    """身份证号和手机号默认打码；主席、副主席、组织委员看到明文，每次明文读取都记入操作记录。"""
    the_org = org_for(request.auth, org, "members.view")
    return member_shown(request.auth, the_org, member_for(request.auth, the_org, member))


@router.patch(
    "/orgs/{int:org}/members/{int:member}", response={200: MemberOut, **ERRORS}, summary="修改会员信息"
)
def patch_member(request, org: int, member: int, payload: MemberPatch):
    """只修改提交了的字段。状态（退休、调出等）请用 `POST …/status`。"""
    the_org = org_for(request.auth, org, "members.edit")
    the_member = member_for(request.auth, the_org, member)
    fields = payload.model_dump(exclude_unset=True)
    for key in ("name", "gender", "birth_date", "is_teacher", "is_cadre"):
        if key in fields and fields[key] is None:
            raise InvalidInput({key: "不能为空。"})
    services.update_member(actor=request.auth, member=the_member, data=member_data(the_org, fields))
    return member_shown(request.auth, the_org, member_for(request.auth, the_org, member))


@router.post(
    "/orgs/{int:org}/members/{int:member}/status", response={200: MemberOut, **ERRORS}, summary="变更会员状态"
)
def post_status(request, org: int, member: int, payload: StatusIn):
    """退休、调出（须填 `destination`）、去世等。入会申请的批准不走此接口。"""
    the_org = org_for(request.auth, org, "members.edit")
    the_member = member_for(request.auth, the_org, member)
    try:
        services.change_status(
            actor=request.auth,
            member=the_member,
            to_status=payload.status,
            effective_on=payload.effective_on,
            destination=payload.destination,
            note=payload.note,
        )
    except InvalidInput as e:
        # The service names the field to_status; the API calls it status.
        fields = {("status" if k == "to_status" else k): v for k, v in e.fields.items()}
        raise InvalidInput(fields, e.message) from None
    return member_shown(request.auth, the_org, the_member)
