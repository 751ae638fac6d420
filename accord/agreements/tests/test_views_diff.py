"""The diff of two agreement versions as people read it: labels in words, never a field key or a
partner index, and a page opened without versions that offers the previous and the current."""

import re

import pytest

from accord.agreements import services
from accord.testing.factories import agreement_document, make_agreement, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(personas):
    partnership = make_partnership(personas.home, personas.partner_org)
    return make_agreement(
        personas.coordinator, partnership, agreement_document(personas.home, personas.partner_org)
    )


def page(client, user, path: str) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def url(agreement, suffix: str) -> str:
    return f"/agreements/{agreement.pk}/{suffix}"


def test_diff_labels_name_the_fields_and_partners_never_keys_or_indexes(client, personas, agreement):
    document = agreement.current_version.content
    partner = {**document["partners"][1], "signing_contact": "Ana Silva"}
    staff = {
        **document["conditions"][0],
        "key": "c2",
        "mobility_type": "staff_teaching",
        "sending_partner": 1,
        "receiving_partner": 0,
        "total_months_per_year": None,
        "total_days_per_year": "10",
        "eqf_levels": [],
        "subject_areas": [],
    }
    swapped = {**document["conditions"][0], "sending_partner": 1, "receiving_partner": 0}
    services.agreement_update(
        actor=personas.coordinator,
        agreement=agreement,
        content={**document, "partners": [document["partners"][0], partner], "conditions": [swapped, staff]},
        base_version=1,
    )

    html = page(client, personas.teacher, url(agreement, "diff/?old=1&new=2"))

    assert "Partner University&#x27;s signing contact</strong>: <del>—</del> → <ins>Ana Silva</ins>" in html
    assert (
        "Condition 1 (Student mobility for studies, Partner University → Home University), "
        "sending institution</strong>: <del>Home University</del> → <ins>Partner University</ins>"
    ) in html
    added = re.search(r"Condition 2 \(Staff mobility for teaching[^<]*</strong>(.*?)</li>", html, re.S)
    assert added and "mobility type: Staff mobility for teaching" in added.group(1)
    assert "total days per year: 10" in added.group(1)
    for internal in ("partners[", "conditions[", "sending_partner", "sending partner: ", "staff_teaching"):
        assert internal not in html


def test_diff_opened_without_versions_offers_the_previous_and_the_current(client, personas, agreement):
    for mobilities in (3, 4):
        services.condition_save(
            actor=personas.coordinator,
            agreement=agreement,
            condition={
                **agreement.current_version.content["conditions"][0],
                "mobilities_per_year": mobilities,
            },
            base_version=agreement.current_version.number,
        )
        agreement.refresh_from_db()

    html = page(client, personas.teacher, url(agreement, "diff/"))

    assert "This field is required" not in html and 'role="alert"' not in html
    assert "Choose two versions of this agreement" in html
    assert re.search(r'name="old"[^>]*>.*?<option value="2" selected>', html, re.S)
    assert re.search(r'name="new"[^>]*>.*?<option value="3" selected>', html, re.S)
