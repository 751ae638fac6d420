from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "accord.organisations"
    verbose_name = "Organisations"
