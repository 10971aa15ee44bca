"""EAN-13 and EAN-8 barcodes with their GS1 check digit."""

from __future__ import annotations

__all__ = ["ean_check_digit", "is_valid_ean"]


def ean_check_digit(digits: str) -> int:
    """GS1 check digit for the digits before it (weights 3,1,3,… from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def is_valid_ean(code: str) -> bool:
    if len(code) not in (8, 13) or not (code.isascii() and code.isdigit()):
        return False
    return ean_check_digit(code[:-1]) == int(code[-1])
