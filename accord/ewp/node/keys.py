"""The node's RSA key pair: it signs Accord's requests to partners and, when asked, its responses.

The private key lives in a PEM file outside the repository (``ACCORD_EWP_PRIVATE_KEY``, by default
``var/ewp/node-key.pem``), created once with ``manage.py ewp_create_keys``. Its public half is
published in the discovery manifests, from which the registry copies it into the catalogue.
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


def create_node_key(*, bits: int = 2048, replace: bool = False) -> rsa.RSAPrivateKey:
    path = node_key_path()
    if path.exists() and not replace:
        raise NodeKeyExists(f"{path} already holds this node's key")
    key = generate_private_key(bits)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a sibling file that only the owner may read, then moved into place in one step.
    partial = path.with_name(path.name + ".new")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(private_key_to_pem(key))
    partial.replace(path)
    return key
