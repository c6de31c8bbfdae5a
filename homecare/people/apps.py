from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "homecare.people"
    label = "people"
