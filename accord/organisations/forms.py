"""The directory's forms: an organisation's profile, its units and contacts, and its factsheet for incoming
students.

The forms only parse; the services decide what is valid. The factsheet's errors come back keyed like
``housing_phone`` or ``accessibility.1.email`` and are attached to the field that was typed
(:meth:`FactsheetForms.add_errors`), the list index being that of the rows that were sent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core import forms as core_forms
from accord.core.errors import ValidationFailed
from accord.organisations.choices import ContactRole, ContactVisibility, OrganisationKind
from accord.organisations.factsheet import DEADLINE_FIELDS, INFORMATION_KINDS, LIST_FIELDS, WEEKS_FIELDS
from accord.organisations.factsheet_rules import DOCUMENT_REQUIREMENTS, MAX_WEEKS
from accord.organisations.models import Factsheet, Organisation, OrganisationalUnit
from accord.reference.forms import CountryField, IscedMultipleField, LanguageMultipleField

# The shared filter form names its orderings by their keys; the page shows these instead.
ORDERING_LABELS = {
    "name": _("Name (A–Z)"),
    "-name": _("Name (Z–A)"),
    "country": _("Country"),
    "newest": _("Newest first"),
}

# Service error keys that a form shows under another field (the city is picked through a text box).
ERROR_FIELD_ALIASES = {"city_geonameid": "city", "country": "country_code", "parent_id": "parent"}


def humanise_orderings(form: forms.Form) -> forms.Form:
    """Give the shared filter form's ordering choices readable, translated labels."""
    form.fields["ordering"].choices = [
        (key, ORDERING_LABELS.get(key, key)) for key, _label in form.fields["ordering"].choices
    ]
    return form


def add_domain_errors(form: forms.Form, error: ValidationFailed) -> None:
    """Attach a service's field errors to a directory form, under the directory's field names."""
    core_forms.add_domain_errors(form, error, aliases=ERROR_FIELD_ALIASES)


def unit_choices(tree: list[tuple[OrganisationalUnit, int]], *, exclude: int | None = None) -> list:
    """(id, name indented by depth) for a unit select, in tree order."""
    return [("", _("— none —"))] + [
        (str(unit.pk), "\u2003" * depth + unit.name) for unit, depth in tree if unit.pk != exclude
    ]


