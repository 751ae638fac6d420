"""Agreement content: the public face of Accord's pure model of inter-institutional agreements.

Pure Python: nothing here imports Django. The Django layer stores each agreement *version* as the JSON
document :func:`content_to_dict` writes, reads it back with :func:`parse_content`, and records in each
approval the :func:`conditions_hash` of it. Import from this module; the work is done in:

* :mod:`~accord.algorithms.agreements.model`: the frozen dataclasses (:class:`AgreementContent`,
  :class:`AgreementPartner`, :class:`CooperationCondition` with :class:`SubjectArea` and
  :class:`LanguageSkill`, :class:`AgreementTerms`), mirroring an EWP IIAs API v7 ``iia``, and their
  JSON form;
* :mod:`~accord.algorithms.agreements.parse`: :func:`parse_content` and the validation rules;
* :mod:`~accord.algorithms.agreements.hash`: the canonical serialisation of the cooperation conditions
  and its SHA-256, with exactly what is in and out of it (in: every cooperation-condition field and
  who sends and receives; out: condition keys, signing data, partner agreement ids and codes, terms);
* :mod:`~accord.algorithms.agreements.diff`: field-level differences between versions or copies;
* :mod:`~accord.algorithms.agreements.years`: per-year quotas and renewal.

The document (``content_to_dict``) looks like this; every field not shown is optional::

    {"format_version": 1,
     "partners": [{"organisation_ref": "17", "hei_id": "uw.edu.pl", "signing_date": "2026-03-01"},
                  {"organisation_ref": "hibo.no"}],
     "conditions": [{"key": "4f1c…", "mobility_type": "student_studies",
                     "sending_partner": 0, "receiving_partner": 1,
                     "first_academic_year": "2026/2027", "last_academic_year": "2028/2029",
                     "mobilities_per_year": 2, "total_months_per_year": "10",
                     "subject_areas": [{"isced_code": "0314", "clarification": null}],
                     "eqf_levels": [6, 7],
                     "language_skills": [{"language": "en", "cefr_level": "B2",
                                          "isced_code": null, "clarification": null}]}],
     "terms": {"agreement_type": "erasmus_iia", "tuition_waiver": true}}
"""

from accord.algorithms.agreements.diff import (
    Change,
    ChangeKind,
    Match,
    Where,
    diff_contents,
    diff_documents,
    match_conditions_by_content,
)
from accord.algorithms.agreements.hash import (
    canonical_conditions,
    canonical_terms,
    conditions_hash,
    terms_hash,
)
from accord.algorithms.agreements.model import (
    AGREEMENT_TYPES,
    FORMAT_VERSION,
    MOBILITY_TYPES,
    STAFF_MOBILITY_TYPES,
    STUDENT_MOBILITY_TYPES,
    AgreementContent,
    AgreementContentError,
    AgreementPartner,
    AgreementTerms,
    AgreementType,
    CooperationCondition,
    LanguageSkill,
    MobilityType,
    SubjectArea,
    content_from_dict,
    content_to_dict,
    decimal_text,
    json_value,
    normalise_text,
)
from accord.algorithms.agreements.parse import parse_content
from accord.algorithms.agreements.years import QuotaRow, condition_years, quota_table, renew_content

__all__ = [
    "AGREEMENT_TYPES",
    "FORMAT_VERSION",
    "MOBILITY_TYPES",
    "STAFF_MOBILITY_TYPES",
    "STUDENT_MOBILITY_TYPES",
    "AgreementContent",
    "AgreementContentError",
    "AgreementPartner",
    "AgreementTerms",
    "AgreementType",
    "Change",
    "ChangeKind",
    "CooperationCondition",
    "LanguageSkill",
    "Match",
    "MobilityType",
    "QuotaRow",
    "SubjectArea",
    "Where",
    "canonical_conditions",
    "canonical_terms",
    "condition_years",
    "conditions_hash",
    "content_from_dict",
    "content_to_dict",
    "decimal_text",
    "diff_contents",
    "diff_documents",
    "json_value",
    "match_conditions_by_content",
    "normalise_text",
    "parse_content",
    "quota_table",
    "renew_content",
    "terms_hash",
]
