from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/rows/", views.board_rows, name="board_rows"),
    path("calls/<uuid:pk>/reassign/", views.call_reassign, name="reassign"),
    path("calls/<uuid:pk>/call-ahead/", views.call_ahead, name="call_ahead"),
    path("calls/<uuid:pk>/not-delivered/", views.call_not_delivered, name="not_delivered"),
    path("council/", views.council_calls, name="council"),
    path("coming/", views.coming, name="coming"),
]
