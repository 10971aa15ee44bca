"""Tampering with a real SQLite file is always found by `cassa audit verify`.

A French day (receipts, duplicates, daily / monthly / yearly closings) is stored
once; each example copies the file, drops the protecting triggers (as someone
with the file could), makes one random edit straight in the database - a byte of
any hashed field, a deleted document or link, two links or two documents swapped -
and runs `cassa audit verify --db FILE`, which must fail and name what changed.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cassa.cli import main
from cassa.engine.fiscal import HASHED
from cassa.engine.scenario import run_scenario_file

ROOT = Path(__file__).resolve().parents[3]
FRENCH_DAY = ROOT / "cassa" / "rules" / "fr" / "day-with-reprint.test.yaml"

# The rows each hashed table contributes to the chain (print history: duplicates only).
ROWS = {
    "documents": "status = 'approved'",
    "document_lines": "1 = 1",
    "document_vat": "1 = 1",
    "print_history": '"copy" > 1',
    "fiscal_closings": "1 = 1",
    "fiscal_chain": "1 = 1",
    "cash_counts": "1 = 1",  # the drawer's counts: the money of a day without payments
}


@dataclass(frozen=True)
class Outcome:
    code: int
    output: str


@pytest.fixture(scope="module")
def french_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("french-day") / "till.db"
    result = run_scenario_file(FRENCH_DAY, str(path))
    assert result.passed, [str(f) for f in result.failures]
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


def copy_of(template: Path, folder: Path) -> Path:
    """A fresh copy of the file in a folder of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(dir=folder)) / "tampered.db"
    shutil.copyfile(template, target)
    return target


@contextlib.contextmanager
def tampering(path: Path, *, raw: bool = False) -> Iterator[sqlite3.Connection]:
    connection = opened(path, raw=raw)
    try:
        yield connection
    finally:
        connection.close()


def verify(path: Path) -> Outcome:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["audit", "verify", "--db", str(path)])
    return Outcome(code, out.getvalue())


def opened(path: Path, *, raw: bool = False) -> sqlite3.Connection:
    """The file without its triggers; `raw`: text read as the bytes stored."""
    connection = sqlite3.connect(path, isolation_level=None)
    triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    for (name,) in triggers.fetchall():
        connection.execute(f'DROP TRIGGER "{name}"')
    if raw:
        connection.text_factory = bytes  # even when a changed byte broke its UTF-8
    return connection


def rows_of(connection: sqlite3.Connection, table: str) -> list[int]:
    return [r[0] for r in connection.execute(f'SELECT rowid FROM "{table}" WHERE {ROWS[table]}')]


def changed_byte(value: Any, position: int, replacement: int) -> Any:
    """`value` with one byte changed: a bit of an integer, a byte of a text or blob."""
    if value is None:
        return b"\x00"[:0] + bytes([replacement])  # a NULL field gets a byte
    if isinstance(value, int):
        return value ^ (1 << (position % 62))
    data = bytearray(value)
    if not data:
        return bytes([replacement])
    index = position % len(data)
    data[index] = replacement if replacement != data[index] else (replacement + 1) % 256
    raw = bytes(data)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw  # stored as a blob: the bytes as they are


def document_number(connection: sqlite3.Connection, table: str, rowid: int) -> str | None:
    """The number of the document a row belongs to, if it belongs to one."""
    if table == "documents":
        query = "SELECT number FROM documents WHERE rowid = ?"
    elif table in ("document_lines", "document_vat"):
        query = (
            f"SELECT d.number FROM documents d JOIN {table} t ON t.document_id = d.id "
            "WHERE t.rowid = ?"
        )
    else:
        return None
    found = connection.execute(query, (rowid,)).fetchone()
    return found[0].decode() if found and found[0] is not None else None


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


