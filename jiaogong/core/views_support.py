"""Helpers every org-scoped view uses: resolve the org for a capability, map domain errors to forms."""

from functools import wraps

from django import forms
from django.utils import timezone

from jiaogong.core.permissions import can, org_for


def org_view(capability: str = "org.view", section: str = ""):
    """Decorate a view taking `org_id`: the view gets `org` (404 for outsiders, 403 for wrong roles).

    Also sets request.org and request.nav_section for the navigation.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, org_id, *args, **kwargs):
            org = org_for(request.user, org_id, capability)
            request.org = org
            request.nav_section = section
            return view(request, org, *args, **kwargs)

        # Declared for the permission matrix (core/tests/test_permission_matrix.py): functools.wraps
        # copies it onto the decorators stacked above (login_required, require_POST…).
        wrapper.capability = capability
        return wrapper

    return decorator


def add_domain_errors(form, error) -> None:
    """Put a DomainError's field messages on the form (unknown fields become form errors)."""
    if getattr(error, "code", "") == "needs_confirmation" and "confirm_warnings" in form.fields:
        form.fields["confirm_warnings"].widget = forms.CheckboxInput()
    if not error.fields:
        form.add_error(None, error.message)
        return
    for field, message in error.fields.items():
        form.add_error(field if field in form.fields else None, message)


def perms(user, org, *capabilities: str) -> dict:
    """{capability with dots as underscores: bool} for templates."""
    return {c.replace(".", "_"): can(user, org, c) for c in capabilities}


def year_param(request) -> int:
    """The ?year= of a yearly page (2000–2100); this year when it is missing or not a year."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year
