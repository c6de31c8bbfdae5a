from django.contrib import admin
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from homecare.core import access
from homecare.core.admin_scoping import ArchivedFilter, ScopedAdmin

from .models import Area, Contract, Organisation, Scheme


def schemes_for(user):
    """Extra-care schemes of the user's council or housing provider, or in the areas
    the user's contracts cover."""
    return Scheme.objects.filter(archived_at__isnull=True).filter(
        Q(organisation_id=user.organisation_id)
        | Q(housing_provider_id=user.organisation_id)
        | Q(area__in=access.areas_for(user).values("pk"))
    )


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin, SimpleHistoryAdmin):
    scope = staticmethod(access.organisations_for)
    list_display = ["name", "kind", "nation", "cqc_rating", "regulator_id", "telephone"]
    list_filter = ["kind", "nation", "cqc_rating", ArchivedFilter]
    search_fields = ["name", "regulator_id", "email"]


@admin.register(Area)
class AreaAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = staticmethod(access.areas_for)
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind", ("organisation", admin.RelatedOnlyFieldListFilter), ArchivedFilter]
    list_select_related = ["organisation"]
    search_fields = ["name"]
    filter_horizontal = ["neighbours"]


@admin.register(Scheme)
class SchemeAdmin(ScopedAdmin, admin.ModelAdmin):
    scope = staticmethod(schemes_for)
    list_display = ["name", "organisation", "housing_provider", "area", "flats"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), ArchivedFilter]
    list_select_related = ["organisation", "housing_provider", "area"]
    search_fields = ["name"]


@admin.register(Contract)
class ContractAdmin(ScopedAdmin, SimpleHistoryAdmin):
    scope = staticmethod(access.contracts_for)
    list_display = [
        "reference",
        "organisation",
        "provider",
        "kind",
        "status",
        "rulebook",
        "hourly_rate",
        "starts_on",
        "ends_on",
    ]
    list_filter = [
        "kind",
        "status",
        "rulebook",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("provider", admin.RelatedOnlyFieldListFilter),
        ArchivedFilter,
    ]
    list_select_related = ["organisation", "provider"]
    search_fields = ["reference", "provider__name", "organisation__name"]
    filter_horizontal = ["areas"]
    date_hierarchy = "starts_on"
