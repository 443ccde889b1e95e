from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jiaogong.accounts.models import RoleGrant, User
from jiaogong.core import audit


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Superusers manage logins and role grants here; every save is audited."""

    inlines = [RoleGrantInline]
    fieldsets = BaseUserAdmin.fieldsets + (("教工之家", {"fields": ("phone", "member")}),)
    raw_id_fields = ("member",)
    list_display = ("username", "first_name", "phone", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "phone")

    FIELDS = ["username", "first_name", "phone", "member", "is_active", "is_staff", "is_superuser"]

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(User.objects.get(pk=obj.pk), self.FIELDS) if change else {}
        super().save_model(request, obj, form, change)
        changes = audit.diff(before, audit.snapshot(obj, self.FIELDS))
        if "password" in form.changed_data:
            changes["password"] = ["***", "***"]
        audit.record(
            actor=request.user,
            org=None,
            action="accounts.user.update" if change else "accounts.user.create",
            obj=obj,
            changes=changes,
        )

    def save_formset(self, request, form, formset, change):
        before = set(RoleGrant.objects.filter(user=form.instance).values_list("org_id", "role"))
        super().save_formset(request, form, formset, change)
        after = set(RoleGrant.objects.filter(user=form.instance).values_list("org_id", "role"))
        for org_id, role in after - before:
            audit.record(
                actor=request.user,
                org=None,
                action="accounts.role.grant",
                obj=form.instance,
                changes={"role": [None, role], "org": [None, org_id]},
            )
        for org_id, role in before - after:
            audit.record(
                actor=request.user,
                org=None,
                action="accounts.role.revoke",
                obj=form.instance,
                changes={"role": [role, None], "org": [org_id, None]},
            )
