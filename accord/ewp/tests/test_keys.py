"""``manage.py ewp_create_keys``: the node's key pair, written once, readable by its owner only."""

import io

import pytest
from django.core.management import CommandError, call_command

from accord.algorithms.ewp.http_signature import key_id
from accord.ewp.node.keys import (
    NodeKeyExists,
    NoNodeKey,
    finish_rotation,
    next_key_path,
    node_next_key,
    node_private_key,
    start_rotation,
)


@pytest.fixture
def key_path(settings, tmp_path):
    settings.ACCORD_EWP_PRIVATE_KEY = tmp_path / "ewp" / "node-key.pem"
    return settings.ACCORD_EWP_PRIVATE_KEY


def test_the_command_creates_a_private_key_only_its_owner_can_read(key_path) -> None:
    output = io.StringIO()

    call_command("ewp_create_keys", stdout=output)

    assert key_path.stat().st_mode & 0o777 == 0o600
    assert f"keyId: {key_id(node_private_key().public_key())}" in output.getvalue()


def test_the_command_keeps_an_existing_key_unless_told_to_replace_it(key_path) -> None:
    call_command("ewp_create_keys", stdout=io.StringIO())
    first = key_id(node_private_key().public_key())

    with pytest.raises(CommandError, match="pass --replace"):
        call_command("ewp_create_keys", stdout=io.StringIO())
    call_command("ewp_create_keys", "--replace", stdout=io.StringIO())

    assert key_id(node_private_key().public_key()) != first


def test_short_keys_are_refused(key_path) -> None:
    with pytest.raises(CommandError, match="shorter than 2048 bits"):
        call_command("ewp_create_keys", "--bits", "1024")
    assert not key_path.exists()


def test_a_rotation_publishes_both_keys_then_switches_and_keeps_the_old_one_aside(key_path) -> None:
    call_command("ewp_create_keys", stdout=io.StringIO())
    first = key_id(node_private_key().public_key())

    following = start_rotation()

    assert next_key_path().stat().st_mode & 0o777 == 0o600
    assert key_id(node_private_key().public_key()) == first  # still signing with the current key
    assert key_id(node_next_key().public_key()) == key_id(following.public_key())
    with pytest.raises(NodeKeyExists):
        start_rotation()
    finish_rotation()
    assert key_id(node_private_key().public_key()) == key_id(following.public_key())
    assert node_next_key() is None
    assert (key_path.parent / "node-key.previous.pem").exists()
    with pytest.raises(NoNodeKey):
        finish_rotation()
