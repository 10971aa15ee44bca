"""Security settings a rule pack declares (kind `Security`), with today's defaults.

The defaults follow current guidance (NIST SP 800-63B): at least 12
characters, no forced character classes and no forced rotation; a pack may
ask for classes or an expiry. Repeated failures lock an account for a while.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cassa.engine.money import to_decimal

__all__ = [
    "CardLogin",
    "CardThrottle",
    "LockoutPolicy",
    "PasswordPolicy",
    "SecurityPolicy",
    "security_policy",
]

CHARACTER_CLASSES = ("lowercase", "uppercase", "digit", "symbol")


def _classes(password: str) -> set[str]:
    found = set()
    for char in password:
        if char.isdigit():
            found.add("digit")
        elif char.islower():
            found.add("lowercase")
        elif char.isupper():
            found.add("uppercase")
        elif not char.isspace():
            found.add("symbol")  # punctuation and any other non-letter
    return found


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 12
    max_length: int = 128
    require: frozenset[str] = frozenset()  # character classes: lowercase, uppercase, ...
    expires_after_days: int | None = None  # None: no forced rotation

    def problems(self, password: str, username: str = "") -> list[str]:
        """Why `password` is refused; an empty list when it is acceptable."""
        found: list[str] = []
        if len(password) < self.min_length:
            found.append(f"a password needs at least {self.min_length} characters")
        if len(password) > self.max_length:
            found.append(f"a password has at most {self.max_length} characters")
        present = _classes(password)
        missing = [c for c in CHARACTER_CLASSES if c in self.require and c not in present]
        if missing:
            found.append(f"a password needs at least one {', one '.join(missing)} character")
        if username and username.casefold() in password.casefold():
            found.append("a password must not contain the username")
        return found


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    minutes: int = 15


class CardLogin(StrEnum):
    CARD = "card"  # the employee's card alone logs in (a pack must say so: a warning)
    CARD_AND_PIN = "card_and_pin"  # the card and a PIN
    DISABLED = "disabled"  # username and password only


@dataclass(frozen=True)
class CardThrottle:
    """Failed card logins (and approvals) allowed within `minutes` before card logins
    pause: at one till, and across all tills for cards nobody holds (a sweep of
    card numbers). Username and password still work meanwhile."""

    per_till: int = 5
    unknown_cards: int = 20
    minutes: int = 10


@dataclass(frozen=True)
class SecurityPolicy:
    passwords: PasswordPolicy = field(default_factory=PasswordPolicy)
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    card_login: CardLogin = CardLogin.CARD_AND_PIN
    card_throttle: CardThrottle = field(default_factory=CardThrottle)
    pin_min_length: int = 4
    edit_other_stores: bool = False  # may a manager edit employees of another store?
    approval_valid_seconds: int = 120  # a manager's approval waits this long for its action
    discard_reason: bool = False  # discarding a document with lines asks why
    discard_approval_above: Decimal | None = None  # above this total a manager approves it


def security_policy(documents: Iterable[dict[str, Any]]) -> SecurityPolicy:
    """The policy of a pack chain: each Security document overrides the keys it names."""
    policy = SecurityPolicy()
    for data in documents:
        passwords = data.get("passwords", {})
        if passwords:
            changes: dict[str, Any] = {
                k: passwords[k]
                for k in ("min_length", "max_length", "expires_after_days")
                if k in passwords
            }
            if "require" in passwords:
                changes["require"] = frozenset(passwords["require"])
            policy = replace(policy, passwords=replace(policy.passwords, **changes))
        lockout = data.get("lockout", {})
        if lockout:
            policy = replace(policy, lockout=replace(policy.lockout, **lockout))
        cards = data.get("cards", {})
        if "login" in cards:
            policy = replace(policy, card_login=CardLogin(cards["login"]))
        if "pin_min_length" in cards:
            policy = replace(policy, pin_min_length=cards["pin_min_length"])
        if "throttle" in cards:
            policy = replace(
                policy, card_throttle=replace(policy.card_throttle, **cards["throttle"])
            )
        employees = data.get("employees", {})
        if "edit_other_stores" in employees:
            policy = replace(policy, edit_other_stores=bool(employees["edit_other_stores"]))
        discard = data.get("discard", {})
        if "reason" in discard:
            policy = replace(policy, discard_reason=bool(discard["reason"]))
        if "approval_above" in discard:
            above = discard["approval_above"]
            policy = replace(
                policy, discard_approval_above=None if above is None else to_decimal(above)
            )
        approvals = data.get("approvals", {})
        if "valid_seconds" in approvals:
            policy = replace(policy, approval_valid_seconds=approvals["valid_seconds"])
    return policy
