from django.contrib import admin

from jiaogong.core import audit
from jiaogong.core.models import AuditEvent, Holiday, Org, RuleValue


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


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Holiday.objects.dates("date", "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Next year's State Council schedule, entered day by day; wins over chinese_calendar's table. Audited."""

    list_display = ("date", "weekday", "is_working_day", "name", "note", "updated_by", "updated_at")
    list_filter = (YearFilter, "is_working_day")
    date_hierarchy = "date"
    search_fields = ("name", "note")
    fields = ("date", "is_working_day", "name", "note")
    ordering = ("date",)

    @admin.display(description="星期")
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(Holiday.objects.get(pk=obj.pk)) if change else {}
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            org=None,
            action="core.holiday.update" if change else "core.holiday.create",
            obj=obj,
            changes=audit.diff(before, audit.snapshot(obj)),
        )

    def delete_model(self, request, obj):
        before = audit.snapshot(obj)
        audit.record(
            actor=request.user,
            org=None,
            action="core.holiday.delete",
            obj=obj,
            changes=audit.diff(before, {}),
        )
        super().delete_model(request, obj)
