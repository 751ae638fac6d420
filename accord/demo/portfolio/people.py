"""The portfolio's extra people: fictional students of the home and partner universities, and one
coordinator at each partner that has none. Rows of fixed data inserted in bulk with one password
hash (a service call per student would add seconds); a test runs ``full_clean`` on them."""

import random
from functools import cache
from itertools import product

from django.contrib.auth.hashers import make_password

from accord.accounts.choices import Role
from accord.accounts.models import Membership, User
from accord.demo import data
from accord.demo.data import DemoOrganisation
from accord.organisations.models import Organisation


@cache
def _password() -> str:
    """The demo password hashed once per process: hashing is deliberately slow."""
    return make_password(data.DEMO_PASSWORD)


def _spec(organisation: Organisation) -> DemoOrganisation:
    return next(spec for spec in data.ORGANISATIONS if spec.schac_code == organisation.schac_code)


def _names(spec: DemoOrganisation, prefix: str) -> list[tuple[str, str]]:
    """Every pairing of the region's given and family names in a fixed shuffled order, then pairings
    of names from everywhere (a university's international students), so that no name repeats."""
    rng = random.Random(f"people:{prefix}")
    local = list(product(*(names.split() for names in data._NAMES[data.region(spec)])))
    rng.shuffle(local)
    everywhere = [
        pair
        for pair in product(*(" ".join(names[i] for names in data._NAMES.values()).split() for i in (0, 1)))
        if pair not in local
    ]
    return local + rng.sample(everywhere, 100)


def people_of(organisation: Organisation, *, role: str, count: int, prefix: str) -> list[User]:
    """``count`` users with ``role`` at ``organisation``, named ``<prefix>-<n>``; those missing are
    created. Names mix the region's given and family names, so they look like the place."""
    names = _names(_spec(organisation), prefix)
    wanted = [f"{prefix}-{number:02d}" for number in range(1, count + 1)]
    existing = {user.username: user for user in User.objects.filter(username__in=wanted)}
    missing = [username for username in wanted if username not in existing]
    if missing:
        password = _password()
        created = User.objects.bulk_create(
            User(
                username=username,
                email=f"{username}@{organisation.schac_code}",
                first_name=names[wanted.index(username) % len(names)][0],
                last_name=names[wanted.index(username) % len(names)][1],
                password=password,
            )
            for username in missing
        )
        created = list(User.objects.filter(username__in=missing))
        Membership.objects.bulk_create(
            Membership(user=user, organisation=organisation, role=role) for user in created
        )
        existing.update({user.username: user for user in created})
    return [existing[username] for username in wanted]


def coordinator_of(organisation: Organisation) -> User:
    """The partner's coordinator: the first existing one, else a new ``demo-<key>-coordinator``."""
    membership = (
        Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    key = organisation.schac_code.split(".")[0]
    return people_of(organisation, role=Role.COORDINATOR, count=1, prefix=f"demo-{key}-coordinator")[0]