class OrganisationForm(core_forms.AccordForm):
    """An organisation's public profile, identifiers and internal notes."""

    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    abbreviation = forms.CharField(label=_("Abbreviation"), max_length=32, required=False)
    schac_code = forms.CharField(
        label=_("SCHAC code"), required=False, max_length=253, help_text=_("The EWP hei-id, e.g. uw.edu.pl")
    )
    erasmus_code = forms.CharField(
        label=_("Erasmus code"), required=False, max_length=20, help_text=_("e.g. PL WARSZAW01")
    )
    pic = forms.CharField(
        label=_("PIC"),
        required=False,
        max_length=20,
        help_text=_("Participant Identification Code: 9 digits"),
    )
    oid = forms.CharField(
        label=_("OID"),
        required=False,
        max_length=20,
        help_text=_("Erasmus+ Organisation ID: E and 8 digits, e.g. E10208529"),
    )
    ror_id = forms.CharField(
        label=_("ROR id"),
        required=False,
        max_length=40,
        help_text=_("e.g. 039bjqg32 or https://ror.org/039bjqg32"),
    )
    country_code = CountryField(label=_("Country"))
    city = forms.CharField(
        label=_("City"),
        required=False,
        max_length=200,
        help_text=_("Type the first letters, then choose the city from the list."),
    )
    city_geonameid = forms.IntegerField(required=False, widget=forms.HiddenInput)
    street_address = forms.CharField(label=_("Street address"), max_length=255, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=32, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = forms.ImageField(label=_("Logo"), required=False)
    mission = forms.CharField(label=_("Mission"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    offers = forms.CharField(
        label=_("What we offer partners"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    seeks = forms.CharField(
        label=_("What we seek in partners"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by this organisation's admins and coordinators."),
    )
    languages = LanguageMultipleField(
        label=_("Languages of instruction"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    fields = IscedMultipleField(
        label=_("Fields of strength"), required=False, widget=forms.SelectMultiple(attrs={"size": 10})
    )
    translations = forms.CharField(
        label=_("Name in other languages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: language code, colon, name — e.g. “fr: Université de Varsovie”."),
    )
    networks = forms.TypedMultipleChoiceField(
        label=_("Networks"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Networks and consortia this organisation belongs to."),
    )

    def __init__(self, *args, networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["networks"].choices = [(network.pk, network.name) for network in networks]
        self.fields["city"].widget.attrs["autocomplete"] = "off"

    @classmethod
    def initial_from(cls, organisation: Organisation) -> dict:
        """The initial values; relations should be prefetched (``selectors.organisation_profile``)."""
        return {
            **{
                name: getattr(organisation, name)
                for name in (
                    "name",
                    "kind",
                    "abbreviation",
                    "schac_code",
                    "erasmus_code",
                    "pic",
                    "oid",
                    "ror_id",
                    "country_code",
                    "street_address",
                    "postal_code",
                    "website",
                    "logo",
                    "mission",
                    "offers",
                    "seeks",
                    "internal_notes",
                    "city_geonameid",
                )
            },
            "city": organisation.city_name,
            "languages": [language.language_code for language in organisation.languages.all()],
            "fields": [field.isced_code for field in organisation.fields.all()],
            "translations": "\n".join(
                f"{t.language_code}: {t.name}" for t in organisation.translations.all()
            ),
            "networks": [network.pk for network in organisation.networks.all()],
        }

    def clean_translations(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["translations"].splitlines(), start=1):
            if not line.strip():
                continue
            language, colon, name = line.partition(":")
            if not colon or not language.strip() or not name.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write a language code, a colon and the name."),
                    params={"number": number},
                )
            names[language.strip().lower()] = name.strip()
        return names

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("city") or "").strip():
            cleaned["city_geonameid"] = None
        return cleaned

    def service_data(self) -> dict:
        """Cleaned values as the keyword arguments of ``organisation_create`` / ``organisation_update``."""
        skipped = ("city", "logo", "version")
        data = {key: value for key, value in self.cleaned_data.items() if key not in skipped}
        logo = self.cleaned_data.get("logo")
        if logo is False:  # "Clear" ticked
            data["logo"] = ""
        elif logo and "logo" in self.files:
            data["logo"] = logo
        return data


class OrganisationEditForm(core_forms.VersionedFormMixin, OrganisationForm):
    """The profile of an existing organisation, with the version it was opened at."""


class UnitForm(core_forms.AccordForm):
    """A faculty, department or office, placed in the unit tree by its parent."""

    name = forms.CharField(label=_("Name"), max_length=255)
    code = forms.CharField(label=_("Code"), max_length=64, required=False)
    abbreviation = forms.CharField(label=_("Abbreviation"), max_length=32, required=False)
    parent = forms.ChoiceField(label=_("Part of"), required=False)

    def __init__(self, *args, tree=(), exclude: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = unit_choices(list(tree), exclude=exclude)


class ContactForm(core_forms.AccordForm):
    """A person partners can reach, and who may see them."""

    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_("International format, e.g. +48221234567"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=ContactVisibility.choices, initial=ContactVisibility.MEMBERS
    )

    def __init__(self, *args, tree=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(list(tree))
        self.fields["phone"].widget.input_type = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class UnitEditForm(core_forms.VersionedFormMixin, UnitForm):
    """An existing unit, with the version it was opened at."""


class ContactEditForm(core_forms.VersionedFormMixin, ContactForm):
    """An existing contact, with the version it was opened at."""


_DEADLINE_HELP = _("Month and day, the same every year: MM-DD, e.g. 04-30.")
_INFORMATION_LABELS = {
    "application": _("Applications"),
    "housing": _("Housing"),
    "visa": _("Visas"),
    "insurance": _("Insurance"),
}


def _email(label) -> forms.CharField:
    return forms.CharField(label=label, max_length=254, widget=forms.EmailInput)


def _phone(label) -> forms.CharField:
    field = forms.CharField(
        label=label, max_length=32, help_text=_("International format, e.g. +48221234567")
    )
    field.widget.input_type = "tel"
    return field


def _website(label, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=500, required=required, widget=forms.URLInput)


class FactsheetForm(core_forms.AccordForm):
    """Deadlines, delays and the four required information points."""

    nominations_autumn = forms.CharField(
        label=_("Nominations, autumn term"), max_length=7, help_text=_DEADLINE_HELP
    )
    nominations_spring = forms.CharField(
        label=_("Nominations, spring term"), max_length=7, help_text=_DEADLINE_HELP
    )
    applications_autumn = forms.CharField(
        label=_("Applications, autumn term"), max_length=7, help_text=_DEADLINE_HELP
    )
    applications_spring = forms.CharField(
        label=_("Applications, spring term"), max_length=7, help_text=_DEADLINE_HELP
    )
    decision_weeks_limit = forms.IntegerField(
        label=_("Decision sent within (weeks)"),
        min_value=1,
        max_value=MAX_WEEKS,
        help_text=_("At most 5 is advised."),
    )
    tor_weeks_limit = forms.IntegerField(
        label=_("Transcript of records issued within (weeks)"),
        min_value=1,
        max_value=MAX_WEEKS,
        help_text=_("At most 5 is advised."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in INFORMATION_KINDS:
            label = _INFORMATION_LABELS[kind]
            self.fields[f"{kind}_email"] = _email(_("%(topic)s: e-mail") % {"topic": label})
            self.fields[f"{kind}_phone"] = _phone(_("%(topic)s: phone") % {"topic": label})
            self.fields[f"{kind}_website"] = _website(_("%(topic)s: website") % {"topic": label})

    def deadline_fields(self) -> list:
        return [self[name] for name in (*DEADLINE_FIELDS, *WEEKS_FIELDS)]

    def information_groups(self) -> list[tuple[str, list]]:
        return [
            (_INFORMATION_LABELS[kind], [self[f"{kind}_{part}"] for part in ("email", "phone", "website")])
            for kind in INFORMATION_KINDS
        ]


class RequirementForm(core_forms.AccordForm):
    name = forms.CharField(
        label=_("Requirement"),
        max_length=255,
        help_text=_("Documents students send are named exactly: %(names)s.")
        % {"names": ", ".join(DOCUMENT_REQUIREMENTS)},
    )
    details = forms.CharField(label=_("Details"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    website = _website(_("Information website"), required=False)


class AccessibilityForm(core_forms.AccordForm):
    type = forms.ChoiceField(
        label=_("Kind"),
        # The blank choice keeps the empty extra row unchanged, so that it adds nothing.
        choices=[("", "—"), ("service", _("Service")), ("infrastructure", _("Infrastructure"))],
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    email = _email(_("E-mail"))
    phone = _phone(_("Phone"))
    website = _website(_("Website"))


class AdditionalInfoForm(core_forms.AccordForm):
    type = forms.CharField(label=_("Topic"), max_length=255, help_text=_("e.g. Recognition process"))
    email = _email(_("E-mail"))
    phone = _phone(_("Phone"))
    website = _website(_("Website"))


_FORMSETS = {
    "additional_requirements": (RequirementForm, _("Additional requirements")),
    "accessibility": (AccessibilityForm, _("Accessibility: support for students with special needs")),
    "additional_info": (AdditionalInfoForm, _("Further information")),
}


class FactsheetEditForm(core_forms.VersionedFormMixin, FactsheetForm):
    """The main part of a recorded factsheet, with the version it was opened at."""


class FactsheetForms:
    """The main form and the three list formsets, bound and validated together."""

    def __init__(self, data=None, *, factsheet: Factsheet | None = None):
        initial = {name: getattr(factsheet, name) for name in FactsheetForm.base_fields} if factsheet else {}
        if factsheet:
            initial.update(
                {
                    f"{kind}_{part}": getattr(factsheet, f"{kind}_{part}")
                    for kind in INFORMATION_KINDS
                    for part in ("email", "phone", "website")
                }
            )
        if factsheet:
            initial["version"] = factsheet.version
        self.main = (FactsheetEditForm if factsheet else FactsheetForm)(data, initial=initial)
        self.formsets = {}
        for name in LIST_FIELDS:
            form_class, title = _FORMSETS[name]
            formset_class = forms.formset_factory(form_class, extra=1, can_delete=True, max_num=50)
            formset = formset_class(data, prefix=name, initial=getattr(factsheet, name) if factsheet else [])
            formset.title = title
            self.formsets[name] = formset
        self._sent: dict[str, list[forms.Form]] = {}

    def is_valid(self) -> bool:
        valid = self.main.is_valid()
        return all([formset.is_valid() for formset in self.formsets.values()]) and valid

    def service_data(self) -> dict:
        """The cleaned values as ``factsheet_update`` keyword arguments (blank and deleted rows left out)."""
        data = {key: value for key, value in self.main.cleaned_data.items() if key != "version"}
        for name, formset in self.formsets.items():
            deleted = formset.deleted_forms
            kept = formset.initial_form_count()
            sent = [
                form
                for number, form in enumerate(formset.forms)
                if (number < kept or form.has_changed()) and form not in deleted
            ]
            self._sent[name] = sent
            data[name] = [
                {key: value for key, value in form.cleaned_data.items() if key != "DELETE"} for form in sent
            ]
        return data

    @property
    def expected_version(self) -> int | None:
        return self.main.cleaned_data.get("version")

    def add_errors(self, error: ValidationFailed) -> None:
        for key, messages in error.errors.items():
            name, _dot, rest = key.partition(".")
            index, _dot, field = rest.partition(".")
            if name in self._sent and index.isdigit() and int(index) < len(self._sent[name]):
                form = self._sent[name][int(index)]
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            else:
                core_forms.add_domain_errors(self.main, ValidationFailed({key: messages}))
