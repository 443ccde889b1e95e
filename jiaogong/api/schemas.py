"""Request and response bodies of the public API (API.md: names are fixed, extend only)."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from jiaogong.members.selectors import LISTS

MemberStatus = Literal["applicant", "active", "retired", "transferred", "deceased", "non_member"]
MemberList = Literal[tuple(LISTS)]  # type: ignore[valid-type]


def _not_a_boolean(value):
    """JSON true is not 1 yuan: pydantic would coerce it to a number, so refuse it here."""
    if isinstance(value, bool):
        raise PydanticCustomError("amount_type", "amount must be a number or a decimal string")
    return value


# A yuan amount as posted: "21.45" (the form API.md asks for), or a JSON number. Checked by the
# service through core.money.read_amount (bounds, two decimals, no exponent).
Amount = Annotated[str | int | float, BeforeValidator(_not_a_boolean)]


class ErrorDetail(Schema):
    code: str = Field(description="错误代码，如 invalid、unauthorized、forbidden、not_found")
    message: str = Field(description="中文说明")
    fields: dict[str, str] = Field(default_factory=dict, description="字段 → 中文错误说明")


class ErrorOut(Schema):
    error: ErrorDetail


class ImportRowError(Schema):
    row: int
    column: str
    message: str


class ImportErrorDetail(ErrorDetail):
    rows: list[ImportRowError] = Field(default_factory=list, description="每个出错单元格：行号、列名、说明")


class ImportErrorOut(Schema):
    error: ImportErrorDetail


# ---- auth ---------------------------------------------------------------------------------------


class TokenIn(Schema):
    username: str = Field(description="用户名或手机号")
    password: str
    name: str = Field("", max_length=60, description="令牌的名称（用途），可不填")


class TokenOut(Schema):
    token: str = Field(description="令牌，只显示这一次")
    expires_at: datetime.datetime = Field(description="到期时间；修改密码或作废后提前失效")


class TokenInfoOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="令牌的开头几个字符，用于辨认")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime
    expired: bool


class TokenListOut(Schema):
    count: int
    items: list[TokenInfoOut]


# ---- orgs and users -----------------------------------------------------------------------------


class OrgIn(Schema):
    name: str
    kind: Literal["federation", "school"]
    parent: int | None = Field(None, description="上级工会的 id；学校工会必须挂在一个教育工会（联合会）下")
    province: str | None = Field(None, description="省份简称，如“广西”；不填则沿用上级工会的省份")


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    parent: int | None
    province: str


class OrgListOut(Schema):
    count: int
    items: list[OrgOut]


class UserIn(Schema):
    username: str
    password: str
    member: int | None = Field(None, description="本单位会员的 id（该账号属于哪位会员）")
    roles: list[str] = Field(description="角色代码，如 chair、member")
    phone: str = Field("", description="可用于登录的手机号")


class UserOut(Schema):
    id: int
    username: str
    roles: list[str]


# ---- members ------------------------------------------------------------------------------------


class MemberIn(Schema):
    name: str
    gender: Literal["M", "F"]
    birth_date: datetime.date
    hire_date: datetime.date | None = None
    id_number: str | None = None
    phone: str | None = None
    is_teacher: bool
    is_cadre: bool = False
    post: str = ""
    union_group: int | None = Field(None, description="工会小组 id")
    joined_on: datetime.date | None = None
    status: MemberStatus | None = Field(None, description="默认 active（在册）")


class MemberPatch(Schema):
    """Only the fields sent are changed; the status changes through POST …/status."""

    name: str | None = None
    gender: Literal["M", "F"] | None = None
    birth_date: datetime.date | None = None
    hire_date: datetime.date | None = None
    id_number: str | None = None
    phone: str | None = None
    is_teacher: bool | None = None
    is_cadre: bool | None = None
    post: str | None = None
    union_group: int | None = None
    joined_on: datetime.date | None = None


class StatusIn(Schema):
    status: MemberStatus
    effective_on: datetime.date
    destination: str = Field("", description="调出（transferred）时必填：调往单位")
    note: str = ""


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: datetime.date | None = Field(
        description="出生日期；只有能查看身份证号明文的角色和生活委员能看到，其余角色为 null（见 birth_year）"
    )
    birth_year: int | None = Field(None, description="出生年份")
    hire_date: datetime.date | None
    id_number: str
    phone: str
    is_teacher: bool
    is_cadre: bool
    post: str
    union_group: int | None
    union_group_name: str | None
    joined_on: datetime.date | None
    status: str
    status_since: datetime.date | None
    transferred_to: str
    name_pinyin: str
    name_initials: str


class MemberListOut(Schema):
    count: int
    items: list[MemberOut]


class MemberFilters(Schema):
    q: str = Field("", description="姓名、全拼或首字母（zs 可找到张三）")
    status: MemberStatus | None = None
    group: int | None = Field(None, description="工会小组 id")
    list: MemberList | None = Field(
        None, description="名单：" + "、".join(f"{k}（{v}）" for k, v in LISTS.items())
    )


class Paging(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ImportOut(Schema):
    created: int
    updated: int
