from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from homecare.core import access
from homecare.core.admin_scoping import ArchivedFilter, ScopedAdmin

from .models import CarePackage, PatternEntry, Visit, VisitAssignment


@admin.register(CarePackage)
class CarePackageAdmin(ScopedAdmin, SimpleHistoryAdmin):
    scope = staticmethod(access.packages_for)
    list_display = [
        "reference",
        "individual",
        "organisation",
        "contract",
        "status",
        "start_date",
        "end_date",
    ]
    list_filter = [
        "status",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("contract", admin.RelatedOnlyFieldListFilter),
        ArchivedFilter,
    ]
    list_select_related = ["individual", "organisation", "contract__provider"]
    search_fields = ["reference", "individual__family_name", "individual__given_name"]
    raw_id_fields = ["individual"]
    date_hierarchy = "start_date"


@admin.register(PatternEntry)
class PatternEntryAdmin(ScopedAdmin, SimpleHistoryAdmin):
    scope = staticmethod(access.pattern_entries_for)
    list_display = [
        "package",
        "weekday",
        "kind",
        "start_time",
        "duration_minutes",
        "workers_required",
    ]
    list_filter = ["weekday", "kind", "workers_required", ArchivedFilter]
    list_select_related = ["package__individual"]
    search_fields = ["package__reference", "package__individual__family_name"]
    raw_id_fields = ["package"]


class VisitAssignmentInline(admin.TabularInline):
    model = VisitAssignment
    extra = 0
    fields = ["worker", "assigned_at"]
    readonly_fields = ["worker", "assigned_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(ScopedAdmin, SimpleHistoryAdmin):
    scope = staticmethod(access.visits_for)
    list_display = [
        "individual",
        "date",
        "planned_start",
        "duration_minutes",
        "workers_required",
        "status",
        "organisation",
    ]
    list_filter = [
        "status",
        "kind",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ArchivedFilter,
    ]
    list_select_related = ["individual", "organisation"]
    search_fields = ["individual__family_name", "individual__given_name", "package__reference"]
    raw_id_fields = ["package", "individual", "pattern_entry"]
    date_hierarchy = "planned_start"
    inlines = [VisitAssignmentInline]
