"""The partnership pages: list and filters, setting up, the detail page with its sections, editing
and the lifecycle, for every persona.

The partnership (``conftest.partnership``) is coordinated by ``personas.home`` with
``personas.partner_org`` as partner. htmx requests are the same requests with an ``HX-Request``
header, answered with a fragment instead of the whole page.
"""

import datetime as dt

import pytest

from accord.partnerships import services
from accord.partnerships.choices import MemberRole, PartnershipStatus
from accord.partnerships.models import Meeting, Partnership, PartnershipMember, PartnershipTransition
from accord.testing.factories import make_contact, make_organisation, make_partnership, make_user
from conftest import PERSONA_NAMES

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

EXPECTED = {
    #                 view   contribute  change
    "platform_admin": (True, True, True),
    "admin": (True, True, True),
    "coordinator": (True, True, True),
    "teacher": (True, False, False),
    "student": (False, False, False),
    "viewer": (True, False, False),
    "partner": (True, True, False),
    "outsider": (False, False, False),
}


def expected_status(persona: str, action: int, ok: int = 200) -> int:
    """Not visible → 404 (existence does not leak); visible but not allowed → 403."""
    if not EXPECTED[persona][0]:
        return 404
    return ok if EXPECTED[persona][action] else 403


def _page(client, user, url, **kwargs) -> str:
    client.force_login(user)
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# ---------------------------------------------------------------------------------------------------
# The list


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_list_shows_what_each_persona_may_see(client, personas, partnership, persona):
    html = _page(client, personas.by_name(persona), "/partnerships/")
    assert ("Vistula–Iberia Exchange" in html) is EXPECTED[persona][0]
    # Setting one up needs admins or coordinators somewhere (the partner coordinates at partner_org).
    may_create = persona in {"platform_admin", "admin", "coordinator", "partner", "outsider"}
    assert ('href="/partnerships/new/"' in html) is may_create


@pytest.fixture
def several(personas):
    active = make_partnership(
        personas.home, personas.partner_org, title="Andes Research Alliance", model="research_alliance"
    )
    Partnership.objects.filter(pk=active.pk).update(status=PartnershipStatus.ACTIVE)
    degree = make_partnership(personas.home, personas.partner_org, title="Double Degree in Law")
    Partnership.objects.filter(pk=degree.pk).update(model="double_degree")
    return {"active": active, "degree": degree}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=andes", ["Andes Research Alliance"]),
        ("q=partner+university", ["Andes Research Alliance", "Double Degree in Law"]),  # by member name
        ("status=active", ["Andes Research Alliance"]),
        ("model=double_degree", ["Double Degree in Law"]),
        ("ordering=-title", ["Double Degree in Law", "Andes Research Alliance"]),
    ],
)
def test_filters_narrow_the_list(client, personas, several, query, expected):
    html = _page(client, personas.teacher, f"/partnerships/?{query}")
    shown = [title for title in ("Andes Research Alliance", "Double Degree in Law") if title in html]
    assert sorted(shown) == sorted(expected)
    if len(expected) == 2:
        assert html.index(expected[0]) < html.index(expected[1])


