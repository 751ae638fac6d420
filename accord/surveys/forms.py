"""The forms of the survey pages: they parse what people type; the rules live in the services."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accord.core.forms import AccordForm, VersionedFormMixin
from accord.surveys import bank
from accord.surveys.choices import Audience, Phase


def with_version(data: dict) -> dict:
    values = dict(data)
    version = values.pop("version")
    return {**values, "expected_version": version}


def field_name(code: str) -> str:
    """A bank code as a form field name (dots would break the ids' CSS selectors)."""
    return code.replace(".", "-")


class AnswerForm(AccordForm):
    """One field per question of the survey, none of them required: skipping a question is an answer
    too ("I would rather not say")."""

    def __init__(self, *args, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = codes
        for item in bank.items_of(codes):
            if item.scale is None:
                self.fields[field_name(item.code)] = forms.CharField(
                    label=item.text, required=False, widget=forms.Textarea(attrs={"rows": 3})
                )
                continue
            points = item.scale.points
            self.fields[field_name(item.code)] = forms.TypedChoiceField(
                label=item.text,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(index, anchor) for index, anchor in enumerate(item.scale.anchors, start=1)],
                widget=forms.RadioSelect(attrs={"class": "likert"}),
                error_messages={
                    "invalid_choice": _("Choose one of the answers from 1 to %(points)s.")
                    % {"points": points}
                },
            )

    def answers(self) -> tuple[dict[str, int], dict[str, str]]:
        scores, texts = {}, {}
        for item in bank.items_of(self.codes):
            value = self.cleaned_data.get(field_name(item.code))
            if item.scale is None and value:
                texts[item.code] = value
            elif item.scale is not None and value is not None:
                scores[item.code] = value
        return scores, texts

    def dimensions(self) -> list[tuple[str, list]]:
        """The fields grouped under their dimension's heading, in the order asked."""
        grouped = bank.items_by_dimension(self.codes)
        return [
            (str(bank.DIMENSIONS[dimension]), [self[field_name(code)] for code in codes])
            for dimension, codes in grouped.items()
        ]


class ScheduleForm(VersionedFormMixin, AccordForm):
    closes_on = forms.DateField(
        label=_lazy("Closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_lazy("Leave empty to keep the survey open."),
    )
    reminder_every_days = forms.IntegerField(label=_lazy("Remind every (days)"), min_value=1, max_value=60)
    max_reminders = forms.IntegerField(label=_lazy("Reminders at most"), min_value=0, max_value=5)


class TemplateForm(VersionedFormMixin, AccordForm):
    name = forms.CharField(label=_lazy("Name"), max_length=200)
    is_active = forms.BooleanField(label=_lazy("In use for new invitations"), required=False)
    items = forms.MultipleChoiceField(
        label=_lazy("Questions"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(code, item.text) for code, item in bank.ITEMS.items()],
        help_text=_lazy(
            "Once anyone has answered, the questions are frozen; make a new template to change them."
        ),
    )

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if frozen:
            self.fields["items"].disabled = True


class TemplateCreateForm(AccordForm):
    organisation = forms.TypedChoiceField(label=_lazy("Institution"), coerce=int)
    name = forms.CharField(label=_lazy("Name"), max_length=200)
    audience = forms.ChoiceField(label=_lazy("Audience"), choices=Audience.choices)
    phase = forms.ChoiceField(label=_lazy("When"), choices=Phase.choices)

    def __init__(self, *args, organisations: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations


class SurveyOpenForm(AccordForm):
    organisation = forms.TypedChoiceField(label=_lazy("Institution"), coerce=int)
    template = forms.TypedChoiceField(label=_lazy("Template"), coerce=int)
    partnership = forms.TypedChoiceField(
        label=_lazy("Partnership"), coerce=int, required=False, empty_value=None
    )
    period = forms.RegexField(
        label=_lazy("Academic year"),
        regex=r"^\d{4}/\d{4}$",
        help_text=_lazy("For example 2026/2027."),
        error_messages={"invalid": _lazy("Write the academic year as 2026/2027.")},
    )

    def __init__(
        self,
        *args,
        organisations: list[tuple[int, str]],
        templates: list[tuple[int, str]],
        partnerships: list[tuple[int, str]],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations
        self.fields["template"].choices = templates
        self.fields["partnership"].choices = [("", _("None")), *partnerships]


class InviteForm(AccordForm):
    addresses = forms.CharField(
        label=_lazy("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy("One per line. Each person receives a personal link and needs no account."),
    )

    def address_list(self) -> list[str]:
        return [
            line for line in self.cleaned_data["addresses"].replace(",", "\n").splitlines() if line.strip()
        ]
