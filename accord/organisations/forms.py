"""Forms of the directory pages.

They parse what people type; the rules live in ``services``, whose ``ValidationFailed`` errors are
attached back to the fields (``accord.core.forms.add_domain_errors``) so that a refused save explains itself.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core import forms as core_forms
from accord.core.errors import ValidationFailed
from accord.organisations.choices import ContactRole, ContactVisibility, OrganisationKind
from accord.organisations.models import Organisation, OrganisationalUnit
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
        data = {key: value for key, value in self.cleaned_data.items() if key not in ("city", "logo")}
        logo = self.cleaned_data.get("logo")
        if logo is False:  # "Clear" ticked
            data["logo"] = ""
        elif logo and "logo" in self.files:
            data["logo"] = logo
        return data


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
