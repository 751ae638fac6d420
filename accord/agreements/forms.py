"""Forms of the agreement pages.

They parse what people type into the pieces of an agreement document (a cooperation condition, the
terms); the rules of the document live in ``accord.algorithms.agreements.parse`` and the services,
whose ``ValidationFailed`` errors name fields by their path in the document
(``conditions[0].eqf_levels``). ``add_content_errors`` maps those paths back to the inputs.
"""

import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.algorithms.agreements.content import AGREEMENT_TYPES, MOBILITY_TYPES
from accord.core import forms as core_forms
from accord.core.errors import ValidationFailed
from accord.reference.forms import (
    AcademicYearField,
    CefrField,
    IscedMultipleField,
    eqf_choices,
    language_choices,
)
from accord.reference.languages import language_name

MOBILITY_TYPE_LABELS = {
    "student_studies": _("Student mobility for studies"),
    "student_traineeship": _("Student mobility for traineeships"),
    "staff_teaching": _("Staff mobility for teaching"),
    "staff_training": _("Staff mobility for training"),
}
AGREEMENT_TYPE_LABELS = {
    "erasmus_iia": _("Erasmus+ inter-institutional agreement"),
    "memorandum_of_understanding": _("Memorandum of understanding"),
    "specific_agreement": _("Specific agreement"),
    "other": _("Other agreement"),
}
MOBILITY_TYPE_CHOICES = [(value, MOBILITY_TYPE_LABELS[value]) for value in MOBILITY_TYPES]
AGREEMENT_TYPE_CHOICES = [(value, AGREEMENT_TYPE_LABELS[value]) for value in AGREEMENT_TYPES]
TERMS_TEXTS = ("fees", "insurance", "housing", "funding_commitments", "other_terms", "termination_notice")
# A new condition offers this many language rows; an existing one one more than it has.
LANGUAGE_ROWS = 2
SELECT_SEVERAL = _("To choose several, hold Ctrl (⌘ on a Mac) while clicking.")
TEXTAREA = forms.Textarea(attrs={"rows": 3})

_CONDITION_PATH = re.compile(r"conditions\[(\d+)\]\.(.+)")
_SKILL_PATH = re.compile(r"language_skills\[(\d+)\](?:\.(language|cefr_level))?.*")


def _aliases(paths, field_for) -> dict[str, str]:
    """Service error key → form field; the version a form started from is hidden, so its errors are
    the form's own."""
    aliases = {path: field for path in paths if (field := field_for(path))}
    return {**aliases, "base_version": "__all__"}


