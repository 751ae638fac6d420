"""Status badges: one tone per meaning whatever the app, and the status's own label as the text."""

from types import SimpleNamespace

import pytest

from accord.core.templatetags.badges import status_badge, tone_of


@pytest.mark.parametrize(
    ("status", "tone"),
    [
        ("draft", "neutral"),
        ("shared", "waiting"),
        ("pending", "waiting"),
        ("in_effect", "active"),
        ("published", "active"),
        ("recognised", "done"),
        ("terminated", "stopped"),
        ("cancelled", "stopped"),
        ("something new", "neutral"),
    ],
)
def test_each_status_has_the_tone_of_its_meaning(status, tone):
    assert tone_of(status) == tone


def test_the_badge_shows_the_label_escaped():
    record = SimpleNamespace(status="in_effect", get_status_display=lambda: "In <effect>")
    assert status_badge(record) == '<span class="badge badge-active">In &lt;effect&gt;</span>'
