from django.urls import path

from . import views

app_name = "rostering"
urlpatterns = [
    path("", views.rota_day, name="day"),
    path("runs/", views.run_request, name="run_request"),
    path("weights/", views.weights, name="weights"),
    path("runs/<uuid:pk>/", views.run_detail, name="run"),
    path("runs/<uuid:pk>/accept/", views.run_accept, name="run_accept"),
    path("runs/<uuid:pk>/discard/", views.run_discard, name="run_discard"),
    path("visits/<uuid:pk>/", views.visit_detail, name="visit"),
    path("visits/<uuid:pk>/pin/", views.visit_pin, name="visit_pin"),
    path("workers/<uuid:pk>/", views.worker_route, name="worker"),
    path("workers/<uuid:pk>/sick/", views.worker_sick, name="worker_sick"),
    path("calendar/<str:token>.ics", views.worker_calendar, name="calendar"),
]
