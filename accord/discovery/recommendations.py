"""Partner recommendations for an organisation (or one of its units, or a partnership's objective).

Reads the whole directory in a fixed number of queries (organisations, fields, languages, networks,
partnership members), builds the pure ``partners.Profile`` of each, the lexical indexes of the
profile texts (mission, offer, seek) and the matrix of their vectors (``ProfileVector``, so that
profiles in different languages still compare), and keeps them in the process under a stamp of five aggregate
queries, rebuilt when the directory changes. A request then scores the candidates with
``algorithms.discovery.partners.recommend``; a unit or an objective adds its own words to the
subject's text.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.algorithms.discovery import lexical, text
from accord.algorithms.discovery.partners import (
    DEFAULT_WEIGHTS,
    Profile,
    Recommendation,
    missing_data,
    recommend,
)
from accord.courses.models import Course
from accord.discovery.embedding import MODEL_NAME, encoder
from accord.discovery.indexing import profile_text
from accord.discovery.models import ProfileVector
from accord.organisations.choices import OrganisationKind
from accord.organisations.models import Organisation, OrganisationField, OrganisationLanguage
from accord.partnerships.models import Objective, Partnership, PartnershipMember
from accord.reference.countries import continent_of, is_country

MISSING_SENTENCES = {
    "fields": gettext_lazy("Add the organisation's fields of strength (ISCED-F) to its profile."),
    "languages": gettext_lazy("Add its languages of instruction to its profile."),
    "profile_text": gettext_lazy("Describe its mission, what it offers and what it seeks in partners."),
}


@dataclass
class PartnerRecommendation:
    organisation: Organisation
    score: float
    factors: Mapping[str, float]
    existing_partner: bool
    shared_languages: tuple[str, ...]


@dataclass
class RecommendationAnswer:
    recommendations: list[PartnerRecommendation]
    missing: list[str]
    weights: Mapping[str, float]


def _continent(country: str) -> str:
    return continent_of(country) if country and is_country(country) else ""


@dataclass
class DirectoryIndex:
    """The directory as profiles and text indexes, rebuilt when ``stamp`` changes (see ``_stamp``)."""

    stamp: tuple
    rows: dict[int, dict]
    profiles: dict[int, Profile]
    whole: lexical.Bm25Index
    offers: lexical.Bm25Index
    seeks: lexical.Bm25Index
    vector_ids: list[int]
    matrix: np.ndarray | None


_CACHE: dict[str, DirectoryIndex] = {}


def _stamp() -> tuple:
    organisations = Organisation.objects.aggregate(
        count=Count("pk"), latest=Max("updated_at"), last=Max("pk")
    )
    return (
        tuple(organisations.values()),
        OrganisationField.objects.count(),
        OrganisationLanguage.objects.count(),
        Organisation.networks.through.objects.count(),
        tuple(PartnershipMember.objects.aggregate(count=Count("pk"), last=Max("pk")).values()),
        tuple(ProfileVector.objects.aggregate(count=Count("pk"), latest=Max("indexed_at")).values()),
    )


def _build(stamp: tuple) -> DirectoryIndex:
    rows = {
        row["pk"]: row
        for row in Organisation.objects.exclude(kind=OrganisationKind.NETWORK).values(
            "pk", "name", "country_code", "mission", "offers", "seeks"
        )
    }
    fields: dict[int, set[str]] = defaultdict(set)
    for org_id, code in OrganisationField.objects.values_list("organisation_id", "isced_code"):
        fields[org_id].add(code)
    languages: dict[int, set[str]] = defaultdict(set)
    for org_id, code in OrganisationLanguage.objects.values_list("organisation_id", "language_code"):
        languages[org_id].add(code)
    networks: dict[int, set[int]] = defaultdict(set)
    for org_id, network_id in Organisation.networks.through.objects.values_list(
        "from_organisation_id", "to_organisation_id"
    ):
        networks[org_id].add(network_id)
    members: dict[int, set[int]] = defaultdict(set)
    for partnership_id, org_id in PartnershipMember.objects.values_list("partnership_id", "organisation_id"):
        members[partnership_id].add(org_id)
    partners: dict[int, set[int]] = defaultdict(set)
    for group in members.values():
        for org_id in group:
            partners[org_id] |= group - {org_id}
    whole, offers, seeks = lexical.Bm25Index(), lexical.Bm25Index(), lexical.Bm25Index()
    profiles = {}
    for pk, row in rows.items():
        profiles[pk] = Profile(
            key=pk,
            country=row["country_code"],
            continent=_continent(row["country_code"]),
            fields=frozenset(fields[pk]),
            languages=frozenset(languages[pk]),
            partners=frozenset(partners[pk]),
            networks=frozenset(networks[pk]),
            has_text=bool((row["mission"] + row["offers"] + row["seeks"]).strip()),
        )
        whole.add(pk, text.document_terms([row["mission"], row["offers"], row["seeks"]]))
        offers.add(pk, text.stems(row["offers"]))
        seeks.add(pk, text.stems(row["seeks"]))
    vectors = ProfileVector.objects.filter(model=MODEL_NAME, organisation_id__in=rows).order_by("pk")
    vector_ids, blobs = [], []
    for organisation_id, blob in vectors.values_list("organisation_id", "vector"):
        vector_ids.append(organisation_id)
        blobs.append(bytes(blob))
    matrix = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1) if blobs else None
    return DirectoryIndex(stamp, rows, profiles, whole, offers, seeks, vector_ids, matrix)


def _semantic_similarity(directory: DirectoryIndex, subject_id: int, extra_text: str) -> dict[int, float]:
    """Cosine of each indexed profile with the subject's (embedded with the focus words when given),
    rescaled so that the median candidate counts 0 and the closest 1: e5's cosines all sit high, and
    only their order says anything."""
    if directory.matrix is None:
        return {}
    query = None
    if extra_text.strip() and (model := encoder()) is not None:
        row = directory.rows[subject_id]
        query = model.query(profile_text(row["mission"], row["offers"], row["seeks"]) + "\n" + extra_text)
    elif subject_id in directory.vector_ids:
        query = directory.matrix[directory.vector_ids.index(subject_id)]
    if query is None:
        return {}
    cosines = {
        pk: float(value) for pk, value in zip(directory.vector_ids, directory.matrix @ query, strict=True)
    }
    cosines.pop(subject_id, None)
    if len(cosines) < 2:
        return {}
    middle, best = float(np.median(list(cosines.values()))), max(cosines.values())
    if best <= middle:
        return {}
    return {pk: max(0.0, min(1.0, (value - middle) / (best - middle))) for pk, value in cosines.items()}


def directory_index() -> DirectoryIndex:
    stamp = _stamp()
    found = _CACHE.get("directory")
    if found is None or found.stamp != stamp:
        found = _CACHE["directory"] = _build(stamp)
    return found


def _others(scores: dict, subject_id: int) -> dict[int, float]:
    return lexical.normalised({key: value for key, value in scores.items() if key != subject_id})  # type: ignore[return-value]


def recommend_partners(
    *,
    user,
    organisation: Organisation,
    weights: Mapping[str, float] | None = None,
    extra_text: str = "",
    limit: int = 20,
) -> RecommendationAnswer:
    """Partners for ``organisation`` (``extra_text``: a unit's subjects or an objective's words)."""
    weights = dict(DEFAULT_WEIGHTS) if weights is None else {**DEFAULT_WEIGHTS, **weights}
    directory = directory_index()
    row = directory.rows.get(organisation.pk)
    if row is None:
        return RecommendationAnswer(
            [], [_("A network is not recommended partners; pick one of its members.")], weights
        )
    base = directory.profiles[organisation.pk]
    subject = replace(base, has_text=base.has_text or bool(extra_text.strip()))
    subject_terms = text.document_terms([row["mission"], row["offers"], row["seeks"], extra_text])
    similarity = _others(directory.whole.scores(subject_terms), organisation.pk)
    for pk, value in _semantic_similarity(directory, organisation.pk, extra_text).items():
        similarity[pk] = max(similarity.get(pk, 0.0), value)
    they_offer = _others(
        directory.offers.scores(text.stems(row["seeks"] + " " + extra_text)), organisation.pk
    )
    they_seek = _others(directory.seeks.scores(text.stems(row["offers"])), organisation.pk)
    complementarity = {
        key: (they_offer.get(key, 0.0) + they_seek.get(key, 0.0)) / 2
        for key in set(they_offer) | set(they_seek)
    }
    continents = Counter(
        directory.profiles[pk].continent for pk in subject.partners if pk in directory.profiles
    )
    ranked: list[Recommendation] = recommend(
        subject=subject,
        candidates=list(directory.profiles.values()),
        text_similarity=similarity,
        complementarity=complementarity,
        weights=weights,
        partner_continents=continents,
        limit=limit,
    )
    organisations = Organisation.objects.in_bulk([item.key for item in ranked])
    return RecommendationAnswer(
        recommendations=[
            PartnerRecommendation(
                organisation=organisations[item.key],
                score=item.score,
                factors=item.factors,
                existing_partner=item.existing_partner,
                shared_languages=tuple(item.shared.get("languages", ())),
            )
            for item in ranked
        ],
        missing=[str(MISSING_SENTENCES[name]) for name in missing_data(subject)],
        weights=weights,
    )


def focus_choices(*, user, organisation: Organisation) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The organisation's units, and the objectives of the partnerships the user sees that it belongs
    to, as choices for "recommend for a unit or an objective"."""
    units = [(str(pk), name) for pk, name in organisation.units.order_by("name").values_list("pk", "name")]
    objectives = Objective.objects.filter(
        partnership__in=Partnership.objects.for_user(user), partnership__organisations=organisation
    ).order_by("partnership__title", "order")
    return units, [
        (str(o.pk), f"{o.partnership.title}: {o.title}") for o in objectives.select_related("partnership")
    ]


def focus_text(
    *, user, organisation: Organisation, unit_id: int | None = None, objective_id: int | None = None
) -> str:
    """The words a unit (its name and its courses' titles) or an objective (title and description)
    adds to the organisation's profile; "" for one the user may not see or that is not its own."""
    words = []
    if unit_id is not None:
        unit = organisation.units.filter(pk=unit_id).first()
        if unit is not None:
            words.append(unit.name)
            words.extend(Course.objects.filter(unit=unit).values_list("title", flat=True)[:200])
    if objective_id is not None:
        objective = Objective.objects.filter(
            pk=objective_id,
            partnership__in=Partnership.objects.for_user(user),
            partnership__organisations=organisation,
        ).first()
        if objective is not None:
            words.extend([objective.title, objective.description])
    return "\n".join(word for word in words if word)
