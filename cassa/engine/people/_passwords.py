"""Password and PIN hashing: Argon2id with a random salt per hash.

Parameters: OWASP's first recommended Argon2id setting (Password Storage Cheat
Sheet): 46 MiB of memory, 1 pass, 1 lane, a 16-byte random salt and a 32-byte
tag. Memory is what makes guessing costly on GPUs, so this is the setting with
the most memory among OWASP's equivalent ones; one lane because a till has
few cores, shared with the till app and its devices. On the project's 2-core
machine a login costs about 0.06 s, at most 0.13 s while the machine was busy
(benchmarks/login.py). RFC 9106's second option (64 MiB, 3 passes, 4 lanes)
was measured too: 0.17 s median but a 0.38 s 95th percentile under load, too
close to the 0.5 s a cashier's login may take. The parameters are kept inside
each hash: raising them later needs only a new constant, and a login rehashes
with the new ones.
"""

from __future__ import annotations

import re
import secrets
import string
from contextlib import suppress
from dataclasses import replace
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = [
    "PARAMETERS",
    "generate_password",
    "hash_secret",
    "is_argon2id_hash",
    "needs_rehash",
    "verify_secret",
]

PARAMETERS = replace(profiles.RFC_9106_LOW_MEMORY, memory_cost=47_104, time_cost=1, parallelism=1)
_HASHER = PasswordHasher.from_parameters(PARAMETERS)
_ARGON2ID = re.compile(r"^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$")


def hash_secret(secret: str) -> str:
    """The Argon2id hash of a password or PIN (PHC string format, salt included)."""
    if not secret:
        raise ValueError("an empty secret cannot be hashed")
    return _HASHER.hash(secret)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


def verify_secret(stored: str | None, secret: str) -> bool:
    """Whether `secret` matches `stored`. Without a stored hash the same work is
    done against a dummy one, so a missing account does not answer faster."""
    if stored is None:
        with suppress(VerificationError):
            _HASHER.verify(_dummy_hash(), secret)
        return False
    try:
        return _HASHER.verify(stored, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash was made with other parameters than today's."""
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def is_argon2id_hash(text: str) -> bool:
    return bool(_ARGON2ID.match(text))


def generate_password(length: int = 16) -> str:
    """A random password for a reset: letters and digits, easy to read out."""
    alphabet = [c for c in string.ascii_letters + string.digits if c not in "Il1O0o"]
    return "".join(secrets.choice(alphabet) for _ in range(length))
