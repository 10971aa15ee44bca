"""Amounts as JSON text."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["amount_text"]


def amount_text(value: Decimal, places: int = 2) -> str:
    """An amount as JSON text: with at least the currency's decimals ("250.00"), never
    fewer digits than it has ("0.125" stays), never in exponent notation."""
    step = Decimal(1).scaleb(-places)
    exact = value.quantize(step) if value == value.quantize(step) else value
    return format(exact, "f")
