"""Calls for applications, the places they offer, applications, reviews, allocation runs and
nominations.

A call belongs to one organisation (the *owner*, the sending institution). Its places come from the
owner's agreements in effect for the call's academic year; students of the owner apply to them with
ranked choices; reviewers score the applications; an allocation run turns scores and choices into
an assignment with :mod:`accord.algorithms.allocation.allocation`; publishing tells the applicants and
nominates the assigned students to the receiving partners, who accept or reject them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.concurrency import VersionedModel
from accord.exchanges.choices import (
    ApplicationStatus,
    CallStatus,
    EventKind,
    MobilityType,
    NominationStatus,
    RunKind,
    Term,
)
from accord.exchanges.querysets import ApplicationQuerySet, CallQuerySet, NominationQuerySet


class Call(VersionedModel):
    """A call for applications for exchange places in one academic year (and term).

    The selection criteria are weights of a weighted mean (see
    :mod:`accord.algorithms.allocation.selection`); the eligibility rules apply to every place in
    addition to each place's own requirements.
    ``tie_break_seed`` makes the lottery between equal scores reproducible.
    """

    owner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    academic_year = models.CharField(_("academic year"), max_length=9, help_text=_("Such as 2026/2027."))
    term = models.CharField(_("term"), max_length=16, choices=Term.choices, default=Term.FULL_YEAR)
    mobility_type = models.CharField(
        _("mobility type"), max_length=32, choices=MobilityType.choices, default=MobilityType.STUDENT_STUDIES
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    max_choices = models.PositiveSmallIntegerField(_("choices per applicant"), default=3)
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("The documents every applicant uploads."),
    )
    weight_grade = models.FloatField(_("weight of the grade average"), default=1.0)
    weight_language = models.FloatField(_("weight of the language level"), default=1.0)
    weight_motivation = models.FloatField(_("weight of the motivation"), default=1.0)
    priority_bonus = models.FloatField(
        _("priority bonus"), default=0.0, help_text=_("Points added for applicants in a priority group.")
    )
    review_scale_max = models.PositiveSmallIntegerField(
        _("review scale maximum"), default=10, help_text=_("Reviewers score motivation from 0 to this.")
    )
    eqf_levels = models.JSONField(_("EQF levels"), default=list, blank=True)
    isced_codes = models.JSONField(_("ISCED-F fields"), default=list, blank=True)
    min_cefr = models.CharField(
        _("minimum CEFR level in the destination's language"), max_length=2, blank=True
    )
    min_grade = models.FloatField(_("minimum grade (0-10 scale)"), null=True, blank=True)
    min_year_of_study = models.PositiveSmallIntegerField(_("minimum year of study"), null=True, blank=True)
    tie_break_seed = models.PositiveIntegerField(_("tie-break seed"), default=0)
    status = models.CharField(
        max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.title

    def accepts_applications(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == CallStatus.OPEN and self.opens_at <= now < self.closes_at


class CallPlace(VersionedModel):
    """Seats at one destination. Generated places copy an agreement condition; ``shared_cap`` is the
    condition's yearly cap, which becomes a quota over every place of the call drawn from that
    condition (e.g. when a coordinator splits it into autumn and spring places)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("name"), max_length=255)
    receiving_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    condition_key = models.CharField(max_length=64, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    reserved = models.PositiveIntegerField(
        _("reserved seats"),
        default=0,
        help_text=_("Seats kept for the priority group, released when unused."),
    )
    shared_cap = models.PositiveIntegerField(null=True, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=8, blank=True)
    min_cefr = models.CharField(_("minimum CEFR level"), max_length=2, blank=True)
    isced_codes = models.JSONField(default=list, blank=True)
    eqf_levels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["call", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def engine_id(self) -> str:
        return f"P{self.pk}"


def application_document_path(instance: "ApplicationDocument", filename: str) -> str:
    return f"exchanges/{instance.application.call_id}/{instance.application_id}/{filename}"


class Application(VersionedModel):
    """A student's application to a call: ranked choices, academic record and motivation.

    The grade average is kept in the student's own scale (``grading_scale``, a code of
    :data:`accord.algorithms.allocation.selection.GRADING_SCALES`) and normalised when scored.
    ``languages`` maps ISO 639-1 codes to CEFR levels.
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, editable=False
    )
    grade_average = models.DecimalField(_("grade average"), max_digits=6, decimal_places=2)
    grading_scale = models.CharField(_("grading scale"), max_length=16)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"))
    isced_code = models.CharField(_("field of study (ISCED-F)"), max_length=4)
    year_of_study = models.PositiveSmallIntegerField(_("year of study"))
    languages = models.JSONField(_("language levels"), default=dict, blank=True)
    priority = models.BooleanField(
        _("priority group"), default=False, help_text=_("For example, participants with fewer opportunities.")
    )
    motivation = models.TextField(_("motivation"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_reason = models.TextField(blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["call", "student__last_name", "student__username", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "student"], name="one_application_per_student_and_call"),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.call}"

    @property
    def engine_id(self) -> str:
        return f"A{self.pk}"


class ApplicationChoice(models.Model):
    """One ranked destination of an application; rank 1 is the first choice."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    place = models.ForeignKey(CallPlace, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_rank_once"),
            models.UniqueConstraint(fields=["application", "place"], name="choice_place_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.place_id}"


class ApplicationDocument(VersionedModel):
    """A file an applicant uploaded, named after one of the call's required documents: one per title.
    Uploading that title again replaces the file in this record, so its version says which file an
    upload or a removal was meant for."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document"), max_length=255)
    file = models.FileField(upload_to=application_document_path)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "title", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "title"], name="one_document_per_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Review(VersionedModel):
    """One reviewer's score of an application's motivation, on the call's review scale. Only its
    reviewer writes it, yet perhaps from two tabs: its version keeps the older one from overwriting."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["application", "updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.score} by {self.reviewer_id}"


class AllocationRun(models.Model):
    """One run of the allocation engine over a call: the exact input it was given (``instance``) and
    what it returned (``result``: cut-offs, waitlists, explanations, stats). ``assignments`` holds the
    outcome per application, with the coordinator's overrides; ``blocking_pairs`` what the overrides
    break. A re-allocation starts from ``previous``."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=RunKind.choices, default=RunKind.ALLOCATION)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    instance = models.JSONField()
    result = models.JSONField()
    blocking_pairs = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["call", "-number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="run_number_once")]

    def __str__(self) -> str:
        return f"Run {self.number} of {self.call}"


class Assignment(models.Model):
    """Where one application ended in one run (``place`` None: no place), and why."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    place = models.ForeignKey(CallPlace, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    choice_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    explanation = models.TextField()
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(blank=True)
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="assignment_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} -> {self.place_id}"


class Nomination(models.Model):
    """A published assignment as the receiving partner sees it: the student is nominated to them and
    they accept or reject (with a reason). A rejection frees the seat for re-allocation."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="nominations")
    place = models.ForeignKey(CallPlace, on_delete=models.PROTECT, related_name="nominations")
    run = models.ForeignKey(AllocationRun, on_delete=models.PROTECT, related_name="nominations")
    status = models.CharField(
        max_length=16, choices=NominationStatus.choices, default=NominationStatus.PENDING, editable=False
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Nomination of {self.application_id} to {self.place_id}"


class CallEvent(models.Model):
    """The audit trail of a call: transitions, runs, overrides (with their reasons), publishing."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
