"""Every write of discovery: remembering an approved equivalence, and starting a partnership from a
recommendation (through the partnerships app's own service)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accord.core.errors import PermissionDenied, ValidationFailed
from accord.courses.querysets import may_manage_catalogue
from accord.discovery.choices import EquivalenceSource
from accord.discovery.models import ApprovedEquivalence
from accord.partnerships.choices import MemberRole, PartnershipModel
from accord.partnerships.services import partnership_create


@transaction.atomic
def equivalence_approve(
    *, actor, home_course, host_title: str, host_code: str = "", host_organisation=None
) -> ApprovedEquivalence:
    """Remember that the host course counts as ``home_course`` (the home institution decides)."""
    if not may_manage_catalogue(actor, home_course.organisation_id):
        raise PermissionDenied(_("Only the home institution's admins and coordinators approve equivalences."))
    if not host_title.strip():
        raise ValidationFailed({"host_title": _("Give the host course's title.")})
    equivalence, _created = ApprovedEquivalence.objects.get_or_create(
        home_course=home_course,
        host_organisation=host_organisation,
        host_code=host_code.strip(),
        host_title=host_title.strip(),
        defaults={"approved_by": actor, "source": EquivalenceSource.MANUAL},
    )
    return equivalence


def partnership_invite(*, actor, organisation, candidate):
    """Start a partnership (status exploring) of ``organisation``, coordinating, with ``candidate``."""
    if organisation.pk == candidate.pk:
        raise ValidationFailed({"candidate": _("An organisation cannot partner with itself.")})
    return partnership_create(
        actor=actor,
        members=[(organisation, MemberRole.COORDINATOR), (candidate, MemberRole.PARTNER)],
        title=f"{organisation.name} – {candidate.name}",
        model=PartnershipModel.BILATERAL_EXCHANGE,
        description=_("Started from a partner recommendation."),
    )
