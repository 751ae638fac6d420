from datetime import datetime

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


class OrganisationIn(Schema):
    kind: OrganisationKind
    name: str = Field(..., min_length=1, max_length=255)
    country_code: str = Field(..., min_length=2, max_length=2)
    abbreviation: str = ""
    schac_code: str = ""
    erasmus_code: str = ""
    pic: str = ""
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
