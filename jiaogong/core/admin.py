from django.contrib import admin

from jiaogong.core import audit
from jiaogong.core.models import AuditEvent, Org, RuleValue


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    """Superusers create federations and schools here (or through POST /api/v1/orgs); audited."""

    list_display = ("name", "kind", "parent", "province")
    list_filter = ("kind", "province")
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(Org.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            org=obj,
            action="core.org.update" if change else "core.org.create",
            obj=obj,
            changes=audit.diff(before, audit.snapshot(obj)),
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleValue)
class RuleValueAdmin(admin.ModelAdmin):
    """Read-only here: org values are set on the rule page (audited); shipped values come from the catalogue."""

    list_display = ("key", "scope", "province", "org", "value", "source")
    list_filter = ("scope", "province")
    search_fields = ("key",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "org", "actor", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "action")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
