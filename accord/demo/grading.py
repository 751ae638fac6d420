"""The demo grading data: each university's scale and a grade distribution table for its business
and administration students, written through the mobilities services.

The tables are for the broad field 04 at EQF 6 only, as many institutions publish them, so a
conversion for a mobility in 0413 (management and administration) shows the fallback: "Converted
with the tables for broad field 04 Business, administration and law, EQF 6 (no table for 0413)".
A scale that exists already is left alone, so a second run changes nothing.
"""

from accord.accounts.models import User
from accord.mobilities import services
from accord.mobilities.models import GradingScale
from accord.organisations.models import Organisation

HOME_SCALE = ("Polish 2-5", ["5", "4.5", "4", "3.5", "3"], ["2"])
HOME_TABLE = "grade,count\n5,48\n4.5,96\n4,190\n3.5,101\n3,45\n"
PARTNER_SCALE = ("Spanish 0-10", ["10", "9", "8", "7", "6", "5"], ["4", "3", "2", "1", "0"])
PARTNER_TABLE = "grade,count\n10,12\n9,70\n8,151\n7,160\n6,88\n5,39\n"


def _seed(organisation: Organisation, actor: User, scale_spec, table: str) -> bool:
    name, passing, failing = scale_spec
    if GradingScale.objects.filter(organisation=organisation, name=name).exists():
        return False
    scale = services.scale_save(
        actor=actor, organisation=organisation, name=name, passing_grades=passing, failing_grades=failing
    )
    services.grade_table_import(
        actor=actor,
        organisation=organisation,
        scale=scale,
        filename="business-eqf6.csv",
        data=table.encode(),
        isced_code="04",
        eqf_level=6,
        reference_period="2022/2023-2024/2025",
    )
    return True


def seed_grading(*, home: Organisation, partner: Organisation, users: dict[str, User]) -> None:
    """Give both demo universities a scale and a table for broad field 04 at EQF 6; the home one
    converts with its scale under the middle policy."""
    coordinator = users["demo-coordinator"]
    if _seed(home, coordinator, HOME_SCALE, HOME_TABLE):
        services.settings_save(
            actor=coordinator,
            organisation=home,
            conversion_policy="middle",
            transcript_days=35,
            home_scale=GradingScale.objects.get(organisation=home, name=HOME_SCALE[0]),
        )
    _seed(partner, users["demo-partner"], PARTNER_SCALE, PARTNER_TABLE)
