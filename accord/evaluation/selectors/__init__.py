"""Every read of the evaluation app: scopes a user may see, dashboards, tracked objectives, health."""

from accord.evaluation.selectors.dashboard import Dashboard, Shown, dashboard, library_figures
from accord.evaluation.selectors.health import PartnershipHealth, health_of, portfolio_partnerships
from accord.evaluation.selectors.objectives import Tracked, tracked_objectives
from accord.evaluation.selectors.scopes import institutions_for, period_from, programmes_of, scope_for_user

__all__ = [
    "Dashboard",
    "PartnershipHealth",
    "Shown",
    "Tracked",
    "dashboard",
    "health_of",
    "institutions_for",
    "library_figures",
    "period_from",
    "portfolio_partnerships",
    "programmes_of",
    "scope_for_user",
    "tracked_objectives",
]
