from django.urls import path

from . import due_views

app_name = "plans"
urlpatterns = [
    path("due/", due_views.due, name="due"),
]
