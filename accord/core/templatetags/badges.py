"""Status badges with one colour per meaning, the same on every page: ``{{ agreement|status_badge }}``.

The colour says where a record stands (being prepared, waiting for someone, in force, finished,
stopped); the label is the status's own translated text, so the colour is never the only signal."""

from django import template
from django.db.models import Model
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# Status values across the apps, by tone. A status not listed is shown as neutral.
_TONES: dict[str, frozenset[str]] = {
    "waiting": frozenset(
        {
            "shared",
            "open",
            "proposed",
            "pending",
            "submitted",
            "nominated",
            "negotiating",
            "under_review",
            "commented",
            "running",
            "closed",
            "allocated",
            "exploring",
        }
    ),
    "active": frozenset(
        {
            "in_effect",
            "accepted",
            "approved",
            "published",
            "la_approved",
            "ongoing",
            "active",
            "renewed",
            "succeeded",
        }
    ),
    "done": frozenset({"completed", "recognised", "superseded", "expired"}),
    "stopped": frozenset({"terminated", "cancelled", "rejected", "withdrawn", "failed"}),
}


def tone_of(status: str) -> str:
    return next((tone for tone, statuses in _TONES.items() if status in statuses), "neutral")


@register.filter
def status_badge(record: Model) -> SafeString:
    """The record's ``status`` as a badge (its ``get_status_display`` label)."""
    status = str(getattr(record, "status", ""))
    label = getattr(record, "get_status_display", lambda: status)()
    return format_html('<span class="badge badge-{}">{}</span>', tone_of(status), label)
