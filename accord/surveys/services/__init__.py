"""Writes of the surveys app: templates and schedules, invitations and reminders, answers."""

from accord.surveys.services.invitations import (
    invitation_for_participation,
    invitations_for_addresses,
    invitations_send,
    reminders_send,
)
from accord.surveys.services.responses import response_submit
from accord.surveys.services.templates import (
    survey_for_cohort,
    survey_open,
    survey_update,
    template_create,
    template_update,
)

__all__ = [
    "invitation_for_participation",
    "invitations_for_addresses",
    "invitations_send",
    "reminders_send",
    "response_submit",
    "survey_for_cohort",
    "survey_open",
    "survey_update",
    "template_create",
    "template_update",
]
