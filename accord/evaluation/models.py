"""What evaluation adds to a partnership's objectives: the binding of an indicator to the library, and
the evidence behind a figure entered by hand. Everything else evaluation shows is computed."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.concurrency import VersionedModel

YEAR = [MinValueValidator(1950), MaxValueValidator(2100)]


def evidence_path(instance: "ActualEvidence", filename: str) -> str:
    return f"evaluation/evidence/{instance.actual_id}/{filename}"


class IndicatorBinding(VersionedModel):
    """How an objective's indicator is measured, and over which period its targets run.

    With a ``definition`` (a key of the indicator library) the actual of each year is computed from
    Accord's data over the partnership, and shown with the definition's source; without one, the
    figures are entered by hand with evidence. ``first_year``–``last_year`` is the period the targets
    run over, which the status rule measures elapsed time against (``algorithms.evaluation.status``).
    """

    indicator = models.OneToOneField(
        "partnerships.Indicator", on_delete=models.CASCADE, related_name="evaluation_binding"
    )
    definition = models.CharField(_("computed from"), max_length=64, blank=True)
    first_year = models.PositiveSmallIntegerField(_("period starts"), validators=YEAR)
    last_year = models.PositiveSmallIntegerField(_("target year"), validators=YEAR)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")), name="binding_period_runs_forwards"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.definition or 'manual'} {self.first_year}–{self.last_year}"


class ActualEvidence(VersionedModel):
    """Where a figure entered by hand comes from: a link, a file, or both, and a word on it."""

    actual = models.OneToOneField(
        "partnerships.IndicatorActual", on_delete=models.CASCADE, related_name="evidence"
    )
    link = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    description = models.CharField(_("what it shows"), max_length=255, blank=True)

    def __str__(self) -> str:
        return f"Evidence for actual {self.actual_id}"
