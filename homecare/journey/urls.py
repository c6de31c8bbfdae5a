from django.urls import path

from . import views
from . import views_endings as endings

app_name = "journey"
urlpatterns = [
    path("packages/<uuid:pk>/", views.package_journey, name="package"),
    path("packages/<uuid:pk>/change/", views.change_new, name="change_new"),
    path("packages/<uuid:pk>/admit/", endings.stay_admit, name="admit"),
    path("packages/<uuid:pk>/hand-back/", endings.handback_new, name="handback_new"),
    path("packages/<uuid:pk>/d2a/", endings.d2a_start, name="d2a_start"),
    path("changes/", views.change_list, name="changes"),
    path("changes/<uuid:pk>/", views.change_detail, name="change"),
    path("changes/<uuid:pk>/decide/", views.change_decide, name="change_decide"),
    path("changes/<uuid:pk>/reverse/", views.change_reverse, name="change_reverse"),
    path("stays/", endings.stay_list, name="stays"),
    path("stays/<uuid:pk>/", endings.stay_detail, name="stay"),
    path("stays/<uuid:pk>/discharge/", endings.stay_discharge, name="stay_discharge"),
    path("stays/<uuid:pk>/restart/", endings.stay_restart, name="stay_restart"),
    path("hand-backs/", endings.handback_list, name="handbacks"),
    path("hand-backs/<uuid:pk>/", endings.handback_detail, name="handback"),
    path("hand-backs/<uuid:pk>/complete/", endings.handback_complete, name="handback_complete"),
    path("hand-backs/<uuid:pk>/withdraw/", endings.handback_withdraw, name="handback_withdraw"),
    path("d2a/<uuid:pk>/", endings.d2a_detail, name="d2a"),
    path("d2a/<uuid:pk>/extend/", endings.d2a_extend, name="d2a_extend"),
    path("d2a/<uuid:pk>/end/", endings.d2a_end, name="d2a_end"),
]
