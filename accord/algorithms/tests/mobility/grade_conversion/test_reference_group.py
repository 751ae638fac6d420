"""Choosing the tables that convert a mobility's grades: the same field and cycle, else the broader
field, else every field of the cycle, else tables for every cycle (EGRACONS practice)."""

from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.mobility.grade_conversion.reference_group import (
    Breadth,
    ReferenceGroup,
    choose_tables,
    field_group,
    reference_groups,
)


def tables(*keys):
    return [(code, level, f"{code or '*'}@{level or '*'}") for code, level in keys]


def test_the_reported_mobility_in_0413_finds_the_tables_of_broad_field_04():
    choice = choose_tables("0413", 6, tables(("04", 6), ("", None)), tables(("04", 6)))
    assert (choice.host, choice.home) == ("04@6", "04@6")
    assert choice.host_group == ReferenceGroup("04", 6)
    assert choice.host_group.breadth is Breadth.BROAD
    assert choice.wanted == ReferenceGroup("0413", 6)
    assert choice.same_group and not choice.exact


def test_the_order_of_the_groups():
    assert reference_groups("0413", 6) == (
        ReferenceGroup("0413", 6),
        ReferenceGroup("041", 6),
        ReferenceGroup("04", 6),
        ReferenceGroup("", 6),
        ReferenceGroup("0413", None),
        ReferenceGroup("041", None),
        ReferenceGroup("04", None),
        ReferenceGroup("", None),
    )
    assert reference_groups("", 7) == (ReferenceGroup("", 7), ReferenceGroup("", None))
    assert reference_groups("06", None) == (ReferenceGroup("06", None), ReferenceGroup("", None))


def test_not_further_defined_codes_are_their_parent_field():
    assert [field_group(code) for code in ("0410", "040", "0400", "0413", "04", "")] == [
        "041",
        "04",
        "04",
        "0413",
        "04",
        "",
    ]
    choice = choose_tables("0413", 6, tables(("0410", 6)), tables(("041", 6)))
    assert choice.host_group == choice.home_group == ReferenceGroup("041", 6)


def test_the_same_field_and_cycle_wins_over_every_broader_table():
    every = [("0413", 6), ("041", 6), ("04", 6), ("", 6), ("0413", None), ("", None)]
    choice = choose_tables("0413", 6, tables(*every), tables(*every))
    assert choice.exact and choice.host == "0413@6"


def test_a_group_both_sides_have_wins_over_a_narrower_one_only_one_side_has():
    choice = choose_tables("0413", 6, tables(("0413", 6), ("", 6)), tables(("", 6)))
    assert (choice.host, choice.home) == ("*@6", "*@6")


def test_without_a_common_group_each_side_takes_its_best_and_says_so():
    choice = choose_tables("0413", 6, tables(("0413", 6)), tables(("", None)))
    assert (choice.host, choice.home, choice.same_group) == ("0413@6", "*@*", False)


def test_tables_of_other_fields_or_cycles_never_fit():
    assert choose_tables("0413", 6, tables(("05", 6), ("04", 7)), tables(("04", 6))) is None
    assert choose_tables("0413", 6, tables(("04", 6)), tables()) is None
    assert choose_tables("", None, tables(("04", None)), tables(("04", None))) is None


fields = st.sampled_from(["", "04", "040", "041", "0410", "0413", "0414", "05", "052", "0521"])
levels = st.one_of(st.none(), st.integers(min_value=5, max_value=8))
keys = st.lists(st.tuples(fields, levels), max_size=8)


@given(fields, levels, keys, keys)
def test_a_chosen_table_always_fits_the_mobility(code, level, host_keys, home_keys):
    choice = choose_tables(code, level, tables(*host_keys), tables(*home_keys))
    if choice is None:
        return
    wanted = field_group(code)
    for group in (choice.host_group, choice.home_group):
        assert wanted.startswith(group.isced_code)
        assert group.eqf_level in (None, level)


@given(fields, levels, keys, keys)
def test_no_better_group_is_on_both_sides(code, level, host_keys, home_keys):
    choice = choose_tables(code, level, tables(*host_keys), tables(*home_keys))
    groups = reference_groups(code, level)
    host_groups = {ReferenceGroup(field_group(c), lv) for c, lv in host_keys}
    home_groups = {ReferenceGroup(field_group(c), lv) for c, lv in home_keys}
    common = [group for group in groups if group in host_groups and group in home_groups]
    if common:
        assert choice is not None and choice.same_group and choice.host_group == common[0]
    else:
        assert choice is None or not choice.same_group


@given(fields, levels, keys, keys)
def test_the_choice_does_not_depend_on_the_order_tables_are_listed(code, level, host_keys, home_keys):
    forwards = choose_tables(code, level, tables(*host_keys), tables(*home_keys))
    backwards = choose_tables(code, level, tables(*reversed(host_keys)), tables(*reversed(home_keys)))
    assert forwards == backwards
