"""The transition table shared by the workflows: what it allows, in which order, and how it refuses."""

import pytest
from django.db import models

from accord.core.errors import Conflict
from accord.core.workflow import TransitionTable


class Light(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    OFF = "off", "Switched off"


TABLE = TransitionTable(
    Light,
    {
        Light.RED: (Light.GREEN, Light.OFF),
        Light.GREEN: {Light.OFF, Light.AMBER},
        Light.AMBER: {Light.RED},
        Light.OFF: (),
    },
    noun="light",
)


def test_targets_keep_a_tuple_order_and_put_a_set_in_the_choices_order():
    assert TABLE.targets(Light.RED) == ("green", "off")
    assert TABLE.targets(Light.GREEN) == ("amber", "off")
    assert TABLE.targets("unknown") == ()


def test_allowed_answers_from_the_table_only():
    assert TABLE.allowed(Light.RED, Light.GREEN)
    assert not TABLE.allowed(Light.RED, Light.AMBER)
    assert not TABLE.allowed(Light.OFF, Light.RED)


def test_it_reads_as_a_mapping_of_status_to_targets():
    assert dict(TABLE) == {
        "red": ("green", "off"),
        "green": ("amber", "off"),
        "amber": ("red",),
        "off": (),
    }


def test_a_refused_move_says_what_is_allowed_with_the_labels():
    with pytest.raises(Conflict) as refused:
        TABLE.require(Light.RED, Light.AMBER, code="wrong_status", field="status")
    assert refused.value.message == (
        "A light that is red cannot move to amber; allowed next statuses: green, switched off."
    )
    assert (refused.value.code, refused.value.field) == ("wrong_status", "status")


def test_a_final_status_is_named_as_final():
    assert TABLE.refusal(Light.OFF, Light.RED).endswith("allowed next statuses: none (it is final).")


def test_a_table_that_names_an_unknown_status_is_refused_when_declared():
    with pytest.raises(ValueError, match="purple"):
        TransitionTable(Light, {Light.RED: {"purple"}}, noun="light")
