from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "accord.agreements"
    verbose_name = "Agreements"
    default_auto_field = "django.db.models.BigAutoField"
