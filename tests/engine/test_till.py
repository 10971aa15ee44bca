"""Till commands: refusals leave everything as it was; stored state survives a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from staffing import DEMO_STAFF

from cassa.engine.documents import DocumentStatus, DocumentType
from cassa.engine.errors import CassaError, DocumentStateError
from cassa.engine.storage.db import Database
from cassa.engine.till import Till


def stored_lines(till: Till) -> list[tuple[str | None, Decimal]]:
    document = till.documents.load(till.document().id)
    return [(line.sku, line.quantity) for line in document.lines]


REFUSALS = [
    ("scan", ("NO-SUCH",), "no item with barcode or SKU"),
    ("scan", ("NOTEBOOK-A5", "0.5"), "does not fit the precision"),
    ("scan", ("NOTEBOOK-A5", "abc"), "the quantity must be a number"),
    ("set_quantity", (1, "2.5"), "does not fit the precision"),
    ("set_quantity", (1, "0"), "cannot be zero"),
    ("set_quantity", (3, "1"), "there is no line 3"),
    ("set_list_price", (1, "-0.01"), "cannot be negative"),
    ("set_line_name", (1, "Quaderno blu"), "cannot be changed on a document"),
    ("set_customer", ("NOBODY",), "no customer with code 'NOBODY'"),
    ("add_non_coded", ("Riparazione", "5.00", "99"), "VAT rate '99' is not declared"),
    ("add_non_coded", ("  ", "5.00", "22"), "the description is empty"),
]


@pytest.mark.parametrize(("command", "args", "message"), REFUSALS, ids=[r[2] for r in REFUSALS])
def test_a_refused_command_changes_neither_the_screen_nor_the_database(
    till: Till, command: str, args: tuple[object, ...], message: str
) -> None:
    till.scan("NOTEBOOK-A5", 2)
    till.scan("8001234000011")
    before_screen = list(till.document().lines)
    before_stored = stored_lines(till)
    with pytest.raises(CassaError, match=message):
        getattr(till, command)(*args)
    assert till.document().lines == before_screen
    assert stored_lines(till) == before_stored


def test_an_approved_document_refuses_every_edit(till: Till) -> None:
    till.scan("NOTEBOOK-A5")
    approved = till.approve()
    for edit in (
        lambda: till.set_quantity(1, 2),
        lambda: till.delete_line(1),
        lambda: till.set_line_note(1, "x"),
        lambda: till.set_customer("C0001"),
        lambda: till.discard(),
    ):
        with pytest.raises(DocumentStateError, match="is approved and cannot be changed"):
            edit()
    reloaded = till.documents.load(approved.id)
    assert reloaded.status is DocumentStatus.APPROVED
    assert [line.quantity for line in reloaded.lines] == [1]


def test_every_scan_is_stored_before_the_till_answers(till: Till, database: Database) -> None:
    till.scan("NOTEBOOK-A5")
    till.scan("TILE-CER-01", "11", "mq")
    restarted = Till.open(database, credentials=DEMO_STAFF["anna"], clock=till.clock)
    drafts = restarted.documents.list(till="T01", status=DocumentStatus.DRAFT)
    assert [(line.sku, line.base_quantity) for line in drafts[0].lines] == [
        ("NOTEBOOK-A5", 1),
        ("TILE-CER-01", 30),
    ]


def test_a_parked_receipt_is_resumed_by_another_till_process(
    till: Till, database: Database
) -> None:
    till.scan("MARKERS-12", 3)
    till.set_line_note(1, "regalo")
    parked = till.park()
    restarted = Till.open(database, credentials=DEMO_STAFF["marco"], clock=till.clock)
    [waiting] = restarted.parked()
    assert waiting.id == parked.id
    resumed = restarted.resume(waiting.id)
    restarted.scan("NOTEBOOK-A5")
    assert [line.handled_by for line in resumed.lines] == ["anna"]
    assert restarted.document().lines[-1].handled_by == "marco"
    approved = restarted.approve()
    assert approved.number == "S/T01/2026/000001"
    assert restarted.documents.load(approved.id).lines[0].note == "regalo"


def test_changing_the_customer_can_keep_the_prices(till: Till) -> None:
    till.scan("TILE-CER-01", 10)
    till.set_customer("B0001", recalculate=False)
    assert till.document().lines[0].list_price == Decimal("2.40")
    till.set_customer("B0001")
    assert till.document().lines[0].list_price == Decimal("2.10")


def test_an_invoice_is_net_and_numbered_in_its_own_series(till: Till) -> None:
    till.scan("NOTEBOOK-A5")
    till.approve()
    till.new_document(DocumentType.INVOICE)
    till.set_customer("B0001")
    till.scan("NOTEBOOK-A5")
    invoice = till.approve()
    assert invoice.number == "FV/T01/2026/000001"
    totals = invoice.totals(till.currency)
    assert (totals.net_total, totals.vat_total, totals.total) == (
        Decimal("2.87"),
        Decimal("0.63"),
        Decimal("3.50"),
    )


def test_the_business_year_follows_the_store_time_zone(till: Till) -> None:
    # 23:30 UTC on New Year's Eve is already 2027 in Milan.
    till.clock = lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    till.scan("NOTEBOOK-A5")
    assert till.approve().number == "S/T01/2027/000001"


def test_a_discarded_draft_takes_no_number(till: Till) -> None:
    till.scan("NOTEBOOK-A5")
    discarded_id = till.document().id
    till.discard("the customer left")
    assert till.documents.load(discarded_id).status is DocumentStatus.DISCARDED
    till.scan("NOTEBOOK-A5")
    assert till.approve().number == "S/T01/2026/000001"


def test_the_day_cannot_be_closed_over_an_open_sale(till: Till) -> None:
    till.scan("NOTEBOOK-A5")
    with pytest.raises(DocumentStateError, match="before closing the day"):
        till.close_day()
    till.park()
    till.close_day()
    with pytest.raises(DocumentStateError, match="the day is not open"):
        till.scan("NOTEBOOK-A5")
