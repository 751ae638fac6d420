"""How pages word the changes between two agreement documents: labels from the parts of a change's
:class:`~accord.algorithms.agreements.diff.Where`, in the reader's language, never a field's key or a
partner's index."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.agreements.forms import AGREEMENT_TYPE_LABELS, MOBILITY_TYPE_LABELS
from accord.algorithms.agreements.content import Change

FIELD_LABELS = {
    # A partner
    "organisation_ref": gettext_lazy("organisation"),
    "hei_id": gettext_lazy("EWP hei-id"),
    "unit_ref": gettext_lazy("organisational unit"),
    "partner_agreement_id": gettext_lazy("agreement id at the partner"),
    "partner_agreement_code": gettext_lazy("agreement code at the partner"),
    "signing_contact": gettext_lazy("signing contact"),
    "signing_date": gettext_lazy("signing date"),
    # A condition
    "mobility_type": gettext_lazy("mobility type"),
    "sending_partner": gettext_lazy("sending institution"),
    "receiving_partner": gettext_lazy("receiving institution"),
    "first_academic_year": gettext_lazy("first academic year"),
    "last_academic_year": gettext_lazy("last academic year"),
    "mobilities_per_year": gettext_lazy("mobilities per year"),
    "sending_unit_ref": gettext_lazy("sending unit"),
    "receiving_unit_ref": gettext_lazy("receiving unit"),
    "subject_areas": gettext_lazy("subject areas"),
    "eqf_levels": gettext_lazy("EQF levels"),
    "language_skills": gettext_lazy("recommended language skills"),
    "total_months_per_year": gettext_lazy("total months per year"),
    "total_days_per_year": gettext_lazy("total days per year"),
    "blended": gettext_lazy("blended mobility"),
    "other_info": gettext_lazy("other information"),
    # The terms
    "agreement_type": gettext_lazy("agreement type"),
    "tuition_waiver": gettext_lazy("tuition waiver"),
    "fees": gettext_lazy("fees"),
    "insurance": gettext_lazy("insurance"),
    "housing": gettext_lazy("housing"),
    "funding_commitments": gettext_lazy("funding commitments"),
    "other_terms": gettext_lazy("other terms"),
    "termination_notice": gettext_lazy("termination notice"),
}
# Values that are keys, shown by their label.
VALUE_LABELS = {"mobility_type": MOBILITY_TYPE_LABELS, "agreement_type": AGREEMENT_TYPE_LABELS}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name.replace("_", " ")))


def change_label(change: Change) -> str:
    """ "Partner University's EWP hei-id", "Condition 1 (Student mobility for studies, Home University →
    Partner University), receiving institution" or "Terms, housing"; the English label when the change
    does not say where it is (as stored before it could)."""
    where = change.where
    if where is None:
        return change.label
    if where.section == "partner":
        if where.field is None:
            return _("Partner %(partner)s") % {"partner": where.partner}
        return _("%(partner)s's %(field)s") % {"partner": where.partner, "field": field_label(where.field)}
    if where.section == "terms":
        return _("Terms, %(field)s") % {"field": field_label(where.field or "")}
    condition = _("Condition %(number)s (%(mobility)s, %(sender)s → %(receiver)s)") % {
        "number": where.number,
        "mobility": MOBILITY_TYPE_LABELS.get(where.mobility_type, where.mobility_type),
        "sender": where.sender,
        "receiver": where.receiver,
    }
    if where.field is None:
        return condition
    return _("%(condition)s, %(field)s") % {"condition": condition, "field": field_label(where.field)}
