"""Blended intensive programmes (BIPs): short joint programmes that several institutions design together.

A :class:`Bip` is organised by its *coordinating institution* with partner institutions from other
countries (:class:`BipPartner`, the coordinator among them); it has a physical part at the *hosting
institution* and one or more virtual parts (:class:`BipComponent`). Each partner's coordinator
nominates participants of their own institution (:class:`BipParticipant`); the organiser accepts or
declines them, and each accepted participant's mobility is created on the sending side (a
``mobilities.Mobility`` of type blended intensive, ``source="bip"``). The organiser records who attended
each component (:class:`BipAttendance`). The rules (at least three institutions from three countries,
3 ECTS, 5 to 30 days on site, the organisational support) are in :mod:`accord.algorithms.bips`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.bips.choices import (
    BipStatus,
    ComponentKind,
    ComponentTiming,
    ParticipantKind,
    ParticipantStatus,
)
from accord.bips.querysets import BipParticipantQuerySet, BipQuerySet
from accord.core.concurrency import VersionedModel


class Bip(VersionedModel):
    """One blended intensive programme, from its draft to its completion.

    ``capacity`` caps the nominations that hold a place (nominated or accepted); each partner may
    also have a quota of its own."""

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    coordinator = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="coordinated_bips",
        verbose_name=_("coordinating institution"),
    )
    host = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="hosted_bips",
        verbose_name=_("hosting institution"),
    )
    isced_code = models.CharField(_("field of education (ISCED-F)"), max_length=4, blank=True)
    language = models.CharField(_("language of instruction"), max_length=8, blank=True)
    ects = models.DecimalField(_("ECTS credits"), max_digits=4, decimal_places=1)
    capacity = models.PositiveSmallIntegerField(_("places"))
    status = models.CharField(
        max_length=16, choices=BipStatus.choices, default=BipStatus.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("blended intensive programme")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="bip_capacity_positive")
        ]

    def __str__(self) -> str:
        return self.title


class BipPartner(VersionedModel):
    """An institution taking part in a BIP (the coordinating one too), with its optional quota of
    places."""

    bip = models.ForeignKey(Bip, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveSmallIntegerField(_("quota of places"), null=True, blank=True)

    class Meta:
        ordering = ["bip", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["bip", "organisation"], name="bip_partner_once")]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.bip_id}"


class BipComponent(VersionedModel):
    """A part of the programme: the physical part (one per BIP) at the host, or a virtual part before,
    during or after it."""

    bip = models.ForeignKey(Bip, on_delete=models.CASCADE, related_name="components")
    kind = models.CharField(_("kind"), max_length=8, choices=ComponentKind.choices)
    timing = models.CharField(_("when"), max_length=8, choices=ComponentTiming.choices, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["bip", "start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bip"], condition=models.Q(kind="physical"), name="bip_one_physical_component"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="bip_component_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end}"


class BipParticipant(VersionedModel):
    """A student or staff member nominated by their institution (``partner``) for a BIP, and the
    organiser's decision. ``mobility`` is the mobility created on the sending side on acceptance."""

    bip = models.ForeignKey(Bip, on_delete=models.CASCADE, related_name="participants")
    partner = models.ForeignKey(BipPartner, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bip_places")
    kind = models.CharField(_("participant"), max_length=16, choices=ParticipantKind.choices)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ParticipantStatus.choices, default=ParticipantStatus.NOMINATED, editable=False
    )
    reason = models.TextField(_("reason"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    mobility = models.OneToOneField(
        "mobilities.Mobility",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bip_participant",
    )

    objects = BipParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["bip", "partner__organisation__name", "person__last_name", "pk"]
        constraints = [
            # A declined or withdrawn person may be nominated again; one live nomination at a time.
            models.UniqueConstraint(
                fields=["bip", "person"],
                condition=models.Q(status__in=["nominated", "accepted"]),
                name="bip_participant_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.bip_id}"


class BipAttendance(VersionedModel):
    """Whether a participant attended one component, as the organiser recorded it."""

    participant = models.ForeignKey(BipParticipant, on_delete=models.CASCADE, related_name="attendance")
    component = models.ForeignKey(BipComponent, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(_("attended"))

    class Meta:
        ordering = ["participant", "component"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "component"], name="bip_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} at {self.component_id}: {self.attended}"


class BipTransition(models.Model):
    """One move of the lifecycle: who moved the BIP from which status to which, and why."""

    bip = models.ForeignKey(Bip, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=BipStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=BipStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
