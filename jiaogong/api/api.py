"""The public API v1 (API.md): one NinjaAPI, a router per section, one error shape."""

import json

from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from jiaogong.accounts.services import LoginLocked, create_api_token, login_user
from jiaogong.api import (
    activities,
    appraisals,
    calendar,
    clubs,
    competitions,
    congress,
    funds,
    hardship,
    members,
    orgs,
    plans,
    proposals,
    reports,
    study,
    welfare,
)
from jiaogong.api.auth import AUTH
from jiaogong.api.errors import Unauthorized, install_handlers
from jiaogong.api.schemas import ErrorOut, TokenIn, TokenOut
from jiaogong.core.errors import DomainError


class BoundedJSON(Parser):
    """JSON bodies whose integers fit the database's (signed 64-bit): ids are looked up with `in`
    and foreign keys, where SQLite raises OverflowError (a 500) on a larger one. Outside the range
    the body is malformed input: a 400 (found by the schemathesis run)."""

    def parse_body(self, request):
        return json.loads(request.body, parse_int=_bounded_int)


def _bounded_int(text: str) -> int:
    value = int(text)
    if not -(2**63) <= value < 2**63:
        raise ValueError("integer out of range")
    return value


class Renderer(JSONRenderer):
    # Chinese stays readable in the body (UTF-8) instead of \u escapes.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="教工之家 API",
    version="1",
    description=(
        "学校工会平台的公开接口。认证：`Authorization: Bearer <令牌>`，或浏览器会话（写操作需 CSRF 令牌）。"
        '错误统一为 `{"error": {"code", "message", "fields"}}`。'
    ),
    docs_url=None,  # the Swagger page loads its assets from a CDN, which we do not use
    urls_namespace="api-v1",
    auth=AUTH,
    renderer=Renderer(),
    parser=BoundedJSON(),
)
install_handlers(api)


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    tags=["认证"],
    summary="用用户名和密码换取 API 令牌",
)
def issue_token(request, payload: TokenIn):
    """与登录页一样限制失败次数：失败过多时返回 429（`login_locked`）。令牌只显示这一次。"""
    try:
        user = login_user(
            identifier=payload.username,
            password=payload.password,
            address=request.META.get("REMOTE_ADDR", ""),
            request=request,
        )
    except LoginLocked:
        raise
    except DomainError as e:
        raise Unauthorized(e.code, e.message) from None
    return {"token": create_api_token(user)}


api.add_router("", orgs.router)
api.add_router("", members.router)
api.add_router("", congress.router)
api.add_router("", proposals.router)
api.add_router("", funds.router)
api.add_router("", appraisals.router)
api.add_router("", welfare.router)
api.add_router("", hardship.router)
api.add_router("", calendar.router)
api.add_router("", activities.router)
api.add_router("", plans.router)
api.add_router("", competitions.router)
api.add_router("", clubs.router)
api.add_router("", study.router)
api.add_router("", reports.router)