@examples(150)
@given(
    table=st.sampled_from(sorted(ROWS)),
    row=st.integers(min_value=0, max_value=10_000),
    column=st.integers(min_value=0, max_value=100),
    position=st.integers(min_value=0, max_value=10_000),
    replacement=st.integers(min_value=0, max_value=255),
)
def test_changing_any_byte_of_any_hashed_field_is_detected(
    french_day: Path,
    tmp_path_factory: pytest.TempPathFactory,
    table: str,
    row: int,
    column: int,
    position: int,
    replacement: int,
) -> None:
    path = copy_of(french_day, tmp_path_factory.getbasetemp() / "byte")
    with tampering(path, raw=True) as connection:
        rowids = rows_of(connection, table)
        rowid = rowids[row % len(rowids)]
        name = HASHED[table][column % len(HASHED[table])]
        (value,) = connection.execute(
            f'SELECT "{name}" FROM "{table}" WHERE rowid = ?', (rowid,)
        ).fetchone()
        number = document_number(connection, table, rowid)
        try:
            connection.execute(
                f'UPDATE "{table}" SET "{name}" = ? WHERE rowid = ?',
                (changed_byte(value, position, replacement), rowid),
            )
        except sqlite3.IntegrityError:
            assume(False)  # the edit collides with a key: not an edit the file can hold
    outcome = verify(path)
    assert outcome.code == 1, f"{table}.{name} changed from {value!r}: {outcome.output}"
    assert "FAILED" in outcome.output
    if number is not None:
        assert number in outcome.output


@examples(60)
@given(
    kind=st.sampled_from(["document", "document_only", "link", "last"]),
    pick=st.integers(0, 100),
)
def test_deleting_a_document_or_a_link_is_detected(
    french_day: Path, tmp_path_factory: pytest.TempPathFactory, kind: str, pick: int
) -> None:
    path = copy_of(french_day, tmp_path_factory.getbasetemp() / "delete")
    with tampering(path) as connection:
        numbers = [
            r[0]
            for r in connection.execute(
                "SELECT number FROM documents WHERE status = 'approved' ORDER BY approved_at"
            )
        ]
        number = numbers[-1] if kind == "last" else numbers[pick % len(numbers)]
        (document_id,) = connection.execute(
            "SELECT id FROM documents WHERE number = ?", (number,)
        ).fetchone()
        if kind in ("document", "document_only", "last"):
            if kind != "document_only":
                for table in ("document_lines", "document_vat"):
                    connection.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
            connection.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        if kind in ("link", "last"):
            connection.execute(
                "DELETE FROM fiscal_chain WHERE document_id = ? AND kind = 'document'",
                (document_id,),
            )
    outcome = verify(path)
    assert outcome.code == 1, outcome.output
    assert number in outcome.output


@examples(60)
@given(
    what=st.sampled_from(["links", "numbers", "moments"]),
    first=st.integers(0, 100),
    second=st.integers(0, 100),
)
def test_reordering_links_or_documents_is_detected(
    french_day: Path, tmp_path_factory: pytest.TempPathFactory, what: str, first: int, second: int
) -> None:
    path = copy_of(french_day, tmp_path_factory.getbasetemp() / "reorder")
    with tampering(path) as connection:
        if what == "links":
            keys = [r[0] for r in connection.execute('SELECT "sequence" FROM fiscal_chain')]
            a, b = keys[first % len(keys)], keys[second % len(keys)]
            assume(a != b)
            swap = 'UPDATE fiscal_chain SET "sequence" = ? WHERE "sequence" = ?'
            connection.execute(swap, (-1, a))
            connection.execute(swap, (a, b))
            connection.execute(swap, (b, -1))
        else:
            column = "number" if what == "numbers" else "approved_at"
            rows = list(
                connection.execute(
                    f"SELECT id, {column} FROM documents WHERE status = 'approved' "
                    "ORDER BY approved_at"
                )
            )
            (id_a, value_a), (id_b, value_b) = rows[first % len(rows)], rows[second % len(rows)]
            assume(value_a != value_b)
            change = f"UPDATE documents SET {column} = ? WHERE id = ?"
            connection.execute(change, (None, id_a))
            connection.execute(change, (value_a, id_b))
            connection.execute(change, (value_b, id_a))
    outcome = verify(path)
    assert outcome.code == 1, outcome.output


def test_the_untouched_file_verifies(french_day: Path, tmp_path: Path) -> None:
    outcome = verify(copy_of(french_day, tmp_path))
    assert outcome.code == 0, outcome.output
    assert "till T01: 18 links" in outcome.output
    assert "the fiscal chain is intact" in outcome.output
