"""Where each of an institution's agreements stands with each partner over EWP: approved by both,
waiting for us, waiting for them, and copies whose conditions differ — the EWP Dashboard's status
overview. Read in a fixed number of queries; one filter definition serves the page and the CSV export.

An agreement may be in more than one state at once (the partner's copy may differ while they wait for
our approval). It describes what partners see: our newest *shared* version (``shared_agreements``).
"""

import csv
import io
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accord.agreements.models import Agreement, AgreementParty, AgreementVersion, PartnerCopy
from accord.ewp.node.iia_content import shared_agreements
from accord.organisations.models import Organisation

STATES = {
    "both": _("Approved by both"),
    "waiting_us": _("Waiting for us"),
    "waiting_them": _("Waiting for them"),
    "different": _("Copies differ"),
}


@dataclass(frozen=True)
class Row:
    agreement: Agreement
    partner: Organisation
    states: tuple[str, ...]

    @property
    def state_labels(self) -> list[str]:
        return [str(STATES[state]) for state in self.states]


def overview(*, organisation: Organisation, partner: str = "", state: str = "") -> list[Row]:
    """One row per (agreement, partner) of the agreements ``organisation`` owns and shared, filtered by
    the partner's hei-id and by a state of :data:`STATES` (unknown values filter nothing)."""
    agreements = list(
        shared_agreements(Agreement.objects.filter(owner=organisation))
        .prefetch_related(
            "approvals",
            Prefetch("partner_copies", queryset=PartnerCopy.objects.defer("content")),
            Prefetch("party_links", queryset=AgreementParty.objects.select_related("organisation")),
        )
        .order_by("title", "pk")
    )
    versions = AgreementVersion.objects.only("pk", "conditions_hash").in_bulk(
        [agreement.served_version_id for agreement in agreements]
    )
    rows = []
    for agreement in agreements:
        served = versions[agreement.served_version_id]
        copies = {copy.organisation_id: copy for copy in agreement.partner_copies.all()}
        approvers = {a.organisation_id for a in agreement.approvals.all() if a.version_id == served.pk}
        for link in agreement.party_links.all():
            if link.organisation_id == organisation.pk:
                continue
            states = _states(served, copies.get(link.organisation_id), link.organisation_id in approvers)
            row = Row(agreement, link.organisation, states)
            if partner and (link.organisation.schac_code or "").lower() != partner.lower():
                continue
            if state in STATES and state not in states:
                continue
            rows.append(row)
    return rows


def _states(served: AgreementVersion, copy: PartnerCopy | None, partner_approved: bool) -> tuple[str, ...]:
    we_approved = copy is not None and bool(copy.remote_hash) and copy.approved_hash == copy.remote_hash
    states = []
    if partner_approved and we_approved:
        states.append("both")
    if copy is not None and copy.remote_hash and not we_approved:
        states.append("waiting_us")
    if not partner_approved:
        states.append("waiting_them")
    if copy is not None and copy.conditions_hash != served.conditions_hash:
        states.append("different")
    return tuple(states)


# A cell a spreadsheet would run as a formula is written as text, as every export of Accord does.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _guarded(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_PREFIXES) else cell


def counts(rows: list[Row]) -> dict[str, int]:
    return {state: sum(1 for row in rows if state in row.states) for state in STATES}


def as_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["agreement_id", "title", "partner", "partner_hei_id", *STATES])
    for row in rows:
        writer.writerow(
            [
                row.agreement.pk,
                _guarded(row.agreement.title),
                _guarded(row.partner.name),
                row.partner.schac_code,
                *("yes" if state in row.states else "" for state in STATES),
            ]
        )
    return out.getvalue()
