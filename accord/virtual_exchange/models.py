"""Virtual exchange (COIL): classes in different countries learning together online.

A teacher publishes a :class:`ClassProfile` (subject, level, languages, term, weekly slots in the
class's time zone, size, wished length, themes, holidays). Accord proposes partner classes
(:class:`Proposal`), one by one for a class or for a whole :class:`VeCall` of a network or an
institution, where every submitted class (:class:`CallEntry`) is paired at once, coordinators
fixing or forbidding pairs (:class:`CallConstraint`). A teacher invites, the other accepts or
declines; an accepted proposal becomes an :class:`Exchange` with its weekly synchronous sessions
(:class:`Session`), the tasks of each week (:class:`WeeklyTask`), a thread of messages and files
(:class:`Message`) and its students (:class:`ExchangeStudent`). Completing it records a virtual
mobility for every student through ``mobilities.services``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accord.core.concurrency import VersionedModel
from accord.virtual_exchange.choices import (
    WEEKDAYS,
    CallStatus,
    ConstraintKind,
    ExchangeStatus,
    Mode,
    ProfileStatus,
    ProposalStatus,
    Visibility,
)
from accord.virtual_exchange.querysets import (
    CallQuerySet,
    ClassProfileQuerySet,
    ExchangeQuerySet,
    ProposalQuerySet,
)


class ClassProfile(VersionedModel):
    """A class offered for virtual exchange by its teacher.

    ``languages`` is a list of ``{"language": "en", "cefr": "B2"}`` (the level the students have);
    ``slots`` a list of ``{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}`` in ``time_zone``;
    ``holidays`` a list of ``{"start": date, "end": date}`` (inclusive); ``themes`` free words and SDG
    codes (``sdg-4``). Visible to the staff of partner institutions, or of the chosen networks only."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="ve_classes"
    )
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ve_classes")
    title = models.CharField(_("class"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    isced_code = models.CharField(_("field of education (ISCED-F)"), max_length=4)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"))
    languages = models.JSONField(_("languages of collaboration"), default=list)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    slots = models.JSONField(_("weekly class slots"), default=list, blank=True)
    holidays = models.JSONField(_("holidays"), default=list, blank=True)
    students = models.PositiveSmallIntegerField(_("number of students"))
    weeks_wished = models.PositiveSmallIntegerField(_("wished project length in weeks"), default=6)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.SYNCHRONOUS)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.PARTNERS
    )
    networks = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name=_("networks")
    )
    status = models.CharField(
        max_length=16, choices=ProfileStatus.choices, default=ProfileStatus.PUBLISHED, editable=False
    )

    objects = ClassProfileQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("class profile")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")), name="ve_term_order"
            ),
            models.CheckConstraint(condition=models.Q(students__gte=1), name="ve_students_positive"),
            models.CheckConstraint(
                condition=models.Q(weeks_wished__gte=4, weeks_wished__lte=15), name="ve_weeks_wished_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class VeCall(VersionedModel):
    """A call of a network or an institution: its classes are paired all at once. With ``two_sided``
    each class says its side, and pairs are made across the sides only."""

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="ve_calls"
    )
    two_sided = models.BooleanField(_("pair across two sides"), default=False)
    status = models.CharField(
        max_length=16, choices=CallStatus.choices, default=CallStatus.OPEN, editable=False
    )
    matched_at = models.DateTimeField(null=True, blank=True, editable=False)
    matched_optimal = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("virtual exchange call")

    def __str__(self) -> str:
        return self.title


class CallEntry(models.Model):
    """A class submitted to a call (on side 0 or 1 of a two-sided call)."""

    call = models.ForeignKey(VeCall, on_delete=models.CASCADE, related_name="entries")
    profile = models.ForeignKey(ClassProfile, on_delete=models.CASCADE, related_name="call_entries")
    side = models.PositiveSmallIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    # Why the last run left this class without a partner (a refusal code; "alone": nobody else).
    alone_reason = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["call", "profile"], name="ve_class_once_per_call")]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.call_id}"


