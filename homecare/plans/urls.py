from django.urls import path

from . import due_views, goal_views, review_views, views

app_name = "plans"
urlpatterns = [
    path("due/", due_views.due, name="due"),
    path("without-plan/", review_views.without_plan, name="without_plan"),
    path("package/<uuid:pk>/", views.plan_detail, name="plan"),
    path("package/<uuid:pk>/edit/", views.plan_edit, name="edit"),
    path("package/<uuid:pk>/versions/", views.plan_history, name="history"),
    path("package/<uuid:pk>/plan.pdf", views.plan_print, name="pdf"),
    path("package/<uuid:pk>/easy-read/", views.plan_easy_read, name="easy_read"),
    path("package/<uuid:pk>/goals/", goal_views.goals, name="goals"),
    path("package/<uuid:pk>/reviews/", review_views.reviews, name="reviews"),
    path("package/<uuid:pk>/reviews/book/", review_views.review_schedule, name="review_schedule"),
    path("package/<uuid:pk>/reviews/record/", review_views.review_record, name="review_record"),
    path("package/<uuid:pk>/reviews/early/", review_views.review_early, name="review_early"),
    path("package/<uuid:pk>/records/", review_views.records, name="records"),
    path("version/<uuid:pk>/", views.version_detail, name="version"),
    path("goal/<uuid:pk>/", goal_views.goal_detail, name="goal"),
    path("goal/<uuid:pk>/achieved/", goal_views.goal_achieved, name="goal_achieved"),
    path("goal/<uuid:pk>/set-aside/", goal_views.goal_stopped, name="goal_stopped"),
    path("review/<uuid:pk>/", review_views.review_detail, name="review"),
]
