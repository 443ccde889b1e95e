"""/api/v1/: the NinjaAPI, with 404 and 405 answered in the API's error shape too."""

from functools import wraps

from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from jiaogong.api.api import api
from jiaogong.api.errors import error_body


def _json(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def not_found(request, rest=""):
    """Unknown paths under /api/v1/ answer in the API's error shape, not with an HTML page."""
    return _json(error_body("not_found", "没有这个接口。"), 404)


def _json_405(view):
    """django-ninja answers a wrong method with a plain-text 405; give it the error shape."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            answer = _json(error_body("method_not_allowed", f"该接口不支持 {request.method} 请求。"), 405)
            answer["Allow"] = allowed
            return answer
        return response

    return wrapper


def _with_json_405(urls):
    patterns, app_name, namespace = urls
    for pattern in patterns:
        pattern.callback = _json_405(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("", _with_json_405(api.urls)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
