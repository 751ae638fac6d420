"""Reads of the surveys app, scoped to the reader. Results are in ``selectors.results``: aggregates
only, never one person's answers."""

from django.db.models import Count, Q

from accord.core.errors import NotFound
from accord.surveys.models import Invitation, Survey, SurveyTemplate
from accord.surveys.querysets import SurveyAction


def template_list(*, user) -> list[SurveyTemplate]:
    return list(SurveyTemplate.objects.for_user(user).select_related("organisation"))


def get_template_for_user(*, user, pk: int, action: str = SurveyAction.VIEW) -> SurveyTemplate:
    found = SurveyTemplate.objects.for_user(user, action).select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise NotFound("There is no such survey template.")
    return found


def survey_list(*, user, period: str = "", audience: str = ""):
    """The rounds the user coordinates, with how many were invited and how many answered."""
    queryset = (
        Survey.objects.for_user(user)
        .select_related("template", "organisation", "partnership")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True),
        )
        .order_by("-period", "organisation__name", "partnership__title", "template__phase", "pk")
    )
    if period:
        queryset = queryset.filter(period=period)
    if audience:
        queryset = queryset.filter(template__audience=audience)
    return queryset


def get_survey_for_user(*, user, pk: int) -> Survey:
    found = (
        Survey.objects.for_user(user)
        .select_related("template", "organisation", "partnership")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("There is no such survey.")
    return found


def my_invitations(*, user) -> list[Invitation]:
    """The surveys waiting for the user's answers, newest first."""
    return list(
        Invitation.objects.of(user)
        .open()
        .select_related("survey__template", "survey__organisation")
        .order_by("-created_at", "-pk")
    )


def invitation_by_token(token: str) -> Invitation:
    found = (
        Invitation.objects.select_related("survey__template", "survey__organisation")
        .filter(token=token)
        .first()
    )
    if found is None:
        raise NotFound("There is no such survey.")
    return found
