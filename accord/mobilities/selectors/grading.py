"""Which grade distribution tables convert a mobility's grades, and how that choice is told."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.algorithms.mobility.grade_conversion.distribution import GradeDistribution
from accord.algorithms.mobility.grade_conversion.reference_group import (
    Breadth,
    ReferenceGroup,
    TableChoice,
    choose_tables,
    group_of,
    reference_groups,
)
from accord.mobilities.models import (
    GradeDistributionTable,
    Mobility,
)
from accord.reference.isced import isced_label

BREADTH_WORDS = {
    Breadth.DETAILED: gettext_lazy("detailed"),
    Breadth.NARROW: gettext_lazy("narrow"),
    Breadth.BROAD: gettext_lazy("broad"),
}


def _tables(organisation, scale) -> list[tuple[str, int | None, GradeDistributionTable]]:
    if scale is None:
        return []
    found = GradeDistributionTable.objects.filter(organisation=organisation, scale=scale).select_related(
        "scale"
    )
    return [(table.isced_code, table.eqf_level, table) for table in found]


def find_table(organisation, scale, mobility: Mobility) -> GradeDistributionTable | None:
    """The organisation's table for ``scale`` that fits the mobility best on its own, in the order of
    :func:`~accord.algorithms.mobility.grade_conversion.reference_group.reference_groups`."""
    tables = {group_of(code, level): table for code, level, table in _tables(organisation, scale)}
    groups = reference_groups(mobility.isced_code, mobility.eqf_level)
    return next((tables[group] for group in groups if group in tables), None)


def conversion_tables(
    mobility: Mobility, host_scale, home_scale
) -> TableChoice[GradeDistributionTable] | None:
    """The receiving institution's table for ``host_scale`` and the sending institution's for
    ``home_scale`` that convert this mobility's grades: the same reference group on both sides,
    as close to the mobility's field and cycle as both have (EGRACONS practice)."""
    return choose_tables(
        mobility.isced_code,
        mobility.eqf_level,
        _tables(mobility.receiving_organisation, host_scale),
        _tables(mobility.sending_organisation, home_scale),
    )


def _group_text(group: ReferenceGroup) -> str:
    if group.breadth is Breadth.ALL_FIELDS:
        field = _("all fields")
    else:
        field = _("%(breadth)s field %(label)s") % {
            "breadth": BREADTH_WORDS[group.breadth],
            "label": isced_label(group.isced_code),
        }
    cycle = _("EQF %(level)s") % {"level": group.eqf_level} if group.eqf_level else _("every cycle")
    return f"{field}, {cycle}"


def _missing_text(group: ReferenceGroup, wanted: ReferenceGroup) -> str:
    parts = []
    if wanted.isced_code and group.isced_code != wanted.isced_code:
        parts.append(wanted.isced_code)
    if wanted.eqf_level and group.eqf_level != wanted.eqf_level:
        parts.append(_("EQF %(level)s") % {"level": wanted.eqf_level})
    return _(" (no table for %(wanted)s)") % {"wanted": _(" at ").join(parts)} if parts else ""


def table_note(choice: TableChoice) -> str:
    """Which tables a conversion used, in words, such as "Converted with the tables for broad field
    04 Business, administration and law, EQF 6 (no table for 0413)"."""
    if choice.same_group:
        return _("Converted with the tables for %(group)s%(missing)s.") % {
            "group": _group_text(choice.host_group),
            "missing": _missing_text(choice.host_group, choice.wanted),
        }
    return _(
        "Converted with the receiving institution's table for %(host)s and the sending institution's "
        "table for %(home)s: the two institutions have no tables for the same group."
    ) % {"host": _group_text(choice.host_group), "home": _group_text(choice.home_group)}


def no_table_reason(mobility: Mobility, host_scale, home_scale) -> str:
    """Why no table converts this mobility's grades, naming the side that lacks one."""
    wanted = _group_text(reference_groups(mobility.isced_code, mobility.eqf_level)[0])
    if home_scale is None:
        return _(
            "The sending institution has no home scale yet (set it on the grading page); convert the "
            "grade by hand with a reason."
        )
    sides = [
        side
        for side, organisation, scale in (
            (_("the receiving institution"), mobility.receiving_organisation, host_scale),
            (_("the sending institution"), mobility.sending_organisation, home_scale),
        )
        if find_table(organisation, scale, mobility) is None
    ]
    return _(
        "No grade distribution table of %(side)s fits %(wanted)s, nor a broader field or cycle; "
        "convert the grade by hand with a reason."
    ) % {"side": _(" or of ").join(sides) or _("either institution"), "wanted": wanted}


def distribution(table: GradeDistributionTable) -> GradeDistribution:
    return GradeDistribution.from_counts(
        table.scale.name,
        [(grade, count) for grade, count in table.counts],
        isced_code=table.isced_code,
        eqf_level=table.eqf_level,
        reference_period=table.reference_period,
    )
