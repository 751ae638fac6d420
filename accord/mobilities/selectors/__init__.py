"""Every read of mobilities, taking the acting user; ``get_mobility_for_user`` answers "not found"
for what the user may not see and "forbidden" for what they see but may not do. Callers use
``selectors.<name>``; the modules hold the reads of one subject each."""

from accord.mobilities.selectors.grading import (
    BREADTH_WORDS as BREADTH_WORDS,
)
from accord.mobilities.selectors.grading import (
    conversion_tables as conversion_tables,
)
from accord.mobilities.selectors.grading import (
    distribution as distribution,
)
from accord.mobilities.selectors.grading import (
    find_table as find_table,
)
from accord.mobilities.selectors.grading import (
    no_table_reason as no_table_reason,
)
from accord.mobilities.selectors.grading import (
    table_note as table_note,
)
from accord.mobilities.selectors.mobility import (
    GROUPINGS as GROUPINGS,
)
from accord.mobilities.selectors.mobility import (
    AgreementOverview as AgreementOverview,
)
from accord.mobilities.selectors.mobility import (
    OverdueTranscript as OverdueTranscript,
)
from accord.mobilities.selectors.mobility import (
    RecognitionRow as RecognitionRow,
)
from accord.mobilities.selectors.mobility import (
    VersionView as VersionView,
)
from accord.mobilities.selectors.mobility import (
    agreement_overview as agreement_overview,
)
from accord.mobilities.selectors.mobility import (
    awaiting_my_signature as awaiting_my_signature,
)
from accord.mobilities.selectors.mobility import (
    get_mobility_for_user as get_mobility_for_user,
)
from accord.mobilities.selectors.mobility import (
    mobility_list as mobility_list,
)
from accord.mobilities.selectors.mobility import (
    recognition_rates as recognition_rates,
)
from accord.mobilities.selectors.mobility import (
    rules_for as rules_for,
)
from accord.mobilities.selectors.mobility import (
    settings_for as settings_for,
)
from accord.mobilities.selectors.mobility import (
    transcripts_overdue as transcripts_overdue,
)
from accord.mobilities.selectors.mobility import (
    version_diff as version_diff,
)
from accord.mobilities.selectors.staff import (
    STAFF_RULES as STAFF_RULES,
)
from accord.mobilities.selectors.staff import (
    NextStep as NextStep,
)
from accord.mobilities.selectors.staff import (
    StaffOverview as StaffOverview,
)
from accord.mobilities.selectors.staff import (
    breach_message as breach_message,
)
from accord.mobilities.selectors.staff import (
    certificate_breaches as certificate_breaches,
)
from accord.mobilities.selectors.staff import (
    may_invite_staff as may_invite_staff,
)
from accord.mobilities.selectors.staff import (
    staff_mobilities as staff_mobilities,
)
from accord.mobilities.selectors.staff import (
    staff_next_step as staff_next_step,
)
from accord.mobilities.selectors.staff import (
    staff_overview as staff_overview,
)
