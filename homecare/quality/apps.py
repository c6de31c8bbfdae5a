from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "homecare.quality"
    label = "quality"
