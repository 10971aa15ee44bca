"""Who signs a till's chain: an Ed25519 key kept outside the database.

A signature is made on a closing link (`_chain.append_link`): its hash covers the
previous link's hash, so one signature seals every document, payment and closing
before it. Someone who can write the database but has no key can recompute hashes,
not signatures.

- `Signer` is the small interface a key sits behind: `FileSigner` reads a PEM file
  (PKCS#8) that only its owner may read (mode 0600, checked when it is opened);
  an HSM or a TPM is another class with the same three members.
- `signed_message` is what is signed, `signature_valid` checks one with a public key
  (the one in the database, or the one in an exported closing).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cassa.engine.errors import ConfigurationError
from cassa.i18n import _

__all__ = [
    "FileSigner",
    "MemorySigner",
    "Signer",
    "create_key_file",
    "key_id",
    "open_signer",
    "signature_valid",
    "signed_message",
]

DOMAIN = b"cassa-chain-signature-v1\n"


class Signer(Protocol):
    """A till's signing key: its public half (raw, hex) and a way to sign with it."""

    @property
    def public_key(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...


def key_id(public_key: str) -> str:
    """A short name of a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:16]


def signed_message(chain: str, sequence: int, digest: str, public_key: str) -> bytes:
    body = {"chain": chain, "sequence": sequence, "hash": digest, "public_key": public_key}
    return DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def signature_valid(public_key: str, message: bytes, signature: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
        key.verify(bytes.fromhex(signature), message)
    except (ValueError, InvalidSignature):
        return False
    return True


class MemorySigner:
    """A key held in memory: a scenario's or a test's own, made for one run."""

    def __init__(self, key: Ed25519PrivateKey | None = None) -> None:
        self._key = key or Ed25519PrivateKey.generate()
        raw = self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self._public = raw.hex()

    @property
    def public_key(self) -> str:
        return self._public

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


class FileSigner(MemorySigner):
    """The key in a PEM file that nobody but its owner may read or write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            info = path.stat()
        except OSError as error:
            raise ConfigurationError(
                _(
                    "signing key {path}: {value}; the till's configuration names "
                    "a key file that cannot be read",
                    path=path,
                    value=error.strerror or error,
                )
            ) from error
        if not stat.S_ISREG(info.st_mode):
            raise ConfigurationError(_("signing key {path} is not a file", path=path))
        if info.st_mode & 0o077:
            raise ConfigurationError(
                _(
                    "signing key {path} can be read or written by others (mode "
                    "{mode}): run `chmod 600 {path}`",
                    path=path,
                    mode=format(stat.S_IMODE(info.st_mode), "04o"),
                )
            )
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError, OSError) as error:
            raise ConfigurationError(
                _("signing key {path} is not a PEM private key", path=path)
            ) from error
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigurationError(_("signing key {path} is not an Ed25519 key", path=path))
        super().__init__(key)


def create_key_file(path: Path) -> FileSigner:
    """A new Ed25519 key in `path`, created with mode 0600 (never over an existing file)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return FileSigner(path)


def open_signer(key: Path, *, create: bool = False) -> FileSigner:
    """The till's key named by its configuration, checked (and made, if asked, when missing)."""
    if create and not key.exists():
        return create_key_file(key)
    return FileSigner(key)
