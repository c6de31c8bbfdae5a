from django.apps import AppConfig


class RosteringConfig(AppConfig):
    name = "homecare.rostering"
    label = "rostering"
