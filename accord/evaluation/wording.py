"""The sentences of evaluation: statuses, trends, suggestions and each health warning explained."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accord.algorithms.evaluation.health import HealthWarning, Suggestion, WarningCode
from accord.algorithms.evaluation.status import TrackStatus, Trend

STATUS_LABELS = {
    TrackStatus.ON_TRACK: gettext_lazy("On track"),
    TrackStatus.AT_RISK: gettext_lazy("At risk"),
    TrackStatus.OFF_TRACK: gettext_lazy("Off track"),
    TrackStatus.NOT_MEASURED: gettext_lazy("Not measured yet"),
}
TREND_LABELS = {
    Trend.IMPROVING: gettext_lazy("Improving"),
    Trend.WORSENING: gettext_lazy("Worsening"),
    Trend.STEADY: gettext_lazy("Steady"),
}
SUGGESTION_LABELS = {
    Suggestion.GROW: gettext_lazy("Grow"),
    Suggestion.KEEP: gettext_lazy("Keep"),
    Suggestion.FIX: gettext_lazy("Fix"),
    Suggestion.CLOSE_OR_RENEW: gettext_lazy("Close or renew"),
}
STATUS_RULE = gettext_lazy(
    "On track: the target is reached, or the progress from the baseline is at least 90% of what the time "
    "elapsed in the target period expects. At risk: at least 60%. Off track: less, or moving away from "
    "the target."
)
HEALTH_RULE = gettext_lazy(
    "Health is 100 less 30 for each serious warning, 15 for each moderate one and 5 for each minor one. "
    "Grow: healthy (80 or more) and active. Close or renew: under 50 and no activity in the last year. "
    "Fix: the others with warnings."
)


def status_label(status: str) -> str:
    return str(STATUS_LABELS[TrackStatus(status)])


def trend_label(trend: str | None) -> str:
    return str(TREND_LABELS[Trend(trend)]) if trend else _("Not enough figures for a trend")


def value_text(value: Decimal | None, definition) -> str:
    if value is None:
        return _("No data")
    shown = value.normalize() if value == value.to_integral() else value.quantize(Decimal("0.01"))
    return f"{shown:f} {definition.unit}"


def warning_text(warning: HealthWarning) -> str:
    p = warning.params
    code = warning.code
    if code == WarningCode.UNBALANCED_FLOWS:
        return (
            _(
                "Flows with %(partner)s are unbalanced: %(incoming)s incoming against %(outgoing)s outgoing "
                "over the last three academic years."
            )
            % p
        )
    if code == WarningCode.UNUSED_QUOTAS:
        return (
            _(
                "Only %(used)s of the %(agreed)s places agreed for the last three academic years were "
                "used (%(percent)s%%)."
            )
            % p
        )
    if code == WarningCode.AGREEMENT_EXPIRING:
        return (
            ngettext(
                "%(agreement)s ends on %(ends_on)s, in %(days)s day, and no renewal is being negotiated.",
                "%(agreement)s ends on %(ends_on)s, in %(days)s days, and no renewal is being negotiated.",
                int(p["days"]),
            )
            % p
        )
    if code == WarningCode.NO_RECENT_MEETING:
        if p.get("last"):
            return _("No meeting has been logged for %(months)s months (the last on %(last)s).") % p
        return _("No meeting has been logged in the %(months)s months since the partnership started.") % p
    if code == WarningCode.OVERDUE_ACTIONS:
        return (
            ngettext(
                "%(count)s action item is overdue.", "%(count)s action items are overdue.", int(p["count"])
            )
            % p
        )
    if code == WarningCode.LOW_RECOGNITION:
        return _("Only %(percent)s%% of the credits planned abroad were recognised.") % p
    if code == WarningCode.FUNDING_ENDING:
        return _("The funding ends on %(ends_on)s.") % p
    if code == WarningCode.SURVEY_FALLING:
        return _("Participants' survey results are falling.")
    return code
