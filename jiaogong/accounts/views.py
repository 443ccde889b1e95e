"""Log in (username or phone, throttled) and log out."""

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jiaogong.accounts import services
from jiaogong.accounts.forms import LoginForm, NewPasswordForm
from jiaogong.core.errors import DomainError


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
                address=request.META.get("REMOTE_ADDR", ""),
                request=request,
            )
        except DomainError as e:  # LoginLocked is a DomainError too
            form.add_error(None, e.message)
        else:
            auth.login(request, user)
            return redirect(_safe_next(request))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "accounts/login.html", {"form": form, "next": next_url, "page_title": "登录"})


@require_POST
def logout_view(request):
    auth.logout(request)
    messages.success(request, "您已退出登录。")
    return redirect("accounts:login")


@login_required
def password_change_view(request):
    """Choose a new password; a login with a one-time password is sent here until it does."""
    form = NewPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_own_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        auth.update_session_auth_hash(request, request.user)
        messages.success(request, "新密码已设置。")
        return redirect("core:home")
    context = {"form": form, "page_title": "设置新密码", "forced": request.user.must_change_password}
    return render(request, "accounts/password_change.html", context)
