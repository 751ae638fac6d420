"""E-mails to the people responsible for an agreement when it is shared, approved, amended, in
effect, terminated or about to expire.

Called after the transaction that made the change commits (``transaction.on_commit``), so that a
rolled-back change never sends mail. Recipients are the agreement's contacts, or, when it names
none, the partnership's responsible contacts at the parties. Each person gets a message of their own,
in their language.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.agreements.models import Agreement
from accord.core.mail import by_language

# Who hears of what: the owner tells the partners; a partner's approval is news to the owner.
_TO_PARTNERS = {"shared", "amended", "terminated"}
_TO_OWNER = {"approved"}

_SUBJECTS = {
    "shared": gettext_lazy("{owner} shared the agreement “{title}” for your approval"),
    "amended": gettext_lazy(
        "{owner} amended the agreement “{title}”: version {version} awaits your approval"
    ),
    "approved": gettext_lazy("{organisation} approved version {version} of “{title}”"),
    "in_effect": gettext_lazy("The agreement “{title}” is in effect (version {version})"),
    "terminated": gettext_lazy("The agreement “{title}” was terminated"),
    "expiring": gettext_lazy("The agreement “{title}” ends on {ends_on}"),
}

_BODIES = {
    "shared": gettext_lazy(
        "Read version {version} and approve it for your organisation, or tell {owner} what to change."
    ),
    "amended": gettext_lazy(
        "Version {version} changes the agreement you approved before; your earlier approval does not "
        "count for it. Read the changes and approve the new version."
    ),
    "approved": gettext_lazy(
        "{organisation} approved version {version}. Approvals still awaited: {awaited}."
    ),
    "in_effect": gettext_lazy("Every party approved version {version}; it is now the agreement in effect."),
    "terminated": gettext_lazy("{owner} terminated the agreement. Reason: {reason}"),
    "expiring": gettext_lazy(
        "The agreement ends on {ends_on}. Renew it in one step from its page if the cooperation goes on."
    ),
}


def recipients(agreement: Agreement, kind: str) -> list[str]:
    return sorted({email for _name, emails in reach(agreement, kind) for email in emails})


def reach(agreement: Agreement, kind: str) -> list[tuple[str, list[str]]]:
    """Each organisation the ``kind`` message is meant for, with the addresses it goes to there
    (none: nobody there is told, which the person sharing must hear). The agreement's contacts, or,
    when it names none among these organisations, the partnership's responsible contacts."""
    links = list(agreement.party_links.all())
    if kind in _TO_PARTNERS:
        links = [link for link in links if link.organisation_id != agreement.owner_id]
    elif kind in _TO_OWNER:
        links = [link for link in links if link.organisation_id == agreement.owner_id]
    party_ids = {link.organisation_id for link in links}
    found = list(
        agreement.contacts.filter(organisation_id__in=party_ids).values_list("organisation_id", "email")
    )
    if not found:
        found = list(
            agreement.partnership.responsible_contacts.filter(organisation_id__in=party_ids).values_list(
                "organisation_id", "email"
            )
        )
    by_organisation: dict[int, set[str]] = {pk: set() for pk in party_ids}
    for organisation_id, email in found:
        if email:
            by_organisation[organisation_id].add(email)
    return sorted((link.organisation.name, sorted(by_organisation[link.organisation_id])) for link in links)


def notify(
    agreement_id: int, kind: str, version_number: int | None, organisation_id: int | None = None
) -> int:
    """Send the ``kind`` message about this agreement; return how many people it went to."""
    agreement = Agreement.objects.select_related("owner", "current_version", "partnership").get(
        pk=agreement_id
    )
    addresses = recipients(agreement, kind)
    if not addresses:
        return 0
    version = agreement.versions.filter(number=version_number).first() if version_number else None
    awaited = []
    if version is not None:
        approved = set(version.approvals.values_list("organisation_id", flat=True))
        awaited = [
            link.organisation.name
            for link in agreement.party_links.select_related("organisation")
            if link.organisation_id not in approved
        ]
    organisation = (
        agreement.party_links.select_related("organisation").get(organisation_id=organisation_id).organisation
        if organisation_id
        else None
    )
    link = settings.ACCORD_BASE_URL.rstrip("/") + reverse("agreements:detail", args=[agreement.pk])
    messages = []
    for language, group in by_language(addresses).items():
        with translation.override(language):
            values = {
                "title": agreement.title,
                "owner": agreement.owner.name,
                "version": version_number or "",
                "organisation": organisation.name if organisation else "",
                "awaited": ", ".join(awaited) or _("none"),
                "reason": agreement.termination_reason,
                "ends_on": date_format(agreement.ends_on) if agreement.ends_on else "",
            }
            subject = "Accord: " + _SUBJECTS[kind].format(**values)
            lines = [_BODIES[kind].format(**values)]
            if version is not None:
                lines.append(
                    _("Hash of the cooperation conditions of version {number}: {hash}").format(
                        number=version.number, hash=version.conditions_hash
                    )
                )
            lines.append(_("The agreement: {link}").format(link=link))
            body = "\n\n".join(lines) + "\n"
        messages += [EmailMessage(subject, body, None, [address]) for address in group]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
