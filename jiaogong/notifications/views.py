"""The reminders' pages: the user's inbox in a school (mark read, open the item) and the choice of
what to receive in-app and by e-mail.

The inbox is per school (o/<org_id>/notifications/): a reminder belongs to the school whose work
it names, the pages sit in that school's navigation and its permission checks (404 for a school
the user is not in), and a user in two schools sees each school's reminders there. Preferences are
the user's own, for every school; the page sits under the school in view.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import SCHOOL_ROLES, roles_in
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.notifications import selectors, services
from jiaogong.notifications.forms import PreferencesForm

NOT_A_SCHOOL_MEMBER = "提醒只发给本校工会的会员和委员；上级工会干部请在本单位查看。"


def _require_school_role(request, org) -> None:
    """Reminders are for the school's own people: a federation officer reading a school (or a
    federation) has no inbox there."""
    if org.is_federation:
        raise Http404("没有找到该页面。")
    if not request.user.is_superuser and not (roles_in(request.user, org) & SCHOOL_ROLES):
        raise PermissionDenied(NOT_A_SCHOOL_MEMBER)


@login_required
@org_view("org.view", "")
def inbox(request, org):
    _require_school_role(request, org)
    page = Paginator(selectors.inbox(request.user, org), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "org": org,
            "page_title": "我的提醒",
            "page": page,
            "unread": selectors.unread_count(request.user, org),
        },
    )


@login_required
@require_POST
@org_view("org.view", "")
def mark_read(request, org, notification_id):
    _require_school_role(request, org)
    n = selectors.notification_for(request.user, org, notification_id)
    services.mark_read(actor=request.user, notification=n)
    if request.htmx:
        return render(request, "notifications/_row.html", {"org": org, "n": n})
    return redirect("notifications:inbox", org.pk)


@login_required
@require_POST
@org_view("org.view", "")
def mark_all_read(request, org):
    _require_school_role(request, org)
    count = services.mark_all_read(actor=request.user, org=org)
    messages.success(request, f"已将 {count} 条提醒标为已读。" if count else "没有未读提醒。")
    return redirect("notifications:inbox", org.pk)


@login_required
@org_view("org.view", "")
def open_item(request, org, notification_id):
    """Follow a reminder's link: it is marked read and the page where it is dealt with opens."""
    _require_school_role(request, org)
    n = selectors.notification_for(request.user, org, notification_id)
    services.mark_read(actor=request.user, notification=n)
    if n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts=None) and n.url.startswith("/"):
        return redirect(n.url)
    return redirect("notifications:inbox", org.pk)


@login_required
@org_view("org.view", "")
def preferences(request, org):
    _require_school_role(request, org)
    user = request.user
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        choices=services.choices_for(user),
        has_email=bool(user.email),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(actor=user, org=org, choices=form.choices())
        except DomainError as e:
            add_domain_errors(form, e)
        else:
            messages.success(request, "提醒设置已保存。")
            return redirect("notifications:preferences", org.pk)
    return render(
        request,
        "notifications/preferences.html",
        {"org": org, "page_title": "提醒设置", "form": form, "email": user.email},
        status=422 if form.errors else 200,
    )
