from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("", views.worker_list, name="list"),
    path("<uuid:pk>/", views.worker_detail, name="detail"),
]
