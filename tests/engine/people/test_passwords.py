"""Passwords: Argon2id with a salt of their own, and the pack's password policy."""

from __future__ import annotations

import pytest

from cassa.engine.people import (
    PARAMETERS,
    PasswordPolicy,
    generate_password,
    hash_secret,
    verify_secret,
)
from cassa.engine.people._passwords import is_argon2id_hash, needs_rehash


def test_a_password_is_kept_as_an_argon2id_hash_with_the_chosen_parameters() -> None:
    stored = hash_secret("correct horse battery staple")
    assert stored.startswith(
        f"$argon2id$v=19$m={PARAMETERS.memory_cost},t={PARAMETERS.time_cost},"
        f"p={PARAMETERS.parallelism}$"
    )
    assert "correct horse" not in stored
    assert is_argon2id_hash(stored)


def test_the_same_password_hashes_differently_each_time_because_of_its_salt() -> None:
    first, second = hash_secret("same password here"), hash_secret("same password here")
    assert first != second
    assert first.split("$")[4] != second.split("$")[4]  # the salts
    assert verify_secret(first, "same password here")
    assert verify_secret(second, "same password here")


def test_a_wrong_password_or_a_missing_or_broken_hash_never_verifies() -> None:
    stored = hash_secret("the right password")
    assert not verify_secret(stored, "the wrong password")
    assert not verify_secret(None, "the right password")
    assert not verify_secret("not a hash", "the right password")


def test_an_empty_password_cannot_be_hashed() -> None:
    with pytest.raises(ValueError, match="empty"):
        hash_secret("")


def test_a_hash_made_with_other_parameters_asks_to_be_redone() -> None:
    from argon2 import PasswordHasher

    older = PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1).hash("a password here")
    assert needs_rehash(older)
    assert not needs_rehash(hash_secret("a password here"))
    assert verify_secret(older, "a password here")


def test_the_default_policy_asks_for_12_characters_and_nothing_else() -> None:
    policy = PasswordPolicy()
    assert policy.problems("short-pass", "anna") == ["a password needs at least 12 characters"]
    assert policy.problems("all lowercase words", "anna") == []
    assert policy.expires_after_days is None


def test_a_policy_may_ask_for_character_classes() -> None:
    policy = PasswordPolicy(require=frozenset({"uppercase", "digit", "symbol"}))
    assert policy.problems("all lowercase words", "anna") == [
        "a password needs at least one uppercase, one digit, one symbol character"
    ]
    assert policy.problems("Lowercase words 7!", "anna") == []


def test_a_password_may_not_contain_the_username_or_exceed_the_maximum() -> None:
    policy = PasswordPolicy(max_length=64)
    assert policy.problems("anna-password-2026", "Anna") == [
        "a password must not contain the username"
    ]
    assert policy.problems("x" * 65, "anna") == ["a password has at most 64 characters"]


def test_a_generated_password_is_long_and_random() -> None:
    first, second = generate_password(), generate_password()
    assert len(first) == 16
    assert first != second
    assert PasswordPolicy().problems(first, "anna") == []
