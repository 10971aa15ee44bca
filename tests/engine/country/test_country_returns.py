"""Returns in the country packs: Italy registers a receipt's return on the RT printer as a
refund of the original fiscal receipt and copies reverse charge onto an invoice's return,
locked; Poland leaves split payment off but settable on it; France chains every return."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from country_support import with_rt

from cassa.devices.fiscal.records import fiscal_record
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.engine.documents import Document, DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.fiscal import verify_chains
from cassa.engine.storage.db import Database
from cassa.engine.taxes import generated_flags
from cassa.engine.till import Till

OpenTill = Callable[..., Till]
D = Decimal


def paid(till: Till) -> Document:
    window = till.checkout()
    window.add("cash", None if window.refund else window.due("cash"))
    return window.approve().document


# -- Italy: the RT printer -----------------------------------------------------------------
def test_a_receipts_return_is_an_rt_refund_of_the_original_fiscal_receipt(
    open_till: OpenTill, rt: RtSimulator
) -> None:
    till = with_rt(open_till("it-store", role="manager"), rt)
    till.scan("CEMENT-25", 4)
    receipt = paid(till)
    original = fiscal_record(till.database, receipt.number or "")
    assert original is not None
    assert original.printed
    till.returns.start(receipt.number or "")
    till.returns.take(1, 1)
    returned = paid(till)
    refund = fiscal_record(till.database, returned.number or "")
    assert refund is not None
    assert (refund.kind, refund.status) == ("refund", "printed")
    sale, memory = rt.memory
    assert memory.kind == "refund"
    assert memory.refund_of == (sale.z_number, sale.number, sale.day)
    assert memory.amount == D("12.20")
    assert (original.z_number, original.fiscal_number) == (sale.z_number, sale.number)


def test_a_return_of_a_fiscal_pending_receipt_is_refused_and_says_why(
    open_till: OpenTill, rt: RtSimulator
) -> None:
    till = with_rt(open_till("it-store", role="manager"), rt)
    rt.paper_out = True
    till.scan("CEMENT-25")
    receipt = paid(till)  # approved and paid, not registered by the printer
    with pytest.raises(DocumentStateError, match="is not \\(yet\\) registered by the fiscal"):
        till.returns.start(receipt.number or "")
    rt.paper_out = False
    devices = till.payment_devices
    assert devices is not None
    devices.fiscal.retry_pending()
    assert till.returns.start(receipt.number or "").origin_id == receipt.id


def test_an_rt_refund_cannot_leave_without_the_originals_reference() -> None:
    from cassa.devices.fiscal.base import FiscalError, fiscal_receipt
    from cassa.engine.money import Currency
    from cassa.engine.tax import PriceDirection

    document = Document(
        id="r",
        type=DocumentType.RECEIPT_RETURN,
        store="S",
        till="T01",
        currency="EUR",
        direction=PriceDirection.GROSS,
        created_at=__import__("datetime").datetime.now(),
        operator="anna",
        number="CQS/T01/2026/000001",
    )
    with pytest.raises(FiscalError, match="reference is missing"):
        fiscal_receipt(document, document.totals(Currency("EUR", 2)))


# -- Italy: reverse charge copied and locked ------------------------------------------------
def invoice_under_reverse_charge(till: Till) -> Document:
    till.new_document(DocumentType.INVOICE)
    till.set_customer("EDIL01")
    till.scan("SRV-TILING", 8)
    till.scan("CEMENT-25", 2)
    return till.approve()


def test_reverse_charge_is_copied_onto_an_invoice_return_and_locked(
    open_till: OpenTill,
) -> None:
    till = open_till("it-store", role="manager")
    invoice = invoice_under_reverse_charge(till)
    returned = till.returns.start(invoice.number or "")
    assert returned.reverse_charge is True
    tiling = till.returns.take(1, 3)
    cement = till.returns.take(2)
    assert (tiling.reverse_charge, tiling.vat_code, tiling.vat_percent) == (True, "N6.3", D(0))
    assert (cement.reverse_charge, cement.vat_code) == (False, "22")
    with pytest.raises(InvalidInput, match="copied from FV/T01/2026/000001 and cannot be changed"):
        till.taxes.set_reverse_charge(False)
    with pytest.raises(
        InvalidInput, match="keeps the reverse charge of line 1 of FV/T01/2026/000001"
    ):
        till.taxes.set_line_reverse_charge(1, False)
    approved = till.approve(refund=True)
    assert approved.number == "CQFV/T01/2026/000001"
    assert approved.totals(till.currency).total == D("-144.40")  # 3 x 40.00 + 2 x 12.20


def test_the_pack_says_how_each_flag_goes_onto_a_return(open_till: OpenTill) -> None:
    till = open_till("it-store", role="manager")
    invoice = invoice_under_reverse_charge(till)
    flags = generated_flags(till.taxes.mechanisms, invoice, "invoice_return")
    assert (flags.reverse_charge, flags.reverse_charge_editable) == (True, False)


# -- Poland: split payment off by default, settable ------------------------------------------
def test_split_payment_starts_off_on_a_polish_invoice_return_and_may_be_set(
    open_till: OpenTill,
) -> None:
    till = open_till("pl-store")
    invoice = Document(
        id="x",
        type=DocumentType.INVOICE,
        store="S",
        till="T01",
        currency="PLN",
        direction=till.country.direction_for("invoice"),
        created_at=till.now(),
        operator="anna",
        split_payment=True,
    )
    flags = generated_flags(till.taxes.mechanisms, invoice, "invoice_return")
    assert (flags.split_payment, flags.split_payment_editable) == (False, True)


# -- France: the hash chain --------------------------------------------------------------------
def test_a_french_return_enters_the_hash_chain_and_the_audit_verifies(
    open_till: OpenTill,
) -> None:
    till = open_till("fr-store", role="gerant")
    till.scan("BAGUETTE", 2)
    till.scan("CAFE")
    receipt = till.approve()
    till.returns.start(receipt.number or "")
    till.returns.take(1, 1)
    returned = till.approve(refund=True)
    report = verify_chains(till.database)
    assert report.ok, report
    assert report.chains == {"T01": 3}  # the opening count, the receipt, the return
    assert returned.number == "CQS/T01/2026/000001"


def test_changing_a_chained_returns_origin_is_detected(
    open_till: OpenTill, owner_database: Database
) -> None:
    from sqlalchemy import text

    till = open_till("fr-store", role="gerant")
    till.scan("BAGUETTE", 2)
    receipt = till.approve()
    till.returns.start(receipt.number or "")
    till.returns.take(1, 1)
    returned = till.approve(refund=True)
    with owner_database.engine.begin() as connection:  # the till's own role may not
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER documents_approved_frozen ON documents"))
        else:
            connection.execute(text("DROP TRIGGER documents_approved_no_update"))
        connection.execute(
            text("UPDATE documents SET origin_number = 'S/T01/2026/000099' WHERE id = :id"),
            {"id": returned.id},
        )
    report = verify_chains(till.database)
    assert report.first is not None
    assert report.first.document == returned.number
    assert "does not match its signature" in report.first.message
