"""A partnership's objectives (with indicators, targets and figures) and its collaboration log
(meetings, decisions, action items): small forms in the "objectives" and "log" sections of its page.

Objectives, indicators and targets are the coordinating organisation's to change; any member's
admins and coordinators record figures and write the log, and may edit what they recorded; the
owner of an action item may move its status on. Each view asks the selector for the right it needs
(404 or 403 otherwise) and lets the service decide the rest.

Adding, editing and deleting follow the same steps for every kind of entry, so three views serve
them all (``entry_create``, ``entry_edit``, ``entry_delete``); ``urls.py`` passes each route the
``EntryKind`` below that says what differs: the right it takes, the form, the selector and
services, where the form is shown and what it says.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accord.core import errors
from accord.core.http import domain_errors_as_http
from accord.partnerships import selectors, services
from accord.partnerships.forms import (
    ActionItemForm,
    ActionItemStatusForm,
    ActualForm,
    DecisionForm,
    IndicatorForm,
    MeetingForm,
    ObjectiveForm,
    TargetForm,
    versioned,
    with_version,
)
from accord.partnerships.models import Partnership
from accord.partnerships.querysets import PartnershipAction
from accord.partnerships.views.sections import (
    confirm_delete,
    form_refusal,
    partnership_for,
    refusal,
    require_entry_editor,
    save_form,
    section_done,
)

CHANGE = PartnershipAction.CHANGE
CONTRIBUTE = PartnershipAction.CONTRIBUTE


@dataclass(frozen=True)
class EntryKind:
    """What differs between one kind of entry and another for adding, editing and deleting it.

    A new entry is added to its ``parent``: another kind's entry (an indicator to an objective) or,
    when there is none, the partnership itself. The titles and the slot are worked out from that
    parent (``create_title``, ``slot``) or from the entry (``edit_title``, ``delete_title``).
    """

    name: str  # URL names "partnerships:<name>-create", "-edit" and "-delete"
    keyword: str  # what the services call the entry: ``update(actor=…, <keyword>=entry, **data)``
    parent: "EntryKind | None"  # None: new entries are added to the partnership
    right: str  # the right on the partnership that every view of the kind requires
    own_entries: bool  # contributors may edit and delete only the entries they recorded
    get: Callable[..., Any]  # selector: the partnership's entry by pk, NotFound otherwise
    create: Callable[..., Any]  # the services that add, change and delete an entry
    update: Callable[..., Any]
    delete: Callable[..., Any]
    form: type[forms.Form]
    fields: tuple[str, ...]  # the entry's fields an edit form starts from
    section: str  # the section of the page that shows the entries
    slot: Callable[[Any], str]  # the form's slot in the section, from the parent
    create_title: Callable[[Any], str]  # from the parent
    edit_title: Callable[[Any], str]  # from the entry
    delete_title: Callable[[Any], str]  # from the entry
    created: str
    saved: str
    deleted: str
    edit_slot: Callable[[Any], str] | None = None  # from the entry, where it differs from ``slot``
    many_fields: tuple[str, ...] = ()  # many-to-many fields an edit form starts from (as ids)
    choices: Callable[[Partnership, Any], dict] = lambda partnership, entry: {}  # the form's choices

    @property
    def parent_keyword(self) -> str:
        return self.parent.keyword if self.parent else "partnership"

    def parent_of(self, entry, partnership: Partnership):
        return getattr(entry, self.parent.keyword) if self.parent else partnership

    def initial(self, entry) -> dict:
        initial = {field: getattr(entry, field) for field in self.fields}
        for field in self.many_fields:
            initial[field] = [related.pk for related in getattr(entry, field).all()]
        return initial


def _people(partnership: Partnership, entry) -> dict:
    return {"people": selectors.partnership_people(partnership=partnership)}


def _objective_slot(objective) -> str:
    return f"objective-{objective.pk}"


def _indicator_slot(indicator) -> str:
    return f"objective-{indicator.objective_id}"


OBJECTIVE = EntryKind(
    name="objective",
    keyword="objective",
    parent=None,
    right=CHANGE,
    own_entries=False,
    get=selectors.objective_for,
    create=services.objective_create,
    update=services.objective_update,
    delete=services.objective_delete,
    form=ObjectiveForm,
    fields=("title", "owner", "description"),
    choices=_people,
    section="objectives",
    slot=lambda partnership: "objectives",
    edit_slot=_objective_slot,  # the form opens under the objective it edits
    create_title=lambda partnership: _("Add an objective"),
    edit_title=lambda objective: _("Edit the objective “%(title)s”") % {"title": objective.title},
    delete_title=lambda objective: (
        _("Delete the objective “%(title)s” with its indicators and figures?") % {"title": objective.title}
    ),
    created=_("Objective added."),
    saved=_("Objective saved."),
    deleted=_("Objective deleted."),
)

INDICATOR = EntryKind(
    name="indicator",
    keyword="indicator",
    parent=OBJECTIVE,
    right=CHANGE,
    own_entries=False,
    get=selectors.indicator_for,
    create=services.indicator_create,
    update=services.indicator_update,
    delete=services.indicator_delete,
    form=IndicatorForm,
    fields=("name", "unit", "direction", "baseline_value", "baseline_year"),
    section="objectives",
    slot=_objective_slot,
    create_title=lambda objective: _("Add an indicator to “%(title)s”") % {"title": objective.title},
    edit_title=lambda indicator: _("Edit the indicator “%(name)s”") % {"name": indicator.name},
    delete_title=lambda indicator: (
        _("Delete the indicator “%(name)s” with its targets and figures?") % {"name": indicator.name}
    ),
    created=_("Indicator added."),
    saved=_("Indicator saved."),
    deleted=_("Indicator deleted."),
)

TARGET = EntryKind(
    name="target",
    keyword="target",
    parent=INDICATOR,
    right=CHANGE,
    own_entries=False,
    get=selectors.target_for,
    create=services.indicator_target_create,
    update=services.indicator_target_update,
    delete=services.indicator_target_delete,
    form=TargetForm,
    fields=("year", "target_value"),
    section="objectives",
    slot=_indicator_slot,
    create_title=lambda indicator: _("Set a yearly target for “%(name)s”") % {"name": indicator.name},
    edit_title=lambda target: (
        _("Edit the %(year)s target for “%(name)s”") % {"year": target.year, "name": target.indicator.name}
    ),
    delete_title=lambda target: (
        _("Delete the %(year)s target for “%(name)s”?") % {"year": target.year, "name": target.indicator.name}
    ),
    created=_("Target set."),
    saved=_("Target saved."),
    deleted=_("Target deleted."),
)


ACTUAL = EntryKind(
    name="actual",
    keyword="actual",
    parent=INDICATOR,
    right=CONTRIBUTE,
    own_entries=True,
    get=selectors.actual_for,
    create=services.indicator_actual_record,
    update=services.indicator_actual_update,
    delete=services.indicator_actual_delete,
    form=ActualForm,
    fields=("year", "value", "note"),
    section="objectives",
    slot=_indicator_slot,
    create_title=lambda indicator: _("Record a figure for “%(name)s”") % {"name": indicator.name},
    edit_title=lambda actual: (
        _("Correct the %(year)s figure for “%(name)s”") % {"year": actual.year, "name": actual.indicator.name}
    ),
    delete_title=lambda actual: (
        _("Delete the %(year)s figure for “%(name)s”?") % {"year": actual.year, "name": actual.indicator.name}
    ),
    created=_("Figure recorded."),
    saved=_("Figure saved."),
    deleted=_("Figure deleted."),
)

MEETING = EntryKind(
    name="meeting",
    keyword="meeting",
    parent=None,
    right=CONTRIBUTE,
    own_entries=True,
    get=selectors.meeting_for,
    create=services.meeting_create,
    update=services.meeting_update,
    delete=services.meeting_delete,
    form=MeetingForm,
    fields=("title", "date", "mode", "location", "external_attendees", "minutes"),
    many_fields=("attendees",),
    choices=_people,
    section="log",
    slot=lambda partnership: "meetings",
    create_title=lambda partnership: _("Log a meeting"),
    edit_title=lambda meeting: _("Edit the meeting “%(title)s”") % {"title": meeting.title},
    delete_title=lambda meeting: (
        _("Delete the meeting “%(title)s”? Its decisions and action items stay.") % {"title": meeting.title}
    ),
    created=_("Meeting logged."),
    saved=_("Meeting saved."),
    deleted=_("Meeting deleted."),
)

DECISION = EntryKind(
    name="decision",
    keyword="decision",
    parent=None,
    right=CONTRIBUTE,
    own_entries=True,
    get=selectors.decision_for,
    create=services.decision_create,
    update=services.decision_update,
    delete=services.decision_delete,
    form=DecisionForm,
    fields=("text", "decided_on", "meeting"),
    choices=lambda partnership, decision: {"meetings": selectors.meetings(partnership=partnership)},
    section="log",
    slot=lambda partnership: "decisions",
    create_title=lambda partnership: _("Record a decision"),
    edit_title=lambda decision: _("Edit the decision"),
    delete_title=lambda decision: _("Delete the decision “%(text)s”?") % {"text": decision},
    created=_("Decision recorded."),
    saved=_("Decision saved."),
    deleted=_("Decision deleted."),
)

ACTION_ITEM = EntryKind(
    name="action-item",
    keyword="item",
    parent=None,
    right=CONTRIBUTE,
    own_entries=True,
    get=selectors.action_item_for,
    create=services.action_item_create,
    update=services.action_item_update,
    delete=services.action_item_delete,
    form=ActionItemForm,
    fields=("title", "owner", "due_date", "meeting", "status"),
    choices=lambda partnership, item: {
        "people": selectors.partnership_people(partnership=partnership),
        "meetings": selectors.meetings(partnership=partnership),
        "new": item is None,
    },
    section="log",
    slot=lambda partnership: "actions",
    create_title=lambda partnership: _("Add an action item"),
    edit_title=lambda item: _("Edit the action item “%(title)s”") % {"title": item.title},
    delete_title=lambda item: _("Delete the action item “%(title)s”?") % {"title": item.title},
    created=_("Action item added."),
    saved=_("Action item saved."),
    deleted=_("Action item deleted."),
)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _entry_for(request: HttpRequest, pk: int, entry_id: int, kind: EntryKind) -> tuple[Partnership, Any]:
    """The partnership and its entry, if the user may change it: 404 or 403 otherwise."""
    partnership = partnership_for(request, pk, kind.right)
    entry = kind.get(partnership=partnership, pk=entry_id)
    if kind.own_entries:
        require_entry_editor(request, partnership, entry)
    return partnership, entry


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def entry_create(
    request: HttpRequest, pk: int, kind: EntryKind, parent_id: int | None = None
) -> HttpResponse:
    partnership = partnership_for(request, pk, kind.right)
    if kind.parent is None:
        parent, url_args = partnership, [pk]
    else:
        parent = kind.parent.get(partnership=partnership, pk=parent_id)
        url_args = [pk, parent.pk]
    return save_form(
        request,
        partnership,
        kind.form(_posted(request), **kind.choices(partnership, None)),
        lambda data: kind.create(actor=request.user, **{kind.parent_keyword: parent}, **data),
        section=kind.section,
        slot=kind.slot(parent),
        title=kind.create_title(parent),
        action=reverse(f"partnerships:{kind.name}-create", args=url_args),
        done=kind.created,
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def entry_edit(request: HttpRequest, pk: int, entry_id: int, kind: EntryKind) -> HttpResponse:
    partnership, entry = _entry_for(request, pk, entry_id, kind)
    form = versioned(kind.form)(
        _posted(request),
        initial={**kind.initial(entry), "version": entry.version},
        **kind.choices(partnership, entry),
    )
    return save_form(
        request,
        partnership,
        form,
        lambda data: kind.update(actor=request.user, **{kind.keyword: entry}, **with_version(data)),
        section=kind.section,
        slot=kind.edit_slot(entry) if kind.edit_slot else kind.slot(kind.parent_of(entry, partnership)),
        title=kind.edit_title(entry),
        action=reverse(f"partnerships:{kind.name}-edit", args=[pk, entry.pk]),
        done=kind.saved,
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def entry_delete(request: HttpRequest, pk: int, entry_id: int, kind: EntryKind) -> HttpResponse:
    partnership, entry = _entry_for(request, pk, entry_id, kind)
    return confirm_delete(
        request,
        partnership,
        lambda version: kind.delete(actor=request.user, expected_version=version, **{kind.keyword: entry}),
        entry=entry,
        section=kind.section,
        title=kind.delete_title(entry),
        done=kind.deleted,
    )


@login_required
@require_POST
@domain_errors_as_http
def action_item_status(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Mark an item done, cancelled or open again: its owner may, whatever their other rights."""
    partnership = partnership_for(request, pk)
    item = selectors.action_item_for(partnership=partnership, pk=item_id)
    form = ActionItemStatusForm(request.POST)
    if not form.is_valid():
        return section_done(
            request, partnership, "log", form_refusal(form, _("Choose a status from the list.")), error=True
        )
    try:
        services.action_item_update(actor=request.user, item=item, **with_version(form.cleaned_data))
    except (errors.ValidationFailed, errors.Conflict) as exc:
        return section_done(request, partnership, "log", refusal(exc), error=True)
    return section_done(request, partnership, "log", _("Status changed."))
