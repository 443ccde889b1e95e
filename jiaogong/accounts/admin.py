from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jiaogong.accounts import services
from jiaogong.accounts.models import ApiToken, RoleGrant, User, changing_password_as
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

    def user_change_password(self, request, id, form_url=""):
        # The new password is saved by User.save, which revokes the user's API tokens and audits
        # the change; this names the administrator who made it.
        with changing_password_as(request.user):
            return super().user_change_password(request, id, form_url)

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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every user's API tokens: read and revoke only (a token is issued to its owner, shown once)."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "name", "prefix")
    list_select_related = ("user",)
    fields = list_display
    readonly_fields = list_display
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the record of who had a token stays

    @admin.action(description="作废所选令牌")
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_api_token(actor=request.user, token_id=token.pk, any_user=True)
            revoked += 1
        self.message_user(request, f"已作废 {revoked} 个令牌。", messages.SUCCESS)
