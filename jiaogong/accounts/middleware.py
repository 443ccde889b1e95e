"""A login with a one-time password may do nothing but choose its own password: pages lead to the
password form, the API answers 403 `password_change_required` (API.md error shape)."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

MESSAGE = "您使用的是一次性密码，请先在网页上设置新密码。"


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse("accounts:password"), reverse("accounts:logout")}
            if request.path.startswith("/api/"):
                body = {"error": {"code": "password_change_required", "message": MESSAGE, "fields": {}}}
                return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password")
        return self.get_response(request)
