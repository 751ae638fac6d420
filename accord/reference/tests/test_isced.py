from collections import Counter

import pytest

from accord.reference.isced import IscedField, all_isced, get_isced, is_isced, isced_children, isced_label

BROAD_FIELDS = ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10"]


def _is_residual(code: str) -> bool:
    """Not further defined (..0), inter-disciplinary (..8), not elsewhere classified (..9), unknown (99)."""
    return code.startswith("99") or (len(code) > 2 and code[-1] in "089")


def test_counts_per_level():
    # The numerical list of the UIS "Detailed field descriptions" (2015): 11 broad fields and
    # "field unknown"; the narrow and detailed counts include the ..0, ..8 and ..9 residual codes.
    assert Counter(field.level for field in all_isced()) == {"broad": 12, "narrow": 58, "detailed": 149}


def test_substantive_fields_are_the_29_narrow_and_80_detailed_of_the_standard():
    substantive = Counter(field.level for field in all_isced() if not _is_residual(field.code))
    assert substantive == {"broad": 11, "narrow": 29, "detailed": 80}


def test_broad_fields():
    broad = [field.code for field in all_isced() if field.level == "broad"]
    assert broad == [*BROAD_FIELDS, "99"]
    assert get_isced("00").name == "Generic programmes and qualifications"
    assert get_isced("10").name == "Services"
    assert get_isced("99").name == "Field unknown"


def test_levels_follow_code_length_and_codes_are_digits():
    lengths = {"broad": 2, "narrow": 3, "detailed": 4}
    for field in all_isced():
        assert field.code.isdigit()
        assert len(field.code) == lengths[field.level]


def test_every_field_hangs_from_its_prefix():
    for field in all_isced():
        if field.level == "broad":
            assert field.parent is None
            continue
        parent = get_isced(field.parent)
        assert parent is not None, field.code
        assert field.parent == field.code[:-1]
        assert parent.level == {"narrow": "broad", "detailed": "narrow"}[field.level]


def test_every_narrow_field_has_a_detailed_field():
    for field in all_isced():
        if field.level == "narrow":
            assert any(child.level == "detailed" for child in isced_children(field.code)), field.code


def test_all_isced_is_in_code_order_without_duplicates():
    codes = [field.code for field in all_isced()]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("0111", "Education science"),
        ("0413", "Management and administration"),
        ("041", "Business and administration"),
        ("0421", "Law"),
        ("0541", "Mathematics"),
        ("0613", "Software and applications development and analysis"),
        ("0732", "Building and civil engineering"),
        ("0912", "Medicine"),
        ("1015", "Travel, tourism and leisure"),
        ("0410", "Business and administration not further defined"),
        ("0119", "Education not elsewhere classified"),
        (
            "0588",
            "Inter-disciplinary programmes and qualifications involving "
            "natural sciences, mathematics and statistics",
        ),
        (
            "0688",
            "Inter-disciplinary programmes and qualifications involving "
            "Information and Communication Technologies (ICTs)",
        ),
        ("9999", "Field unknown"),
    ],
)
def test_well_known_codes(code, name):
    assert get_isced(code).name == name


def test_each_broad_field_but_generic_has_an_inter_disciplinary_field():
    for broad in BROAD_FIELDS[1:]:
        assert is_isced(f"{broad}8"), broad
        assert is_isced(f"{broad}88"), broad
    assert not is_isced("008")


def test_get_isced_builds_the_field():
    assert get_isced("0413") == IscedField(
        code="0413", name="Management and administration", level="detailed", parent="041"
    )
    assert get_isced(" 041 ").code == "041"


@pytest.mark.parametrize("code", ["", "4", "0", "11", "0418", "04130", "abcd", "0228", None, 413])
def test_unknown_codes(code):
    assert get_isced(code) is None
    assert not is_isced(code)


def test_children():
    assert [field.code for field in isced_children("04")] == ["040", "041", "042", "048", "049"]
    assert [field.code for field in isced_children("042")] == ["0421"]
    assert isced_children("0413") == []
    assert isced_children("77") == []


def test_label():
    assert isced_label("0413") == "0413 Management and administration"
    assert isced_label("04") == "04 Business, administration and law"
    assert isced_label("7777") == "7777"
