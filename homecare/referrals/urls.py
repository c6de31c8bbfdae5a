from django.urls import path

from . import views_broker as broker
from . import views_provider as provider

app_name = "referrals"
urlpatterns = [
    # The council's side
    path("", broker.board, name="board"),
    path("board/rows/", broker.board_rows, name="board_rows"),
    path("new/", broker.referral_create, name="create"),
    path("<uuid:pk>/", broker.referral_detail, name="detail"),
    path("<uuid:pk>/publish/", broker.referral_publish, name="publish"),
    path("<uuid:pk>/confirm/", broker.referral_confirm, name="confirm"),
    path("<uuid:pk>/cancel/", broker.referral_cancel, name="cancel"),
    path("<uuid:pk>/offer-to-others/", broker.referral_offer_to_others, name="offer_to_others"),
    # The provider's side
    path("inbox/", provider.inbox, name="inbox"),
    path("inbox/rows/", provider.inbox_rows, name="inbox_rows"),
    path("offers/<uuid:pk>/", provider.offer_detail, name="offer"),
    path("offers/<uuid:pk>/accept/", provider.offer_accept, name="offer_accept"),
    path("offers/<uuid:pk>/decline/", provider.offer_decline, name="offer_decline"),
]
