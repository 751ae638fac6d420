"""Partner recommendations for an organisation (or one of its units, or a partnership's objective).

Reads the whole directory in a fixed number of queries (organisations, fields, languages, networks,
partnership members), builds the pure ``partners.Profile`` of each, scores profile texts with the
lexical index (mission, offer and seek; a unit or an objective adds its own words to the subject's
text), and ranks with ``algorithms.discovery.partners.recommend``.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

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
from accord.organisations.choices import OrganisationKind
from accord.organisations.models import Organisation, OrganisationField, OrganisationLanguage
from accord.partnerships.models import PartnershipMember
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


def recommend_partners(
    *,
    user,
    organisation: Organisation,
    weights: Mapping[str, float] | None = None,
    extra_text: str = "",
    limit: int = 20,
) -> RecommendationAnswer:
    weights = dict(DEFAULT_WEIGHTS) if weights is None else {**DEFAULT_WEIGHTS, **weights}
    rows = list(
        Organisation.objects.exclude(kind=OrganisationKind.NETWORK).values(
            "pk", "name", "country_code", "mission", "offers", "seeks"
        )
    )
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

    def profile(row: dict, more_text: str = "") -> Profile:
        return Profile(
            key=row["pk"],
            country=row["country_code"],
            continent=_continent(row["country_code"]),
            fields=frozenset(fields[row["pk"]]),
            languages=frozenset(languages[row["pk"]]),
            partners=frozenset(partners[row["pk"]]),
            networks=frozenset(networks[row["pk"]]),
            has_text=bool((row["mission"] + row["offers"] + row["seeks"] + more_text).strip()),
        )

    subject_row = next((row for row in rows if row["pk"] == organisation.pk), None)
    if subject_row is None:
        return RecommendationAnswer(
            [], [_("A network is not recommended partners; pick one of its members.")], weights
        )
    subject = profile(subject_row, extra_text)
    candidates = [profile(row) for row in rows if row["pk"] != organisation.pk]

    whole, offers, seeks = lexical.Bm25Index(), lexical.Bm25Index(), lexical.Bm25Index()
    for row in rows:
        if row["pk"] == organisation.pk:
            continue
        whole.add(row["pk"], text.document_terms([row["mission"], row["offers"], row["seeks"]]))
        offers.add(row["pk"], text.stems(row["offers"]))
        seeks.add(row["pk"], text.stems(row["seeks"]))
    subject_terms = text.document_terms(
        [subject_row["mission"], subject_row["offers"], subject_row["seeks"], extra_text]
    )
    similarity = lexical.normalised(whole.scores(subject_terms))
    they_offer = lexical.normalised(offers.scores(text.stems(subject_row["seeks"] + " " + extra_text)))
    they_seek = lexical.normalised(seeks.scores(text.stems(subject_row["offers"])))
    complementarity = {
        key: (they_offer.get(key, 0.0) + they_seek.get(key, 0.0)) / 2
        for key in set(they_offer) | set(they_seek)
    }
    continents = Counter(_continent(row["country_code"]) for row in rows if row["pk"] in subject.partners)
    ranked: list[Recommendation] = recommend(
        subject=subject,
        candidates=candidates,
        text_similarity={int(k): v for k, v in similarity.items()},  # type: ignore[call-overload]
        complementarity={int(k): v for k, v in complementarity.items()},  # type: ignore[call-overload]
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
