from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from homecare.core import access
from homecare.core.admin_scoping import ArchivedFilter, ScopedAdmin

from .models import Contact, Individual


@admin.register(Individual)
class IndividualAdmin(ScopedAdmin, SimpleHistoryAdmin):
    scope = staticmethod(access.individuals_for)
    list_display = [
        "family_name",
        "given_name",
        "date_of_birth",
        "council_identifier",
        "postcode",
        "area",
        "organisation",
    ]
    list_filter = [
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("area", admin.RelatedOnlyFieldListFilter),
        "safeguarding_concern",
        "capacity_concern",
        ArchivedFilter,
    ]
    list_select_related = ["organisation", "area"]
    # NHS number and council ID are searched whole, never by fragment.
    search_fields = ["family_name", "given_name", "postcode", "=council_identifier", "=nhs_number"]


@admin.register(Contact)
class ContactAdmin(ScopedAdmin, SimpleHistoryAdmin):
    scope = staticmethod(access.contacts_for)
    list_display = [
        "name",
        "relationship",
        "individual",
        "is_next_of_kin",
        "is_emergency_contact",
        "telephone",
    ]
    list_filter = ["relationship", "is_next_of_kin", "is_emergency_contact", ArchivedFilter]
    list_select_related = ["individual"]
    search_fields = ["name", "individual__family_name", "telephone", "email"]
