from django.contrib import admin
from django.urls import include, path

from homecare.core import views as core_views

urlpatterns = [
    path("", include("homecare.core.urls")),
    path("accounts/", include("homecare.accounts.urls")),
    path("people/", include("homecare.people.urls")),
    path("packages/", include("homecare.packages.urls")),
    path("workforce/", include("homecare.workforce.urls")),
    path("contracts/", include("homecare.organisations.urls")),
    path("referrals/", include("homecare.referrals.urls")),
    path("api/", include("homecare.referrals.api_urls")),
    path("plans/", include("homecare.plans.urls")),
    path("journey/", include("homecare.journey.urls")),
    path("rota/", include("homecare.rostering.urls")),
    path("visits/", include("homecare.visits.urls")),
    path("monitoring/", include("homecare.monitoring.urls")),
    path("notifications/", include("homecare.notifications.urls")),
    path("billing/", include("homecare.billing.urls")),
    path("support/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
]
