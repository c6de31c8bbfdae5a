from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "homecare.workforce"
    label = "workforce"
