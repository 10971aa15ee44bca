"""Each till signs its chain with a key kept outside the database (France requires it).

The closing link carries an Ed25519 signature over its hash, which covers every link
before it, and the perpetual grand totals; `cassa audit export` keeps the last
closing off the till, and `cassa audit verify --closing FILE` holds the database to
it: a chain recomputed without the key, cut short with its counters moved back, or
signed again with another key no longer matches. Forged receipts on a till that
keeps no chain, or numbered as if from before the chain began, are named too.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from tamper_support import rechain, unguarded

from cassa.cli import main
from cassa.engine.errors import ConfigurationError
from cassa.engine.fiscal import (
    FileSigner,
    MemorySigner,
    create_key_file,
    key_id,
    open_signer,
    verify_chains,
)
from cassa.engine.fiscal._export import export_closings, read_anchors
from cassa.engine.storage.db import Database, open_database
from cassa.engine.till import Till

OpenTill = Callable[..., Till]
D = Decimal


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 7, day, hour, 0, tzinfo=UTC)


def sell(till: Till, *skus: str) -> None:
    for sku in skus:
        till.scan(sku)
    till.approve()


@pytest.fixture
def closed_day(open_till: OpenTill) -> Till:
    """A French till: two receipts and a return, the day closed (signed)."""
    till = open_till("fr-store", role="gerant", at=at(6, 8))
    sell(till, "BAGUETTE", "CAFE")  # 3.50
    sell(till, "TARTE-CITRON")  # 24.00
    till.returns.start("S/T01/2026/000002")
    till.returns.take(1, 1)
    till.approve(refund=True)  # -24.00
    till.close_day()
    return till


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(args))
    return code, out.getvalue()


# -- the key ------------------------------------------------------------------------------------
def test_a_new_key_file_is_made_readable_by_its_owner_only(tmp_path: Path) -> None:
    signer = create_key_file(tmp_path / "keys" / "T01.key")
    assert os.stat(tmp_path / "keys" / "T01.key").st_mode & 0o777 == 0o600
    again = FileSigner(tmp_path / "keys" / "T01.key")
    assert again.public_key == signer.public_key
    assert len(key_id(signer.public_key)) == 16


def test_a_key_file_others_can_read_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "T01.key"
    create_key_file(path)
    path.chmod(0o644)
    with pytest.raises(ConfigurationError, match=r"can be read or written by others.*chmod 600"):
        open_signer(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot be read"), (b"not a key", "not a PEM private key")],
)
def test_a_missing_or_broken_key_file_is_named(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "T01.key"
    if content is not None:
        path.write_bytes(content)
        path.chmod(0o600)
    with pytest.raises(ConfigurationError, match=message):
        open_signer(path)


def test_the_configuration_can_make_the_key_at_the_first_start(tmp_path: Path) -> None:
    first = open_signer(tmp_path / "T01.key", create=True)
    assert open_signer(tmp_path / "T01.key", create=True).public_key == first.public_key


def test_a_french_till_without_its_key_closes_no_day_and_keeps_selling(
    open_till: OpenTill,
) -> None:
    till = open_till("fr-store", role="gerant", at=at(6, 8))
    till.signer = None
    sell(till, "BAGUETTE")  # a pack that validates never stops a sale
    with pytest.raises(ConfigurationError, match="requires signed closings"):
        till.close_day()
    assert till.fiscal.closings() == []
    assert till.days.current(till.code) is not None  # the cash day is still open


# -- signed closings with perpetual totals --------------------------------------------------------
def test_the_day_closing_is_signed_and_carries_the_perpetual_totals(closed_day: Till) -> None:
    (closing,) = closed_day.fiscal.closings("day")
    assert (closing.documents, closing.total) == (3, D("3.50"))
    with closed_day.database.engine.connect() as connection:
        perpetual, absolute = connection.execute(
            text("SELECT perpetual_total, perpetual_absolute FROM fiscal_closings")
        ).one()
        signature, public_key = connection.execute(
            text("SELECT signature, public_key FROM fiscal_chain WHERE kind = 'closing'")
        ).one()
    assert (perpetual, absolute) == (3_500_000, 51_500_000)  # 3.50 and 3.50 + 24 + 24
    assert public_key == closed_day.signer.public_key  # type: ignore[union-attr]
    assert len(signature) == 128
    assert verify_chains(closed_day.database, signed_kinds={"closing"}).ok


def test_an_unsigned_closing_is_reported_where_the_pack_requires_a_signature(
    closed_day: Till, owner_database: Database
) -> None:
    with unguarded(owner_database) as connection:
        connection.execute(text("UPDATE fiscal_chain SET signature = NULL, public_key = NULL"))
    report = verify_chains(closed_day.database, signed_kinds={"closing"})
    assert [p.message for p in report.problems] == ["closing #1 is not signed"]


def test_a_chain_recomputed_without_the_key_fails_its_signature(
    closed_day: Till, owner_database: Database
) -> None:
    with unguarded(owner_database) as connection:
        connection.execute(
            text("UPDATE documents SET total = total - 1000000 WHERE number = 'S/T01/2026/000001'")
        )
        rechain(connection, "T01")
    report = verify_chains(closed_day.database, signed_kinds={"closing"})
    messages = [p.message for p in report.problems]
    assert any("the signature is not the till's" in m for m in messages), messages


# -- exported closings: the anchor ---------------------------------------------------------------
def test_export_writes_the_last_signed_closing_and_verify_holds_the_database_to_it(
    closed_day: Till, database_url, tmp_path: Path
) -> None:
    if database_url.dialect != "sqlite":
        pytest.skip("the command line takes a SQLite file here")
    path = database_url.url.removeprefix("sqlite:///")
    out = tmp_path / "closing.json"
    code, printed = cli("audit", "export", "--db", path, "--out", str(out))
    assert code == 0, printed
    exported = json.loads(out.read_text())
    (closing,) = exported["closings"]
    assert closing["key_id"] == key_id(closed_day.signer.public_key)  # type: ignore[union-attr]
    assert closing["closing"]["perpetual_total"] == 3_500_000
    code, printed = cli("audit", "verify", "--db", path, "--closing", str(out))
    assert code == 0, printed
    assert f"checked against the exported closing at link 6, key {closing['key_id']}" in printed


def test_a_closings_file_that_is_not_one_is_refused_with_a_message(tmp_path: Path) -> None:
    wrong = tmp_path / "closing.json"
    wrong.write_text("{}")
    open_database(str(tmp_path / "x.db")).dispose()  # a till's database, not the file
    code, printed = cli("audit", "verify", "--db", str(tmp_path / "x.db"), "--closing", str(wrong))
    assert (code, printed.strip()) == (
        1,
        f"cassa: {wrong} is not an exported closings file (cassa-closings/1)",
    )


def anchored(till: Till) -> list:
    exported = export_closings(till.database, datetime.now(UTC))
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"anchor-{os.getpid()}.json"
    path.write_text(json.dumps(exported))
    try:
        return read_anchors(path)
    finally:
        path.unlink()


def test_a_chain_cut_short_with_its_counters_moved_back_is_found_against_the_export(
    closed_day: Till, owner_database: Database
) -> None:
    anchors = anchored(closed_day)
    with unguarded(owner_database) as connection:
        # the opening count and the two sales stay: links 1 to 3
        connection.execute(text("DELETE FROM fiscal_chain WHERE sequence >= 4"))
        connection.execute(text("DELETE FROM fiscal_closings"))
        connection.execute(text("DELETE FROM cash_counts WHERE stage = 'close'"))
        connection.execute(text("UPDATE numbering SET last = 3 WHERE doc_type = 'fiscal-chain'"))
        for table in ("document_lines", "document_vat", "payments", "cash_movements"):
            connection.execute(
                text(
                    f"DELETE FROM {table} WHERE document_id IN (SELECT id FROM documents "
                    "WHERE doc_type = 'receipt_return')"
                )
            )
        for table in ("sale_group_stats", "sale_stats"):
            connection.execute(
                text(
                    f"DELETE FROM {table} WHERE document_id IN (SELECT id FROM documents "
                    "WHERE doc_type = 'receipt_return')"
                )
            )
        connection.execute(text("DELETE FROM documents WHERE doc_type = 'receipt_return'"))
        connection.execute(text("DELETE FROM numbering WHERE doc_type = 'receipt_return'"))
    assert verify_chains(closed_day.database).ok  # the database alone cannot tell
    report = verify_chains(closed_day.database, anchors=anchors)
    assert [p.message for p in report.problems] == [
        "the exported closing is link 6 but the chain has 3 links: links were removed"
    ]


def test_a_chain_signed_again_with_another_key_is_found_against_the_export(
    closed_day: Till, owner_database: Database
) -> None:
    anchors = anchored(closed_day)
    with unguarded(owner_database) as connection:
        connection.execute(
            text("UPDATE documents SET total = total - 1000000 WHERE number = 'S/T01/2026/000001'")
        )
        rechain(connection, "T01", signer=MemorySigner())
    report = verify_chains(closed_day.database, anchors=anchors)
    messages = [p.message for p in report.problems]
    assert any("is not the exported closing any more" in m for m in messages), messages
    assert any("not the exported closing's" in m for m in messages), messages


# -- forged receipts ----------------------------------------------------------------------------
def forge(connection, number: str, till: str, year: int, sequence: int, moment: str) -> None:
    connection.execute(
        text(
            "INSERT INTO documents (id, doc_type, status, store, till, currency, direction, "
            "operator, created_at, approved_at, number, year, sequence, note, inputs, total, "
            "net_total, vat_total, reverse_charge, split_payment, split_payment_manual) "
            "SELECT :id, doc_type, 'approved', store, :till, currency, direction, operator, "
            ":at, :at, :number, :year, :sequence, '', '{}', total, net_total, vat_total, "
            "reverse_charge, split_payment, split_payment_manual FROM documents "
            "WHERE number = 'S/T01/2026/000001'"
        ),
        {
            "id": f"forged-{number}",
            "till": till,
            "at": datetime.fromisoformat(moment),
            "number": number,
            "year": year,
            "sequence": sequence,
        },
    )


@pytest.mark.parametrize(
    ("number", "till", "year", "sequence", "moment", "message"),
    [
        ("S/T09/2026/000001", "T09", 2026, 1, "2026-07-06T09:00:00+00:00", "keeps no fiscal"),
        ("S/T01/2026/000009", "T01", 2026, 9, "2026-07-01T09:00:00+00:00", "not in the fiscal"),
        ("S/T01/2025/000001", "T01", 2025, 1, "2025-12-31T09:00:00+00:00", "not in the fiscal"),
    ],
    ids=["another-till", "dated-before-the-chain", "a-year-before-the-chain"],
)
def test_a_forged_approved_receipt_is_named(
    closed_day: Till,
    owner_database: Database,
    number: str,
    till: str,
    year: int,
    sequence: int,
    moment: str,
    message: str,
) -> None:
    with unguarded(owner_database) as connection:
        forge(connection, number, till, year, sequence, moment)
    report = verify_chains(closed_day.database, document_types={"receipt"})
    named = [p for p in report.problems if p.document == number]
    assert named, report.problems
    assert message in named[0].message
