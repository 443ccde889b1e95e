"""Every API error has one shape: {"error": {"code", "message" (Chinese), "fields"}} (API.md).

The handlers below turn domain errors, Django's 403/404 and django-ninja's own errors into that
shape, and translate pydantic's validation errors into per-field Chinese messages.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jiaogong.core.errors import DomainError


class Unauthorized(DomainError):
    """No credentials, or wrong ones (HTTP 401)."""

    status = 401


class CsrfFailed(DomainError):
    """A browser session posted without a valid CSRF token (HTTP 403)."""

    status = 403

    def __init__(self):
        super().__init__("csrf_failed", "CSRF 校验失败，请刷新页面后重试。")


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


# ---- validation errors in Chinese ---------------------------------------------------------------

_MESSAGES = {
    "missing": "必填。",
    "string_type": "格式不正确，应为文字。",
    "string_too_short": "不能为空。",
    "string_too_long": "内容过长。",
    "int_type": "格式不正确，应为整数。",
    "int_parsing": "格式不正确，应为整数。",
    "int_from_float": "格式不正确，应为整数。",
    "bool_type": "格式不正确，应为 true 或 false。",
    "bool_parsing": "格式不正确，应为 true 或 false。",
    "date_type": "格式不正确，日期应写成 YYYY-MM-DD。",
    "date_parsing": "格式不正确，日期应写成 YYYY-MM-DD。",
    "date_from_datetime_parsing": "格式不正确，日期应写成 YYYY-MM-DD。",
    "date_from_datetime_inexact": "格式不正确，日期应写成 YYYY-MM-DD。",
    "list_type": "格式不正确，应为列表。",
    "dict_type": "格式不正确，应为 JSON 对象。",
    "model_type": "格式不正确，应为 JSON 对象。",
    "model_attributes_type": "格式不正确，应为 JSON 对象。",
    "json_invalid": "不是有效的 JSON。",
    "amount_type": '金额应为数字或字符串（如 "21.45"），不能是 true/false。',
    "float_type": "格式不正确，应为数字。",
    "float_parsing": "格式不正确，应为数字。",
    "decimal_type": "格式不正确，应为数字。",
    "decimal_parsing": "格式不正确，应为数字。",
    "finite_number": "格式不正确，应为有限的数字。",
    "decimal_max_digits": "数值过大。",
    "decimal_max_places": "小数位数过多。",
    "decimal_whole_digits": "数值过大。",
    "too_long": "项目过多。",
}


def _message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "literal_error" and "expected" in ctx:
        choices = str(ctx["expected"]).replace("'", "").replace(" or ", ", ").split(", ")
        return "格式不正确，应为以下之一：" + "、".join(c.strip() for c in choices) + "。"
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        return f"数值过小（最小 {bound}）。"
    if kind in {"less_than_equal", "less_than"}:
        bound = ctx.get("le", ctx.get("lt"))
        return f"数值过大（最大 {bound}）。"
    return _MESSAGES.get(kind, "格式不正确。")


def _field(loc) -> str:
    """("body", "payload", "name") -> "name"; ("query", "limit") -> "limit"; ("file", "file") -> "file"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "form", "file", "header", "cookie"}:
        source, parts = parts[0], parts[1:]
        # A body schema sits under its parameter name: drop it (a missing body is then "body").
        if source == "body":
            parts = parts[1:]
    return ".".join(parts) or "body"


def validation_fields(errors: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        field = _field(error.get("loc", ()))
        message = (
            "请提交 JSON 对象。" if field == "body" and error.get("type") == "missing" else _message(error)
        )
        fields.setdefault(field, message)
    return fields


# ---- handlers -----------------------------------------------------------------------------------


def install_handlers(api: NinjaAPI) -> None:
    def respond(request, status: int, body: dict, headers: dict | None = None):
        response = api.create_response(request, body, status=status)
        for key, value in (headers or {}).items():
            response[key] = value
        return response

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        extra = dict(exc.extra)
        rows = getattr(exc, "rows", None)
        if rows is not None:
            extra["rows"] = rows
        extra = {k: v for k, v in extra.items() if k not in {"code", "message", "fields"}}
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return respond(request, exc.status, error_body(exc.code, exc.message, exc.fields, **extra), headers)

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        body = error_body("invalid", "提交的内容有误，请检查后重试。", validation_fields(exc.errors))
        return respond(request, 400, body)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc: PermissionDenied):
        return respond(request, 403, error_body("forbidden", str(exc) or "您的角色无权进行此操作。"))

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return respond(request, 404, error_body("not_found", str(exc) or "没有找到。"))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc, AuthenticationError) or exc.status_code == 401:
            body = error_body("unauthorized", "请先登录，或提供有效的 API 令牌（Authorization: Bearer …）。")
            return respond(request, 401, body, {"WWW-Authenticate": "Bearer"})
        if exc.status_code == 400 and isinstance(exc.__cause__, DomainError):
            # The parser (api/parser.py) refused the body with a reason: ninja wraps it in a 400.
            return domain_error(request, exc.__cause__)
        if exc.status_code == 400:
            # django-ninja's only plain 400: a body that is not JSON.
            return respond(request, 400, error_body("invalid", "请求内容不是有效的 JSON。"))
        if exc.status_code == 403:
            return respond(request, 403, error_body("forbidden", "您无权进行此操作。"))
        if exc.status_code == 429:
            return respond(request, 429, error_body("throttled", "请求过于频繁，请稍后再试。"))
        return respond(request, exc.status_code, error_body("error", "请求无法处理。"))
