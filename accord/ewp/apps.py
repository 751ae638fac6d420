from django.apps import AppConfig


class EwpConfig(AppConfig):
    name = "accord.ewp"
    verbose_name = "Erasmus Without Paper"