class ConditionForm(core_forms.AccordForm):
    """One cooperation condition: who sends whom, what kind of mobility, how many, in which years.

    ``partners`` are the (value, name) choices for the sending and receiving partner; the caller says
    how a value becomes the partner's index in the document (``condition(partner_index=…)``).
    ``base`` is the condition as stored, so that what the form does not edit (units, clarifications
    of subject areas) is kept. With ``optional``, every field may be left empty: a condition is only
    made when a mobility type is chosen (the first condition of a new agreement).
    """

    mobility_type = forms.ChoiceField(label=_("Mobility type"), choices=MOBILITY_TYPE_CHOICES)
    sending_partner = forms.ChoiceField(label=_("Sending partner"))
    receiving_partner = forms.ChoiceField(label=_("Receiving partner"))
    first_academic_year = AcademicYearField(label=_("First academic year"))
    last_academic_year = AcademicYearField(label=_("Last academic year"))
    mobilities_per_year = forms.IntegerField(
        label=_("Mobilities per year"), widget=forms.NumberInput(attrs={"min": 1})
    )
    total_months_per_year = forms.DecimalField(
        label=_("Total months per year"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        help_text=_("For student mobility."),
    )
    total_days_per_year = forms.DecimalField(
        label=_("Total days per year"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        help_text=_("For staff mobility."),
    )
    subject_areas = IscedMultipleField(
        label=_("Subject areas (ISCED-F)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=SELECT_SEVERAL,
    )
    eqf_levels = forms.TypedMultipleChoiceField(
        label=_("EQF levels"),
        required=False,
        coerce=int,
        choices=eqf_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For student mobility."),
    )
    blended = forms.BooleanField(label=_("Blended mobility"), required=False)
    other_info = forms.CharField(label=_("Other information"), required=False, widget=TEXTAREA)
    summary = forms.CharField(
        label=_("What changed and why"),
        required=False,
        max_length=500,
        help_text=_("Kept with the new version, for the partners and the record."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        partners: Sequence[tuple[str, str]] = (),
        base: Mapping[str, Any] | None = None,
        optional: bool = False,
        **kwargs,
    ):
        self.base = dict(base or {})
        skills = self.base.get("language_skills") or []
        if self.base.get("mobility_type"):
            kwargs["initial"] = {**self.initial_from(self.base), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        for name in ("sending_partner", "receiving_partner"):
            self.fields[name].choices = [("", "---------"), *partners]
        self.language_rows = max(LANGUAGE_ROWS, len(skills) + 1)
        known = {code for code, _name in language_choices()}
        # A code written through the API may be an ISO 639-3 one the list lacks: offer it, so that
        # editing another field does not drop it.
        extra = [(s["language"], language_name(s["language"])) for s in skills if s["language"] not in known]
        for row in range(self.language_rows):
            self.fields[f"language_{row}"] = forms.ChoiceField(
                label=_("Language"),
                required=False,
                choices=lambda extra=extra: [("", "---------"), *extra, *language_choices()],
            )
            self.fields[f"cefr_{row}"] = CefrField(label=_("Minimum CEFR level"), required=False)
        self.optional = optional
        if optional:
            for field in self.fields.values():
                field.required = False
            # Without an empty choice the browser always submits a mobility type, and the condition
            # the user meant to leave out becomes required.
            self.fields["mobility_type"].choices = [("", "---------"), *MOBILITY_TYPE_CHOICES]
        self.skill_rows: list[int] = []

    @staticmethod
    def initial_from(condition: Mapping[str, Any]) -> dict[str, Any]:
        initial = {
            name: condition.get(name)
            for name in (
                "mobility_type",
                "first_academic_year",
                "last_academic_year",
                "mobilities_per_year",
                "total_months_per_year",
                "total_days_per_year",
                "eqf_levels",
                "blended",
                "other_info",
            )
        }
        initial["sending_partner"] = str(condition["sending_partner"])
        initial["receiving_partner"] = str(condition["receiving_partner"])
        initial["subject_areas"] = [area["isced_code"] for area in condition.get("subject_areas") or []]
        for row, skill in enumerate(condition.get("language_skills") or []):
            initial[f"language_{row}"] = skill["language"]
            initial[f"cefr_{row}"] = skill.get("cefr_level") or ""
        return initial

    def language_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The (language, CEFR level) inputs, row by row, for the template."""
        return [(self[f"language_{row}"], self[f"cefr_{row}"]) for row in range(self.language_rows)]

    def has_condition(self) -> bool:
        return bool(self.cleaned_data.get("mobility_type"))

    def clean(self):
        cleaned = super().clean()
        for row in range(self.language_rows):
            if cleaned.get(f"cefr_{row}") and not cleaned.get(f"language_{row}"):
                self.add_error(f"language_{row}", _("Choose the language this level is for."))
        return cleaned

    def condition(self, *, partner_index: Mapping[str, int]) -> dict[str, Any]:
        """The condition as the document holds it; a partner not among ``partner_index`` is a form error."""
        data = self.cleaned_data
        condition = {**self.base, "key": self.base.get("key") or uuid.uuid4().hex}
        condition["mobility_type"] = data["mobility_type"]
        for name in ("sending_partner", "receiving_partner"):
            if data.get(name) in partner_index:
                condition[name] = partner_index[data[name]]
            elif data.get(name):
                self.add_error(name, _("Choose one of the agreement's partners."))
        for name in ("first_academic_year", "last_academic_year"):
            if data.get(name) is not None:
                condition[name] = data[name].label
        if data.get("mobilities_per_year") is not None:
            condition["mobilities_per_year"] = data["mobilities_per_year"]
        for name in ("total_months_per_year", "total_days_per_year"):
            condition[name] = str(data[name]) if data.get(name) is not None else None
        clarifications = {
            area["isced_code"]: area.get("clarification") for area in self.base.get("subject_areas") or []
        }
        condition["subject_areas"] = [
            {"isced_code": code, "clarification": clarifications.get(code)} for code in data["subject_areas"]
        ]
        condition["eqf_levels"] = data["eqf_levels"]
        condition["language_skills"] = self._language_skills()
        condition["blended"] = data["blended"]
        condition["other_info"] = data["other_info"]
        return condition

    def _language_skills(self) -> list[dict[str, Any]]:
        # A skill limited to a subject area through the API keeps that area while its language stays.
        before = {skill["language"]: skill for skill in self.base.get("language_skills") or []}
        skills = []
        self.skill_rows = []
        for row in range(self.language_rows):
            language = self.cleaned_data.get(f"language_{row}")
            if not language:
                continue
            kept = before.get(language, {})
            skills.append(
                {
                    "language": language,
                    "cefr_level": self.cleaned_data.get(f"cefr_{row}") or None,
                    "isced_code": kept.get("isced_code"),
                    "clarification": kept.get("clarification"),
                }
            )
            self.skill_rows.append(row)
        return skills

    def field_for(self, path: str, index: int) -> str | None:
        """The input that shows an error at ``path`` about condition ``index``, if any."""
        match = _CONDITION_PATH.fullmatch(path)
        if match is None or int(match.group(1)) != index:
            return None
        rest = match.group(2)
        if skill := _SKILL_PATH.fullmatch(rest):
            position = int(skill.group(1))
            row = self.skill_rows[position] if position < len(self.skill_rows) else 0
            return f"cefr_{row}" if skill.group(2) == "cefr_level" else f"language_{row}"
        name = re.split(r"[.\[]", rest, maxsplit=1)[0]
        if name == "language_skills":
            return "language_0"
        return name if name in self.fields else None

    def add_content_errors(self, error: ValidationFailed, *, index: int) -> None:
        aliases = _aliases(error.errors, lambda path: self.field_for(path, index))
        core_forms.add_domain_errors(self, error, aliases=aliases)


class AgreementCreateForm(core_forms.AccordForm):
    """A new agreement: its title, type, the organisation that drafts it and the other partners."""

    title = forms.CharField(label=_("Title"), max_length=255)
    agreement_type = forms.ChoiceField(
        label=_("Agreement type"), choices=AGREEMENT_TYPE_CHOICES, initial="erasmus_iia"
    )
    owner = forms.TypedChoiceField(
        label=_("Drafted by"),
        coerce=int,
        help_text=_("The organisation that keeps the record; it is the first partner."),
    )
    partners = forms.TypedMultipleChoiceField(
        label=_("Partners"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The other member organisations bound by the agreement."),
    )

    def __init__(self, *args, owners=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = list(owners)
        self.fields["partners"].choices = list(members)

    def partner_ids(self) -> list[int]:
        """The parties in document order: the drafting organisation first."""
        owner = self.cleaned_data["owner"]
        return [owner, *(pk for pk in self.cleaned_data["partners"] if pk != owner)]

    def document(self, condition: dict[str, Any] | None) -> dict[str, Any]:
        return {
            "partners": [{"organisation_ref": str(pk)} for pk in self.partner_ids()],
            "conditions": [condition] if condition else [],
            "terms": {"agreement_type": self.cleaned_data["agreement_type"]},
        }

    def add_content_errors(self, error: ValidationFailed) -> None:
        """Errors of the agreement as a whole; those of its first condition belong to the condition form."""
        own = {path: messages for path, messages in error.errors.items() if not path.startswith("conditions")}
        if not own:
            return
        error = ValidationFailed(own)

        def field_for(path: str) -> str | None:
            if path.startswith("partners"):
                return "partners"
            if path == "terms.agreement_type":
                return "agreement_type"
            return None

        core_forms.add_domain_errors(self, error, aliases=_aliases(error.errors, field_for))


class TermsForm(core_forms.AccordForm):
    """The agreement's title (record keeping) and its terms beyond the cooperation conditions."""

    title = forms.CharField(label=_("Title"), max_length=255)
    agreement_type = forms.ChoiceField(label=_("Agreement type"), choices=AGREEMENT_TYPE_CHOICES)
    tuition_waiver = forms.BooleanField(label=_("Tuition waiver"), required=False)
    fees = forms.CharField(label=_("Fees"), required=False, widget=TEXTAREA)
    insurance = forms.CharField(label=_("Insurance"), required=False, widget=TEXTAREA)
    housing = forms.CharField(label=_("Housing"), required=False, widget=TEXTAREA)
    funding_commitments = forms.CharField(label=_("Funding commitments"), required=False, widget=TEXTAREA)
    other_terms = forms.CharField(label=_("Other terms"), required=False, widget=TEXTAREA)
    termination_notice = forms.CharField(label=_("Termination notice"), required=False, widget=TEXTAREA)
    summary = forms.CharField(label=_("What changed and why"), required=False, max_length=500)
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_from(cls, title: str, terms: Mapping[str, Any], base_version: int) -> dict[str, Any]:
        return {"title": title, "base_version": base_version, **terms}

    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TERMS_TEXTS]

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "agreement_type": data["agreement_type"],
            "tuition_waiver": data["tuition_waiver"],
            **{name: data[name] for name in TERMS_TEXTS},
        }

    def add_content_errors(self, error: ValidationFailed) -> None:
        """Errors of the agreement as a whole; those of its first condition belong to the condition form."""
        own = {path: messages for path, messages in error.errors.items() if not path.startswith("conditions")}
        if not own:
            return
        error = ValidationFailed(own)

        def field_for(path: str) -> str | None:
            name = path.removeprefix("terms.")
            return name if path.startswith("terms.") and name in self.fields else None

        core_forms.add_domain_errors(self, error, aliases=_aliases(error.errors, field_for))


class ShareForm(forms.Form):
    """Hidden fields only; forms of the agreement's page carry prefixes or no ids, as several share it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id=False, **kwargs)

    version_number = forms.IntegerField(widget=forms.HiddenInput)


class ApproveForm(ShareForm):
    """An approval names the version and the hash of the conditions the approver was shown."""

    conditions_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    organisation = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RemoveConditionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    base_version = forms.IntegerField(widget=forms.HiddenInput)


class RenewForm(core_forms.AccordForm):
    prefix = "renew"
    first_academic_year = AcademicYearField(label=_("First academic year"))
    last_academic_year = AcademicYearField(label=_("Last academic year"))
    base_version = forms.IntegerField(widget=forms.HiddenInput)


class TerminateForm(core_forms.AccordForm):
    prefix = "terminate"
    reason = forms.CharField(
        label=_("Reason"),
        widget=TEXTAREA,
        help_text=_("The partners are told, and read this reason."),
    )


class AttachmentForm(core_forms.AccordForm):
    prefix = "attachment"
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word or OpenDocument text, PNG, JPEG or plain text.")
    )


class DiffForm(forms.Form):
    """Two versions to compare, among those the user may see."""

    old = forms.TypedChoiceField(label=_("From version"), coerce=int)
    new = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, numbers: Sequence[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            self.fields[name].choices = [(number, number) for number in numbers]
