"""The fiscal hash chain (France): every approved document and every reprint is signed in
order, inside its own transaction; approved documents cannot be changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from cassa.devices.printing.decoder import decode
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.service import DocumentPrinting
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.engine.catalog import ItemType
from cassa.engine.documents import Document, DocumentType, Line
from cassa.engine.errors import DocumentStateError
from cassa.engine.fiscal import (
    GENESIS,
    ChainHook,
    IntegrityRules,
    canonical_bytes,
    chain_hash,
    verify_chains,
)
from cassa.engine.money import Currency
from cassa.engine.receipt_text import ReceiptHeader
from cassa.engine.storage.db import Database
from cassa.engine.storage.documents import DocumentStore
from cassa.engine.storage.models import FiscalChainRow
from cassa.engine.tax import PriceDirection
from cassa.engine.till import Till

OpenTill = Callable[..., Till]
D = Decimal

# The pinned format: change the serialization or the columns and these fail. The chain's
# first link also records where its number series stood ({"receipt/2026": 0} here).
GOLDEN_DOCUMENT_HASH = "a440ccdf1d0b8d5aec8794c43a484ad2a2a6326f0376695080addd5f7e15d037"


def golden_document() -> Document:
    def line(
        number: int, sku: str, name: str, group: str, quantity: int, price: str, vat: str
    ) -> Line:
        return Line(
            id=f"line-{number}",
            sku=sku,
            name=name,
            item_type=ItemType.GOODS,
            group=group,
            unit="pce",
            unit_precision=0,
            quantity=D(quantity),
            base_quantity=D(quantity),
            list_price=D(price),
            vat_code=vat,
            vat_percent=D(vat),
            base_unit="pce",
        )

    return Document(
        id="00000000-0000-4000-8000-000000000001",
        type=DocumentType.RECEIPT,
        store="PA01",
        till="T01",
        currency="EUR",
        direction=PriceDirection.GROSS,
        created_at=datetime(2026, 7, 6, 6, 0, tzinfo=UTC),
        operator="anna",
        lines=[
            line(1, "BAGUETTE", "Baguette tradition", "bread", 2, "1.30", "5.5"),
            line(2, "CAFE", "Café à emporter", "drinks", 1, "2.20", "10"),
        ],
    )


def links(database: Database, chain: str = "T01") -> list[FiscalChainRow]:
    with database.session() as session:
        return list(
            session.scalars(
                select(FiscalChainRow)
                .where(FiscalChainRow.chain == chain)
                .order_by(FiscalChainRow.sequence)
            )
        )


def test_the_hash_is_sha256_over_the_previous_hash_and_the_canonical_json() -> None:
    record = {"link": {"sequence": 1, "kind": "document", "at": "2026-07-06 06:05:00.000000"}}
    canonical = b'{"link":{"at":"2026-07-06 06:05:00.000000","kind":"document","sequence":1}}'
    assert canonical_bytes(record) == canonical
    expected = hashlib.sha256(GENESIS.encode() + b"\n" + canonical).hexdigest()
    assert chain_hash(GENESIS, record) == expected
    assert expected == "8d0dec5737c85377733fc25d3917a6760a3d13f55d959d667e346b4b45a26c2f"


def test_a_fixed_document_always_hashes_to_the_same_digest(database: Database) -> None:
    store = DocumentStore(database)
    store.approval_hooks.append(ChainHook(IntegrityRules()))
    document = golden_document()
    store.save(document)
    store.approve(
        document, document.totals(Currency("EUR", 2)), datetime(2026, 7, 6, 6, 5, tzinfo=UTC)
    )
    (link,) = links(database)
    assert (link.sequence, link.kind, link.document_number) == (1, "document", "S/T01/2026/000001")
    assert link.previous_hash == GENESIS
    assert link.hash == GOLDEN_DOCUMENT_HASH
    with database.engine.connect() as connection:
        start = connection.exec_driver_sql("SELECT start FROM fiscal_chain").scalar()
    assert start == '{"receipt/2026":0}'


def test_every_approved_receipt_enters_the_chain_in_order(open_till: OpenTill) -> None:
    till = open_till("fr-store", role="gerant")  # the opening count: money, link 1
    for sku in ("BAGUETTE", "CROISSANT", "CAFE"):
        till.scan(sku)
        till.approve()
    chain = links(till.database)
    assert [(link.sequence, link.kind, link.document_number) for link in chain] == [
        (1, "money", None),
        (2, "document", "S/T01/2026/000001"),
        (3, "document", "S/T01/2026/000002"),
        (4, "document", "S/T01/2026/000003"),
    ]
    assert [link.previous_hash for link in chain] == [GENESIS] + [link.hash for link in chain[:3]]
    report = verify_chains(till.database, document_types={"receipt", "invoice"})
    assert report.ok
    assert report.chains == {"T01": 4}


def test_an_approval_that_fails_leaves_neither_a_link_nor_a_number(open_till: OpenTill) -> None:
    till = open_till("fr-store", role="gerant")
    till.scan("BAGUETTE")

    def payment_fails(_session: Session, _number: str) -> None:
        raise DocumentStateError("the payment could not be stored")

    with pytest.raises(DocumentStateError):
        till.approve(extra=payment_fails)
    assert [link.kind for link in links(till.database)] == ["money"]  # the opening count
    assert till.approve().number == "S/T01/2026/000001"
    assert [link.sequence for link in links(till.database)] == [1, 2]


def test_a_pack_without_integrity_keeps_no_chain(open_till: OpenTill) -> None:
    till = open_till("it-store")
    till.scan("CEMENT-25")
    till.approve()
    assert links(till.database) == []


def test_an_approved_document_cannot_be_changed_through_the_application(
    open_till: OpenTill,
) -> None:
    till = open_till("fr-store", role="gerant")
    till.scan("BAGUETTE")
    approved = till.approve()
    with pytest.raises(DocumentStateError):
        till.documents.save(approved)
    with pytest.raises(DocumentStateError):
        till.documents.discard(approved)
    with pytest.raises(DocumentStateError):
        till.documents.approve(approved, approved.totals(till.currency), till.now())
    with pytest.raises(DocumentStateError, match="approved and cannot be changed"):
        till.set_line_note(1, "changed")
    assert till.scan("CAFE").sku == "CAFE"  # a new receipt, not the approved one
    assert till.documents.load(approved.id).lines == approved.lines


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE documents SET total = total + 1000000 WHERE status = 'approved'",
        "DELETE FROM documents WHERE status = 'approved'",
        "UPDATE document_lines SET name = 'x'",
        "DELETE FROM document_lines",
        "UPDATE document_vat SET vat = 0",
        "DELETE FROM document_vat",
        "UPDATE fiscal_chain SET hash = 'x'",
        "DELETE FROM fiscal_chain",
    ],
)
def test_the_database_refuses_to_change_an_approved_document_or_the_chain(
    open_till: OpenTill, statement: str
) -> None:
    till = open_till("fr-store", role="gerant")
    till.scan("BAGUETTE", 2)
    till.approve()
    with (
        pytest.raises((DBAPIError, IntegrityError)) as refused,
        till.database.session() as session,
        session.begin(),
    ):
        session.execute(text(statement))
    message = str(refused.value)
    # the guards' own words, or (PostgreSQL) the till's role has no right to try
    assert any(
        words in message
        for words in ("cannot be changed or deleted", "append-only", "permission denied")
    )
    assert verify_chains(till.database).ok


def test_a_reprint_is_a_numbered_duplicate_with_its_own_signature(open_till: OpenTill) -> None:
    till = open_till("fr-store", role="gerant")
    paper = SimulatedPrinter()
    printing = DocumentPrinting(
        till.database, ReceiptPrinter(paper), till.code, language="fr", clock=till.now
    )
    till.scan("TARTE-CITRON")
    number = till.approve().number
    assert number is not None
    till.fiscal.print_document(printing)
    original = decode(paper.jobs[-1]).text
    signature = till.fiscal.signature(number)
    assert f"Signature: {signature}" in original
    assert "DUPLICATA" not in original

    till.fiscal.reprint(printing, number)
    duplicate = decode(paper.jobs[-1]).text
    chain = links(till.database)
    assert [(link.kind, link.copy, link.duplicate_number) for link in chain] == [
        ("money", None, None),  # the opening count
        ("document", None, None),
        ("duplicate", 2, 1),
    ]
    assert "*** DUPLICATA ***" in duplicate
    assert "Duplicata n° 1" in duplicate
    assert f"Signature: {chain[2].hash[:8].upper()}" in duplicate
    assert chain[2].hash[:8].upper() != signature
    history = till.fiscal.print_history(number)
    assert [(h.print_number, h.duplicate_id, h.approved_prints) for h in history] == [
        (1, None, 1),
        (2, 1, 2),
    ]
    assert verify_chains(till.database).ok


def test_a_copy_printed_outside_the_chain_is_reported_by_the_audit(open_till: OpenTill) -> None:
    till = open_till("fr-store", role="gerant")
    till.scan("CAFE")
    approved = till.approve()
    plain = DocumentPrinting(till.database, ReceiptPrinter(SimulatedPrinter()), till.code)
    till.fiscal.print_document(plain)  # attaches the signature: the original is fine
    plain.decorators.clear()  # a printing service the pack's signature was never attached to
    plain.reprint(
        approved, approved.totals(till.currency), till.country, _header(till), operator="anna"
    )
    report = verify_chains(till.database)
    assert not report.ok
    assert report.first is not None
    assert report.first.document == approved.number
    assert "was printed without entering the fiscal chain" in report.first.message


def _header(till: Till) -> ReceiptHeader:
    store = till.store
    return ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
