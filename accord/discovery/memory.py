"""The institution's memory of recognitions: which home course a host course counted as before.

Three sources, read together (never copied into one table, so each stays the record of its own
workflow):

* ``ApprovedEquivalence``: a coordinator approved a suggestion;
* recognitions after a transcript (``mobilities.RecognisedComponent`` linked to the transcript entry
  of the host course): the strongest evidence, since credits were actually transferred;
* approved learning agreements (``approved_version``): a studied and a recognised component listed
  at the same position when the two tables have the same length, the usual way coordinators pair
  them; agreements whose tables differ in length are not guessed at.

A host course is the same when its organisation and code match, or, without a code, its title
(folded: case and accents ignored).
"""

from collections import Counter

from accord.algorithms.discovery.text import fold
from accord.discovery.models import ApprovedEquivalence
from accord.mobilities.models import LearningAgreement, RecognisedComponent


def _same_course(code: str, title: str, host_code: str, host_title: str) -> bool:
    if code and host_code:
        return code.strip().casefold() == host_code.strip().casefold()
    return bool(title) and fold(title.strip()) == fold(host_title.strip())


def recognitions(
    *, home_organisation_id: int, host_organisation_id: int | None, host_code: str, host_title: str
) -> Counter[str]:
    """Home course codes recognised for this host course, with the number of times."""
    found: Counter[str] = Counter()
    if not host_code and not host_title:
        return found
    manual = ApprovedEquivalence.objects.filter(
        home_course__organisation_id=home_organisation_id
    ).select_related("home_course")
    if host_organisation_id:
        manual = manual.filter(host_organisation_id=host_organisation_id)
    for equivalence in manual:
        if _same_course(equivalence.host_code, equivalence.host_title, host_code, host_title):
            found[equivalence.home_course.code] += 1
    if host_organisation_id is None:
        return found
    recognised = RecognisedComponent.objects.filter(
        mobility__sending_organisation_id=home_organisation_id,
        mobility__receiving_organisation_id=host_organisation_id,
        entry__isnull=False,
    ).select_related("entry")
    for component in recognised:
        if component.code and _same_course(
            component.entry.code, component.entry.title, host_code, host_title
        ):
            found[component.code] += 1
    agreements = LearningAgreement.objects.filter(
        mobility__sending_organisation_id=home_organisation_id,
        mobility__receiving_organisation_id=host_organisation_id,
        approved_version__isnull=False,
    ).select_related("approved_version")
    for agreement in agreements:
        components = agreement.approved_version.components or []
        studied = [c for c in components if c.get("section") == "studied"]
        recognised_rows = [c for c in components if c.get("section") == "recognised"]
        if len(studied) != len(recognised_rows):
            continue
        for host, home in zip(studied, recognised_rows, strict=True):
            if home.get("code") and _same_course(
                host.get("code") or "", host.get("title") or "", host_code, host_title
            ):
                found[str(home["code"])] += 1
    return found
