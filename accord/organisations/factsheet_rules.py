"""The value rules of an institution's factsheet (pure: no Django import).

They are the constraints the EWP Mobility Factsheet API v1 schema puts on what the factsheet publishes,
so that whatever the directory accepts can be served: deadlines as a month and a day (``xs:gMonthDay``,
the same date every year), delays as a positive number of weeks, e-mails matching the schema's pattern,
and web addresses over http or https. Each ``normalise_*`` returns the stored form or raises
``ValueError`` with a message that says what is expected.
"""

import re
from calendar import monthrange
from typing import Final

_MONTH_DAY = re.compile(r"^(?:--)?([0-9]{1,2})[-/.]([0-9]{1,2})$")
# common-types.xsd ``Email``: deliberately loose, but it refuses a domain without a dot.
_EWP_EMAIL = re.compile(r"^[^@\s]+@[^.@\s]+\..+$")
_HTTP_URL = re.compile(r"^https?://\S+$")
_LEAP_YEAR: Final = 2000  # 29 February is a valid month-day

# The requirement names the specification reserves: outgoing mobilities answer them with a document.
DOCUMENT_REQUIREMENTS: Final = (
    "Motivation letter",
    "Transcript of Records",
    "Language certificate",
    "Reference letter",
    "Portfolio",
    "CV",
    "Other document",
)
ACCESSIBILITY_TYPES: Final = ("infrastructure", "service")
MAX_WEEKS: Final = 52


def normalise_month_day(value: str) -> str:
    """``MM-DD`` (``--MM-DD``, ``M-D`` and ``M/D`` are accepted): a day that exists in some year."""
    match = _MONTH_DAY.match(value.strip())
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1 <= day <= monthrange(_LEAP_YEAR, month)[1]:
            return f"{month:02d}-{day:02d}"
    raise ValueError(f"'{value}' is not a month and day: expected MM-DD, e.g. 04-30 for 30 April.")


def g_month_day(stored: str) -> str:
    """The ``xs:gMonthDay`` lexical form (``--MM-DD``) of a stored ``MM-DD``."""
    return f"--{stored}"


def check_weeks(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WEEKS:
        raise ValueError(
            f"'{value}' is not a number of weeks: expected a whole number from 1 to {MAX_WEEKS}."
        )
    return value


def normalise_email(value: str) -> str:
    email = value.strip()
    if not _EWP_EMAIL.match(email):
        raise ValueError(f"'{value}' is not an e-mail address: expected e.g. incoming@uni.example.edu.")
    return email


def normalise_website(value: str) -> str:
    url = value.strip()
    if not _HTTP_URL.match(url):
        raise ValueError(f"'{value}' is not a web address: expected one starting with https:// or http://.")
    return url
