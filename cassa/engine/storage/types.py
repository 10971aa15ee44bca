"""Column types that keep Decimal exact on every database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Dialect
from sqlalchemy.types import TypeDecorator

SCALE = 6  # quantities and prices are kept to a millionth


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as an integer count of millionths.

    SQLite has no exact decimal type (NUMERIC falls back to floating point), so
    amounts are scaled integers everywhere: exact, and SUM() in SQL stays exact
    on both SQLite and PostgreSQL. A value with more than six decimals is
    refused rather than silently rounded.
    """

    impl = BigInteger
    cache_ok = True
    _factor = Decimal(10) ** SCALE

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * self._factor
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {SCALE} decimals")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self._factor).normalize()
