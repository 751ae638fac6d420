"""Every write to mobilities, as ``<noun>_<verb>(*, actor, …)``: atomic, checking access and
validating before saving. Other apps (exchanges, EWP) call these, never the models."""

from accord.mobilities.services.copies import (
    mobility_copy_follow,
    mobility_copy_save,
    participant_details_save,
)
from accord.mobilities.services.grades import (
    grade_convert,
    grade_convert_manual,
    grade_table_import,
    scale_save,
    settings_save,
    transcript_import,
    transcript_record,
)
from accord.mobilities.services.learning_agreements import (
    delegation_grant,
    delegation_revoke,
    la_comment,
    la_propose,
    la_sign,
    signing_roles,
)
from accord.mobilities.services.mobility import mobility_create, mobility_record_dates, mobility_transition
from accord.mobilities.services.planning import mobility_update
from accord.mobilities.services.recognition import recognition_record
from accord.mobilities.services.rules import credit_rule_delete, credit_rule_save
from accord.mobilities.services.staff import (
    staff_agreement_propose,
    staff_certificate_issue,
    staff_mobility_invite,
)
from accord.mobilities.services.virtual import virtual_mobility_record

__all__ = [
    "credit_rule_delete",
    "credit_rule_save",
    "delegation_grant",
    "delegation_revoke",
    "grade_convert",
    "grade_convert_manual",
    "grade_table_import",
    "la_comment",
    "la_propose",
    "la_sign",
    "mobility_copy_follow",
    "mobility_copy_save",
    "mobility_create",
    "mobility_record_dates",
    "mobility_transition",
    "mobility_update",
    "participant_details_save",
    "recognition_record",
    "scale_save",
    "settings_save",
    "signing_roles",
    "staff_agreement_propose",
    "staff_certificate_issue",
    "staff_mobility_invite",
    "transcript_import",
    "transcript_record",
    "virtual_mobility_record",
]
