"""The forms of the virtual exchange pages: they parse what people type; the rules live in the services.

A class's languages, weekly slots and holidays are a few rows of fields each (``language_1``,
``slot_1_weekday``…), turned into the lists the services take by :meth:`ClassProfileForm.profile_data`.
"""

from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.core.forms import AccordForm, VersionedFormMixin
from accord.reference.cefr import all_cefr
from accord.virtual_exchange.choices import SDGS, WEEKDAYS, ConstraintKind, Mode, Visibility

LANGUAGE_ROWS, SLOT_ROWS, HOLIDAY_ROWS = 3, 4, 3
CEFR = [("", "—")] + [(level.code, level.code) for level in all_cefr()]
DAYS = [("", "—")] + [(str(number), name) for number, name in WEEKDAYS]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def zone_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(name, name) for name in sorted(available_timezones()) if "/" in name]


class ClassProfileForm(AccordForm):
    title = forms.CharField(label=_("Class"), max_length=255)
    subject = forms.CharField(label=_("Subject"), max_length=255, required=False)
    isced_code = forms.CharField(
        label=_("Field of education (ISCED-F)"), max_length=4, help_text=_("For example 0731.")
    )
    eqf_level = forms.TypedChoiceField(
        label=_("EQF level"), coerce=int, choices=[(n, str(n)) for n in range(1, 9)], initial=6
    )
    term_start = forms.DateField(label=_("Term start"), widget=DATE)
    term_end = forms.DateField(label=_("Term end"), widget=DATE)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), help_text=_("Where the class meets, such as Europe/Paris.")
    )
    students = forms.IntegerField(label=_("Number of students"))
    weeks_wished = forms.IntegerField(
        label=_("Wished project length in weeks"), initial=6, help_text=_("4 to 15.")
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, initial=Mode.SYNCHRONOUS)
    sdgs = forms.MultipleChoiceField(
        label=_("Sustainable Development Goals"),
        choices=SDGS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_themes = forms.CharField(
        label=_("Other themes"), required=False, help_text=_("Separated by commas.")
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Visibility.choices, initial=Visibility.PARTNERS
    )
    networks = forms.TypedMultipleChoiceField(label=_("Networks"), coerce=int, required=False)

    def __init__(
        self, *args, networks: list[tuple[int, str]] = (), organisations: list[tuple[int, str]] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        if organisations:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Institution"), coerce=int, choices=list(organisations)
            )
            self.order_fields(["organisation"])
        self.fields["time_zone"].choices = zone_choices()
        self.fields["networks"].choices = list(networks)
        for row in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{row}"] = forms.CharField(
                label=_("Language %(row)s") % {"row": row},
                max_length=3,
                required=False,
                help_text=_("For example en."),
            )
            self.fields[f"cefr_{row}"] = forms.ChoiceField(
                label=_("CEFR level of language %(row)s") % {"row": row}, choices=CEFR, required=False
            )
        for row in range(1, SLOT_ROWS + 1):
            self.fields[f"slot_{row}_weekday"] = forms.ChoiceField(
                label=_("Slot %(row)s: day") % {"row": row}, choices=DAYS, required=False
            )
            self.fields[f"slot_{row}_start"] = forms.TimeField(
                label=_("Slot %(row)s: from") % {"row": row}, required=False, widget=TIME
            )
            self.fields[f"slot_{row}_end"] = forms.TimeField(
                label=_("Slot %(row)s: to") % {"row": row}, required=False, widget=TIME
            )
        for row in range(1, HOLIDAY_ROWS + 1):
            self.fields[f"holiday_{row}_start"] = forms.DateField(
                label=_("Holiday %(row)s: first day") % {"row": row}, required=False, widget=DATE
            )
            self.fields[f"holiday_{row}_end"] = forms.DateField(
                label=_("Holiday %(row)s: last day") % {"row": row}, required=False, widget=DATE
            )

    def profile_data(self) -> dict:
        data = self.cleaned_data
        languages = [
            {"language": data[f"language_{row}"], "cefr": data[f"cefr_{row}"]}
            for row in range(1, LANGUAGE_ROWS + 1)
            if data.get(f"language_{row}")
        ]
        slots = [
            {
                "weekday": int(data[f"slot_{row}_weekday"]),
                "start": data[f"slot_{row}_start"],
                "end": data[f"slot_{row}_end"],
            }
            for row in range(1, SLOT_ROWS + 1)
            if data.get(f"slot_{row}_weekday") not in (None, "")
        ]
        holidays = [
            {"start": data[f"holiday_{row}_start"], "end": data[f"holiday_{row}_end"]}
            for row in range(1, HOLIDAY_ROWS + 1)
            if data.get(f"holiday_{row}_start")
        ]
        themes = list(data.get("sdgs") or []) + [
            t.strip() for t in data.get("other_themes", "").split(",") if t.strip()
        ]
        names = (
            "title",
            "subject",
            "isced_code",
            "eqf_level",
            "term_start",
            "term_end",
            "time_zone",
            "students",
        )
        return {
            **{name: data.get(name) for name in names},
            "weeks_wished": data.get("weeks_wished"),
            "mode": data.get("mode"),
            "visibility": data.get("visibility"),
            "languages": languages,
            "slots": slots,
            "holidays": holidays,
            "themes": themes,
        }

    @staticmethod
    def initial_from(profile) -> dict:
        initial = {
            name: getattr(profile, name)
            for name in ("title", "subject", "isced_code", "eqf_level", "term_start", "term_end", "time_zone")
        } | {
            "students": profile.students,
            "weeks_wished": profile.weeks_wished,
            "mode": profile.mode,
            "visibility": profile.visibility,
            "sdgs": [t for t in profile.themes if t.startswith("sdg-")],
            "other_themes": ", ".join(t for t in profile.themes if not t.startswith("sdg-")),
            "networks": list(profile.networks.values_list("pk", flat=True)),
        }
        for row, entry in enumerate(profile.languages, start=1):
            initial |= {f"language_{row}": entry["language"], f"cefr_{row}": entry["cefr"]}
        for row, slot in enumerate(profile.slots, start=1):
            initial |= {
                f"slot_{row}_weekday": str(slot["weekday"]),
                f"slot_{row}_start": slot["start"],
                f"slot_{row}_end": slot["end"],
            }
        for row, span in enumerate(profile.holidays, start=1):
            initial |= {f"holiday_{row}_start": span["start"], f"holiday_{row}_end": span["end"]}
        return initial


