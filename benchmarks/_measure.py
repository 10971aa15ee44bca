"""What every benchmark of the database prints: the machine's load, true percentiles, and
the raw limit of the same database measured in the same run.

The raw baseline is what the database itself can do without Cassa: an INSERT of one
row like a document's header (an id, a number, a total, a time, some text) and a COMMIT,
through the driver, on a scratch table of the database under test. A figure of Cassa is
then printed as a share of it (a rate) or as a multiple of it (a time).
"""

from __future__ import annotations

import math
import os
import time
import uuid
from collections.abc import Sequence
from typing import Any

from cassa.engine.storage.db import Database

__all__ = ["load", "percentile", "raw_commit", "summary"]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def percentile(values: Sequence[float], share: float) -> float:
    """The true percentile (nearest rank): the smallest value with at least `share` of
    the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(values: Sequence[float], unit: float = 1000.0) -> str:
    """p50, p99 and max of timings in seconds, in milliseconds."""
    return (
        f"p50 {percentile(values, 0.5) * unit:.3f} ms  p99 {percentile(values, 0.99) * unit:.3f} ms"
        f"  max {max(values) * unit:.3f} ms  (n={len(values)})"
    )


def raw_commit(database: Database, rows: int = 2_000) -> float:
    """Seconds per INSERT + COMMIT of one document-like row, through the driver."""
    table = f"bench_raw_{uuid.uuid4().hex[:8]}"
    sqlite = database.engine.dialect.name == "sqlite"
    connection: Any = database.engine.raw_connection()
    try:
        cursor = connection.cursor()
        key = "INTEGER PRIMARY KEY" if sqlite else "BIGSERIAL PRIMARY KEY"
        cursor.execute(
            f"CREATE TABLE {table} (id {key}, number TEXT, total BIGINT, at TEXT, note TEXT)"
        )
        _commit(cursor, connection, sqlite)
        mark = "?" if sqlite else "%s"
        insert = (
            f"INSERT INTO {table} (number, total, at, note) VALUES ({mark}, {mark}, {mark}, {mark})"
        )
        started = time.perf_counter()
        for index in range(rows):
            if sqlite:
                cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(insert, (f"S/T01/2026/{index:06d}", 12_345, "2026-07-05T10:30:00", ""))
            _commit(cursor, connection, sqlite)
        elapsed = time.perf_counter() - started
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(f"DROP TABLE {table}")
        _commit(cursor, connection, sqlite)
    finally:
        connection.close()
    return elapsed / rows


def _commit(cursor: Any, connection: Any, sqlite: bool) -> None:
    if sqlite:
        if connection.in_transaction:
            cursor.execute("COMMIT")
    else:
        connection.commit()
