from django.urls import path

from . import api, views

app_name = "visits"
urlpatterns = [
    path("app/", views.app, name="app"),
    path("app/sw.js", views.service_worker, name="service_worker"),
    path("app/manifest.webmanifest", views.manifest, name="manifest"),
    path("api/rota/", api.rota, name="api_rota"),
    path("api/events/", api.events, name="api_events"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("<uuid:pk>/record/", views.record, name="record"),
    path("events/<uuid:pk>/approve/", views.approve, name="approve"),
    path("people/<uuid:pk>/tag/", views.home_tag, name="home_tag"),
    path("people/<uuid:pk>/tag/issue/", views.home_tag_issue, name="home_tag_issue"),
]
