"""How much a request may carry, decided before its body is read (the edge of "bad input is never a
500"): a 21 MB JSON body used to reach the parser. The API answers 413 in its error shape
(API.md); a web page answers 413 with a Chinese page.

- API JSON bodies: settings.API_MAX_BODY_BYTES (1 MB: the largest legitimate body, a salary month
  of a big school, is a few hundred KB);
- multipart uploads (web and API): settings.UPLOAD_MAX_REQUEST_BYTES, the largest upload kind plus
  the form around it (core/uploads.py checks each file against its own kind's limit);
- any other web form: settings.WEB_MAX_BODY_BYTES.

A body sent without a Content-Length (chunked) is read through `read_capped`, which stops one
byte past the limit instead of taking whatever arrives.
"""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from jiaogong.core.errors import DomainError
from jiaogong.core.text import clean, illegal_characters


class BodyTooLarge(DomainError):
    status = 413

    def __init__(self, limit: int):
        super().__init__("too_large", f"提交的内容过大（上限 {describe(limit)}），未处理。")


def describe(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / 1024 / 1024:g} MB"
    return f"{limit / 1024:g} KB"


def limit_for(path: str, content_type: str) -> int:
    """The largest body accepted for a request to `path` with that Content-Type."""
    if content_type.startswith("multipart/"):
        return settings.UPLOAD_MAX_REQUEST_BYTES
    if path.startswith("/api/"):
        return settings.API_MAX_BODY_BYTES
    return settings.WEB_MAX_BODY_BYTES


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def read_capped(request, limit: int) -> bytes:
    """The request body, read at most `limit` + 1 bytes far; BodyTooLarge beyond `limit`."""
    if hasattr(request, "_body"):
        body = request._body
    else:
        if declared_length(request) > limit:
            raise BodyTooLarge(limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = request.read(min(64 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        body = b"".join(chunks)
        request._body = body  # request.body keeps working for whoever reads it next
    if len(body) > limit:
        raise BodyTooLarge(limit)
    return body


def too_large_response(request, limit: int):
    error = BodyTooLarge(limit)
    if request.path.startswith("/api/"):
        body = {"error": {"code": error.code, "message": error.message, "fields": {}}}
        return JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
    page = (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>内容过大</title>'
        f'<p>{error.message}请压缩文件或分几次提交后重试。</p><p><a href="javascript:history.back()">返回</a></p>'
    )
    return HttpResponse(page, status=413, content_type="text/html; charset=utf-8")


BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class RequestSizeLimit:
    """Refuse an oversized request from its Content-Length, before anything reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        limit = limit_for(request.path, content_type)
        if declared_length(request) > limit:
            return too_large_response(request, limit)
        if request.method in BODY_METHODS and not content_type.startswith("multipart/"):
            # Read now, capped: a body without a Content-Length is not taken whole.
            try:
                read_capped(request, limit)
            except BodyTooLarge:
                return too_large_response(request, limit)
        return self.get_response(request)


def _cleaned(querydict):
    """A copy of the QueryDict with every value through core.text.clean (multi-line: a Textarea's
    breaks are kept; single-line fields decide further in core.forms.TextField)."""
    if not any(illegal_characters(v) or "\x0b" in v for vs in querydict.lists() for v in vs[1]):
        return querydict
    copy = querydict.copy()
    for key, values in querydict.lists():
        copy.setlist(key, [clean(v, multiline=True) for v in values])
    copy._mutable = False
    return copy


class CleanFormText:
    """Web requests: drop the control characters XML refuses from every submitted text before any
    form or view sees it (core/text.py) — a pasted NUL or ESC is invisible, so it is dropped, not
    refused. The API refuses them instead (api/parser.py): a program should be told."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.GET = _cleaned(request.GET)
            if request.method == "POST":
                request.POST = _cleaned(request.POST)
        return self.get_response(request)


def loads(body: bytes):
    """json.loads refusing NaN and Infinity (not JSON, though Python's json accepts them)."""

    def refuse(name):
        raise ValueError(name)

    return json.loads(body, parse_constant=refuse)
