from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "homecare.plans"
    label = "plans"
