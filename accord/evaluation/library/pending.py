"""Indicators whose data lives in a domain this installation may not have yet (funding, virtual
exchange, joint programmes) or that only people can report (joint projects, publications).

They are defined here, with their written definitions, so that the library is complete and an
objective can name them today; the domain that owns the data calls ``registry.provide(key, compute)``
in its ``ready()``. Until then the pages say which domain is missing, and never show a zero.
"""

from django.utils.translation import gettext_lazy as _

from accord.evaluation.library.registry import Definition, Domain, register

COUNTS_AT_START = _("A mobility counts in the academic year it starts in; cancelled ones never count.")
FROM_GRANTS = _("The grants the funding domain records for each mobility.")

for definition in (
    Definition(
        "participants.fewer_opportunities",
        _("Participants with fewer opportunities"),
        _(
            "Participants who received the top-up for people with fewer opportunities, as a percentage of"
            " all participants."
        ),
        COUNTS_AT_START,
        FROM_GRANTS,
        Domain.FUNDING,
        _("%"),
        ("4.5",),
    ),
    Definition(
        "travel.green_share",
        _("Green travel"),
        _(
            "Participants who travelled by sustainable means (the green-travel top-up), as a percentage "
            "of physical and blended participants."
        ),
        COUNTS_AT_START,
        FROM_GRANTS,
        Domain.FUNDING,
        _("%"),
        ("4.7",),
    ),
    Definition(
        "funding.budget_absorption",
        _("Budget absorption"),
        _("Grant money committed to mobilities as a percentage of the budget awarded for the period."),
        _("Money counts in the academic year of the mobility it is committed to."),
        _("The funding domain's budgets and grants."),
        Domain.FUNDING,
        _("%"),
    ),
    Definition(
        "funding.average_grant",
        _("Average grant"),
        _("The mean grant per funded participant, in the budget's currency."),
        COUNTS_AT_START,
        FROM_GRANTS,
        Domain.FUNDING,
        _("EUR"),
    ),
    Definition(
        "scholarships.dac_amount",
        _("Scholarships to students from ODA-recipient countries (money)"),
        _(
            "Grants and scholarships paid to students whose nationality is on the OECD DAC list of ODA "
            "recipients: what SDG indicator 4.b.1 counts in money."
        ),
        COUNTS_AT_START,
        FROM_GRANTS,
        Domain.FUNDING,
        _("EUR"),
        ("4.b",),
    ),
    Definition(
        "virtual_exchange.participants",
        _("Virtual exchange participants"),
        _("Students who completed a virtual exchange (collaborative online learning) with a partner."),
        _("A participant counts in the academic year the exchange starts in."),
        _("The virtual exchange domain's exchanges and their participants."),
        Domain.VIRTUAL_EXCHANGE,
        _("people"),
        ("4.7",),
    ),
    Definition(
        "courses.joint_programmes",
        _("Joint programmes"),
        _("Joint and double degree programmes the partners run together."),
        _("A programme counts in every academic year it admits students."),
        _("The courses and joint programmes domain."),
        Domain.COURSES,
        _("programmes"),
        ("4.3",),
    ),
    Definition(
        "courses.joint_graduates",
        _("Graduates of joint programmes"),
        _("People who graduated from a joint or double degree programme."),
        _("A graduate counts in the academic year of graduation."),
        _("The courses and joint programmes domain."),
        Domain.COURSES,
        _("people"),
        ("4.3",),
    ),
    Definition(
        "projects.joint_projects",
        _("Joint projects"),
        _("Research or capacity-building projects the partners run together."),
        _("A project counts in every year it runs."),
        _("Entered by hand on an objective's indicator, with evidence (a file or a link)."),
        Domain.MANUAL,
        _("projects"),
        ("4.c",),
    ),
    Definition(
        "projects.publications",
        _("Joint publications"),
        _("Publications with authors from at least two partner institutions."),
        _("A publication counts in the year it is published."),
        _("Entered by hand on an objective's indicator, with evidence (a file or a link)."),
        Domain.MANUAL,
        _("publications"),
    ),
):
    register(definition)
