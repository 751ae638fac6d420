"""An agreement's page: the version shown, how a document and its changes are presented, and the page
itself, whole or (for htmx) the ``#agreement`` article alone."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accord.agreements import notifications, selectors
from accord.agreements.choices import FINAL_STATUSES, AgreementStatus
from accord.agreements.content import change_text
from accord.agreements.forms import (
    AGREEMENT_TYPE_LABELS,
    MOBILITY_TYPE_LABELS,
    ApproveForm,
    AttachmentForm,
    RenewForm,
    ShareForm,
    TerminateForm,
)
from accord.agreements.models import Agreement, AgreementVersion
from accord.agreements.querysets import AgreementAction
from accord.agreements.wording import VALUE_LABELS, change_label, field_label
from accord.algorithms.agreements.content import Change, content_from_dict
from accord.core import errors
from accord.core.http import domain_errors_as_http, is_htmx
from accord.reference.academic_years import parse_academic_year


def agreement_for(request: HttpRequest, pk: int, action: str = AgreementAction.VIEW) -> Agreement:
    return selectors.get_agreement_for_user(user=request.user, pk=pk, action=action)


def requested_version(request: HttpRequest) -> int | None:
    number = request.GET.get("version", "")
    return int(number) if number.isdigit() else None


def shown_version(request: HttpRequest, agreement: Agreement, number: int | None) -> AgreementVersion:
    """Version ``number``, or the newest the user may see: the current one (drafts included) for the
    owner, the latest shared one for a partner."""
    if number is not None:
        return selectors.version_for(user=request.user, agreement=agreement, number=number)
    version = selectors.latest_visible_version(user=request.user, agreement=agreement)
    if version is None:
        raise errors.NotFound(_("No such agreement."))
    return version


def party_names(agreement: Agreement) -> dict[str, str]:
    """organisation_ref → name for the parties (``party_links`` is prefetched by the selectors)."""
    return {str(link.organisation_id): link.organisation.name for link in agreement.party_links.all()}


def partner_choices(agreement: Agreement, document: dict[str, Any]) -> list[tuple[str, str]]:
    """(index, name) of a document's partners, for the sending and receiving partner inputs."""
    names = party_names(agreement)
    return [
        (str(index), names.get(partner["organisation_ref"], partner["organisation_ref"]))
        for index, partner in enumerate(document["partners"])
    ]


# The fields whose values are partners' organisation_refs, shown by name.
_PARTY_FIELDS = ("organisation_ref", "sending_partner", "receiving_partner")


