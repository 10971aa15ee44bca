"""The canonical form of stored rows, and the chain's hash over it.

Values are taken from the database without interpretation (integers as integers, text
as text, datetimes as `YYYY-MM-DD HH:MM:SS.ffffff` UTC, booleans as 0/1, bytes as
`{"hex": …}`), so changing any byte of any hashed field changes the hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = [
    "MissingRow",
    "canonical_bytes",
    "canonical_value",
    "chain_hash",
    "order_key",
    "rows_of",
]


def canonical_value(value: Any) -> Any:
    """A stored value as it enters the canonical JSON (see the module's docstring)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return {"real": repr(value)}
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo is not None else value
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return {"decimal": format(value, "f")}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"hex": bytes(value).hex()}
    raise TypeError(f"no canonical form for {type(value).__name__}")


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=True
    ).encode("utf-8")


def chain_hash(previous: str, record: Mapping[str, Any]) -> str:
    """SHA-256 over the previous link's hash and the canonical record, as lowercase hex."""
    digest = hashlib.sha256()
    digest.update(previous.encode("ascii", errors="replace"))
    digest.update(b"\n")
    digest.update(canonical_bytes(record))
    return digest.hexdigest()


def _row(columns: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    return {name: canonical_value(value) for name, value in zip(columns, values, strict=True)}


def _select(columns: Sequence[str], table: str, where: str) -> Any:
    names = ", ".join(f'"{c}"' for c in columns)
    return text(f'SELECT {names} FROM "{table}" WHERE {where}')


def rows_of(
    session: Session, columns: Sequence[str], table: str, where: str, **params: Any
) -> list[dict[str, Any]]:
    found = session.execute(_select(columns, table, where), params).all()
    return [_row(columns, tuple(row)) for row in found]


class MissingRow(LookupError):
    """What a link stands for is not in the database any more."""


def order_key(value: Any) -> tuple[int, int, str]:
    """A sort key that never fails, whatever a tampered row holds."""
    if isinstance(value, int):
        return (0, value, "")
    return (1, 0, json.dumps(value, sort_keys=True))
