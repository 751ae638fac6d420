"""Mobilities of students and staff, their learning agreements, transcripts, conversions and recognition.

A :class:`Mobility` is one person's stay at a partner, seen by both institutions: *outgoing* for the
sending one, *incoming* for the receiving one. Its learning agreement (or staff mobility agreement)
is a chain of immutable :class:`AgreementVersion` rows whose components are the JSON list of
:mod:`accord.algorithms.mobility.learning_agreement`; each signature names one version and the hash of its
components, so a signature always means exactly the list the signer saw. See
docs/decisions/0009-mobilities.md.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.core.concurrency import VersionedModel
from accord.mobilities.choices import (
    AgreementKind,
    ConversionMethod,
    ConversionPolicy,
    CreditRuleKind,
    EventKind,
    MobilitySource,
    MobilityStatus,
    MobilityType,
    RuleScope,
    SignerRole,
    StaffActivity,
    VersionStatus,
)
from accord.mobilities.querysets import MobilityQuerySet

SHA256_HEX_LENGTH = 64
CREDITS = {"max_digits": 6, "decimal_places": 1}
DEFAULT_TRANSCRIPT_DAYS = 35


class MobilitySettings(models.Model):
    """What an institution decides once for all its mobilities.

    ``transcript_days`` is its commitment, as a receiving institution, to issue transcripts within
    that many days after a stay ends (the EWP factsheet's "transcript of records" delay; five weeks
    by default, as the Erasmus Charter asks). ``conversion_policy`` picks among overlapping grades
    when it converts, as a sending institution.
    """

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="mobility_settings"
    )
    conversion_policy = models.CharField(
        _("grade conversion policy"),
        max_length=16,
        choices=ConversionPolicy.choices,
        default=ConversionPolicy.MIDDLE,
    )
    transcript_days = models.PositiveSmallIntegerField(
        _("days to issue a transcript after a stay"), default=DEFAULT_TRANSCRIPT_DAYS
    )
    home_scale = models.ForeignKey(
        "GradingScale",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The scale recognised grades are written in."),
    )

    def __str__(self) -> str:
        return f"Mobility settings of {self.organisation_id}"


class GradingScale(models.Model):
    """An institution's grading scale: its passing grades best first, and its failing grades."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="grading_scales"
    )
    name = models.CharField(_("name"), max_length=100)
    passing_grades = models.JSONField(_("passing grades, best first"))
    failing_grades = models.JSONField(_("failing grades"), default=list, blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="scale_name_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def grades(self) -> list[str]:
        return [*self.passing_grades, *self.failing_grades]


class GradeDistributionTable(models.Model):
    """How often each passing grade of a scale was awarded over a reference period, for one ISCED-F
    field (blank: every field) and one EQF level (cycle; null: every cycle). EGRACONS method."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="grade_tables"
    )
    scale = models.ForeignKey(GradingScale, on_delete=models.CASCADE, related_name="tables")
    isced_code = models.CharField(_("ISCED-F field"), max_length=4, blank=True)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level (cycle)"), null=True, blank=True)
    reference_period = models.CharField(_("reference period"), max_length=50, blank=True)
    counts = models.JSONField(help_text=_("[grade, count] pairs, best grade first."))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "scale", "isced_code", "eqf_level"]

    def __str__(self) -> str:
        return f"{self.scale} {self.isced_code or '*'} EQF {self.eqf_level or '*'}"


class CreditRule(models.Model):
    """A requirement the sending institution sets on its learning (or staff mobility) agreements."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="credit_rules"
    )
    scope = models.CharField(max_length=8, choices=RuleScope.choices, default=RuleScope.STUDENTS)
    kind = models.CharField(max_length=24, choices=CreditRuleKind.choices)
    value = models.DecimalField(**CREDITS)
    blocking = models.BooleanField(
        _("blocks the sending signature"),
        default=True,
        help_text=_("Otherwise the rule is only shown as a warning."),
    )

    class Meta:
        ordering = ["organisation", "scope", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "scope", "kind"], name="credit_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class Mobility(VersionedModel):
    """One person's stay at a partner institution, from nomination to recognition.

    ``duration_days`` and ``duration_months`` are recomputed from the actual dates once known, from
    the planned ones before, and feed the agreements' quota view. ``planned_credits`` is the credits
    to be earned abroad in the latest approved learning agreement, the denominator of the
    recognition rate. ``source``/``source_id`` name what created the mobility (an accepted nomination
    of the exchanges app, or a coordinator), without a foreign key so that neither app needs the other.
    """

    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mobilities"
    )
    mobility_type = models.CharField(_("type"), max_length=24, choices=MobilityType.choices)
    sending_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="outgoing_mobilities"
    )
    sending_unit = models.ForeignKey(
        "organisations.OrganisationalUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receiving_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="incoming_mobilities"
    )
    receiving_unit = models.ForeignKey(
        "organisations.OrganisationalUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="mobilities"
    )
    condition_key = models.CharField(_("cooperation condition"), max_length=64, blank=True)
    academic_year = models.CharField(_("academic year"), max_length=9)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("arrival"), null=True, blank=True)
    actual_end = models.DateField(_("departure"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(editable=False, default=0)
    duration_months = models.DecimalField(max_digits=6, decimal_places=2, editable=False, default=0)
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"), null=True, blank=True)
    isced_code = models.CharField(_("ISCED-F field"), max_length=4, blank=True)
    language = models.CharField(_("language of instruction"), max_length=8, blank=True)
    cefr_level = models.CharField(_("language level (CEFR)"), max_length=2, blank=True)
    status = models.CharField(
        max_length=16, choices=MobilityStatus.choices, default=MobilityStatus.NOMINATED, editable=False
    )
    planned_credits = models.DecimalField(editable=False, default=0, **CREDITS)
    source = models.CharField(max_length=16, choices=MobilitySource.choices, default=MobilitySource.MANUAL)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    # What a virtual mobility recorded on completion counts: hours of work, credits and a badge or
    # certificate where the exchange gave them.
    virtual_hours = models.DecimalField(
        _("hours of virtual work"), max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    virtual_ects = models.DecimalField(
        _("ECTS credits of the virtual part"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        editable=False,
    )
    certificate = models.CharField(_("badge or certificate"), max_length=255, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MobilityQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_start", "pk"]
        verbose_name_plural = "mobilities"
        indexes = [models.Index(fields=["status"]), models.Index(fields=["agreement", "condition_key"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="mobility_once_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.receiving_organisation_id} ({self.academic_year})"

    @property
    def is_staff_mobility(self) -> bool:
        return self.mobility_type in {MobilityType.STAFF_TEACHING, MobilityType.STAFF_TRAINING}

    @property
    def start(self):
        return self.actual_start or self.planned_start

    @property
    def end(self):
        return self.actual_end or self.planned_end


class MobilityTransition(models.Model):
    """One move of the state machine: who moved the mobility from which status to which, and why."""

    mobility = models.ForeignKey(Mobility, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=MobilityStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=MobilityStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class MobilityEvent(models.Model):
    """The audit trail of everything else: proposals, signatures, delegations, dates, transcripts."""

    mobility = models.ForeignKey(Mobility, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class LearningAgreement(models.Model):
    """The agreement on what a mobility is for: a learning agreement for students, a mobility
    agreement for staff. ``first_approved_version`` is EWP's *first version*; changes are counted
    from it. ``approved_version`` is the newest version all three signed."""

    mobility = models.OneToOneField(Mobility, on_delete=models.CASCADE, related_name="learning_agreement")
    kind = models.CharField(max_length=8, choices=AgreementKind.choices)
    current_version = models.ForeignKey(
        "AgreementVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_version = models.ForeignKey(
        "AgreementVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_approved_version = models.ForeignKey(
        "AgreementVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of mobility {self.mobility_id}"


class AgreementVersion(models.Model):
    """One immutable list of components. ``changes`` lists, for versions after the first approved
    one, the insertions and deletions since it with their reasons (EWP's cumulative changes)."""

    learning_agreement = models.ForeignKey(
        LearningAgreement, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    components = models.JSONField()
    components_hash = models.CharField(max_length=SHA256_HEX_LENGTH)
    changes = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.PROPOSED)
    summary = models.TextField(_("what changed and why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["learning_agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["learning_agreement", "number"], name="la_version_number_once"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class SigningDelegation(models.Model):
    """A coordinator's signing power for one side of one agreement handed to a colleague."""

    learning_agreement = models.ForeignKey(
        LearningAgreement, on_delete=models.CASCADE, related_name="delegations"
    )
    role = models.CharField(max_length=12, choices=SignerRole.choices)
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.role} signing delegated to {self.delegate_id}"


class Signature(models.Model):
    """One party's signature of one version, with the hash of the components the signer saw."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(max_length=12, choices=SignerRole.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delegation = models.ForeignKey(
        SigningDelegation, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    signer_name = models.CharField(max_length=255)
    signer_position = models.CharField(max_length=255, blank=True)
    signer_email = models.EmailField()
    components_hash = models.CharField(max_length=SHA256_HEX_LENGTH)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "role"], name="signature_once_per_role")]

    def __str__(self) -> str:
        return f"{self.role} signature of {self.version}"


class VersionComment(models.Model):
    """A party's comment returning a proposed version: the proposer answers with a new version."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="comments")
    role = models.CharField(max_length=12, choices=SignerRole.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.version}"


class Transcript(models.Model):
    """The receiving institution's transcript of records for a mobility, in one of its scales."""

    mobility = models.OneToOneField(Mobility, on_delete=models.CASCADE, related_name="transcript")
    scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Transcript of mobility {self.mobility_id}"


class TranscriptEntry(models.Model):
    """A grade and credits for one component; ``component_ref`` links it to the learning agreement."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="entries")
    component_ref = models.CharField(max_length=32, blank=True)
    code = models.CharField(_("code"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=255)
    credits = models.DecimalField(_("ECTS credits"), **CREDITS)
    grade = models.CharField(_("grade"), max_length=32)
    term = models.CharField(_("term"), max_length=3, blank=True)
    passed = models.BooleanField(default=True)

    class Meta:
        ordering = ["transcript", "pk"]

    def __str__(self) -> str:
        return f"{self.title}: {self.grade}"


class GradeConversion(models.Model):
    """How one transcript grade became a home grade: by tables (EGRACONS) or, without a table, by hand
    with a reason. The tables used are referenced and ``explanation`` says why, in words."""

    entry = models.OneToOneField(TranscriptEntry, on_delete=models.CASCADE, related_name="conversion")
    host_grade = models.CharField(max_length=32)
    home_grade = models.CharField(max_length=32)
    method = models.CharField(max_length=8, choices=ConversionMethod.choices)
    policy = models.CharField(max_length=16, choices=ConversionPolicy.choices, blank=True)
    host_table = models.ForeignKey(
        GradeDistributionTable, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    home_table = models.ForeignKey(
        GradeDistributionTable, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    explanation = models.TextField()
    tables_used = models.TextField(
        _("tables used"),
        blank=True,
        help_text=_("Which reference group the tables describe, and which closer one had no table."),
    )
    reason = models.TextField(blank=True)
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    converted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.host_grade} → {self.home_grade}"


class RecognisedComponent(models.Model):
    """What the sending institution recognised: a home component with its credits and home grade."""

    mobility = models.ForeignKey(Mobility, on_delete=models.CASCADE, related_name="recognised_components")
    entry = models.ForeignKey(
        TranscriptEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="recognitions"
    )
    component_ref = models.CharField(max_length=32, blank=True)
    code = models.CharField(_("code"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=255)
    credits = models.DecimalField(_("ECTS credits"), **CREDITS)
    home_grade = models.CharField(_("home grade"), max_length=32, blank=True)
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recognised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["mobility", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.credits} ECTS)"


class ReminderSent(models.Model):
    """A reminder already sent, so that the daily command sends each one once."""

    mobility = models.ForeignKey(Mobility, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mobility", "kind", "key"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} reminder for mobility {self.mobility_id}"


class Gender(models.IntegerChoices):
    """ISO/IEC 5218, as EWP exchanges it."""

    NOT_KNOWN = 0, _("Not known")
    MALE = 1, _("Male")
    FEMALE = 2, _("Female")
    NOT_APPLICABLE = 9, _("Not applicable")


class ParticipantDetails(VersionedModel):
    """What a sending institution must tell a receiving one about a nominated student and that
    Accord's accounts do not hold: birth date, nationality, gender and the European Student Identifier.

    EWP's Outgoing Mobilities API v3 requires all four, so a student mobility is only exchanged over
    EWP once they are recorded. On a receiving node they are what the sending node sent. Kept beside
    the account rather than on it because only mobilities need them, and only staff of the
    institutions of the person's mobilities see them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant_details"
    )
    birth_date = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality (country code)"), max_length=2)
    gender = models.PositiveSmallIntegerField(_("gender"), choices=Gender.choices, default=Gender.NOT_KNOWN)
    global_id = models.CharField(
        _("European Student Identifier"),
        max_length=255,
        help_text=_("For example urn:schac:personalUniqueCode:int:esi:example.edu:12345."),
    )

    class Meta:
        verbose_name_plural = "participant details"

    def __str__(self) -> str:
        return f"Details of {self.user}"


# --- Staff mobility (docs/decisions/0009-mobilities.md, "Staff mobility") ------------------------------


class StaffProgramme(models.Model):
    """The programme of one version of a staff mobility agreement (the Erasmus+ Mobility Agreement for
    teaching or training): objectives, activities, expected outcomes and impact, teaching hours,
    planned dates and a contact at each institution. Immutable like its version, whose
    ``components_hash`` is the hash of this programme (``accord.algorithms.mobility.staff``)."""

    version = models.OneToOneField(AgreementVersion, on_delete=models.CASCADE, related_name="staff_programme")
    activity = models.CharField(_("activity"), max_length=12, choices=StaffActivity.choices)
    objectives = models.TextField(_("objectives of the mobility"))
    activities = models.TextField(_("activities to be carried out"))
    outcomes = models.TextField(_("expected outcomes and impact"))
    teaching_hours = models.DecimalField(
        _("teaching hours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    sending_contact_name = models.CharField(_("contact at the sending institution"), max_length=255)
    sending_contact_email = models.EmailField(_("e-mail of the sending contact"))
    receiving_contact_name = models.CharField(_("contact at the receiving institution"), max_length=255)
    receiving_contact_email = models.EmailField(_("e-mail of the receiving contact"))

    def __str__(self) -> str:
        return f"Programme of {self.version}"


class StaffCertificate(VersionedModel):
    """The receiving institution's certificate of attendance: the actual dates of the stay and, for
    teaching, the hours taught. Issuing it records the departure and completes the mobility; a
    correction is an edit at the version read."""

    mobility = models.OneToOneField(Mobility, on_delete=models.CASCADE, related_name="staff_certificate")
    actual_start = models.DateField(_("first day of activities"))
    actual_end = models.DateField(_("last day of activities"))
    teaching_hours = models.DecimalField(
        _("hours taught"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    signer_name = models.CharField(_("signed by"), max_length=255)
    signer_position = models.CharField(_("position"), max_length=255, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Certificate of attendance of mobility {self.mobility_id}"
