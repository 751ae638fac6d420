"""The concurrency convention (docs/decisions/0011-concurrent-edits.md) checked over the whole project,
so that a new endpoint or edit form cannot quietly leave it out:

* the OpenAPI document: every PATCH, PUT and DELETE declares If-Match and a 412 answer, every
  single-object GET an ETag response header, every POST an Idempotency-Key;
* the forms modules: every form that edits a VersionedModel carries its version (VersionedFormMixin).
"""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps

from accord.core.concurrency import VersionedModel
from accord.core.forms import VersionedFormMixin

pytestmark = pytest.mark.django_db

WRITES = ("patch", "put", "delete")

# Single-object reads that have no ETag, each with the reason.
GET_WITHOUT_ETAG = {
    "/api/v1/organisations/import/{job_id}": "a background job's progress, which nobody edits",
    "/api/v1/exchanges/runs/{run_id}": "an allocation run, written only by its own POST actions",
    "/api/v1/evaluation/reports/{job_id}": "a report's background job, which nobody edits",
}
# Writes that do not honour If-Match yet, each with the reason.
WRITE_WITHOUT_IF_MATCH: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def paths():
    from accord.api import api

    return api.get_openapi_schema()["paths"]


def _headers(operation: dict) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"}


def _is_single_object_read(path: str, operations: dict) -> bool:
    """A read of one record: the address ends with its key, or the same address is written."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return (last.startswith("{") and last.endswith("}")) or any(method in operations for method in WRITES)


def test_every_write_declares_if_match_and_a_412(paths):
    missing = []
    for path, operations in paths.items():
        for method in WRITES:
            operation = operations.get(method)
            if operation is None or (method, path) in WRITE_WITHOUT_IF_MATCH:
                continue
            if "If-Match" not in _headers(operation) or "412" not in operation["responses"]:
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"without If-Match or 412: {missing}"


def test_every_single_object_read_declares_an_etag(paths):
    missing = []
    for path, operations in paths.items():
        # Reference data (countries, ISCED fields…) is read-only and the same for everyone.
        if "get" not in operations or path.startswith("/api/v1/reference/") or path in GET_WITHOUT_ETAG:
            continue
        headers = operations["get"]["responses"].get("200", {}).get("headers", {})
        if _is_single_object_read(path, operations) and "ETag" not in headers:
            missing.append(path)
    assert not missing, f"single-object reads without an ETag: {missing}"


def test_every_create_declares_an_idempotency_key(paths):
    missing = [path for path, operations in paths.items() if "post" in operations]
    missing = [path for path in missing if "Idempotency-Key" not in _headers(paths[path]["post"])]
    assert not missing, f"POSTs without Idempotency-Key: {missing}"


def test_the_exemptions_still_name_real_operations(paths):
    for path in GET_WITHOUT_ETAG:
        assert "get" in paths[path], path
    for method, path in WRITE_WITHOUT_IF_MATCH:
        assert method in paths[path], path


# --- forms ---------------------------------------------------------------------------------------

FORM_APPS = (
    "accounts",
    "agreements",
    "evaluation",
    "exchanges",
    "mobilities",
    "organisations",
    "partnerships",
    "virtual_exchange",
    "courses",
)
BOOKKEEPING = {"version", "updated_by", "created_at", "updated_at"}

# Forms whose fields look like a versioned record's but which only create (nothing can have changed a
# record that does not exist yet) or write something else; each with the reason.
NOT_EDIT_FORMS = {
    "accord.accounts.forms.InvitationForm": "creates an invitation",
    "accord.agreements.forms.AttachmentForm": "adds an attachment; attachments are never edited",
    "accord.mobilities.forms.MobilityForm": "creates a mobility",
    "accord.mobilities.forms.SignForm": "adds a signature to a learning agreement version",
    "accord.organisations.forms.RequirementForm": "a row of FactsheetEditForm, which carries the version",
    "accord.partnerships.forms.MemberAddForm": "adds a member",
    "accord.partnerships.forms.MemberRowForm": "a row of the partnership create form",
    "accord.partnerships.forms.PartnershipCreateForm": "creates a partnership",
    "accord.mobilities.forms.StaffInviteForm": "creates a staff mobility for an invited colleague",
    "accord.virtual_exchange.forms.CallForm": "opens a virtual exchange call",
    "accord.virtual_exchange.forms.ConstraintForm": "fixes or forbids a pair (only added or lifted)",
    "accord.virtual_exchange.forms.SessionForm": "adds a weekly session to an exchange",
    "accord.virtual_exchange.forms.TaskForm": "adds the task of a week to an exchange",
    "accord.mobilities.forms.EntryForm": "a row of the transcript form (its fields look like a course's)",
}


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for app in FORM_APPS:
        module = importlib.import_module(f"accord.{app}.forms")
        found += [
            cls
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
        ]
    return found


def _versioned_models() -> dict[type, set[str]]:
    return {
        model: {
            field.name
            for field in model._meta.get_fields()
            if getattr(field, "editable", False) and not field.auto_created
        }
        - BOOKKEEPING
        for model in apps.get_models()
        if issubclass(model, VersionedModel)
    }


def _versioned_at_runtime() -> set[type]:
    """Create forms that the partnership entry views wrap with ``versioned()`` to edit."""
    from accord.partnerships.views import entries

    return {kind.form for kind in vars(entries).values() if isinstance(kind, entries.EntryKind)}


def test_every_model_form_of_a_versioned_model_carries_the_version():
    for cls in _form_classes():
        model = getattr(getattr(cls, "_meta", None), "model", None)
        if isinstance(model, type) and issubclass(model, VersionedModel):
            assert issubclass(cls, VersionedFormMixin), f"{cls.__module__}.{cls.__name__}"


def test_every_form_that_edits_a_versioned_record_carries_the_version():
    classes = _form_classes()
    wrapped = _versioned_at_runtime()
    models = _versioned_models()
    unversioned = []
    for cls in classes:
        name = f"{cls.__module__}.{cls.__name__}"
        fields = set(cls.base_fields) - {"version"}
        edits = [
            model.__name__
            for model, editable in models.items()
            if len(fields & editable) >= 2 and len(fields & editable) >= 0.6 * len(fields)
        ]
        has_edit_variant = issubclass(cls, VersionedFormMixin) or cls in wrapped
        has_edit_variant |= any(
            issubclass(other, cls) and issubclass(other, VersionedFormMixin) for other in classes
        )
        if edits and not has_edit_variant and name not in NOT_EDIT_FORMS:
            unversioned.append(f"{name} ({', '.join(edits)})")
    assert not unversioned, f"edit forms without VersionedFormMixin: {unversioned}"


def test_the_forms_that_do_not_edit_still_exist():
    names = {f"{cls.__module__}.{cls.__name__}" for cls in _form_classes()}
    assert set(NOT_EDIT_FORMS) <= names, set(NOT_EDIT_FORMS) - names
