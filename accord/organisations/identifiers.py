"""Validation and normalisation of organisation identifiers (pure: no Django import).

Each ``normalise_*`` returns the canonical form or raises ``ValueError`` with a message that says
what the expected shape is, so forms, the API and imports give the same advice.
"""

import re

_SCHAC = re.compile(r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Erasmus codes: the country's Erasmus prefix (1–3 letters, padded with spaces to three
# characters), a city abbreviation, and a two- or three-digit sequence, e.g. "PL WARSZAW01",
# "F  PARIS001", "D  BERLIN01". Partners type them with irregular spacing, so the padding is
# rebuilt rather than compared.
_ERASMUS = re.compile(r"^([A-Z]{1,3})\s+([A-Z][A-Z-]{0,7}?)\s*([0-9]{2,3})$")
_PIC = re.compile(r"^[0-9]{9}$")
# The Erasmus+ and European Solidarity Corps Organisation ID: "E" and eight digits, e.g. E10208529.
_OID = re.compile(r"^E[0-9]{8}$")
_ROR_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_ROR = re.compile(r"^0[" + _ROR_ALPHABET + r"]{6}[0-9]{2}$")
_ROR_PREFIXES = ("https://ror.org/", "http://ror.org/", "ror.org/")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def normalise_schac(value: str) -> str:
    """SCHAC home organisation codes are the institution's DNS domain, lower-case (EWP ``hei-id``)."""
    code = value.strip().lower()
    if not _SCHAC.match(code):
        raise ValueError(f"'{value}' is not a SCHAC code: expected a domain name such as 'uw.edu.pl'.")
    return code


def normalise_erasmus_code(value: str) -> str:
    match = _ERASMUS.match(value.strip().upper())
    if not match:
        raise ValueError(
            f"'{value}' is not an Erasmus code: expected a country prefix, a city abbreviation and "
            "a number, such as 'PL WARSZAW01'."
        )
    country, city, number = match.groups()
    return f"{country:<3}{city}{number}" if len(country) < 2 else f"{country} {city}{number}"


def normalise_pic(value: str) -> str:
    code = re.sub(r"\s", "", value)
    if not _PIC.match(code):
        raise ValueError(f"'{value}' is not a PIC: expected the 9-digit Participant Identification Code.")
    return code


def normalise_oid(value: str) -> str:
    code = re.sub(r"\s", "", value).upper()
    if not _OID.match(code):
        raise ValueError(
            f"'{value}' is not an OID: expected the Organisation ID, E and eight digits such as 'E10208529'."
        )
    return code


def _ror_checksum(body: str) -> str:
    number = 0
    for char in body:
        number = number * 32 + _ROR_ALPHABET.index(char)
    return f"{98 - (number * 100) % 97:02d}"


def normalise_ror(value: str) -> str:
    """A ROR id is '0', six Crockford base32 characters and an ISO 7064 mod 97-10 check number."""
    code = value.strip().lower()
    for prefix in _ROR_PREFIXES:
        if code.startswith(prefix):
            code = code[len(prefix) :]
            break
    if not _ROR.match(code) or _ror_checksum(code[1:7]) != code[7:]:
        raise ValueError(f"'{value}' is not a ROR id: expected nine characters such as '04m01e293'.")
    return code


def normalise_phone(value: str) -> str:
    """Phone numbers are kept in E.164 (as EWP exchanges them); spaces and punctuation are dropped."""
    number = re.sub(r"[\s().-]", "", value)
    if number.startswith("00"):
        number = "+" + number[2:]
    if not _E164.match(number):
        raise ValueError(
            f"'{value}' is not an international phone number: expected E.164, e.g. +48221234567."
        )
    return number
