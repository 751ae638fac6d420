from django.core.management.base import BaseCommand

from accord.accounts.choices import Role
from accord.accounts.models import Membership, User
from accord.ewp.models import ServedInstitution
from accord.ewp.node.keys import create_node_key, node_private_key
from accord.organisations.choices import OrganisationKind
from accord.organisations.models import Organisation
from accord.partnerships.choices import MemberRole, PartnershipModel, PartnershipStatus
from accord.partnerships.models import Partnership, PartnershipMember

# The demo network runs on loopback only; the password is printed by `make ewp-demo`.
DEMO_PASSWORD = "accord-demo"  # noqa: S105 (documented, for the local demo only)


class Command(BaseCommand):
    help = (
        "Set up one node of the local EWP demo network (run by `make ewp-demo` in each node's own "
        "environment): the institution it serves, its partner in the directory, a partnership between "
        "them, an admin and a coordinator, and the node's key. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hei", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--country", required=True)
        parser.add_argument("--partner-hei", required=True)
        parser.add_argument("--partner-name", required=True)
        parser.add_argument("--partner-country", required=True)
        parser.add_argument("--users", required=True, help="Prefix of the usernames (<prefix>-admin, …).")

    def handle(self, *args, hei, name, country, partner_hei, partner_name, partner_country, users, **options):
        ours = _institution(hei, name, country)
        theirs = _institution(partner_hei, partner_name, partner_country)
        ServedInstitution.objects.get_or_create(organisation=ours)
        if not Partnership.objects.filter(members__organisation=ours).filter(members__organisation=theirs):
            partnership = Partnership.objects.create(
                title=f"{name} – {partner_name}",
                model=PartnershipModel.BILATERAL_EXCHANGE,
                status=PartnershipStatus.ACTIVE,
            )
            PartnershipMember.objects.create(
                partnership=partnership, organisation=ours, role=MemberRole.COORDINATOR
            )
            PartnershipMember.objects.create(partnership=partnership, organisation=theirs)
        for role in (Role.ADMIN, Role.COORDINATOR):
            _user(f"{users}-{role}", ours, role)
        if node_private_key() is None:
            create_node_key()
        self.stdout.write(f"{hei} is served; users {users}-admin and {users}-coordinator.")


def _institution(hei: str, name: str, country: str) -> Organisation:
    organisation = Organisation.objects.filter(schac_code=hei).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=name, schac_code=hei, country_code=country, kind=OrganisationKind.HEI
        )
    return organisation


def _user(username: str, organisation: Organisation, role: str) -> None:
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
