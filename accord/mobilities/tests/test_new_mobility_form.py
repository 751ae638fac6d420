"""The "New mobility" form (issue 13): the agreement's cooperation conditions are chosen from plain
labels, refreshed when the agreement changes and chosen for the person when only one fits; no
internal key is ever typed or shown."""

import pytest

from accord.agreements import services as agreements
from accord.mobilities.conditions import agreement_conditions
from accord.mobilities.models import Mobility
from accord.testing.factories import agreement_document, make_agreement, make_partnership

URL = "/mobilities/new/"


def _form(personas, agreement, **overrides):
    data = {
        "participant": personas.student.username,
        "mobility_type": "long_term_physical",
        "sending_organisation": personas.home.pk,
        "receiving_organisation": personas.partner_org.pk,
        "agreement": agreement.pk,
        "condition_key": "",
        "academic_year": "2026/2027",
        "planned_start": "2026-09-01",
        "planned_end": "2027-01-31",
        "eqf_level": "6",
        "isced_code": "0314",
    }
    data.update(overrides)
    return data


@pytest.fixture
def two_conditions(personas):
    """An agreement in effect with a second condition of the same direction, for doctoral students."""
    document = agreement_document(personas.home, personas.partner_org)
    document["conditions"].append(
        {**document["conditions"][0], "key": "phd", "eqf_levels": [8], "mobilities_per_year": 1}
    )
    agreement = make_agreement(
        personas.coordinator, make_partnership(personas.home, personas.partner_org), document, title="Two"
    )
    version = agreement.current_version
    agreements.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    agreements.agreement_approve(
        actor=personas.partner, agreement=agreement, version_number=1, conditions_hash=version.conditions_hash
    )
    agreement.refresh_from_db()
    return agreement


def test_conditions_have_plain_labels(personas, agreement):
    (choice,) = agreement_conditions(agreement)
    assert choice.label == (
        "Student mobility for studies · 2 places × 5 months · EQF 6–7 · ISCED 0314 · 2026/2027–2028/2029 · "
        "Home University → Partner University"
    )


def test_the_form_offers_a_select_of_labels_not_a_key_to_type(client, personas, agreement):
    client.force_login(personas.coordinator)
    page = client.get(URL).content.decode()
    assert "Cooperation condition key" not in page
    assert 'id="condition-field"' in page and 'hx-get="/mobilities/new/"' in page
    refreshed = client.get(
        URL, {**_form(personas, agreement), "refresh": "conditions"}, HTTP_HX_REQUEST="true"
    )
    html = refreshed.content.decode()
    assert html.startswith('<div id="condition-field">') and "<html" not in html
    # The only condition that fits is chosen.
    assert '<option value="c1" selected>Student mobility for studies · 2 places × 5 months' in html


def test_with_several_conditions_the_person_chooses(client, personas, two_conditions):
    client.force_login(personas.coordinator)
    html = client.get(URL, {**_form(personas, two_conditions), "refresh": "conditions"}).content.decode()
    assert '<option value="" selected>' in html and "EQF 8" in html and "EQF 6–7" in html
    response = client.post(URL, _form(personas, two_conditions))
    page = response.content.decode()
    assert response.status_code == 200 and "Several cooperation conditions of this agreement fit" in page
    assert "has no cooperation condition" not in page and "condition_key" not in page.split("<form")[0]
    response = client.post(URL, _form(personas, two_conditions, condition_key="phd", eqf_level="8"))
    assert response.status_code == 302 and Mobility.objects.get().condition_key == "phd"


def test_choosing_the_agreement_alone_records_the_mobility_under_its_one_condition(
    client, personas, agreement
):
    """Before: "The agreement in effect has no cooperation condition ''"."""
    client.force_login(personas.coordinator)
    response = client.post(URL, _form(personas, agreement))
    assert response.status_code == 302, response.content.decode()
    mobility = Mobility.objects.get()
    assert (mobility.agreement, mobility.condition_key) == (agreement, "c1")
    page = client.get(f"/mobilities/{mobility.pk}/").content.decode()
    assert "Student mobility for studies · 2 places × 5 months" in page and "(c1)" not in page


def test_a_condition_in_the_other_direction_is_refused_on_its_field(client, personas, agreement):
    client.force_login(personas.coordinator)
    response = client.post(URL, _form(personas, agreement, receiving_organisation=personas.outsider_org.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "No cooperation condition of this agreement sends this kind of mobility" in page
    assert not Mobility.objects.exists()
