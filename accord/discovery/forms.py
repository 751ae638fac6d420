"""The forms of the discovery pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.algorithms.discovery.partners import DEFAULT_WEIGHTS
from accord.core.forms import AccordForm

FACTOR_LABELS = {
    "subjects": _("Subject overlap (ISCED-F)"),
    "profile": _("Profile similarity"),
    "complementarity": _("What one offers, the other seeks"),
    "languages": _("Shared languages of instruction"),
    "reciprocity": _("Reciprocity potential"),
    "network": _("Network proximity"),
    "new_region": _("Region under-represented among our partners"),
    "south_south": _("South–South cooperation"),
}


class WeightsForm(AccordForm):
    organisation = forms.TypedChoiceField(label=_("Recommend partners for"), coerce=int)
    unit = forms.ChoiceField(label=_("For one of its units (optional)"), required=False)
    objective = forms.ChoiceField(label=_("For a partnership objective (optional)"), required=False)
    focus = forms.CharField(
        label=_("Other focus (optional)"),
        required=False,
        help_text=_("Words added to the profile, such as the subjects you want partners for."),
    )

    def __init__(self, *args, organisations, units=(), objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations
        self.fields["unit"].choices = [("", "—"), *units]
        self.fields["objective"].choices = [("", "—"), *objectives]
        for name, default in DEFAULT_WEIGHTS.items():
            self.fields[f"w_{name}"] = forms.FloatField(
                label=FACTOR_LABELS[name], min_value=0, max_value=10, initial=default, required=False
            )

    def weights(self) -> dict[str, float]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            name: (data.get(f"w_{name}") if data.get(f"w_{name}") is not None else default)
            for name, default in DEFAULT_WEIGHTS.items()
        }


class EquivalentsForm(AccordForm):
    home = forms.TypedChoiceField(label=_("Home institution"), coerce=int)
    title = forms.CharField(label=_("Host course title"), max_length=255)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    ects = forms.DecimalField(label=_("ECTS credits"), required=False, min_value=0, max_value=60)
    isced = forms.CharField(label=_("Field of education (ISCED-F)"), max_length=4, required=False)
    eqf = forms.IntegerField(label=_("EQF level"), required=False, min_value=1, max_value=8)
    language = forms.CharField(label=_("Language"), max_length=8, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].choices = organisations
