from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "homecare.organisations"
    label = "organisations"
