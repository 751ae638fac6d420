from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "accord.reference"
    verbose_name = "Reference"
