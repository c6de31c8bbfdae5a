from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<uuid:pk>/", views.contract_detail, name="detail"),
    path("<uuid:pk>/rulebook/", views.contract_rulebook, name="rulebook"),
]
