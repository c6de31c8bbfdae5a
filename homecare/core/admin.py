from django.contrib import admin

from .admin_scoping import ScopedAdmin, configure_site
from .models import JobRun

configure_site(admin.site)


@admin.register(JobRun)
class JobRunAdmin(ScopedAdmin, admin.ModelAdmin):
    """Background jobs: superusers only (no organisation owns a job run)."""

    list_display = ["name", "status", "enqueued_at", "started_at", "finished_at"]
    list_filter = ["status", "name"]
    search_fields = ["name", "error"]
    date_hierarchy = "enqueued_at"
    readonly_fields = [
        "name",
        "arguments",
        "status",
        "result",
        "error",
        "enqueued_at",
        "started_at",
        "finished_at",
    ]

    def has_add_permission(self, request):
        return False
