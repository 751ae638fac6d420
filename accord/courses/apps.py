from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "accord.courses"
    verbose_name = "Course catalogues"
    default_auto_field = "django.db.models.BigAutoField"
