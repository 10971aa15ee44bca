"""Column types that keep Decimal exact on every database."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect
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
        amount = (Decimal(int(value)) / self._factor).normalize()
        # normalize() turns 50.00 into 5E+1: keep whole numbers in plain notation
        return amount if int(amount.as_tuple().exponent) <= 0 else amount.quantize(Decimal(1))


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored as UTC and read back as UTC.

    SQLite keeps no offset: a 10:00+02:00 stored as-is would read back as 10:00
    of an unknown zone. Converting to UTC on the way in makes every database
    agree; naive datetimes are refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value} cannot be stored: give it a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
