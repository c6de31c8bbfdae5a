from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.individual_list, name="list"),
    path("new/", views.individual_create, name="create"),
    path("<uuid:pk>/", views.individual_detail, name="detail"),
    path("<uuid:pk>/edit/", views.individual_edit, name="edit"),
    path("<uuid:pk>/history/", views.individual_history, name="history"),
]
