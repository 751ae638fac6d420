"""E-mails of the exchanges domain, sent after the writing transaction commits (``on_commit``), so a
rolled-back publication never tells anyone anything. Each person gets a message of their own, in
their language."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.accounts.choices import MANAGING_ROLES
from accord.accounts.models import User
from accord.core.mail import deliverable, language_of, languages_of
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
    languages = languages_of(a.application.student.email for a in assignments if a.application.student.email)
    messages = []
    for assignment in assignments:
        application = assignment.application
        if not application.student.email:
            continue
        with translation.override(languages[application.student.email]):
            outcome = (
                _("a place at {place}").format(place=assignment.place.name)
                if assignment.place
                else _("no place")
            )
            subject = "Accord: " + _("the result of “{call}”: {outcome}").format(
                call=application.call.title, outcome=outcome
            )
            body = (
                f"{assignment.explanation}\n\n"
                + _("Your application and its result: {link}").format(
                    link=_link("exchanges:application", application.pk)
                )
                + "\n"
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
    languages = languages_of(by_address)
    messages = []
    for address, items in by_address.items():
        owner = items[0].application.call.owner.name
        lines = [
            f"- {n.application.student.get_full_name() or n.application.student.username}: {n.place.name}"
            for n in items
        ]
        with translation.override(languages[address]):
            body = (
                ngettext(
                    "%(owner)s nominated this student to you:",
                    "%(owner)s nominated these students to you:",
                    len(items),
                )
                % {"owner": owner}
                + "\n\n"
                + "\n".join(lines)
                + "\n\n"
                + _("Accept or reject each nomination: %(link)s") % {"link": _link("exchanges:nominations")}
                + "\n"
            )
            subject = ngettext(
                "Accord: %(owner)s nominated %(n)s student",
                "Accord: %(owner)s nominated %(n)s students",
                len(items),
            ) % {"owner": owner, "n": len(items)}
        messages.append(EmailMessage(subject, body, None, [address]))
    return _send(messages)


def _managers(organisation_id: int) -> list[str]:
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                memberships__organisation_id=organisation_id,
                memberships__role__in=MANAGING_ROLES,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def nomination_decided(nomination_id: int) -> int:
    """Tell the student what the receiving partner decided; a refusal also goes to the sending
    coordinators, with the link that offers the place to the next student on the waiting list."""
    nomination = Nomination.objects.select_related(
        "application__student", "application__call", "place__receiving_organisation"
    ).get(pk=nomination_id)
    student = nomination.application.student
    partner = nomination.place.receiving_organisation.name
    accepted = nomination.status == "accepted"
    messages = []
    values = {"partner": partner, "place": nomination.place.name}
    if student.email:
        with translation.override(language_of(student.email)):
            if accepted:
                body = _(
                    "%(partner)s accepted your nomination for %(place)s. Your mobility has started: "
                    "the next step is your learning agreement."
                )
            else:
                body = _("%(partner)s declined your nomination for %(place)s.")
            body = body % values
            if nomination.reason:
                body += " " + _("Reason: %(reason)s") % {"reason": nomination.reason}
            body += "\n\n" + _("Your application: %(link)s") % {
                "link": _link("exchanges:application", nomination.application_id)
            }
            subject = (
                _("Accord: %(partner)s accepted your nomination")
                if accepted
                else _("Accord: %(partner)s declined your nomination")
            ) % {"partner": partner}
        messages.append(EmailMessage(subject, body + "\n", None, [student.email]))
    if not accepted:
        call = nomination.application.call
        name = student.get_full_name() or student.username
        for address, language in languages_of(_managers(call.owner_id)).items():
            with translation.override(language):
                body = _(
                    "%(partner)s declined %(student)s for %(place)s. Reason: %(reason)s\n\n"
                    "Offer the place to the next student on the waiting list: %(link)s\n"
                ) % {
                    **values,
                    "student": name,
                    "reason": nomination.reason,
                    "link": _link("exchanges:allocation", call.pk),
                }
                subject = _("Accord: %(partner)s declined %(student)s") % {
                    "partner": partner,
                    "student": name,
                }
            messages.append(EmailMessage(subject, body, None, [address]))
    return _send(messages)
