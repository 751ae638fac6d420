"""The node's RSA key pair: it signs Accord's requests to partners and, when asked, its responses.

The private key lives in a PEM file outside the repository (``ACCORD_EWP_PRIVATE_KEY``, by default
``var/ewp/node-key.pem``), created once with ``manage.py ewp_create_keys`` or from the EWP page. Its
public half is published in the discovery manifests, from which the registry copies it into the
catalogue.

Rotation overlaps, because partners trust only what the registry's catalogue lists and the registry
re-reads manifests on its own schedule: :func:`start_rotation` writes the *next* key beside the current
one (``node-key.next.pem``) and the manifests publish both, while requests are still signed with the
current key; once the catalogue lists the next key, :func:`finish_rotation` makes it the current one
(the old key is kept as ``node-key.previous.pem``, no longer published). At no moment do partners see
a signature by a key their catalogue does not list.
"""

import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from accord.algorithms.ewp.http_signature import (
    generate_private_key,
    load_private_key_pem,
    private_key_to_pem,
)


class NodeKeyExists(Exception):
    """Refusing to replace the key partners already know this node by."""


def node_key_path() -> Path:
    return Path(settings.ACCORD_EWP_PRIVATE_KEY)


def node_private_key() -> rsa.RSAPrivateKey | None:
    """The node's private key, or None while none has been created."""
    path = node_key_path()
    try:
        modified_at = path.stat().st_mtime
    except FileNotFoundError:
        return None
    return _load(path, modified_at)


@functools.lru_cache(maxsize=4)
def _load(path: Path, modified_at: float) -> rsa.RSAPrivateKey:
    # Keyed by modification time so that a replaced key is picked up without a restart.
    return load_private_key_pem(path.read_bytes())


def next_key_path() -> Path:
    return _sibling("next")


def node_next_key() -> rsa.RSAPrivateKey | None:
    """The key a rotation in progress will switch to, or None when no rotation is under way."""
    path = next_key_path()
    try:
        modified_at = path.stat().st_mtime
    except FileNotFoundError:
        return None
    return _load(path, modified_at)


def create_node_key(*, bits: int = 2048, replace: bool = False) -> rsa.RSAPrivateKey:
    path = node_key_path()
    if path.exists() and not replace:
        raise NodeKeyExists(f"{path} already holds this node's key")
    return _write_new_key(path, bits)


def start_rotation(*, bits: int = 2048) -> rsa.RSAPrivateKey:
    """Create the next key, published beside the current one until :func:`finish_rotation`."""
    if node_private_key() is None:
        raise NoNodeKey("this node has no key to rotate yet")
    path = next_key_path()
    if path.exists():
        raise NodeKeyExists(f"{path} already holds the next key")
    return _write_new_key(path, bits)


def finish_rotation() -> rsa.RSAPrivateKey:
    """Sign with the next key from now on; the old one is kept beside it, no longer published."""
    key = node_next_key()
    if key is None:
        raise NoNodeKey("no rotation is under way")
    node_key_path().replace(_sibling("previous"))
    next_key_path().replace(node_key_path())
    return key


class NoNodeKey(Exception):
    """The key the operation needs does not exist."""


def _sibling(role: str) -> Path:
    path = node_key_path()
    return path.with_name(f"{path.stem}.{role}{path.suffix}")


def _write_new_key(path: Path, bits: int) -> rsa.RSAPrivateKey:
    key = generate_private_key(bits)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a sibling file that only the owner may read, then moved into place in one step.
    partial = path.with_name(path.name + ".new")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(private_key_to_pem(key))
    partial.replace(path)
    return key
