from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.concurrency import VersionedModel
from accord.partnerships.choices import (
    ActionItemStatus,
    ActualSource,
    IndicatorDirection,
    MeetingMode,
    MemberRole,
    PartnershipModel,
    PartnershipStatus,
)
from accord.partnerships.querysets import PartnershipQuerySet

YEAR_VALIDATORS = [MinValueValidator(1950), MaxValueValidator(2100)]


def _amount(**options) -> models.DecimalField:
    """Indicator figures: counts, percentages and money alike, to four decimal places."""
    return models.DecimalField(max_digits=16, decimal_places=4, **options)


class Partnership(VersionedModel):
    """A lasting relationship of two or more organisations that work together towards shared aims.

    The members (``PartnershipMember``) say who takes part and in which role; exactly one of them
    coordinates, and that organisation's admins and coordinators own the record. The status moves
    only through ``partnership_transition``, which appends a ``PartnershipTransition``; the
    collaboration log (meetings, decisions, action items) and the objectives hang off the partnership.
    """

    title = models.CharField(_("title"), max_length=255)
    model = models.CharField(_("model"), max_length=32, choices=PartnershipModel.choices)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        max_length=16, choices=PartnershipStatus.choices, default=PartnershipStatus.EXPLORING, editable=False
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    organisations = models.ManyToManyField(
        "organisations.Organisation", through="PartnershipMember", related_name="partnerships"
    )
    responsible_contacts = models.ManyToManyField(
        "organisations.Contact",
        blank=True,
        related_name="responsible_for_partnerships",
        help_text=_("The people to reach about this partnership, at its member organisations."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["model"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="partnership_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PartnershipMember(VersionedModel):
    """An organisation's place in a partnership: coordinator, partner, associate partner or funder.

    An organisation takes part at most once, and one member coordinates (both enforced by the
    database as well as by the services).
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    role = models.CharField(max_length=32, choices=MemberRole.choices, default=MemberRole.PARTNER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="organisation_once_per_partnership"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(role=MemberRole.COORDINATOR),
                name="one_coordinator_per_partnership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"


class PartnershipTransition(models.Model):
    """One step of a partnership's lifecycle: from which status to which, who moved it, when and why.

    Rows are only ever appended; an empty ``from_status`` marks the creation of the partnership.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=PartnershipStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PartnershipStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_status or '∅'} → {self.to_status}"


class Objective(VersionedModel):
    """An aim the partners share ("more balanced student mobility"), measured by its indicators."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_partnership_objectives",
        help_text=_("Someone at a member organisation who answers for this objective."),
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "order"], name="objective_order_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(VersionedModel):
    """A measurable sign of an objective's progress, with its unit, direction and starting point.

    ``direction`` says which way is better: more students (increase), a lower drop-out rate
    (decrease), or holding a level (maintain); the progress maths depends on it.
    """

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=255)
    unit = models.CharField(max_length=32, help_text=_('For example "students", "%" or "EUR".'))
    direction = models.CharField(
        max_length=16, choices=IndicatorDirection.choices, default=IndicatorDirection.INCREASE
    )
    baseline_value = _amount(null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR_VALIDATORS)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class IndicatorTarget(VersionedModel):
    """The value an indicator should reach in a given year; one target per indicator and year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    target_value = _amount()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_indicator_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target_value} in {self.year}"


class IndicatorActual(VersionedModel):
    """The value an indicator actually had in a year: the figure of record, with where it came from.

    Entered by hand for now; counts from exchanges and evaluations will fill ``source`` later. One
    figure per indicator and year, so progress never has to choose between competing numbers.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    value = _amount()
    source = models.CharField(max_length=16, choices=ActualSource.choices, default=ActualSource.MANUAL)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_actual_per_indicator_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} in {self.year}"


class Meeting(VersionedModel):
    """A meeting of the partners, on site or remote, with who attended and its minutes.

    Attendees are users at member organisations; guests without an account are listed as text,
    one per line, in ``external_attendees``.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    mode = models.CharField(max_length=16, choices=MeetingMode.choices, default=MeetingMode.VIDEO)
    title = models.CharField(max_length=255)
    location = models.CharField(max_length=255, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="partnership_meetings"
    )
    external_attendees = models.TextField(blank=True, help_text=_("One person per line."))
    minutes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class Decision(VersionedModel):
    """Something the partners agreed, taken at a meeting or between meetings."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    text = models.TextField()
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(VersionedModel):
    """A task someone at a member organisation agreed to do by a date.

    Open items past their due date are overdue; their owners get one reminder e-mail a day
    (``last_reminded_on`` keeps the reminder from going out twice on the same day).
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    title = models.CharField(max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="partnership_actions"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title
