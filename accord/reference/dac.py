"""The OECD DAC List of ODA Recipients: the countries and territories whose students SDG indicator 4.b.1
counts ("volume of official development assistance flows for scholarships").

Written from the list the OECD Development Assistance Committee publishes, "DAC List of ODA Recipients,
effective for reporting on 2024 and 2025 flows" (adopted at the 2023 triennial review; GNI per capita of
2022 as the World Bank reported it):
https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/dac-list-of-oda-recipients.html

The groups are the list's four columns. Territories without an ISO 3166-1 code of their own (Wallis and
Futuna, Tokelau, Saint Helena, Montserrat, Niue, West Bank and Gaza Strip) use the codes ISO assigns them
(WF, TK, SH, MS, NU, PS). Kosovo is ``XK`` as in ``accord.reference.countries``. Nauru and Montserrat stay
on the list for 2024 and 2025 flows, as the OECD's note on the 2023 review says. The next review is due
in 2026; the list is a table, so a new edition is a new mapping and ``LIST_EDITION`` names it.

Pure Python, no Django.
"""

from enum import StrEnum

LIST_EDITION = "2024-2025"
SOURCE_URL = (
    "https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/dac-list-of-oda-recipients.html"
)


class DacGroup(StrEnum):
    LEAST_DEVELOPED = "ldc"
    OTHER_LOW_INCOME = "lic"
    LOWER_MIDDLE_INCOME = "lmic"
    UPPER_MIDDLE_INCOME = "umic"


_LDC = (
    "AF AO BD BJ BF BI KH CF TD KM CD DJ ER ET GM GN GW HT KI LA LS LR MG MW ML MR MZ MM NP NE RW ST SN SL "
    "SB SO SS SD TZ TL TG TV UG YE ZM"
)
_OTHER_LIC = "KP SY"
_LMIC = (
    "BT BO CV CM CG CI EG SZ GH HN IN IR KE KG LB FM MN MA NI NG PK PG PH WS LK TJ TN UA UZ VU VN PS ZW TK"
)
_UMIC = (
    "AL DZ AR AM AZ BY BZ BA BW BR CN CO CR CU DM DO EC SV GQ FJ GA GE GD GT GY ID IQ JM JO KZ XK LY MY MV "
    "MH MU MX MD ME MS NA NR MK NU PW PA PY PE SH LC VC RS ZA SR TH TO TR TM VE WF"
)

RECIPIENTS: dict[str, DacGroup] = {
    code: group
    for codes, group in (
        (_LDC, DacGroup.LEAST_DEVELOPED),
        (_OTHER_LIC, DacGroup.OTHER_LOW_INCOME),
        (_LMIC, DacGroup.LOWER_MIDDLE_INCOME),
        (_UMIC, DacGroup.UPPER_MIDDLE_INCOME),
    )
    for code in codes.split()
}


def is_oda_recipient(country_code: str) -> bool:
    """Whether the country (ISO 3166-1 alpha-2, any case) is on the DAC list of ODA recipients."""
    return country_code.upper() in RECIPIENTS


def dac_group(country_code: str) -> DacGroup | None:
    return RECIPIENTS.get(country_code.upper())
