from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from accord.organisations.choices import ContactRole, ContactVisibility, OrganisationKind


class OrganisationSummaryOut(Schema):
    id: int
    kind: OrganisationKind
    name: str
    abbreviation: str
    country_code: str
    city_name: str
    schac_code: str | None
    erasmus_code: str | None


class OrganisationOut(OrganisationSummaryOut):
    pic: str | None
    oid: str | None
    ror_id: str | None
    city_geonameid: int | None
    latitude: float | None
    longitude: float | None
    timezone: str
    street_address: str
    postal_code: str
    website: str
    logo_url: str | None = None
    mission: str
    offers: str
    seeks: str
    languages: list[str]
    fields: list[str]
    translations: dict[str, str]
    networks: list[int]
    internal_notes: str | None = Field(
        None, description="Only for the organisation's admins and coordinators."
    )
    created_at: datetime
    updated_at: datetime
    version: int = Field(..., description="Counts the writes; the ETag of the profile's reads carries it.")


class OrganisationIn(Schema):
    kind: OrganisationKind
    name: str = Field(..., min_length=1, max_length=255)
    country_code: str = Field(..., min_length=2, max_length=2)
    abbreviation: str = ""
    schac_code: str = ""
    erasmus_code: str = ""
    pic: str = ""
    oid: str = ""
    ror_id: str = ""
    city_geonameid: int | None = None
    street_address: str = ""
    postal_code: str = ""
    website: str = ""
    mission: str = ""
    offers: str = ""
    seeks: str = ""
    internal_notes: str = ""
    languages: list[str] = []
    fields: list[str] = []
    translations: dict[str, str] = {}
    networks: list[int] = []


class OrganisationPatch(Schema):
    kind: OrganisationKind | None = None
    name: str | None = Field(None, min_length=1, max_length=255)
    country_code: str | None = Field(None, min_length=2, max_length=2)
    abbreviation: str | None = None
    schac_code: str | None = None
    erasmus_code: str | None = None
    pic: str | None = None
    oid: str | None = None
    ror_id: str | None = None
    city_geonameid: int | None = None
    street_address: str | None = None
    postal_code: str | None = None
    website: str | None = None
    mission: str | None = None
    offers: str | None = None
    seeks: str | None = None
    internal_notes: str | None = None
    languages: list[str] | None = None
    fields: list[str] | None = None
    translations: dict[str, str] | None = None
    networks: list[int] | None = None


class UnitOut(Schema):
    id: int
    name: str
    code: str
    abbreviation: str
    website: str
    parent_id: int | None
    version: int = Field(..., description="Counts the writes; the ETag of the unit's reads carries it.")


class UnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    code: str = ""
    abbreviation: str = ""
    website: str = ""
    parent_id: int | None = None


class UnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=255)
    code: str | None = None
    abbreviation: str | None = None
    website: str | None = None
    parent_id: int | None = None


class ContactOut(Schema):
    id: int
    given_name: str
    family_name: str
    email: str
    phone: str
    role: ContactRole
    position: str
    visibility: ContactVisibility
    unit_id: int | None
    version: int = Field(..., description="Counts the writes; the ETag of the contact's reads carries it.")


class ContactIn(Schema):
    given_name: str = Field(..., min_length=1, max_length=100)
    family_name: str = Field(..., min_length=1, max_length=100)
    email: str = ""
    phone: str = ""
    role: ContactRole = ContactRole.INTERNATIONAL_OFFICE
    position: str = ""
    visibility: ContactVisibility = ContactVisibility.MEMBERS
    unit_id: int | None = None


class ContactPatch(Schema):
    given_name: str | None = Field(None, min_length=1, max_length=100)
    family_name: str | None = Field(None, min_length=1, max_length=100)
    email: str | None = None
    phone: str | None = None
    role: ContactRole | None = None
    position: str | None = None
    visibility: ContactVisibility | None = None
    unit_id: int | None = None


class RequirementItem(Schema):
    name: str = Field(
        ...,
        description="One of the document names the EWP specification reserves "
        "(e.g. 'Motivation letter', 'CV') or a requirement students are only told about.",
    )
    details: str
    website: str = ""


class AccessibilityItem(Schema):
    type: Literal["infrastructure", "service"]
    name: str
    description: str = ""
    email: str
    phone: str = Field(..., description="E.164, e.g. +48221234567")
    website: str


class AdditionalInfoItem(Schema):
    type: str = Field(..., description="What the information is about, e.g. 'Recognition process'.")
    email: str
    phone: str
    website: str


class FactsheetIn(Schema):
    """The whole factsheet: PUT replaces what was recorded. Deadlines are ``MM-DD`` (every year)."""

    nominations_autumn: str = Field(..., examples=["05-15"])
    nominations_spring: str = Field(..., examples=["11-15"])
    applications_autumn: str = Field(..., examples=["06-01"])
    applications_spring: str = Field(..., examples=["12-01"])
    decision_weeks_limit: int = Field(..., description="Weeks to send the decision (1–52).")
    tor_weeks_limit: int = Field(..., description="Weeks to issue the transcript of records (1–52).")
    application_email: str
    application_phone: str
    application_website: str
    housing_email: str
    housing_phone: str
    housing_website: str
    visa_email: str
    visa_phone: str
    visa_website: str
    insurance_email: str
    insurance_phone: str
    insurance_website: str
    additional_requirements: list[RequirementItem] = []
    accessibility: list[AccessibilityItem] = []
    additional_info: list[AdditionalInfoItem] = []


class FactsheetOut(FactsheetIn):
    organisation_id: int
    updated_at: datetime
    version: int = Field(..., description="Counts the writes; the ETag of the factsheet's reads carries it.")
