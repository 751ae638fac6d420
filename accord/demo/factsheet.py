"""The demo home university's factsheet for incoming students (fictional, under its example domain)."""

from accord.organisations import services
from accord.organisations.models import Factsheet, Organisation


def seed_factsheet(*, organisation: Organisation, actor) -> bool:
    """Record the factsheet through the service unless one exists; True when it was created."""
    if Factsheet.objects.filter(organisation=organisation).exists():
        return False
    site = f"https://www.{organisation.schac_code}"
    mailbox = f"@{organisation.schac_code}"
    services.factsheet_update(
        actor=actor,
        organisation=organisation,
        nominations_autumn="05-15",
        nominations_spring="10-31",
        applications_autumn="06-15",
        applications_spring="11-30",
        decision_weeks_limit=5,
        tor_weeks_limit=5,
        application_email=f"incoming{mailbox}",
        application_phone="+48221234500",
        application_website=f"{site}/incoming/apply",
        housing_email=f"housing{mailbox}",
        housing_phone="+48221234510",
        housing_website=f"{site}/incoming/housing",
        visa_email=f"visa{mailbox}",
        visa_phone="+48221234520",
        visa_website=f"{site}/incoming/visas",
        insurance_email=f"insurance{mailbox}",
        insurance_phone="+48221234530",
        insurance_website=f"{site}/incoming/insurance",
        additional_requirements=[
            {
                "name": "Motivation letter",
                "details": "One page, in English or Polish.",
                "website": f"{site}/incoming/documents",
            },
            {"name": "Language certificate", "details": "English B2, or Polish B1 for courses in Polish."},
            {"name": "Transcript of Records", "details": "All grades so far, in English.", "website": ""},
        ],
        accessibility=[
            {
                "type": "service",
                "name": "Office for Students with Disabilities",
                "description": "Adapted exams, note-takers and a sign-language interpreter on request.",
                "email": f"accessibility{mailbox}",
                "phone": "+48221234540",
                "website": f"{site}/accessibility",
            }
        ],
        additional_info=[
            {
                "type": "Recognition process",
                "email": f"recognition{mailbox}",
                "phone": "+48221234550",
                "website": f"{site}/incoming/recognition",
            }
        ],
    )
    return True