def test_htmx_filtering_gets_only_the_results(client, personas, several):
    client.force_login(personas.teacher)
    response = client.get("/partnerships/?status=active&q=", **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "Andes Research Alliance" in html
    assert response["HX-Push-Url"] == "/partnerships/?status=active"
    assert "HX-Request" in response["Vary"]


def test_an_invalid_filter_is_ignored_and_reported(client, personas, several):
    html = _page(client, personas.teacher, "/partnerships/?status=nonsense")
    assert "Andes Research Alliance" in html and "Double Degree in Law" in html
    assert "Some filters were not understood" in html


def test_list_query_count_does_not_grow_with_the_results(client, personas, django_assert_max_num_queries):
    extra = [make_organisation() for _ in range(3)]
    for _ in range(20):
        make_partnership(personas.home, personas.partner_org, *extra)
    client.force_login(personas.teacher)
    # Session, user, roles, count, page, members: whatever the number of partnerships and members.
    with django_assert_max_num_queries(8):
        response = client.get("/partnerships/")
    assert response.content.decode().count('class="org-card"') == 20


def test_pages_need_signing_in(client, partnership):
    for url in ("/partnerships/", f"/partnerships/{partnership.pk}/", "/partnerships/new/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_navigation_offers_partnerships_to_staff_roles_only(client, personas):
    assert 'href="/partnerships/"' in _page(client, personas.teacher, "/accounts/dashboard/")
    assert 'href="/partnerships/"' not in _page(client, personas.student, "/accounts/dashboard/")


# ---------------------------------------------------------------------------------------------------
# Setting up a partnership


def _new(personas, **overrides) -> dict:
    data = {
        "title": "Baltic–Iberian Teaching Exchange",
        "model": "bilateral_exchange",
        "start_date": "2025-09-01",
        "end_date": "2029-08-31",
        "description": "Staff and student exchange in engineering.",
        "coordinator": str(personas.home.pk),
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-0-organisation": str(personas.partner_org.pk),
        "members-0-role": "partner",
        "members-1-organisation": "",
        "members-1-role": "partner",
    }
    data.update(overrides)
    return data


def test_coordinator_sets_up_a_partnership(client, personas):
    client.force_login(personas.coordinator)
    form = client.get("/partnerships/new/").content.decode()
    assert 'name="coordinator"' in form and "Home University" in form
    assert "Outsider College" in form  # any organisation in the directory may be a member
    response = client.post(
        "/partnerships/new/",
        _new(
            personas, **{"members-1-organisation": str(personas.outsider_org.pk), "members-1-role": "funder"}
        ),
    )
    partnership = Partnership.objects.get(title="Baltic–Iberian Teaching Exchange")
    assert response.status_code == 302 and response["Location"] == f"/partnerships/{partnership.pk}/"
    roles = dict(partnership.members.values_list("organisation__name", "role"))
    assert roles == {
        "Home University": "coordinator",
        "Partner University": "partner",
        "Outsider College": "funder",
    }
    assert partnership.start_date == dt.date(2025, 9, 1)
    assert partnership.transitions.get().actor == personas.coordinator


def test_coordinator_choices_are_the_organisations_one_manages(client, personas):
    form = _page(client, personas.partner, "/partnerships/new/")
    coordinator_select = form.split('name="coordinator"')[1].split("</select>")[0]
    assert "Partner University" in coordinator_select and "Home University" not in coordinator_select


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"members-0-organisation": ""}, None, "at least two different organisations"),
        ({"members-0-organisation": "HOME"}, None, "is listed twice"),
        ({"end_date": "2024-01-01"}, "end_date", "cannot be before the start date"),
        ({"title": ""}, "title", "This field is required"),
        ({"model": "friendship"}, "model", "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, personas, overrides, field, message):
    if overrides.get("members-0-organisation") == "HOME":
        overrides = {"members-0-organisation": str(personas.home.pk)}
    client.force_login(personas.coordinator)
    response = client.post("/partnerships/new/", _new(personas, **overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in html and message in html
    if field:  # next to its field
        assert message in html.split(f'id="id_{field}"')[1]
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "viewer", "student"])
def test_people_who_manage_nothing_may_not_set_up_partnerships(client, personas, persona):
    client.force_login(personas.by_name(persona))
    assert client.get("/partnerships/new/").status_code == 403
    assert client.post("/partnerships/new/", _new(personas)).status_code == 403
    assert not Partnership.objects.exists()


def test_a_coordinating_organisation_one_does_not_manage_is_refused(client, personas):
    client.force_login(personas.partner)
    client.post("/partnerships/new/", _new(personas))  # home is not among the partner's choices
    assert not Partnership.objects.exists()


# ---------------------------------------------------------------------------------------------------
# The detail page


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_detail_shows_each_persona_what_it_may_do(client, personas, partnership, persona):
    client.force_login(personas.by_name(persona))
    response = client.get(f"/partnerships/{partnership.pk}/")
    sees, contributes, changes = EXPECTED[persona]
    assert response.status_code == (200 if sees else 404)
    if not sees:
        return
    html = response.content.decode()
    assert "Vistula–Iberia Exchange" in html and "Partner University" in html
    assert ("Edit partnership" in html) is changes
    assert ("Move to “Negotiating”" in html) is changes
    assert ("Add a member organisation" in html) is changes
    assert ("Add an objective" in html) is changes
    assert ("Log a meeting" in html) is contributes
    assert ("Add an action item" in html) is contributes
    assert 'id="agreements"' in html and f"/agreements/?partnership={partnership.pk}" in html


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_write_pages_answer_404_to_outsiders_and_403_to_those_who_may_not(
    client, personas, partnership, persona
):
    client.force_login(personas.by_name(persona))
    base = f"/partnerships/{partnership.pk}"
    member = partnership.members.get(role=MemberRole.PARTNER)
    changing = [
        (client.get(f"{base}/edit/"), 200),
        (client.get(f"{base}/members/new/"), 200),
        (client.get(f"{base}/objectives/new/"), 200),
        (client.post(f"{base}/members/{member.pk}/role/", {"role": "funder", "version": 1}), 302),
        (client.post(f"{base}/transition/", {"to_status": "negotiating"}), 302),
    ]
    contributing = [
        (client.get(f"{base}/meetings/new/"), 200),
        (client.get(f"{base}/action-items/new/"), 200),
    ]
    for response, ok in changing:
        assert response.status_code == expected_status(persona, 2, ok), response.wsgi_request.path
    for response, ok in contributing:
        assert response.status_code == expected_status(persona, 1, ok), response.wsgi_request.path
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.EXPLORING or EXPECTED[persona][2]


def test_a_missing_partnership_is_not_found(client, personas):
    client.force_login(personas.platform_admin)
    assert client.get("/partnerships/999999/").status_code == 404


@pytest.fixture
def busy(personas, partnership):
    """The partnership with objectives, figures and a full log, written through the services."""
    actor = personas.coordinator
    services.partnership_update(actor=actor, partnership=partnership, start_date=dt.date(2020, 1, 1))
    for number in range(3):
        objective = services.objective_create(
            actor=actor, partnership=partnership, title=f"Objective {number}", owner=personas.teacher
        )
        for kind in range(2):
            indicator = services.indicator_create(
                actor=actor,
                objective=objective,
                name=f"Indicator {number}.{kind}",
                unit="students",
                baseline_value=10,
            )
            for year in (2022, 2023):
                services.indicator_target_create(actor=actor, indicator=indicator, year=year, target_value=20)
                services.indicator_actual_record(
                    actor=personas.partner, indicator=indicator, year=year, value=15
                )
    for number in range(4):
        meeting = services.meeting_create(
            actor=actor,
            partnership=partnership,
            date=dt.date(2024, 1, number + 1),
            title=f"Meeting {number}",
            attendees=[personas.coordinator, personas.partner],
        )
        services.decision_create(
            actor=actor, partnership=partnership, text=f"Decision {number}", meeting=meeting
        )
        services.action_item_create(
            actor=actor,
            partnership=partnership,
            title=f"Action {number}",
            owner=personas.teacher,
            due_date=dt.date(2020, 1, 1),
            meeting=meeting,
        )
    return partnership


def test_detail_shows_objectives_progress_and_the_log(client, personas, busy):
    html = _page(client, personas.viewer, f"/partnerships/{busy.pk}/")
    assert "Objective 2" in html and "Indicator 2.1" in html
    assert "5 of 10 students above the baseline, 50 % of the way to the target" in html  # 10 → 20, reached 15
    assert '<progress value="50" max="100"' in html
    assert "Meeting 3" in html and "Decision 3" in html and "Action 3" in html
    assert html.count("<mark>Overdue</mark>") == 4
    assert "Owner: teacher" in html


def test_detail_query_count_does_not_grow_with_the_content(
    client, personas, busy, django_assert_max_num_queries
):
    client.force_login(personas.coordinator)
    # Session, user and roles; the partnership with members and contacts; the history; objectives
    # with indicators, targets and figures (twice: once more for the progress); meetings with their
    # attendees; decisions; action items. None of it per row.
    with django_assert_max_num_queries(20) as captured:
        client.get(f"/partnerships/{busy.pk}/")
    before = len(captured)
    objective = services.objective_create(actor=personas.coordinator, partnership=busy, title="One more")
    indicator = services.indicator_create(
        actor=personas.coordinator, objective=objective, name="More", unit="%"
    )
    services.indicator_target_create(
        actor=personas.coordinator, indicator=indicator, year=2024, target_value=5
    )
    services.meeting_create(
        actor=personas.coordinator, partnership=busy, date=dt.date(2024, 5, 1), title="More"
    )
    with django_assert_max_num_queries(before):
        client.get(f"/partnerships/{busy.pk}/")


def test_transition_history_says_who_when_and_why(client, personas, partnership):
    services.partnership_transition(
        actor=personas.coordinator,
        partnership=partnership,
        to_status="negotiating",
        reason="Both rectors agreed",
    )
    html = _page(client, personas.partner, f"/partnerships/{partnership.pk}/")
    assert "to <strong>Negotiating</strong>" in html and "Both rectors agreed" in html
    assert "by coordinator" in html


# ---------------------------------------------------------------------------------------------------
# Editing and the lifecycle


def test_coordinator_edits_the_partnership_and_names_contacts(client, personas, partnership):
    ours = make_contact(personas.home, given_name="Ola", family_name="Nowak")
    theirs = make_contact(personas.partner_org, given_name="Lucía", family_name="García", visibility="public")
    make_contact(personas.outsider_org, given_name="Not", family_name="Offered", visibility="public")
    client.force_login(personas.coordinator)
    form = client.get(f"/partnerships/{partnership.pk}/edit/").content.decode()
    assert "Ola Nowak" in form and "Lucía García" in form and "Not Offered" not in form
    response = client.post(
        f"/partnerships/{partnership.pk}/edit/",
        {
            "title": "Renamed",
            "model": "joint_degree",
            "responsible_contacts": [ours.pk, theirs.pk],
            "version": partnership.version,
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.title == "Renamed" and partnership.model == "joint_degree"
    assert set(partnership.responsible_contacts.all()) == {ours, theirs}
    assert "Lucía García" in _page(client, personas.viewer, f"/partnerships/{partnership.pk}/")


def test_dates_that_clash_with_targets_are_refused_next_to_the_field(client, personas, partnership):
    objective = services.objective_create(actor=personas.coordinator, partnership=partnership, title="More")
    indicator = services.indicator_create(actor=personas.coordinator, objective=objective, name="N", unit="n")
    services.indicator_target_create(
        actor=personas.coordinator, indicator=indicator, year=2024, target_value=3
    )
    client.force_login(personas.coordinator)
    response = client.post(
        f"/partnerships/{partnership.pk}/edit/",
        {"title": "Renamed", "model": "joint_degree", "start_date": "2025-01-01", "version": 1},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Targets exist for 2024" in html.split('id="id_start_date"')[1]
    partnership.refresh_from_db()
    assert partnership.title == "Vistula–Iberia Exchange" and partnership.start_date is None


def test_moving_through_the_lifecycle_with_htmx_reloads_the_page(client, personas, partnership):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/partnerships/{partnership.pk}/transition/", {"to_status": "negotiating"}, **HTMX
    )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.NEGOTIATING
    step = PartnershipTransition.objects.get(partnership=partnership, from_status="exploring")
    assert step.actor == personas.coordinator
    html = _page(client, personas.coordinator, f"/partnerships/{partnership.pk}/")
    assert "The partnership is now Negotiating." in html
    assert "Move to “Active”" in html and "Move to “Negotiating”" not in html


def test_closing_without_a_reason_is_refused_next_to_the_reason(client, personas, partnership):
    client.force_login(personas.coordinator)
    response = client.post(f"/partnerships/{partnership.pk}/transition/", {"to_status": "closed"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert html.lstrip().startswith('<section id="lifecycle"')
    assert "Give a reason" in html.split('id="id_closed_reason"')[1]
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.EXPLORING


def test_a_move_the_lifecycle_does_not_allow_is_explained(client, personas, partnership):
    client.force_login(personas.coordinator)
    response = client.post(f"/partnerships/{partnership.pk}/transition/", {"to_status": "renewed"})
    assert response.status_code == 200
    assert "cannot move to renewed" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.EXPLORING


def test_an_unknown_status_is_explained(client, personas, partnership):
    client.force_login(personas.coordinator)
    response = client.post(f"/partnerships/{partnership.pk}/transition/", {"to_status": ""}, **HTMX)
    assert 'role="alert"' in response.content.decode() and "HX-Refresh" not in response


def test_closing_with_a_reason_without_javascript(client, personas, partnership):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/partnerships/{partnership.pk}/transition/", {"to_status": "closed", "reason": "Funding ended"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#lifecycle")
    html = _page(client, personas.coordinator, f"/partnerships/{partnership.pk}/")
    # Closed is final: its own fields and members are frozen, its log stays open.
    assert (
        "Edit partnership" not in html and "Move to" not in html and "Add a member organisation" not in html
    )
    assert "Log a meeting" in html and "Funding ended" in html


# ---------------------------------------------------------------------------------------------------
# Members


def test_members_are_added_and_removed_in_place(client, personas, partnership):
    client.force_login(personas.coordinator)
    form = client.get(f"/partnerships/{partnership.pk}/members/new/", **HTMX).content.decode()
    assert "<html" not in form and "Outsider College" in form and "Partner University" not in form
    response = client.post(
        f"/partnerships/{partnership.pk}/members/new/",
        {"organisation": personas.outsider_org.pk, "role": "associate_partner"},
        **HTMX,
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="members"') and "Member added." in html
    member = partnership.members.get(organisation=personas.outsider_org)
    assert member.role == MemberRole.ASSOCIATE_PARTNER
    response = client.post(
        f"/partnerships/{partnership.pk}/members/{member.pk}/remove/", {"version": member.version}, **HTMX
    )
    assert "Member removed." in response.content.decode()
    assert not partnership.members.filter(organisation=personas.outsider_org).exists()


def test_a_refused_member_change_says_why(client, personas, partnership):
    client.force_login(personas.coordinator)
    coordinator = partnership.members.get(role=MemberRole.COORDINATOR)
    partner = partnership.members.get(role=MemberRole.PARTNER)
    html = client.post(
        f"/partnerships/{partnership.pk}/members/{coordinator.pk}/role/",
        {"role": "partner", "version": 1},
        **HTMX,
    ).content.decode()
    assert 'role="alert"' in html and "make another member coordinator" in html
    html = client.post(
        f"/partnerships/{partnership.pk}/members/{partner.pk}/remove/", {"version": partner.version}, **HTMX
    ).content.decode()
    assert "at least two organisations" in html
    assert partnership.members.count() == 2


def test_handing_coordination_over_reloads_the_page(client, personas, partnership):
    client.force_login(personas.coordinator)
    partner = partnership.members.get(role=MemberRole.PARTNER)
    response = client.post(
        f"/partnerships/{partnership.pk}/members/{partner.pk}/role/",
        {"role": "coordinator", "version": 1},
        **HTMX,
    )
    assert response["HX-Refresh"] == "true"
    assert PartnershipMember.objects.get(pk=partner.pk).role == MemberRole.COORDINATOR
    # The record now belongs to the partner organisation: the home coordinator may no longer change it.
    assert client.get(f"/partnerships/{partnership.pk}/edit/").status_code == 403


def test_the_small_form_falls_back_to_a_page_without_javascript(client, personas, partnership):
    client.force_login(personas.coordinator)
    html = client.get(f"/partnerships/{partnership.pk}/members/new/").content.decode()
    assert "<html" in html and "Add a member organisation" in html
    response = client.post(
        f"/partnerships/{partnership.pk}/members/new/",
        {"organisation": personas.outsider_org.pk, "role": "funder"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#members")
    cancel = client.get(f"/partnerships/{partnership.pk}/members/")
    assert cancel.status_code == 302 and cancel["Location"].endswith("#members")
    assert "<html" not in client.get(f"/partnerships/{partnership.pk}/members/", **HTMX).content.decode()


def test_an_invalid_small_form_is_shown_again_in_its_slot(client, personas, partnership):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/partnerships/{partnership.pk}/members/new/", {"organisation": "", "role": "x"}, **HTMX
    )
    assert response["HX-Retarget"] == "#members-form-slot" and response["HX-Reswap"] == "innerHTML"
    assert "This field is required" in response.content.decode()
    assert partnership.members.count() == 2


def test_meeting_owner_choices_are_the_partnerships_people(client, personas, partnership):
    stranger = make_user("stranger", organisation=personas.outsider_org, role="coordinator")
    html = _page(client, personas.coordinator, f"/partnerships/{partnership.pk}/meetings/new/", **HTMX)
    assert ">partner<" in html and ">teacher<" in html and stranger.username not in html
    assert Meeting.objects.count() == 0