class ClassEditForm(VersionedFormMixin, ClassProfileForm):
    pass


class InviteForm(AccordForm):
    to_profile = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the other teacher"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(VersionedFormMixin, AccordForm):
    accept = forms.TypedChoiceField(
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Accept")), ("no", _("Decline"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Reason"), required=False)


class ExchangeForm(VersionedFormMixin, AccordForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    start = forms.DateField(label=_("First week (Monday)"), widget=DATE)
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=52)
    hours = forms.DecimalField(label=_("Hours of student work"), min_value=0, max_digits=5, decimal_places=1)
    ects = forms.DecimalField(
        label=_("ECTS credits"), min_value=0, max_digits=4, decimal_places=1, required=False
    )
    certificate = forms.CharField(label=_("Badge or certificate"), max_length=255, required=False)


class SessionForm(AccordForm):
    title = forms.CharField(label=_("Title"), max_length=255, initial=_("Joint session"))
    weekday = forms.TypedChoiceField(label=_("Day"), coerce=int, choices=WEEKDAYS)
    start = forms.TimeField(label=_("Start"), widget=TIME)
    minutes = forms.IntegerField(label=_("Length in minutes"), initial=60)
    time_zone = forms.ChoiceField(label=_("In the time zone of"))

    def __init__(self, *args, zones: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = list(zones)


class TaskForm(AccordForm):
    week = forms.IntegerField(label=_("Week"), min_value=1)
    title = forms.CharField(label=_("Task"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MessageForm(AccordForm):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("File"), required=False)


class StudentsForm(AccordForm):
    people = forms.TypedMultipleChoiceField(
        label=_("Students taking part"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, students: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = list(students)


class CompleteForm(VersionedFormMixin, AccordForm):
    pass


class CallForm(AccordForm):
    organiser = forms.TypedChoiceField(label=_("Organiser"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    two_sided = forms.BooleanField(label=_("Pair across two sides"), required=False)

    def __init__(self, *args, organisers: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = list(organisers)


class SubmitForm(AccordForm):
    profile = forms.TypedChoiceField(label=_("Your class"), coerce=int)
    side = forms.TypedChoiceField(label=_("Side"), coerce=int, choices=[(0, "1"), (1, "2")], initial=0)

    def __init__(self, *args, profiles: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = list(profiles)


class ConstraintForm(AccordForm):
    first = forms.TypedChoiceField(label=_("Class"), coerce=int)
    second = forms.TypedChoiceField(label=_("Other class"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Pair"), choices=[*ConstraintKind.choices, ("", _("Neither (lift)"))], required=False
    )

    def __init__(self, *args, profiles: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].choices = list(profiles)
        self.fields["second"].choices = list(profiles)


class PlannerForm(AccordForm):
    partnership = forms.TypedChoiceField(label=_("Partnership"), coerce=int)
    first_date = forms.DateField(label=_("From"), widget=DATE)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=14, initial=5)
    day = forms.CharField(
        label=_("Working day"),
        initial="08:00-18:00",
        max_length=11,
        help_text=_("Local time, such as 08:00-18:00."),
    )
    minutes = forms.IntegerField(
        label=_("Meeting length in minutes"), min_value=15, max_value=480, initial=60
    )

    def __init__(self, *args, partnerships: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = list(partnerships)
