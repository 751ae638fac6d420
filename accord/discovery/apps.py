from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "accord.discovery"
    verbose_name = "Partner discovery and course equivalence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.core.events import subscribe
        from accord.courses.events import CoursesChanged
        from accord.discovery import indexing

        subscribe(CoursesChanged, indexing.forget_changed_courses)
