from django.apps import AppConfig


class BipsConfig(AppConfig):
    name = "accord.bips"
    verbose_name = "Blended intensive programmes"
    default_auto_field = "django.db.models.BigAutoField"
