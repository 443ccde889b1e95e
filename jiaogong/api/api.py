"""The public API v1 (API.md): one NinjaAPI, a router per section, one error shape."""

from ninja import NinjaAPI, Status
from ninja.renderers import JSONRenderer

from jiaogong.accounts.addresses import client_address
from jiaogong.accounts.models import ApiToken
from jiaogong.accounts.services import (
    LoginLocked,
    create_api_token,
    login_user,
    refuse_one_time_password,
    revoke_api_token,
    tokens_of,
)
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
from jiaogong.api.parser import JsonParser
from jiaogong.api.schemas import ErrorOut, TokenIn, TokenListOut, TokenOut
from jiaogong.core.errors import DomainError


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
    parser=JsonParser(),
)
install_handlers(api)


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    tags=["认证"],
    summary="用用户名和密码换取 API 令牌",
)
def issue_token(request, payload: TokenIn):
    """与登录页一样限制失败次数：失败过多时返回 429（`login_locked`，`retry_after` 为需等待的秒数）。
    令牌只显示这一次；到期时间见 `expires_at`，修改密码后所有令牌作废。"""
    try:
        user = login_user(
            identifier=payload.username,
            password=payload.password,
            address=client_address(request),
            request=request,
        )
    except LoginLocked:
        raise
    except DomainError as e:
        raise Unauthorized(e.code, e.message) from None
    refuse_one_time_password(user)
    token = create_api_token(user, name=payload.name)
    return {"token": token, "expires_at": ApiToken.objects.get(digest=ApiToken.digest_of(token)).expires_at}


def _token_info(token: ApiToken) -> dict:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "expired": token.is_expired,
    }


@api.get(
    "/auth/tokens",
    response={200: TokenListOut, 401: ErrorOut},
    tags=["认证"],
    summary="列出本人的 API 令牌",
)
def list_tokens(request):
    """调用者本人未作废的令牌（含已过期的），最新的在前；不含令牌本身，只有开头几个字符。"""
    items = [_token_info(t) for t in tokens_of(request.auth)]
    return {"count": len(items), "items": items}


@api.delete(
    "/auth/tokens/{int:token_id}",
    response={204: None, 401: ErrorOut, 404: ErrorOut},
    tags=["认证"],
    summary="作废本人的一个 API 令牌",
)
def delete_token(request, token_id: int):
    """作废后该令牌立即失效（401）。别人的令牌一律 404。"""
    revoke_api_token(actor=request.auth, token_id=token_id)
    return Status(204, None)


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
