from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "accord.core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Celery discovers ``tasks`` modules only; the job task lives beside its runner in ``jobs``.
        from accord.core import jobs  # noqa: F401
