"""Importing organisations and contacts from a file: validated, reported row by row, all or nothing.

How a file is imported
----------------------
1. ``reading.read_table`` turns the file into rows, or refuses it as a whole (size, format, header).
2. **Checking.** Each row is parsed (codes, city, list cells, duplicates within the file, the record
   it matches), then run through the same service a person would use (``organisation_create``,
   ``organisation_update``, ``contact_create``, ``contact_update``) inside a transaction that is
   always rolled back. So every rule the services enforce — identifiers, uniqueness against the
   database, ``full_clean``, permissions — is the import's rule too, with the service's message.
   Progress is reported after each row, outside any transaction, so watchers see it move.
3. **Saving.** Only if no row had a problem are all rows run again, for real, in one transaction.
   Should a row fail now (someone changed the directory meanwhile), that transaction is rolled back
   and the problem reported: nothing of the file is ever half-saved. A contacts file first locks the
   organisations it writes into and matches its rows again under that lock, so the same file
   imported twice at once yields its contacts once: the second import finds them saved and, as for
   any existing e-mail, refuses them in ``create`` mode or updates them in ``upsert`` mode.

Checking runs every service twice (once checked, once saved); that is the price of reusing the
services' validation rather than copying it, and of progress that others can see.

Modes: ``create`` (the default) refuses a row whose SCHAC or Erasmus code (contacts: e-mail within
the organisation) already belongs to a record; ``upsert`` updates that record instead. In both, a
column that the file leaves out is left alone, and a blank cell in a present column clears the value.
Internal notes and networks are never imported (nor exported).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q

from accord.accounts.access import Action, is_platform_staff, may, organisation_ids_for
from accord.core.contention import is_contention
from accord.core.errors import DomainError, ValidationFailed
from accord.organisations import services
from accord.organisations.choices import ContactRole, ContactVisibility, OrganisationKind
from accord.organisations.identifiers import (
    normalise_erasmus_code,
    normalise_pic,
    normalise_ror,
    normalise_schac,
)
from accord.organisations.models import Contact, Organisation, OrganisationalUnit
from accord.organisations.transfer.columns import ImportFailed, Mode, Problem, Target, refuse, split_list
from accord.organisations.transfer.reading import MAX_ROWS, read_table
from accord.reference.cities import find_city, get_city
from accord.reference.countries import country_name, is_country
from accord.reference.isced import is_isced
from accord.reference.languages import is_language

Progress = Callable[[int, int, str], None]

IDENTIFIERS: dict[str, tuple[str, Callable[[str], str]]] = {
    "schac_code": ("SCHAC code", normalise_schac),
    "erasmus_code": ("Erasmus code", normalise_erasmus_code),
    "pic": ("PIC", normalise_pic),
    "ror_id": ("ROR id", normalise_ror),
}
ORGANISATION_TEXT = (
    "name",
    "abbreviation",
    "street_address",
    "postal_code",
    "website",
    "mission",
    "offers",
    "seeks",
)
CONTACT_TEXT = ("given_name", "family_name", "email", "phone", "position")
# Service errors name model fields; the report names the file's columns.
SERVICE_FIELD_TO_COLUMN = {"city_geonameid": "city", "unit": "unit_code", "__all__": None}


@dataclass
class ImportOutcome:
    """What a successful import did."""

    target: str
    mode: str
    rows: int
    created: int = 0
    updated: int = 0

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "mode": self.mode,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
        }


@dataclass
class _Plan:
    """One row, parsed: the record it updates (``None`` to create one) and the service arguments."""

    number: int
    existing: Any
    data: dict[str, Any]
    organisation: Organisation | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    @property
    def columns_at_fault(self) -> set[str | None]:
        return {problem.column for problem in self.problems}


def _choice_hint(choices) -> str:
    return ", ".join(choices.values)


class _OrganisationRows:
    target = Target.ORGANISATIONS

    def __init__(self, *, actor, mode: Mode, columns: tuple[str, ...]):
        self.actor, self.mode, self.columns = actor, mode, columns
        self.seen: dict[str, dict[str, int]] = {column: {} for column in IDENTIFIERS}

    def prepare(self, number: int, values: dict[str, str]) -> _Plan:
        plan = _Plan(number=number, existing=None, data={})
        data = plan.data
        for column in ORGANISATION_TEXT:
            if column in values:
                data[column] = values[column]

        kind = values["kind"].lower()
        data["kind"] = kind
        if not kind:
            plan.problem("kind", f"The kind is required: one of {_choice_hint(OrganisationKind)}.")
        elif kind not in OrganisationKind.values:
            plan.problem(
                "kind",
                f"'{values['kind']}' is not a kind of organisation: "
                f"use one of {_choice_hint(OrganisationKind)}.",
            )

        country = values["country_code"].upper()
        data["country_code"] = country
        if not is_country(country):
            plan.problem(
                "country_code",
                f"'{values['country_code']}' is not an ISO 3166-1 country code (two letters, such as PL)."
                if country
                else "The country code is required (two letters, such as PL).",
            )
        elif "city" in values:
            self._city(plan, values["city"], country)

        for column, (label, normalise) in IDENTIFIERS.items():
            if column not in values:
                continue
            raw = values[column]
            if not raw:
                data[column] = ""
                continue
            try:
                code = normalise(raw)
            except ValueError as exc:
                plan.problem(column, str(exc))
                continue
            first = self.seen[column].setdefault(code, number)
            if first != number:
                plan.problem(
                    column,
                    f"The {label} '{code}' is also on row {first}: "
                    "each row must be a different organisation.",
                )
                continue
            data[column] = code

        for column, is_valid, what in (
            ("languages", is_language, "an ISO 639 language code"),
            ("fields", is_isced, "an ISCED-F 2013 field code"),
        ):
            if column in values:
                codes = split_list(values[column])
                if column == "languages":
                    codes = [code.lower() for code in codes]
                bad = [code for code in codes if not is_valid(code)]
                if bad:
                    plan.problem(column, f"{', '.join(repr(code) for code in bad)}: not {what}.")
                else:
                    data[column] = codes

        self._match(plan)
        return plan

    def _city(self, plan: _Plan, raw: str, country: str) -> None:
        if not raw:
            plan.data["city_geonameid"] = None
            return
        if raw.isdecimal():
            city = get_city(int(raw))
            if city is None:
                plan.problem(
                    "city", f"'{raw}' is not the GeoNames id of a known city (of 5,000 inhabitants or more)."
                )
            elif city.country_code != country:
                plan.problem(
                    "city",
                    f"GeoNames id {raw} is {city.name}, in {country_name(city.country_code)}, "
                    f"not in {country_name(country)}.",
                )
            else:
                plan.data["city_geonameid"] = city.geonameid
            return
        city = find_city(raw, country)
        if city is None:
            plan.problem(
                "city",
                f"No city called '{raw}' is known in {country_name(country)} (places of 5,000 inhabitants "
                "or more); check the spelling or give the city's GeoNames id.",
            )
        else:
            plan.data["city_geonameid"] = city.geonameid

    def _match(self, plan: _Plan) -> None:
        """Find the organisation that the row's SCHAC or Erasmus code already belongs to."""
        keys = {
            column: plan.data[column] for column in ("schac_code", "erasmus_code") if plan.data.get(column)
        }
        if not keys:
            return
        query = Q()
        for column, code in keys.items():
            query |= Q(**{column: code})
        matches = {column: None for column in keys}
        for organisation in Organisation.objects.filter(query):
            for column, code in keys.items():
                if getattr(organisation, column) == code:
                    matches[column] = organisation
        found = [(column, organisation) for column, organisation in matches.items() if organisation]
        if not found:
            return
        column, organisation = found[0]
        if self.mode == Mode.CREATE:
            plan.problem(
                column,
                f"{organisation.name} already has the {IDENTIFIERS[column][0]} '{keys[column]}'; "
                "import in 'upsert' mode to update it.",
            )
            return
        if len(found) > 1 and found[1][1].pk != organisation.pk:
            plan.problem(
                found[1][0],
                f"This Erasmus code belongs to {found[1][1].name}, "
                f"but the SCHAC code to {organisation.name}.",
            )
            return
        plan.existing = organisation

    def apply(self, plan: _Plan) -> None:
        if plan.existing is not None:
            services.organisation_update(actor=self.actor, organisation=plan.existing, **plan.data)
        else:
            services.organisation_create(actor=self.actor, **plan.data)


