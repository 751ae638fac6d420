from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accord.core"
    verbose_name = "Core"
