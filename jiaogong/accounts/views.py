"""Log in (username or phone, throttled), log out, change one's password, one's API tokens."""

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiaogong.accounts import devices, services
from jiaogong.accounts.addresses import client_address
from jiaogong.accounts.forms import LoginForm, PasswordChangeForm, TokenForm
from jiaogong.core.errors import DomainError, InvalidInput


def _safe_next(request) -> str:
    """The `next` URL if it stays on this site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


def login_view(request):
    if request.user.is_authenticated and request.method != "POST":
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_user(
                identifier=form.cleaned_data["identifier"],
                password=form.cleaned_data["password"],
                address=client_address(request),
                device_cookie=request.COOKIES.get(devices.COOKIE, ""),
                request=request,
            )
        except DomainError as e:  # LoginLocked is a DomainError too
            form.add_error(None, e.message)
        else:
            auth.login(request, user)
            response = redirect(_safe_next(request))
            devices.remember(
                response, request.COOKIES.get(devices.COOKIE, ""), user, secure=settings.SESSION_COOKIE_SECURE
            )
            return response
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "accounts/login.html", {"form": form, "next": next_url, "page_title": "登录"})


@require_POST
def logout_view(request):
    auth.logout(request)
    messages.success(request, "您已退出登录。")
    return redirect("accounts:login")


@never_cache
@login_required
def password_change_view(request):
    """Change one's password; a login with a one-time password is sent here until it has."""
    forced = request.user.must_change_password
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                user=request.user, address=client_address(request), **form.cleaned_data
            )
        except InvalidInput as e:
            for field, message in e.fields.items():
                form.add_error(field, message)
        else:
            auth.update_session_auth_hash(request, request.user)  # this browser stays signed in
            messages.success(request, "密码已修改。您的 API 令牌已全部作废，其他设备需要重新登录。")
            return redirect("core:home" if forced else "accounts:password")
    title = "设置新密码" if forced else "修改密码"
    return render(request, "accounts/password.html", {"form": form, "page_title": title, "forced": forced})


@never_cache  # the page that shows a new token must not be kept by a cache
@login_required
def tokens_view(request):
    """The caller's API tokens: name, created, last used, expires; create one (shown once), revoke."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token = services.create_api_token(request.user, name=form.cleaned_data["name"])
        except InvalidInput as e:
            for field, message in e.fields.items():
                form.add_error(field, message)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": services.tokens_of(request.user),
        "page_title": "API 令牌",
        "token_days": settings.API_TOKEN_DAYS,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    token = services.revoke_api_token(actor=request.user, token_id=token_id)  # another's: 404
    messages.success(request, f"令牌“{token.name or token.prefix + '…'}”已作废。")
    return redirect("accounts:tokens")
