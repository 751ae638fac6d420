"""The accepted exchange: its weeks and sessions (the schedule), tasks, thread, students, completion."""

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from accord.accounts.choices import Role
from accord.core.concurrency import bump, lock, require_version, save_changes
from accord.core.errors import Conflict, ValidationFailed
from accord.core.events import publish
from accord.mobilities import services as mobility_services
from accord.virtual_exchange import events
from accord.virtual_exchange.choices import EXCHANGE_TRANSITIONS, ExchangeStatus
from accord.virtual_exchange.models import (
    ClassProfile,
    Exchange,
    ExchangeStudent,
    Message,
    Session,
    WeeklyTask,
)
from accord.virtual_exchange.services._common import is_zone, require_exchange_change

EXCHANGE_FIELDS = ("title", "start", "weeks", "hours", "ects", "certificate")
SCHEDULE_FIELDS = {"start", "weeks"}


def _require_planned(exchange: Exchange) -> None:
    if exchange.status != ExchangeStatus.PLANNED:
        raise Conflict(
            _("This exchange is %(status)s: it can no longer change.")
            % {"status": exchange.get_status_display().lower()}
        )


def _schedule_changed(exchange: Exchange, actor) -> None:
    """Count one more schedule version (calendars replace their events) and say so."""
    exchange.schedule_sequence += 1
    exchange.save(update_fields=["schedule_sequence", *bump(exchange, actor)])
    publish(events.ScheduleChanged(exchange))


@transaction.atomic
def exchange_update(
    *, actor, exchange: Exchange, data: dict[str, Any], expected_version: int | None = None
) -> Exchange:
    require_exchange_change(actor, exchange)
    lock(exchange)
    require_version(exchange, expected_version, data)
    _require_planned(exchange)
    errors = {}
    if "start" in data and data["start"] is not None and data["start"].weekday() != 0:
        errors["start"] = _("An exchange starts on a Monday.")
    if "weeks" in data and not 1 <= int(data["weeks"] or 0) <= 52:
        errors["weeks"] = _("An exchange lasts 1 to 52 weeks.")
    if "hours" in data and (data["hours"] is None or Decimal(data["hours"]) < 0):
        errors["hours"] = _("Hours cannot be negative.")
    if data.get("ects") is not None and Decimal(data["ects"]) < 0:
        errors["ects"] = _("Credits cannot be negative.")
    if "title" in data and not str(data["title"]).strip():
        errors["title"] = _("This field is required.")
    if errors:
        raise ValidationFailed(errors)
    changed = save_changes(exchange, data, actor=actor, editable=EXCHANGE_FIELDS)
    if SCHEDULE_FIELDS & set(changed):
        _schedule_changed(exchange, actor)
    return exchange


