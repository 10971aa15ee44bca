"""Cheque numbers and their RLMC key.

A French cheque's CMC7 line holds three zones (7 + 12 + 12 digits: cheque
number, interbank zone, internal zone); the RLMC key (2 digits) makes the whole
number a multiple of 97, the way the RIB key does for an account:
``key = 97 - (zones x 100 mod 97)``. The till checks the key the operator
typed with the number (31 + 2 digits); a wrong one is refused unless the
operator accepts the cheque anyway, which is then marked forced.
"""

from __future__ import annotations

__all__ = ["rlmc_key", "rlmc_valid"]


def rlmc_key(zones: str) -> int:
    """The RLMC key of the 31 CMC7 digits."""
    if not zones.isdigit():
        raise ValueError(f"a CMC7 line is made of digits, not {zones!r}")
    return 97 - (int(zones) * 100) % 97


def rlmc_valid(number: str) -> bool:
    """True when `number` is 31 CMC7 digits followed by their 2-digit RLMC key."""
    if not number.isdigit() or len(number) != 33:
        return False
    return rlmc_key(number[:31]) == int(number[31:])
