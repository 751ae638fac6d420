"""The indicator library (see ``registry``): definitions first, computed where Accord has the data."""

from accord.evaluation.library import mobility, pending  # noqa: F401  (each module registers its indicators)
from accord.evaluation.library.registry import (
    DOMAIN_NAMES,
    Definition,
    Domain,
    Figure,
    Row,
    compute,
    definitions,
    get,
    provide,
    register,
)
from accord.evaluation.library.scope import Context, Period, Scope, ScopeKind

__all__ = [
    "DOMAIN_NAMES",
    "Context",
    "Definition",
    "Domain",
    "Figure",
    "Period",
    "Row",
    "Scope",
    "ScopeKind",
    "compute",
    "definitions",
    "get",
    "provide",
    "register",
]
