"""The agreement pages: who sees and does what, the journey from draft to approval and amendment,
versions, diffs, partners' copies, PDF, attachments, the list and query counts. Editing and the
refusals it can meet are in ``test_views_editing``.

Pages are driven through the test client as the persona users; htmx requests are the same requests
with an ``HX-Request`` header, answered with a fragment instead of the whole page.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.agreements import services
from accord.agreements.choices import AgreementStatus
from accord.agreements.models import Agreement, AgreementApproval, AgreementAttachment, AgreementVersion
from accord.testing.factories import agreement_document, make_agreement, make_contact, make_partnership

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
OWNER_STAFF = ("platform_admin", "admin", "coordinator", "teacher", "viewer")
UNRELATED = ("student", "outsider")
# An agreement's page: the session and user, the agreement with its parties, the versions, approvals,
# events, attachments, copies, the partners' names, the usage providers and, before sharing, the
# partners' contacts (to warn of those no e-mail reaches) — however large it grows.
QUERY_BOUND = 17


@pytest.fixture
def partnership(personas):
    return make_partnership(personas.home, personas.partner_org, title="Vistula–Iberia Exchange")


@pytest.fixture
def agreement(personas, partnership):
    return make_agreement(
        personas.coordinator,
        partnership,
        agreement_document(personas.home, personas.partner_org),
        title="Computer science exchange",
    )


@pytest.fixture
def shared(personas, agreement):
    services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    return agreement


def url(agreement, suffix: str = "") -> str:
    return f"/agreements/{agreement.pk}/{suffix}"


def get(client, user, path, **extra):
    client.force_login(user)
    return client.get(path, **extra)


def post(client, user, path, data=None, **extra):
    client.force_login(user)
    return client.post(path, data or {}, **extra)


def page(client, user, path, **extra) -> str:
    response = get(client, user, path, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def condition_data(agreement, **overrides) -> dict:
    """The condition form as the browser posts it for the agreement's first condition."""
    data = {
        "mobility_type": "student_studies",
        "sending_partner": "0",
        "receiving_partner": "1",
        "first_academic_year": "2026/2027",
        "last_academic_year": "2028/2029",
        "mobilities_per_year": "2",
        "total_months_per_year": "10",
        "subject_areas": ["0314"],
        "eqf_levels": ["6", "7"],
        "language_0": "en",
        "cefr_0": "B2",
        "base_version": str(agreement.current_version.number),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_errors(html: str, name: str) -> str:
    """The form field block that holds the input ``name``, when it shows errors; else ""."""
    for block in html.split('<div class="field')[1:]:
        if block.startswith(' field-invalid">') and f'name="{name}"' in block:
            return block
    return ""


def approve_data(agreement, version=None) -> dict:
    version = version or agreement.current_version
    return {"version_number": version.number, "conditions_hash": version.conditions_hash}


# ---------------------------------------------------------------------------------------------------
# Who sees what


@pytest.mark.parametrize("name", [*OWNER_STAFF, "partner", *UNRELATED])
def test_list_shows_an_agreement_to_whoever_may_see_it(client, personas, agreement, name):
    html = page(client, personas.by_name(name), "/agreements/")
    # Partners see a draft only once it is shared.
    assert ("Computer science exchange" in html) == (name in OWNER_STAFF)


def test_partner_sees_the_agreement_in_the_list_once_shared(client, personas, shared):
    assert "Computer science exchange" in page(client, personas.partner, "/agreements/")


@pytest.mark.parametrize("name", [*OWNER_STAFF, "partner", *UNRELATED])
def test_detail_answers_404_to_whoever_may_not_see_it(client, personas, agreement, name):
    response = get(client, personas.by_name(name), url(agreement))
    assert response.status_code == (200 if name in OWNER_STAFF else 404)


@pytest.mark.parametrize(("name", "status"), [("partner", 200), ("student", 404), ("outsider", 404)])
def test_a_shared_agreement_is_visible_to_the_partner_only(client, personas, shared, name, status):
    for suffix in ("", "versions/", "diff/?old=1&new=1", "pdf/"):
        assert get(client, personas.by_name(name), url(shared, suffix)).status_code == status, suffix


def test_pages_need_a_signed_in_user(client, agreement):
    response = client.get(url(agreement))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


WRITES = [
    ("share/", {"version_number": 1}),
    ("conditions/edit/", {}),
    ("conditions/remove/", {"key": "c1", "base_version": 1}),
    ("terms/", {}),
    (
        "renew/",
        {
            "renew-first_academic_year": "2029/2030",
            "renew-last_academic_year": "2030/2031",
            "renew-base_version": 1,
        },
    ),
    ("terminate/", {"terminate-reason": "No longer needed"}),
    ("attachments/new/", {"attachment-title": "Signed"}),
]


@pytest.mark.parametrize(("suffix", "data"), WRITES)
@pytest.mark.parametrize(
    ("name", "status"),
    [("teacher", 403), ("viewer", 403), ("partner", 403), ("student", 404), ("outsider", 404)],
)
def test_writes_are_refused_to_those_who_may_not_edit(client, personas, shared, suffix, data, name, status):
    before = AgreementVersion.objects.count(), shared.status
    response = post(client, personas.by_name(name), url(shared, suffix), data)
    assert response.status_code == status
    shared.refresh_from_db()
    assert (AgreementVersion.objects.count(), shared.status) == before


@pytest.mark.parametrize(
    ("name", "status"), [("teacher", 403), ("viewer", 403), ("student", 404), ("outsider", 404)]
)
def test_approval_is_refused_to_those_who_may_not_approve(client, personas, shared, name, status):
    response = post(client, personas.by_name(name), url(shared, "approve/"), approve_data(shared))
    assert response.status_code == status
    assert AgreementApproval.objects.count() == 1  # the owner's, by sharing


def test_buttons_are_shown_only_to_those_who_may_act(client, personas, shared):
    partner = page(client, personas.partner, url(shared))
    assert "Approve version 1 for Partner University" in partner
    assert "conditions/edit/" not in partner and "Share version" not in partner

    services.condition_save(
        actor=personas.coordinator,
        agreement=shared,
        condition={**shared.current_version.content["conditions"][0], "mobilities_per_year": 3},
        base_version=1,
    )
    owner = page(client, personas.coordinator, url(shared))
    for control in ("Share version 2", "Add a condition", "Edit the title and terms", "Renew", "Terminate"):
        assert control in owner, control
    assert "Approve version" not in owner  # the owner approves by sharing

    viewer = page(client, personas.viewer, url(shared))
    for control in (
        "Share version",
        "Add a condition",
        "Edit the title and terms",
        "Renew for",
        "Approve version",
    ):
        assert control not in viewer, control
    assert "conditions/edit/?key=" not in viewer

    # The partner sees version 1, the one shared; a newer draft, unseen, leaves nothing to approve.
    partner = page(client, personas.partner, url(shared))
    assert "Version 1" in partner and "Version 2" not in partner
    assert "Approve version" not in partner


# ---------------------------------------------------------------------------------------------------
# The journey: draft → edit in place → share → approve → amend → outdated → approve again


def test_the_whole_journey_through_the_pages(client, personas, partnership):
    response = post(
        client,
        personas.coordinator,
        f"/agreements/new/?partnership={partnership.pk}",
        {
            "title": "Physics exchange",
            "agreement_type": "erasmus_iia",
            "owner": personas.home.pk,
            "partners": [personas.partner_org.pk],
            **{f"condition-{key}": value for key, value in condition_data_for_create(personas).items()},
        },
    )
    agreement = Agreement.objects.get(title="Physics exchange")
    assert response.status_code == 302 and response["Location"] == url(agreement)
    assert agreement.current_version.number == 1
    condition = agreement.current_version.content["conditions"][0]
    assert (condition["mobilities_per_year"], condition["eqf_levels"]) == (2, [6, 7])

    # Edit the condition in place: the row's form is a fragment, the saved result the whole article.
    key = condition["key"]
    fragment = page(client, personas.coordinator, url(agreement, f"conditions/edit/?key={key}"), **HTMX)
    assert fragment.lstrip().startswith('<tr id="condition-1">') and "<html" not in fragment
    assert 'name="base_version" value="1"' in fragment
    response = post(
        client,
        personas.coordinator,
        url(agreement, f"conditions/edit/?key={key}"),
        condition_data(agreement, mobilities_per_year="3", summary="One more place"),
        **HTMX,
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<article id="agreement"') and "Saved as version 2." in html
    agreement.refresh_from_db()
    assert agreement.current_version.content["conditions"][0]["mobilities_per_year"] == 3
    assert agreement.current_version.content["conditions"][0]["key"] == key

    post(client, personas.coordinator, url(agreement, "share/"), {"version_number": 2})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SHARED

    response = post(client, personas.partner, url(agreement, "approve/"), approve_data(agreement))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_EFFECT
    assert "approved" in page(client, personas.partner, url(agreement))

    # Amend and share: the partner's approval of version 2 is shown as outdated for version 3.
    post(
        client,
        personas.coordinator,
        url(agreement, f"conditions/edit/?key={key}"),
        condition_data(agreement, mobilities_per_year="4"),
    )
    post(client, personas.coordinator, url(agreement, "share/"), {"version_number": 3})
    agreement.refresh_from_db()
    assert agreement.amendment_pending and agreement.status == AgreementStatus.IN_EFFECT
    partner_page = page(client, personas.partner, url(agreement))
    assert "amendment pending" in partner_page
    assert "outdated" in partner_page and "approved version 2" in partner_page
    assert agreement.current_version.conditions_hash in partner_page

    post(client, personas.partner, url(agreement, "approve/"), approve_data(agreement))
    agreement.refresh_from_db()
    assert agreement.approved_version.number == 3 and not agreement.amendment_pending
    final = page(client, personas.partner, url(agreement))
    assert "outdated" not in final and "✓" in final
    assert (
        "Condition 1 (student studies, Home University → Partner University): mobilities per year: 3 → 4"
        in final
    )


def condition_data_for_create(personas) -> dict:
    return {
        "mobility_type": "student_studies",
        "sending_partner": str(personas.home.pk),
        "receiving_partner": str(personas.partner_org.pk),
        "first_academic_year": "2026/2027",
        "last_academic_year": "2028/2029",
        "mobilities_per_year": "2",
        "total_months_per_year": "10",
        "subject_areas": ["0533"],
        "eqf_levels": ["6", "7"],
        "language_0": "en",
        "cefr_0": "B2",
    }


def test_an_agreement_can_be_drafted_without_a_condition(client, personas, partnership):
    form = page(client, personas.coordinator, f"/agreements/new/?partnership={partnership.pk}")
    assert "First cooperation condition (optional)" in form
    response = post(
        client,
        personas.coordinator,
        f"/agreements/new/?partnership={partnership.pk}",
        {
            "title": "Framework",
            "agreement_type": "memorandum_of_understanding",
            "owner": personas.home.pk,
            "partners": [personas.partner_org.pk],
        },
    )
    assert response.status_code == 302
    assert Agreement.objects.get().current_version.content["conditions"] == []


def test_drafting_is_for_managers_of_a_member(client, personas, partnership):
    path = f"/agreements/new/?partnership={partnership.pk}"
    assert get(client, personas.teacher, path).status_code == 403
    assert get(client, personas.outsider, path).status_code == 404
    assert get(client, personas.coordinator, "/agreements/new/").status_code == 302


# ---------------------------------------------------------------------------------------------------
# Versions, diffs, partners' copies, PDF, attachments


def test_diff_between_versions_highlights_the_changes(client, personas, agreement):
    services.condition_save(
        actor=personas.coordinator,
        agreement=agreement,
        condition={
            **agreement.current_version.content["conditions"][0],
            "mobilities_per_year": 3,
            "eqf_levels": [6],
        },
        base_version=1,
    )
    versions = page(client, personas.teacher, url(agreement, "versions/"))
    assert "?old=1&amp;new=2" in versions
    html = page(client, personas.teacher, url(agreement, "diff/?old=1&new=2"))
    assert "mobilities per year</strong>: <del>2</del> → <ins>3</ins>" in html
    assert "<del>6, 7</del> → <ins>6</ins>" in html
    services.condition_save(
        actor=personas.coordinator,
        agreement=agreement,
        condition={
            **agreement.current_version.content["conditions"][0],
            "sending_partner": 1,
            "receiving_partner": 0,
        },
        base_version=2,
    )
    html = page(client, personas.teacher, url(agreement, "diff/?old=2&new=3"))
    assert "sending institution</strong>: <del>Home University</del> → <ins>Partner University</ins>" in html
    same = page(client, personas.teacher, url(agreement, "diff/?old=2&new=2"))
    assert "Choose two different versions to compare." in same


def test_the_partner_cannot_compare_drafts(client, personas, shared):
    services.condition_save(
        actor=personas.coordinator,
        agreement=shared,
        condition={**shared.current_version.content["conditions"][0], "mobilities_per_year": 3},
        base_version=1,
    )
    html = page(client, personas.partner, url(shared, "diff/?old=1&new=2"))
    assert "<del>" not in html and "Select a valid choice" in html


def test_partner_copy_comparison_says_whether_the_hashes_match(client, personas, shared):
    services.partner_copy_record(
        actor=personas.coordinator,
        agreement=shared,
        organisation=personas.partner_org,
        content=agreement_document(personas.home, personas.partner_org, mobilities_per_year=1),
    )
    detail = page(client, personas.coordinator, url(shared))
    assert f"/agreements/{shared.pk}/copies/{personas.partner_org.pk}/" in detail
    html = page(client, personas.partner, url(shared, f"copies/{personas.partner_org.pk}/"))
    assert re.search(r'<dd class="same-hash"><strong>no</strong>', html)
    assert "<del>2</del> → <ins>1</ins>" in html
    assert (
        get(client, personas.outsider, url(shared, f"copies/{personas.partner_org.pk}/")).status_code == 404
    )
    assert (
        get(client, personas.coordinator, url(shared, f"copies/{personas.outsider_org.pk}/")).status_code
        == 404
    )


def test_pdf_of_the_version_shown(client, personas, shared):
    response = get(client, personas.partner, url(shared, "pdf/?version=1"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="agreement-{shared.pk}-v1.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    services.condition_save(
        actor=personas.coordinator,
        agreement=shared,
        condition={**shared.current_version.content["conditions"][0], "mobilities_per_year": 3},
        base_version=1,
    )
    # A draft is the owner's alone, in print as on screen.
    assert get(client, personas.partner, url(shared, "pdf/?version=2")).status_code == 404
    assert get(client, personas.partner, url(shared, "?version=2")).status_code == 404
    assert get(client, personas.coordinator, url(shared, "pdf/?version=2")).status_code == 200


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_attachments_upload_download_and_remove(client, personas, shared, media):
    pdf = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = post(
        client,
        personas.coordinator,
        url(shared, "attachments/new/"),
        {"attachment-title": "Signed copy", "attachment-file": pdf},
    )
    assert response.status_code == 302
    attachment = AgreementAttachment.objects.get()
    download = url(shared, f"attachments/{attachment.pk}/")
    assert download in page(client, personas.teacher, url(shared))

    for name in ("teacher", "partner", "platform_admin"):
        response = get(client, personas.by_name(name), download)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    for name in ("student", "outsider"):
        assert get(client, personas.by_name(name), download).status_code == 404

    refused = post(client, personas.partner, url(shared, f"attachments/{attachment.pk}/remove/"))
    assert refused.status_code == 403
    post(client, personas.coordinator, url(shared, f"attachments/{attachment.pk}/remove/"))
    assert not AgreementAttachment.objects.exists()


def test_an_attachment_of_a_refused_type_shows_the_reason(client, personas, agreement, media):
    script = SimpleUploadedFile("run.sh", b"#!/bin/sh", content_type="application/x-sh")
    response = post(
        client,
        personas.coordinator,
        url(agreement, "attachments/new/"),
        {"attachment-title": "Script", "attachment-file": script},
    )
    assert "Attach a PDF" in field_errors(response.content.decode(), "attachment-file")
    assert not AgreementAttachment.objects.exists()


def test_an_attachment_of_another_agreement_is_not_found(client, personas, partnership, agreement, media):
    other = make_agreement(
        personas.coordinator, partnership, agreement_document(personas.home, personas.partner_org)
    )
    services.attachment_add(
        actor=personas.coordinator,
        agreement=other,
        title="Other",
        uploaded_file=SimpleUploadedFile("o.txt", b"x", content_type="text/plain"),
    )
    attachment = AgreementAttachment.objects.get()
    assert (
        get(client, personas.coordinator, url(agreement, f"attachments/{attachment.pk}/")).status_code == 404
    )


# ---------------------------------------------------------------------------------------------------
# List, the partnership's section, timeline and query counts


def test_list_filters_by_status_and_text(client, personas, partnership, agreement):
    make_agreement(
        personas.coordinator,
        partnership,
        agreement_document(personas.home, personas.partner_org),
        title="Zoology",
    )
    services.agreement_share(actor=personas.coordinator, agreement=agreement, version_number=1)
    html = page(client, personas.teacher, "/agreements/?status=shared")
    assert "Computer science exchange" in html and "Zoology" not in html
    html = page(client, personas.teacher, "/agreements/?q=zoo", **HTMX)
    assert "<html" not in html and "Zoology" in html and "Computer science" not in html
    assert "Partner University" in page(client, personas.teacher, "/agreements/?q=partner+univ")


def test_partnership_section_lists_its_agreements_with_a_draft_link(client, personas, partnership, agreement):
    path = f"/agreements/?partnership={partnership.pk}"
    coordinator = page(client, personas.coordinator, path, **HTMX)
    assert "Computer science exchange" in coordinator
    assert f"/agreements/new/?partnership={partnership.pk}" in coordinator
    assert "Draft an agreement" not in page(client, personas.teacher, path, **HTMX)
    assert get(client, personas.outsider, path, **HTMX).status_code == 404
    section = page(client, personas.coordinator, f"/partnerships/{partnership.pk}/")
    assert f'hx-get="/agreements/?partnership={partnership.pk}"' in section


def test_timeline_shows_each_change(client, personas, agreement):
    services.condition_save(
        actor=personas.coordinator,
        agreement=agreement,
        condition={**agreement.current_version.content["conditions"][0], "mobilities_per_year": 3},
        base_version=1,
    )
    html = page(client, personas.viewer, url(agreement))
    assert (
        "Condition 1 (student studies, Home University → Partner University): mobilities per year: 2 → 3"
        in html
    )


def test_detail_query_count_does_not_grow_with_the_agreement(
    client, personas, agreement, media, django_assert_max_num_queries
):
    def grow(count):
        for number in range(count):
            condition = {
                **agreement.current_version.content["conditions"][0],
                "key": f"k{number}{agreement.current_version.number}",
            }
            services.condition_save(
                actor=personas.coordinator,
                agreement=agreement,
                condition=condition,
                base_version=agreement.current_version.number,
            )
            services.attachment_add(
                actor=personas.coordinator,
                agreement=agreement,
                title=f"File {number}",
                uploaded_file=SimpleUploadedFile("f.txt", b"x", content_type="text/plain"),
            )

    client.force_login(personas.coordinator)
    grow(1)
    with django_assert_max_num_queries(QUERY_BOUND):
        assert client.get(url(agreement)).status_code == 200
    grow(6)
    services.agreement_share(
        actor=personas.coordinator, agreement=agreement, version_number=agreement.current_version.number
    )
    with django_assert_max_num_queries(QUERY_BOUND):
        assert client.get(url(agreement)).status_code == 200


def test_sharing_says_who_was_told_and_who_was_not(client, personas, agreement):
    """Issue 13: sharing claimed "the partners are told by e-mail" when no partner contact existed."""
    client.force_login(personas.coordinator)
    page = client.get(url(agreement)).content.decode()
    assert "No e-mail reaches Partner University" in page
    assert "the partners are told by e-mail" not in page.lower().replace("\n", " ")
    response = client.post(
        url(agreement, "share/"),
        {"version_number": agreement.current_version.number},
        follow=True,
    )
    message = response.content.decode()
    assert "is shared with the partners" in message
    assert "Not told: Partner University" in message and "no e-mail was sent" in message


def test_sharing_names_the_partner_contacts_it_told(client, personas, agreement):
    contact = make_contact(personas.partner_org, email="relations@partner.example.edu")
    agreement.contacts.add(contact)
    client.force_login(personas.coordinator)
    page = client.get(url(agreement)).content.decode()
    assert "No e-mail reaches" not in page and "The partners are told by e-mail." in page
    response = client.post(
        url(agreement, "share/"),
        {"version_number": agreement.current_version.number},
        follow=True,
    )
    message = response.content.decode()
    assert "Told by e-mail: Partner University (relations@partner.example.edu)." in message
    assert "Not told" not in message