def _shown(value: Any, names: dict[str, str], field: str = "") -> str:
    """A JSON value of a diff as people read it; ``field`` is the name of the field it is the value of."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_shown(item, names) for item in value)
    if isinstance(value, dict):
        if "language" in value:
            return " ".join(str(value[k]) for k in ("language", "cefr_level", "isced_code") if value.get(k))
        if "isced_code" in value:
            return " ".join(str(value[k]) for k in ("isced_code", "clarification") if value.get(k))
        # A whole condition names its partners by index; its label names them already.
        return "; ".join(
            f"{field_label(name)}: {_shown(item, names, name)}"
            for name, item in value.items()
            if name not in ("key", "format_version", "sending_partner", "receiving_partner")
            and item not in (None, "", [], False)
        )
    if field in _PARTY_FIELDS and isinstance(value, str):
        return names.get(value, value)
    if field in VALUE_LABELS and isinstance(value, str):
        return str(VALUE_LABELS[field].get(value, value))
    return str(value)


@dataclass(frozen=True)
class ShownChange:
    kind: str
    label: str
    old: str
    new: str


def shown_changes(lines, names: dict[str, str]) -> list[ShownChange]:
    return [
        ShownChange(
            line.change.kind,
            change_label(line.change),
            _shown(line.change.old, names, line.change.path.rsplit(".", 1)[-1]),
            _shown(line.change.new, names, line.change.path.rsplit(".", 1)[-1]),
        )
        for line in lines
    ]


def _condition_rows(version: AgreementVersion, content, names: dict[str, str]) -> list[dict[str, Any]]:
    def name(index: int) -> str:
        ref = content.partners[index].organisation_ref
        return names.get(ref, ref)

    return [
        {
            "number": index + 1,
            "key": version.content["conditions"][index]["key"],
            "condition": condition,
            "mobility": MOBILITY_TYPE_LABELS.get(condition.mobility_type, condition.mobility_type),
            "sending": name(condition.sending_partner),
            "receiving": name(condition.receiving_partner),
        }
        for index, condition in enumerate(content.conditions)
    ]


def _renew_initial(content, base_version: int) -> dict[str, Any]:
    """The years right after the current range, for as many years as it lasts."""
    if not content.conditions:
        return {"base_version": base_version}
    first = min(parse_academic_year(c.first_academic_year) for c in content.conditions)
    last = max(parse_academic_year(c.last_academic_year) for c in content.conditions)
    span = last.start_year - first.start_year
    new_first = last.next()
    return {
        "first_academic_year": new_first.label,
        "last_academic_year": f"{new_first.start_year + span}/{new_first.start_year + span + 1}",
        "base_version": base_version,
    }


def detail_context(request: HttpRequest, agreement: Agreement, *, number: int | None = None, **extra) -> dict:
    """Everything the agreement's page shows; ``extra`` carries an outcome or a refused form."""
    user = request.user
    version = shown_version(request, agreement, number)
    content = content_from_dict(version.content)
    names = party_names(agreement)
    can = selectors.agreement_permissions(user=user, agreement=agreement)
    is_current = version.pk == agreement.current_version_id
    is_open = agreement.status not in FINAL_STATUSES
    parties = selectors.approval_state(agreement=agreement, version=version)
    approvable = is_open and is_current and version.shared_at is not None
    # The owner approves by sharing; the other parties approve with these buttons.
    approve_for = [
        party.organisation
        for party in parties
        if approvable
        and party.organisation.pk in can["approve_for"]
        and party.organisation.pk != agreement.owner_id
        and not party.current
    ]
    hash_fields = {"version_number": version.number, "conditions_hash": version.conditions_hash}
    events = [
        {"event": event, "changes": [change_text(Change(**change)) for change in event.changes]}
        for event in selectors.timeline(user=user, agreement=agreement)
    ]
    return {
        "agreement": agreement,
        "version": version,
        "content": content,
        "is_current": is_current,
        "can": can,
        "may_edit": can["edit"] and is_open and is_current,
        "may_share": can["edit"] and is_open and is_current and version.shared_at is None,
        "may_renew": can["edit"] and is_current and agreement.status != AgreementStatus.TERMINATED,
        "may_terminate": can["edit"] and is_open,
        "parties": parties,
        "approve_forms": [
            (organisation, ApproveForm(initial={**hash_fields, "organisation": organisation.pk}))
            for organisation in approve_for
        ],
        "share_form": ShareForm(initial={"version_number": version.number}),
        "unreachable": _unreachable(agreement) if can["edit"] and version.shared_at is None else [],
        "renew_form": RenewForm(initial=_renew_initial(content, agreement.current_version.number)),
        "terminate_form": TerminateForm(),
        "attachment_form": AttachmentForm(),
        "conditions": _condition_rows(version, content, names),
        "agreement_type": AGREEMENT_TYPE_LABELS.get(content.terms.agreement_type),
        "attachments": list(selectors.attachments(agreement=agreement)),
        "copies": list(selectors.partner_copies(agreement=agreement)),
        "quotas": [
            {"line": line, "mobility": MOBILITY_TYPE_LABELS.get(line.mobility_type, line.mobility_type)}
            for line in selectors.quota_view(
                agreement=agreement, version=agreement.approved_version or version
            )
        ],
        "events": events,
        **extra,
    }


def _unreachable(agreement: Agreement) -> list[str]:
    """The partners that sharing would not reach: no contact of theirs has an e-mail address."""
    kind = "amended" if agreement.approved_version_id else "shared"
    return [name for name, emails in notifications.reach(agreement, kind) if not emails]


def render_agreement(request: HttpRequest, agreement: Agreement, **extra) -> HttpResponse:
    """The agreement's page, or for htmx the ``#agreement`` article alone."""
    template = "agreements/_agreement.html" if is_htmx(request) else "agreements/detail.html"
    response = render(request, template, detail_context(request, agreement, **extra))
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
@domain_errors_as_http
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_agreement(request, agreement_for(request, pk), number=requested_version(request))


def detail_url(agreement: Agreement, section: str = "") -> str:
    return reverse("agreements:detail", args=[agreement.pk]) + (f"#{section}" if section else "")
