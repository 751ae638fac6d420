from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.concurrency import VersionedModel
from accord.courses.choices import CourseMode
from accord.courses.querysets import CourseQuerySet

CREDITS = {"max_digits": 5, "decimal_places": 1}


class Course(VersionedModel):
    """A course (EWP: learning opportunity specification) an institution teaches, as its catalogue
    publishes it: the code its students see, the title and description in the language of instruction
    with ``translations`` into others (``{"fr": {"title": …, "description": …}}``), ECTS credits, the
    ISCED-F field and EQF level, when and how it is taught, what students learn, and whether partners'
    exchange students may take it. Equivalence suggestions and the course index read it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="courses"
    )
    unit = models.ForeignKey(
        "organisations.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
    )
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"))
    translations = models.JSONField(default=dict, blank=True)
    ects = models.DecimalField(_("ECTS credits"), **CREDITS)
    isced_code = models.CharField(_("ISCED-F field"), max_length=4, blank=True)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), null=True, blank=True)
    language = models.CharField(_("language of instruction"), max_length=8)
    term = models.CharField(_("term"), max_length=32, blank=True)
    mode = models.CharField(_("mode"), max_length=8, choices=CourseMode.choices, default=CourseMode.ON_SITE)
    learning_outcomes = models.TextField(_("learning outcomes"), blank=True)
    open_to_partners = models.BooleanField(_("open to partners' students"), default=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="unique_course_code_per_organisation",
                violation_error_message=_("This organisation already has a course with this code."),
            )
        ]
        indexes = [models.Index(fields=["isced_code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def texts(self) -> list[str]:
        """Every title and description it has, in every language (for the indexes)."""
        return course_texts(self.title, self.description, self.learning_outcomes, self.translations)


def course_texts(title: str, description: str, outcomes: str, translations: dict | None) -> list[str]:
    """A course's texts in every language, from its fields (the indexes read them without models)."""
    found = [title, description, outcomes]
    for translated in (translations or {}).values():
        found.extend(str(translated.get(key, "")) for key in ("title", "description"))
    return [text for text in found if text]
