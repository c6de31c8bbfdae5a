from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from homecare.core.admin_scoping import ScopedAdmin

from . import services
from .models import User

#: Fields only a superuser may change (otherwise staff could raise their own rights).
_SUPERUSER_ONLY = ["is_superuser", "is_staff", "groups", "user_permissions"]


def users_for(user):
    """Support staff see the accounts of their own organisation."""
    if user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id)


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    scope = staticmethod(users_for)
    actions = ["send_two_factor_link", "disable_and_end_sessions"]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "organisation",
        "is_active",
        "two_factor",
        "is_staff",
        "last_login",
    ]
    list_filter = [
        "role",
        "is_active",
        "is_staff",
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email"]
    raw_id_fields = ["individual"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Homecare", {"fields": ["organisation", "role", "individual"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "usable_password", "password1", "password2"],
            },
        ),
        ("Homecare", {"fields": ["organisation", "role", "individual"]}),
    ]

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(confirmed))

    @admin.display(boolean=True, description="two-factor", ordering="has_two_factor")
    def two_factor(self, obj):
        return obj.has_two_factor

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in _SUPERUSER_ONLY if f not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Unticking "active" is a leaver too: their sessions end now.
            services.user_disable(user=obj, by=request.user)

    @admin.action(description="Disable account and end all sessions", permissions=["change"])
    def disable_and_end_sessions(self, request, queryset):
        disabled = ended = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(
                    request, "You can't disable your own account here.", messages.WARNING
                )
                continue
            ended += services.user_disable(user=user, by=request.user)
            disabled += 1
        self.message_user(
            request,
            f"Disabled {disabled} account(s) and ended {ended} session(s).",
            messages.SUCCESS,
        )

    @admin.action(description="Email a two-factor set-up link", permissions=["change"])
    def send_two_factor_link(self, request, queryset):
        sent = 0
        for user in queryset:
            try:
                services.enrolment_send(
                    user=user, by=request.user, base_url=request.build_absolute_uri("/")
                )
            except ValidationError as exc:
                self.message_user(request, exc.messages[0], messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                f"Sent {sent} set-up link(s); each works once, for "
                f"{services.ENROLMENT_LINK_HOURS} hours.",
                messages.SUCCESS,
            )
