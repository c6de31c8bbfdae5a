from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "homecare.journey"
    label = "journey"
