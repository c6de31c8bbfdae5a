from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "homecare.monitoring"
    label = "monitoring"