class _ContactRows:
    target = Target.CONTACTS

    def __init__(self, *, actor, mode: Mode, columns: tuple[str, ...]):
        self.actor, self.mode, self.columns = actor, mode, columns
        self._organisations: dict[str, Organisation | None] = {}
        self._units: dict[tuple[int, str], OrganisationalUnit | None] = {}
        self.seen: dict[tuple[int, str], int] = {}

    def _organisation(self, raw: str) -> Organisation | None:
        if raw not in self._organisations:
            found = None
            for column, normalise in (
                ("schac_code", normalise_schac),
                ("erasmus_code", normalise_erasmus_code),
            ):
                try:
                    code = normalise(raw)
                except ValueError:
                    continue
                found = Organisation.objects.filter(**{column: code}).first()
                if found:
                    break
            self._organisations[raw] = found
        return self._organisations[raw]

    def _unit(self, organisation: Organisation, code: str) -> OrganisationalUnit | None:
        key = (organisation.pk, code)
        if key not in self._units:
            self._units[key] = organisation.units.filter(code=code).first()
        return self._units[key]

    def prepare(self, number: int, values: dict[str, str]) -> _Plan:
        plan = _Plan(number=number, existing=None, data={})
        data = plan.data
        for column in CONTACT_TEXT:
            if column in values:
                data[column] = values[column]
        for column, choices in (("role", ContactRole), ("visibility", ContactVisibility)):
            raw = values.get(column, "")
            if not raw:
                continue  # the default when creating, unchanged when updating
            if raw.lower() not in choices.values:
                plan.problem(column, f"'{raw}' is not a {column}: use one of {_choice_hint(choices)}.")
            else:
                data[column] = raw.lower()

        raw = values["organisation"]
        organisation = self._organisation(raw) if raw else None
        if organisation is None:
            plan.problem(
                "organisation",
                f"No organisation has the SCHAC or Erasmus code '{raw}'."
                if raw
                else "The organisation's SCHAC or Erasmus code is required.",
            )
            return plan
        if not may(self.actor, Action.MANAGE, organisation.pk):
            plan.problem("organisation", f"You may not manage contacts of {organisation.name}.")
            return plan
        plan.organisation = organisation

        if "unit_code" in values:
            code = values["unit_code"]
            unit = self._unit(organisation, code) if code else None
            if code and unit is None:
                plan.problem("unit_code", f"{organisation.name} has no unit with the code '{code}'.")
            else:
                data["unit"] = unit

        email = values.get("email", "").lower()
        if email:
            first = self.seen.setdefault((organisation.pk, email), number)
            if first != number:
                plan.problem(
                    "email",
                    f"The contact with the e-mail '{email}' at {organisation.name} is also on row {first}.",
                )
                return plan
            existing = Contact.objects.filter(organisation=organisation, email__iexact=email).first()
            if existing is not None and self.mode == Mode.CREATE:
                plan.problem(
                    "email",
                    f"{organisation.name} already has a contact with the e-mail '{email}'; import in "
                    "'upsert' mode to update it.",
                )
            plan.existing = existing
        return plan

    def apply(self, plan: _Plan) -> None:
        email = plan.data.get("email")
        if plan.existing is None and self.mode == Mode.UPSERT and email:
            # Another import may have added this person since the row was matched: match it again
            # under the lock that contact writes of this organisation take.
            Organisation.objects.select_for_update().filter(pk=plan.organisation.pk).values_list("pk").get()
            plan.existing = Contact.objects.filter(
                organisation=plan.organisation, email__iexact=email
            ).first()
        if plan.existing is not None:
            services.contact_update(actor=self.actor, contact=plan.existing, **plan.data)
        else:
            services.contact_create(actor=self.actor, organisation=plan.organisation, **plan.data)


