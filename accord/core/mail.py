"""Which addresses mail can go to, and in which language.

The system accounts of partners' EWP nodes and the accounts of incoming students created before their
e-mail was free use the reserved ``.invalid`` top-level domain (RFC 2606), which no server delivers
to: a message there could only bounce or make a strict SMTP server refuse the whole batch.

A message is written in its recipient's language: the one saved on the account that has the address,
else the language of the moment (the sender's page, or the site's default in a background task).
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils import translation


def deliverable(address: str) -> bool:
    return bool(address) and not address.strip().rstrip(".").lower().endswith(".invalid")


def _supported(language: str) -> str | None:
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return None


def by_language(addresses: Iterable[str], default: str | None = None) -> dict[str, list[str]]:
    """Group addresses by the language their message should be written in (one query)."""
    addresses = list(addresses)
    fallback = _supported(default or "") or translation.get_language() or "en"
    saved = dict(
        get_user_model()
        .objects.annotate(address=Lower("email"))
        .filter(address__in=[address.lower() for address in addresses])
        .exclude(language="")
        .values_list("address", "language")
    )
    groups: dict[str, list[str]] = {}
    for address in addresses:
        language = _supported(saved.get(address.lower(), "")) or fallback
        groups.setdefault(language, []).append(address)
    return groups


def languages_of(addresses: Iterable[str], default: str | None = None) -> dict[str, str]:
    """Each address with the language its message should be written in (one query)."""
    return {
        address: language for language, group in by_language(addresses, default).items() for address in group
    }


def language_of(address: str, default: str | None = None) -> str:
    return next(iter(by_language([address], default)))
