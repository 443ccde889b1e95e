"""Who is calling: a bearer token (scripts, other systems) or a browser session (with CSRF)."""

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jiaogong.accounts.services import user_for_token
from jiaogong.api.errors import CsrfFailed


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, a token from POST /auth/token or `manage.py create_api_token`."""

    def authenticate(self, request, token):
        user = user_for_token(token) if token else None
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The Django session of a logged-in browser; unsafe methods need the CSRF token.

    Unlike django-ninja's own SessionAuth, a request without a session is simply not
    authenticated (401), and the CSRF check only runs once there is a session to protect.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return user

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return None


AUTH = [TokenAuth(), SessionAuth()]
