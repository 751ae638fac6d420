from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accord.core.concurrency import VersionedModel
from accord.organisations.choices import ContactRole, ContactVisibility, OrganisationKind
from accord.organisations.querysets import ContactQuerySet, OrganisationQuerySet
from accord.reference.validators import (
    validate_country_code,
    validate_isced_code,
    validate_language_code,
)


class Organisation(VersionedModel):
    """A university, school, NGO, agency, company or network that takes part in partnerships.

    The public profile (names, identifiers, place, strengths, what it offers and seeks) is visible to
    every signed-in user; ``internal_notes`` and members-only contacts stay inside the organisation.
    Identifiers are stored normalised and are unique when present, so imports can match on them.
    """

    kind = models.CharField(max_length=16, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=255)
    abbreviation = models.CharField(max_length=32, blank=True)
    schac_code = models.CharField(
        _("SCHAC code"), max_length=253, null=True, blank=True, unique=True, help_text=_("EWP hei-id")
    )
    erasmus_code = models.CharField(_("Erasmus code"), max_length=16, null=True, blank=True, unique=True)
    pic = models.CharField(_("PIC"), max_length=9, null=True, blank=True, unique=True)
    oid = models.CharField(
        _("OID"), max_length=9, null=True, blank=True, unique=True, help_text=_("Erasmus+ Organisation ID")
    )
    ror_id = models.CharField(_("ROR id"), max_length=9, null=True, blank=True, unique=True)

    country_code = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    city_geonameid = models.PositiveIntegerField(_("city"), null=True, blank=True)
    city_name = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    street_address = models.CharField(max_length=255, blank=True)
    postal_code = models.CharField(max_length=32, blank=True)
    website = models.URLField(blank=True)
    logo = models.ImageField(upload_to="logos/", blank=True)

    mission = models.TextField(_("mission"), blank=True)
    offers = models.TextField(_("what we offer partners"), blank=True)
    seeks = models.TextField(_("what we seek in partners"), blank=True)
    internal_notes = models.TextField(_("internal notes"), blank=True)

    networks = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="network_members",
        limit_choices_to={"kind": OrganisationKind.NETWORK},
        help_text=_("Networks and consortia this organisation belongs to."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["country_code"]),
            models.Index(fields=["kind"]),
            models.Index(Lower("name"), name="organisation_name_lower"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationName(models.Model):
    """The organisation's name in another language (EWP carries names with an xml:lang)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="translations")
    language_code = models.CharField(max_length=3, validators=[validate_language_code])
    name = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "language_code"], name="one_name_per_language")
        ]
        ordering = ["language_code"]

    def __str__(self) -> str:
        return f"{self.name} [{self.language_code}]"


class OrganisationLanguage(models.Model):
    """A language of instruction."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="languages")
    language_code = models.CharField(max_length=3, validators=[validate_language_code])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language_code"], name="unique_instruction_language"
            )
        ]
        indexes = [models.Index(fields=["language_code"])]

    def __str__(self) -> str:
        return self.language_code


class OrganisationField(models.Model):
    """A field of strength, as an ISCED-F 2013 code (broad, narrow or detailed)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="fields")
    isced_code = models.CharField(max_length=4, validators=[validate_isced_code])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "isced_code"], name="unique_field_of_strength")
        ]
        indexes = [models.Index(fields=["isced_code"])]

    def __str__(self) -> str:
        return self.isced_code


class OrganisationalUnit(VersionedModel):
    """A faculty, department or office; units form a tree inside one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=64, blank=True)
    abbreviation = models.CharField(max_length=32, blank=True)
    website = models.URLField(blank=True)
    ewp_id = models.CharField(
        _("EWP ounit-id"),
        max_length=64,
        blank=True,
        help_text=_(
            "The id the institution's own EWP node gives this unit, for partners' units; "
            "units of institutions Accord serves are published under their Accord id."
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~models.Q(code=""),
                name="unique_unit_code_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["organisation", "ewp_id"],
                condition=~models.Q(ewp_id=""),
                name="unique_unit_ewp_id_per_organisation",
            ),
        ]

    @property
    def ounit_id(self) -> str:
        """The id EWP documents use for this unit."""
        return self.ewp_id or str(self.pk)

    def __str__(self) -> str:
        return self.name


class Contact(VersionedModel):
    """A person to reach at an organisation, with the role they play for partners."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey(
        OrganisationalUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True, help_text=_("E.164, e.g. +48221234567"))
    role = models.CharField(
        max_length=32, choices=ContactRole.choices, default=ContactRole.INTERNATIONAL_OFFICE
    )
    position = models.CharField(max_length=200, blank=True)
    visibility = models.CharField(
        max_length=16, choices=ContactVisibility.choices, default=ContactVisibility.MEMBERS
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            # Imports match contacts by e-mail, so two at once must not both add the same person.
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=~models.Q(email=""),
                name="unique_contact_email_per_organisation",
                violation_error_message=_("This organisation already has a contact with this e-mail."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Factsheet(VersionedModel):
    """What an institution tells incoming exchange students and their sending institutions: when
    nominations and applications must arrive for each term, how many weeks it takes to decide and to
    issue the transcript of records, which documents an application needs, and whom to ask about the
    application, accessibility, housing, visas and insurance.

    It is public: every signed-in user may read it, and the EWP node serves it through the Mobility
    Factsheet API for the institutions it speaks for. Its admins and coordinators keep it up to date
    (``services.factsheet_update``). Deadlines are a month and a day (``MM-DD``), the same every year.
    The repeatable parts are lists of small records, validated by the service:
    ``additional_requirements`` ``{name, details, website}``, ``accessibility``
    ``{type, name, description, email, phone, website}`` and ``additional_info``
    ``{type, email, phone, website}``.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="factsheet"
    )
    nominations_autumn = models.CharField(_("nominations deadline, autumn term"), max_length=5)
    nominations_spring = models.CharField(_("nominations deadline, spring term"), max_length=5)
    applications_autumn = models.CharField(_("applications deadline, autumn term"), max_length=5)
    applications_spring = models.CharField(_("applications deadline, spring term"), max_length=5)
    decision_weeks_limit = models.PositiveSmallIntegerField(_("decision within (weeks)"))
    tor_weeks_limit = models.PositiveSmallIntegerField(_("transcript of records within (weeks)"))

    application_email = models.EmailField(_("application e-mail"))
    application_phone = models.CharField(_("application phone"), max_length=16)
    application_website = models.URLField(_("application website"), max_length=500)
    housing_email = models.EmailField(_("housing e-mail"))
    housing_phone = models.CharField(_("housing phone"), max_length=16)
    housing_website = models.URLField(_("housing website"), max_length=500)
    visa_email = models.EmailField(_("visa e-mail"))
    visa_phone = models.CharField(_("visa phone"), max_length=16)
    visa_website = models.URLField(_("visa website"), max_length=500)
    insurance_email = models.EmailField(_("insurance e-mail"))
    insurance_phone = models.CharField(_("insurance phone"), max_length=16)
    insurance_website = models.URLField(_("insurance website"), max_length=500)

    additional_requirements = models.JSONField(default=list, blank=True)
    accessibility = models.JSONField(default=list, blank=True)
    additional_info = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision_weeks_limit__gte=1, tor_weeks_limit__gte=1),
                name="factsheet_weeks_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Factsheet of {self.organisation_id}"