class _RollBack(Exception):
    """Raised to leave a checking transaction without keeping anything."""


def _service_problems(plan: _Plan, exc: DomainError) -> list[Problem]:
    if isinstance(exc, ValidationFailed):
        problems = []
        for key, messages in exc.errors.items():
            column = SERVICE_FIELD_TO_COLUMN.get(key, key)
            if column in plan.columns_at_fault:
                continue  # already reported in the file's terms
            problems.extend(Problem(plan.number, column, message) for message in messages)
        return problems
    return [Problem(plan.number, None, exc.message)]


def _check(rows, plan: _Plan) -> list[Problem]:
    """Run the row's service call and roll it back; the service's complaints, in the file's terms."""
    if plan.organisation is None and rows.target == Target.CONTACTS:
        return plan.problems  # without an organisation there is nothing to check against
    found: list[Problem] = []
    try:
        with transaction.atomic():
            rows.apply(plan)
            raise _RollBack
    except _RollBack:
        pass
    except DomainError as exc:
        found = _service_problems(plan, exc)
    except (IntegrityError, OperationalError) as exc:
        if not is_contention(exc):
            raise
        found = [Problem(plan.number, None, SAVED_MEANWHILE)]
    return plan.problems + found


# A unique key taken by a write committed while the row was checked or saved (the same file
# imported twice at once): the database refused it, and the report says so instead of crashing.
SAVED_MEANWHILE = (
    "Someone saved the same records at the same moment (another import of this file?), so nothing "
    "of this file was imported. Import it again to see what is there now."
)


