from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("referrals/", api.referrals, name="referrals"),
    path("referrals/<uuid:pk>/", api.referral, name="referral"),
    path("referrals/<uuid:pk>/publish/", api.referral_publish, name="referral_publish"),
    path("offers/", api.offers, name="offers"),
    path("offers/<uuid:pk>/", api.offer, name="offer"),
    path("offers/<uuid:pk>/accept/", api.offer_accept, name="offer_accept"),
    path("offers/<uuid:pk>/decline/", api.offer_decline, name="offer_decline"),
]
