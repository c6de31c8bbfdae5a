from django.urls import path

from . import views

app_name = "packages"
urlpatterns = [
    path("", views.package_list, name="list"),
    path("<uuid:pk>/", views.package_detail, name="detail"),
    path("<uuid:pk>/pattern/add/", views.pattern_add, name="pattern_add"),
    path("<uuid:pk>/pattern/<uuid:entry_pk>/remove/", views.pattern_remove, name="pattern_remove"),
    path("<uuid:pk>/status/", views.package_status, name="status"),
]