def _save(rows, plans: list[_Plan], outcome: ImportOutcome, problems: list[Problem]) -> None:
    for plan in plans:
        try:
            rows.apply(plan)
        except DomainError as exc:
            problems.extend(_service_problems(plan, exc))
            continue
        if plan.existing is not None:
            outcome.updated += 1
        else:
            outcome.created += 1


def _plans_under_lock(rows, table, plans: list[_Plan]) -> list[_Plan]:
    """Lock the organisations the file writes into (by id, so two imports never deadlock) and match
    its rows again: another import of the same people may have saved them since they were checked.
    A row whose e-mail is now taken is refused in ``create`` mode and updates it in ``upsert``."""
    ids = sorted({plan.organisation.pk for plan in plans if plan.organisation is not None})
    list(
        Organisation.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    fresh = [rows.prepare(number, values) for number, values in table.rows]
    problems = [problem for plan in fresh for problem in plan.problems]
    if problems:
        raise ImportFailed(problems)
    return fresh


REFUSED = {
    Target.ORGANISATIONS: "Only platform staff can import organisations.",
    Target.CONTACTS: "Only platform staff and organisations' admins and coordinators can import contacts.",
}


def may_import(user, target: Target | str) -> bool:
    """Organisations: platform staff. Contacts: staff, or whoever manages some organisation (each
    row is then checked against the organisations the user manages)."""
    if Target(target) == Target.ORGANISATIONS:
        return is_platform_staff(user)
    return is_platform_staff(user) or bool(organisation_ids_for(user, Action.MANAGE))


def import_file(
    data: bytes,
    *,
    target: Target | str,
    mode: Mode | str = Mode.CREATE,
    actor,
    progress: Progress | None = None,
    max_bytes: int | None = None,
    max_rows: int = MAX_ROWS,
) -> ImportOutcome:
    """Import a CSV or XLSX file, or raise ``ImportFailed`` listing every problem (nothing saved)."""
    target, mode = Target(target), Mode(mode)
    if not may_import(actor, target):
        raise refuse(REFUSED[target])
    report = progress or (lambda done, total, message: None)
    table = read_table(
        data,
        target=target,
        max_bytes=settings.ACCORD_MAX_IMPORT_BYTES if max_bytes is None else max_bytes,
        max_rows=max_rows,
    )
    row_type = _OrganisationRows if target == Target.ORGANISATIONS else _ContactRows
    rows = row_type(actor=actor, mode=mode, columns=table.columns)
    total = len(table.rows)
    steps = total + max(1, total // 10)  # the last tenth of the bar is the saving

    plans: list[_Plan] = []
    problems: list[Problem] = []
    for done, (number, values) in enumerate(table.rows, start=1):
        plan = rows.prepare(number, values)
        problems.extend(_check(rows, plan))
        plans.append(plan)
        report(done, steps, f"Checked {done:,} of {total:,} rows; {len(problems):,} problems so far.")
    if problems:
        report(steps, steps, f"{len(problems):,} problems: nothing was imported.")
        raise ImportFailed(problems)

    report(total, steps, f"All {total:,} rows are valid; saving…")
    outcome = ImportOutcome(target=target.value, mode=mode.value, rows=total)
    try:
        with transaction.atomic():
            if target == Target.CONTACTS:
                plans = _plans_under_lock(
                    row_type(actor=actor, mode=mode, columns=table.columns), table, plans
                )
            _save(rows, plans, outcome, problems)
            if problems:
                transaction.set_rollback(True)
    except (IntegrityError, OperationalError) as exc:
        if not is_contention(exc):
            raise
        raise refuse(SAVED_MEANWHILE) from exc
    if problems:
        raise ImportFailed(problems)
    report(
        steps, steps, f"Imported {total:,} rows: {outcome.created:,} created, {outcome.updated:,} updated."
    )
    return outcome