def _clean_session(exchange: Exchange, data: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if not str(data.get("title") or "").strip():
        errors["title"] = _("This field is required.")
    if data.get("weekday") is None or not 0 <= int(data["weekday"]) <= 6:
        errors["weekday"] = _("Choose a weekday.")
    if not isinstance(data.get("start"), time):
        errors["start"] = _("Give the start time.")
    if data.get("minutes") is None or not 15 <= int(data["minutes"]) <= 480:
        errors["minutes"] = _("A session lasts 15 minutes to 8 hours.")
    zone = data.get("time_zone") or ""
    if not is_zone(zone):
        errors["time_zone"] = _("'%(zone)s' is not a time zone: choose one such as Europe/Paris.") % {
            "zone": zone
        }
    elif zone not in (exchange.first.time_zone, exchange.second.time_zone):
        errors["time_zone"] = _("A session's time is fixed in the time zone of one of the two classes.")
    return errors


@transaction.atomic
def session_save(
    *,
    actor,
    exchange: Exchange,
    data: dict[str, Any],
    session: Session | None = None,
    expected_version: int | None = None,
) -> Session:
    """Add a weekly session or change one; the exchange's calendars change with it."""
    require_exchange_change(actor, exchange)
    lock(exchange)
    _require_planned(exchange)
    data = {**data, "time_zone": data.get("time_zone") or exchange.first.time_zone}
    errors = _clean_session(exchange, data)
    if errors:
        raise ValidationFailed(errors)
    fields = ("title", "weekday", "start", "minutes", "time_zone")
    if session is None:
        session = Session.objects.create(exchange=exchange, updated_by=actor, **{f: data[f] for f in fields})
    elif not save_changes(
        session, {f: data[f] for f in fields}, actor=actor, expected_version=expected_version
    ):
        return session
    _schedule_changed(exchange, actor)
    return session


@transaction.atomic
def session_delete(*, actor, session: Session, expected_version: int | None = None) -> None:
    exchange = session.exchange
    require_exchange_change(actor, exchange)
    lock(exchange)
    _require_planned(exchange)
    lock(session)
    require_version(session, expected_version)
    session.delete()
    _schedule_changed(exchange, actor)


@transaction.atomic
def task_save(
    *,
    actor,
    exchange: Exchange,
    data: dict[str, Any],
    task: WeeklyTask | None = None,
    expected_version: int | None = None,
) -> WeeklyTask:
    """Add or change the task of a week (1 to the exchange's number of weeks)."""
    require_exchange_change(actor, exchange)
    lock(exchange)
    _require_planned(exchange)
    errors = {}
    week = int(data.get("week") or 0)
    if not 1 <= week <= exchange.weeks:
        errors["week"] = _("Choose a week from 1 to %(weeks)s.") % {"weeks": exchange.weeks}
    if not str(data.get("title") or "").strip():
        errors["title"] = _("This field is required.")
    if errors:
        raise ValidationFailed(errors)
    values = {"week": week, "title": data["title"].strip(), "description": data.get("description", "")}
    if task is None:
        return WeeklyTask.objects.create(exchange=exchange, updated_by=actor, **values)
    save_changes(task, values, actor=actor, expected_version=expected_version)
    return task


@transaction.atomic
def message_post(*, actor, exchange: Exchange, body: str, attachment=None) -> Message:
    """Add a message (and a file) to the exchange's thread."""
    require_exchange_change(actor, exchange)
    if not body.strip():
        raise ValidationFailed({"body": _("Write a message.")})
    return Message.objects.create(
        exchange=exchange, author=actor, body=body.strip(), attachment=attachment or ""
    )


@transaction.atomic
def students_set(
    *, actor, exchange: Exchange, profile: ClassProfile, person_ids: list[int]
) -> list[ExchangeStudent]:
    """The students of ``profile``'s class who take part (they replace the ones listed before)."""
    require_exchange_change(actor, exchange)
    lock(exchange)
    _require_planned(exchange)
    if profile.pk not in (exchange.first_id, exchange.second_id):
        raise ValidationFailed({"profile_id": _("This class is not part of the exchange.")})
    ids = sorted(set(person_ids))
    people = list(
        get_user_model()
        .objects.filter(
            pk__in=ids, memberships__organisation_id=profile.organisation_id, memberships__role=Role.STUDENT
        )
        .distinct()
    )
    if len(people) != len(ids):
        raise ValidationFailed(
            {"person_ids": _("Every participant must be a student of the class's institution.")}
        )
    if len(people) > profile.students:
        raise ValidationFailed(
            {"person_ids": _("The class has %(count)s students.") % {"count": profile.students}}
        )
    exchange.students.filter(profile=profile).exclude(person__in=people).delete()
    existing = set(exchange.students.filter(profile=profile).values_list("person_id", flat=True))
    for person in people:
        if person.pk not in existing:
            ExchangeStudent.objects.create(exchange=exchange, profile=profile, person=person)
    exchange.save(update_fields=bump(exchange, actor))
    return list(exchange.students.filter(profile=profile).select_related("person"))


@transaction.atomic
def exchange_complete(*, actor, exchange: Exchange, expected_version: int | None = None) -> Exchange:
    """Close the exchange: every student's virtual mobility is recorded (sending: the student's
    institution; receiving: the partner class's) with the hours, credits and certificate."""
    require_exchange_change(actor, exchange)
    lock(exchange)
    require_version(exchange, expected_version, ("status",))
    EXCHANGE_TRANSITIONS.require(exchange.status, ExchangeStatus.COMPLETED, code="invalid_transition")
    errors = {}
    if exchange.hours <= 0:
        errors["hours"] = _("Give the hours of work the exchange asked of each student before completing it.")
    students = list(exchange.students.select_related("person", "profile__organisation"))
    if not students:
        errors["students"] = _("List the students who took part before completing the exchange.")
    if errors:
        raise ValidationFailed(errors)
    end = exchange.start + timedelta(weeks=exchange.weeks, days=-3)
    mobility_ids = []
    for student in students:
        own = student.profile
        other = exchange.second if own.pk == exchange.first_id else exchange.first
        language = sorted({e["language"] for e in own.languages} & {e["language"] for e in other.languages})
        mobility = mobility_services.virtual_mobility_record(
            actor=actor,
            participant=student.person,
            sending_organisation=own.organisation,
            receiving_organisation=other.organisation,
            start=exchange.start,
            end=end,
            hours=exchange.hours,
            ects=exchange.ects,
            certificate=exchange.certificate,
            eqf_level=own.eqf_level,
            isced_code=own.isced_code,
            language=language[0] if language else "",
            source_id=student.pk,
        )
        student.mobility_id = mobility.pk
        student.save(update_fields=["mobility_id"])
        mobility_ids.append(mobility.pk)
    exchange.status = ExchangeStatus.COMPLETED
    exchange.save(update_fields=["status", *bump(exchange, actor)])
    publish(events.ExchangeCompleted(exchange, mobility_ids=tuple(mobility_ids)))
    return exchange


@transaction.atomic
def exchange_cancel(*, actor, exchange: Exchange, expected_version: int | None = None) -> Exchange:
    require_exchange_change(actor, exchange)
    lock(exchange)
    require_version(exchange, expected_version, ("status",))
    EXCHANGE_TRANSITIONS.require(exchange.status, ExchangeStatus.CANCELLED, code="invalid_transition")
    exchange.status = ExchangeStatus.CANCELLED
    exchange.save(update_fields=["status", *bump(exchange, actor)])
    publish(events.ExchangeCancelled(exchange))
    return exchange
