"""Labels of the mobilities' stored values, for templates that only hold the value."""

from django import template

from accord.mobilities.choices import SignerRole

register = template.Library()


@register.filter
def signer_label(role: str) -> str:
    """ "receiving" reads "Receiving institution", in the reader's language."""
    return str(SignerRole(role).label)
