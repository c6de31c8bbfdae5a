"""The support admin (/support/) sees only what its user may see, and deletes nothing.

Every model admin mixes in :class:`ScopedAdmin`:

- superusers see every row (archived ones too);
- other staff see exactly what ``homecare.core.access`` lets their role and
  organisation see, in lists, change pages, history pages and in the choices of
  every drop-down; anything else is a 404, as in the rest of the service;
- nobody deletes: care records are archived (the "Archive" action), never deleted.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

Scope = Callable[..., QuerySet]


@transaction.atomic
def records_archive(*, queryset: QuerySet, by) -> int:
    """Archive the live records in ``queryset``: stamp when and by whom.

    A conditional update (only rows not yet archived), so archiving twice, or
    two people at once, stamps each record once.  The change is written to the
    record's history where it has one.  Returns how many records were archived.
    """
    model = queryset.model
    now = timezone.now()
    pks = list(queryset.filter(archived_at__isnull=True).values_list("pk", flat=True))
    archived = model.objects.filter(pk__in=pks, archived_at__isnull=True).update(
        archived_at=now, archived_by=by
    )
    history_attr = getattr(model._meta, "simple_history_manager_attribute", None)
    if archived and history_attr:
        rows = list(model.objects.filter(pk__in=pks, archived_at=now, archived_by=by))
        getattr(model, history_attr).bulk_history_create(
            rows, update=True, default_user=by, default_change_reason="Archived"
        )
    return archived


class ArchivedFilter(admin.SimpleListFilter):
    """Live or archived (only superusers ever see archived records)."""

    title = "archived"
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", "Live"), ("yes", "Archived")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


class ScopedAdmin:
    """Mixin for ModelAdmin: rows scoped through the access helpers; no deleting.

    Set ``scope`` to an access helper, e.g. ``scope = staticmethod(access.individuals_for)``.
    Without a scope only superusers see the model.
    """

    scope: Scope | None = None
    actions = ["archive"]

    # --- which rows -----------------------------------------------------
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return qs
        if self.scope is None or not user.is_active:
            return qs.none()
        return qs.filter(pk__in=self.scope(user).values("pk"))

    def get_object(self, request, object_id, from_field=None):
        """A row the user may not see is a 404 (not the admin's friendly redirect)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such record.")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        # simple_history falls back to the last historical version of rows it
        # cannot find: check the live row is visible first.
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history reads old versions straight from the history table.
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)

    # --- drop-downs offer only visible rows --------------------------------
    def _related_queryset(self, db_field, request):
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related_admin, ScopedAdmin):
            return related_admin.get_queryset(request)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            qs = self._related_queryset(db_field, request)
            if qs is not None:
                kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            qs = self._related_queryset(db_field, request)
            if qs is not None:
                kwargs["queryset"] = qs
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- never delete; archive instead -------------------------------------
    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and _is_care_record(self.model):
            fields += [f for f in ("created_at", "archived_at", "archived_by") if f not in fields]
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not _is_care_record(self.model):
            actions.pop("archive", None)
        return actions

    @admin.action(
        description="Archive (hide from everyday use; records are never deleted)",
        permissions=["change"],
    )
    def archive(self, request, queryset):
        count = records_archive(queryset=queryset, by=request.user)
        self.message_user(request, f"Archived {count} record(s).", messages.SUCCESS)


def _is_care_record(model) -> bool:
    return any(f.name == "archived_at" for f in model._meta.get_fields())


def send_to_sign_in(request, extra_context=None):
    """The support admin has no sign-in page of its own: everyone signs in, with the
    second factor, at accounts:login.  Signed-in people who are not support staff
    find nothing here."""
    if request.user.is_authenticated:
        raise Http404
    target = reverse("accounts:login")
    next_url = request.GET.get("next")
    if next_url:
        target += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(target)


def configure_site(site: admin.AdminSite) -> None:
    site.site_header = "Homecare support"
    site.site_title = "Homecare support"
    site.index_title = "Support"
    site.login = send_to_sign_in
