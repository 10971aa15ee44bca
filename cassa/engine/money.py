"""Money as Decimal amounts in a currency, and the rounding each currency declares.

Amounts are never floats. Arithmetic keeps full precision; rounding happens only
where a policy says so (`Currency.round`, `RoundingPolicy.to_cash`), so the screen,
receipt, fiscal device and reports all round the same way.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "Currency",
    "Money",
    "RoundingMode",
    "RoundingPolicy",
    "allocate",
    "to_decimal",
]


class RoundingMode(StrEnum):
    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    UP = "up"
    DOWN = "down"


_DECIMAL_MODES = {
    RoundingMode.HALF_UP: decimal.ROUND_HALF_UP,
    RoundingMode.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    RoundingMode.UP: decimal.ROUND_UP,
    RoundingMode.DOWN: decimal.ROUND_DOWN,
}


def to_decimal(value: object) -> Decimal:
    """Exact Decimal from an int, a string or a Decimal; floats are refused."""
    if isinstance(value, bool | float):
        raise TypeError(f"money and quantities are never floats: {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return value
    if isinstance(value, int | str):
        try:
            result = Decimal(value)
        except decimal.InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
        if not result.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return result
    raise TypeError(f"cannot read {value!r} as a decimal number")


def quantize(value: Decimal, places: int, mode: RoundingMode = RoundingMode.HALF_UP) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=_DECIMAL_MODES[mode])


@dataclass(frozen=True)
class RoundingPolicy:
    """How amounts in one currency (or one country's use of it) are rounded.

    `mode` applies to every amount rounded to the currency's minor units.
    `cash_increment` (for example 0.05) is the smallest coin actually handed
    over: amounts paid in cash are rounded to it, other tenders are not.
    """

    mode: RoundingMode = RoundingMode.HALF_UP
    cash_increment: Decimal | None = None

    def to_cash(self, amount: Decimal) -> Decimal:
        if self.cash_increment is None:
            return amount
        steps = (amount / self.cash_increment).quantize(
            Decimal(1), rounding=_DECIMAL_MODES[self.mode]
        )
        return steps * self.cash_increment


@dataclass(frozen=True)
class Currency:
    code: str
    minor_units: int
    symbol: str = ""
    rounding: RoundingPolicy = field(default_factory=RoundingPolicy)

    def round(self, amount: Decimal) -> Decimal:
        """Round to the currency's minor units with its declared mode."""
        return quantize(amount, self.minor_units, self.rounding.mode)

    def with_rounding(self, rounding: RoundingPolicy) -> Currency:
        return Currency(self.code, self.minor_units, self.symbol, rounding)

    def format(self, amount: Decimal) -> str:
        return f"{self.round(amount):,.{self.minor_units}f}"


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: Currency

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))

    @classmethod
    def zero(cls, currency: Currency) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if other.currency.code != self.currency.code:
            raise ValueError(f"cannot mix {self.currency.code} and {other.currency.code}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * to_decimal(factor), self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def rounded(self) -> Money:
        return Money(self.currency.round(self.amount), self.currency)

    def for_cash(self) -> Money:
        """The amount a customer pays in cash, after the cash rounding."""
        return Money(self.currency.rounding.to_cash(self.rounded().amount), self.currency)

    def __str__(self) -> str:
        return f"{self.currency.format(self.amount)} {self.currency.code}"


def allocate(total: Decimal, weights: Sequence[Decimal], currency: Currency) -> list[Decimal]:
    """Split `total` over `weights` in proportion, in the currency's minor units.

    Each share is its proportion rounded, but never more than what is left,
    so no share takes the sign opposite to `total`; the last share takes the
    remainder and the shares add up to `total` exactly.
    """
    if not weights:
        return []
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        shares = [Decimal(0)] * len(weights)
        shares[-1] = total
        return shares
    shares = []
    left = total
    for weight in weights[:-1]:
        share = currency.round(total * weight / weight_sum)
        share = min(share, left) if total >= 0 else max(share, left)
        shares.append(share)
        left -= share
    shares.append(left)
    return shares


def total_of(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))
