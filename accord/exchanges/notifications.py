"""E-mails of the exchanges domain, sent after the writing transaction commits (``on_commit``), so a
rolled-back publication never tells anyone anything. Each person gets a message of their own."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from accord.accounts.choices import MANAGING_ROLES
from accord.accounts.models import User
from accord.core.mail import deliverable
from accord.exchanges.models import Assignment, Nomination


def _link(name: str, *args) -> str:
    return settings.ACCORD_BASE_URL.rstrip("/") + reverse(name, args=args)


def _send(messages: list[EmailMessage]) -> int:
    messages = [message for message in messages if all(deliverable(address) for address in message.to)]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def applicants_published(run_id: int, application_ids: list[int]) -> int:
    """Tell each applicant the result of the call and why."""
    assignments = Assignment.objects.filter(run_id=run_id, application_id__in=application_ids).select_related(
        "application__student", "application__call", "place"
    )
    messages = []
    for assignment in assignments:
        application = assignment.application
        if not application.student.email:
            continue
        outcome = f"a place at {assignment.place.name}" if assignment.place else "no place"
        subject = f"Accord: the result of “{application.call.title}”: {outcome}"
        body = (
            f"{assignment.explanation}\n\n"
            f"Your application and its result: {_link('exchanges:application', application.pk)}\n"
        )
        messages.append(EmailMessage(subject, body, None, [application.student.email]))
    return _send(messages)


def _partner_addresses(nomination: Nomination) -> list[str]:
    organisation_id = nomination.place.receiving_organisation_id
    agreement = nomination.place.agreement
    addresses = []
    if agreement is not None:
        addresses = list(
            agreement.contacts.filter(organisation_id=organisation_id)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    if not addresses:
        addresses = list(
            User.objects.filter(
                is_active=True,
                memberships__organisation_id=organisation_id,
                memberships__role__in=MANAGING_ROLES,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    return sorted(set(addresses))


def partners_nominated(nomination_ids: list[int]) -> int:
    """Tell each receiving partner which students were nominated to them."""
    nominations = Nomination.objects.filter(pk__in=nomination_ids).select_related(
        "application__student",
        "application__call__owner",
        "place__receiving_organisation",
        "place__agreement",
    )
    by_address: dict[str, list[Nomination]] = {}
    for nomination in nominations:
        for address in _partner_addresses(nomination):
            by_address.setdefault(address, []).append(nomination)
    messages = []
    for address, items in by_address.items():
        owner = items[0].application.call.owner.name
        lines = [
            f"- {n.application.student.get_full_name() or n.application.student.username}: {n.place.name}"
            for n in items
        ]
        body = (
            f"{owner} nominated these students to you:\n\n" + "\n".join(lines) + "\n\n"
            f"Accept or reject each nomination: {_link('exchanges:nominations')}\n"
        )
        messages.append(
            EmailMessage(f"Accord: {owner} nominated {len(items)} students", body, None, [address])
        )
    return _send(messages)


def nomination_decided(nomination_id: int) -> int:
    """Tell the student what the receiving partner decided."""
    nomination = Nomination.objects.select_related(
        "application__student", "place__receiving_organisation"
    ).get(pk=nomination_id)
    student = nomination.application.student
    if not student.email:
        return 0
    partner = nomination.place.receiving_organisation.name
    verdict = "accepted" if nomination.status == "accepted" else "declined"
    body = f"{partner} {verdict} your nomination for {nomination.place.name}."
    if nomination.reason:
        body += f" Reason: {nomination.reason}"
    body += f"\n\nYour application: {_link('exchanges:application', nomination.application_id)}\n"
    return _send([EmailMessage(f"Accord: {partner} {verdict} your nomination", body, None, [student.email])])
