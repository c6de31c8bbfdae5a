from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "homecare.notifications"
    label = "notifications"