class CallConstraint(models.Model):
    """A pair a call's coordinators fixed or forbade before (re-)running the matching."""

    call = models.ForeignKey(VeCall, on_delete=models.CASCADE, related_name="constraints")
    first = models.ForeignKey(ClassProfile, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(ClassProfile, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ConstraintKind.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "first", "second"], name="ve_pair_constrained_once")
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ↔ {self.second_id}: {self.kind}"


class Proposal(VersionedModel):
    """Two classes proposed to each other, with the score and the reasons (``reasons``: the figures
    of the assessment). A teacher of either class invites; a teacher of the other accepts or
    declines."""

    call = models.ForeignKey(
        VeCall, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals"
    )
    first = models.ForeignKey(ClassProfile, on_delete=models.CASCADE, related_name="proposals_as_first")
    second = models.ForeignKey(ClassProfile, on_delete=models.CASCADE, related_name="proposals_as_second")
    score = models.DecimalField(max_digits=4, decimal_places=1)
    reasons = models.JSONField(default=dict)
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED, editable=False
    )
    invited_from = models.ForeignKey(
        ClassProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="+", editable=False
    )
    message = models.TextField(_("message"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"],
                condition=models.Q(status__in=["proposed", "invited", "accepted"]),
                name="ve_one_live_proposal_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first} ↔ {self.second}"


class Exchange(VersionedModel):
    """An accepted virtual exchange of two classes: from the Monday ``start`` for ``weeks`` weeks.
    ``hours`` of student work, with ``ects`` and a ``certificate`` (badge or certificate) where
    given, are what each student's virtual mobility records on completion."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="exchange")
    first = models.ForeignKey(ClassProfile, on_delete=models.PROTECT, related_name="exchanges_as_first")
    second = models.ForeignKey(ClassProfile, on_delete=models.PROTECT, related_name="exchanges_as_second")
    title = models.CharField(_("title"), max_length=255)
    start = models.DateField(_("first week (Monday)"))
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    hours = models.DecimalField(_("hours of student work"), max_digits=5, decimal_places=1, default=0)
    ects = models.DecimalField(_("ECTS credits"), max_digits=4, decimal_places=1, null=True, blank=True)
    certificate = models.CharField(_("badge or certificate"), max_length=255, blank=True)
    status = models.CharField(
        max_length=16, choices=ExchangeStatus.choices, default=ExchangeStatus.PLANNED, editable=False
    )
    # Goes up whenever the schedule changes, so that calendars replace the events they hold.
    schedule_sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("virtual exchange")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weeks__gte=1, weeks__lte=52), name="ve_exchange_weeks_range"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("virtual_exchange:exchange-detail", args=[self.pk])


class Session(VersionedModel):
    """A weekly synchronous session, at ``start`` for ``minutes`` on ``weekday`` in ``time_zone`` (one
    of the two classes' zones): the other class's local time follows the clocks of both zones."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=255)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start = models.TimeField(_("start"))
    minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    time_zone = models.CharField(_("time zone"), max_length=64)

    class Meta:
        ordering = ["weekday", "start", "pk"]


class WeeklyTask(VersionedModel):
    """What the students do together in one week of the exchange."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="tasks")
    week = models.PositiveSmallIntegerField(_("week"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["week", "pk"]


class Message(models.Model):
    """A message of the exchange's thread, with an optional file; messages are only added."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    attachment = models.FileField(_("file"), upload_to="virtual_exchange/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.body[:40]}"


class ExchangeStudent(models.Model):
    """A student of one of the two classes taking part; ``mobility_id`` is the virtual mobility
    recorded on completion (an id, so that mobilities need not know this app)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="students")
    profile = models.ForeignKey(ClassProfile, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ve_exchanges"
    )
    mobility_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["exchange", "person"], name="ve_student_once")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.exchange_id}"
