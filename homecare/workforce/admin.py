from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from homecare.core import access
from homecare.core.admin_scoping import ArchivedFilter, ScopedAdmin

from .models import Availability, CareWorker, Skill


def skills_for(user):
    """Skills are a shared reference list: every support user sees them all."""
    return Skill.objects.all()


def availability_for(user):
    return Availability.objects.filter(
        archived_at__isnull=True, worker__in=access.workers_for(user).values("pk")
    )


@admin.register(Skill)
class SkillAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = staticmethod(skills_for)
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(CareWorker)
class CareWorkerAdmin(ScopedAdmin, SimpleHistoryAdmin):
    scope = staticmethod(access.workers_for)
    list_display = [
        "family_name",
        "given_name",
        "role",
        "organisation",
        "contracted_hours",
        "drives",
        "started_on",
        "left_on",
    ]
    list_filter = [
        "role",
        "drives",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "skills",
        ArchivedFilter,
    ]
    list_select_related = ["organisation"]
    search_fields = ["family_name", "given_name", "postcode", "user__username"]
    filter_horizontal = ["skills"]
    raw_id_fields = ["user"]


@admin.register(Availability)
class AvailabilityAdmin(ScopedAdmin, SimpleHistoryAdmin):
    scope = staticmethod(availability_for)
    list_display = ["worker", "weekday", "start_time", "end_time"]
    list_filter = ["weekday", ArchivedFilter]
    list_select_related = ["worker"]
    search_fields = ["worker__family_name", "worker__given_name"]
