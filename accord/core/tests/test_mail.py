import pytest

from accord.core.mail import deliverable


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("ana@partner.example.edu", True),
        ("ewp-node-3@accord.invalid", False),
        ("Someone@Host.INVALID.", False),
        ("invalid@example.org", True),
        ("", False),
    ],
)
def test_only_addresses_outside_the_reserved_invalid_domain_are_deliverable(address, expected):
    assert deliverable(address) is expected
