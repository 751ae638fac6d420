import pytest

from accord.reference.eqf import all_eqf, get_eqf, is_eqf


def test_eight_levels_in_order():
    assert [level.level for level in all_eqf()] == list(range(1, 9))
    assert all(level.name for level in all_eqf())


def test_cycles_name_the_higher_education_levels_only():
    assert [level.cycle for level in all_eqf()] == [
        None,
        None,
        None,
        None,
        "Short cycle",
        "First cycle (bachelor)",
        "Second cycle (master)",
        "Third cycle (doctorate)",
    ]


def test_get_eqf():
    assert get_eqf(6).name.startswith("Advanced knowledge of a field of work or study")
    assert is_eqf(1)
    assert is_eqf(8)


@pytest.mark.parametrize("level", [0, 9, -1, "6", 6.0, True, None])
def test_anything_but_an_int_from_1_to_8_is_not_a_level(level):
    assert get_eqf(level) is None
    assert not is_eqf(level)
