"""Hidden fields every edit and create form carries (docs/decisions/0011-concurrent-edits.md)."""

import uuid

from django import template
from django.utils.html import format_html

from accord.core.concurrency import VersionedModel
from accord.core.idempotency import FORM_FIELD

register = template.Library()


@register.simple_tag
def idempotency_key_field() -> str:
    """A key made when the form is shown: a form sent twice (a double click) creates once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, uuid.uuid4().hex)


@register.simple_tag
def version_field(record: VersionedModel) -> str:
    """The version of ``record`` the form was opened at; the service refuses the save if it changed."""
    return format_html('<input type="hidden" name="version" value="{}">', record.version)
