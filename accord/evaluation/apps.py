from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "accord.evaluation"
    verbose_name = "Monitoring, evaluation and impact"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.evaluation import library, tasks  # noqa: F401  (the indicators and the report job register)
        from accord.evaluation.library import landed

        landed.provide_all()
