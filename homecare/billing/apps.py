from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "homecare.billing"
    label = "billing"
