"""Reverse charge (seed "Inversione contabile") at the till of the Italian demo store."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select

from cassa.engine.documents import DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.storage.catalog_service import CatalogService
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import CustomerRow
from cassa.engine.taxes import TaxRefused, document_mentions, generated_flags
from cassa.engine.till import Till

OpenTill = Callable[..., Till]

D = Decimal
SEED_REFUSAL = (
    "Lo scontrino non può essere generato perché all’ordine è stata applicata inversione "
    "contabile. Vuoi emettere la fattura di vendita?"
)


def invoice_to(open_till: OpenTill, customer: str) -> Till:
    till = open_till("it-store")
    till.new_document(DocumentType.INVOICE)
    till.set_customer(customer)
    return till


def test_the_document_takes_the_reverse_charge_of_the_customer(open_till: OpenTill) -> None:
    till = invoice_to(open_till, "EDIL01")
    assert till.document().reverse_charge is True
    till.set_customer("EDIL02")
    assert till.document().reverse_charge is False


def test_a_line_takes_its_items_flag_and_the_packs_nature_at_zero_percent(
    open_till: OpenTill,
) -> None:
    till = invoice_to(open_till, "EDIL01")
    tiling = till.scan("SRV-TILING", 8)
    cement = till.scan("CEMENT-25", 10)
    phone = till.scan("PHONE-X")
    assert (tiling.reverse_charge, tiling.vat_code, tiling.vat_percent) == (True, "N6.3", D(0))
    assert (cement.reverse_charge, cement.vat_code) == (False, "22")
    assert (phone.reverse_charge, phone.vat_code) == (True, "N6.5")
    vat = {s.rate.code: (s.net, s.vat, s.gross) for s in till.totals().vat}
    assert vat == {
        "N6.3": (D("320.00"), D("0.00"), D("320.00")),
        "22": (D("100.00"), D("22.00"), D("122.00")),
        "N6.5": (D("500.00"), D("0.00"), D("500.00")),
    }


def test_switching_a_line_off_gives_it_back_its_items_vat(open_till: OpenTill) -> None:
    till = invoice_to(open_till, "EDIL01")
    till.scan("SRV-TILING", 8)
    line = till.taxes.set_line_reverse_charge(1, False)
    assert (line.vat_code, line.vat_percent, line.list_price) == ("22", D(22), D("40.00"))
    assert till.totals().total == D("390.40")
    assert till.taxes.set_line_reverse_charge(1, True).vat_code == "N6.3"


def test_a_line_flag_cannot_be_set_while_the_document_has_reverse_charge_off(
    open_till: OpenTill,
) -> None:
    till = invoice_to(open_till, "EDIL02")
    till.scan("PHONE-X")
    with pytest.raises(InvalidInput, match="turn the document's reverse charge on first"):
        till.taxes.set_line_reverse_charge(1, True)


def test_switching_the_document_on_sets_its_lines_from_their_items(open_till: OpenTill) -> None:
    till = invoice_to(open_till, "EDIL02")
    till.scan("PHONE-X")
    till.scan("BRICK", 10)
    document = till.taxes.set_reverse_charge(True)
    assert [line.reverse_charge for line in document.lines] == [True, False]
    document = till.taxes.set_reverse_charge(False)
    assert [(line.reverse_charge, line.vat_code) for line in document.lines] == [
        (False, "22"),
        (False, "22"),
    ]


def test_a_gross_receipt_line_keeps_its_net_price_under_reverse_charge(
    open_till: OpenTill,
) -> None:
    till = open_till("it-store")
    till.new_document()
    till.set_customer("EDIL01")
    line = till.scan("PHONE-X")  # 610.00 with 22 % VAT
    assert (line.vat_code, line.list_price) == ("N6.5", D("500.00"))
    till.taxes.set_reverse_charge(False)
    assert till.document().lines[0].list_price == D("610.00")


def test_a_receipt_under_reverse_charge_is_refused_with_the_seeds_question(
    open_till: OpenTill,
) -> None:
    till = open_till("it-store")
    till.new_document()
    till.set_customer("EDIL01")
    till.scan("PHONE-X")
    with pytest.raises(TaxRefused) as refused:
        till.approve()
    assert refused.value.render("it") == SEED_REFUSAL
    assert "Do you want to issue a sales invoice?" in refused.value.message
    assert till.document().number is None  # nothing was numbered


def test_answering_yes_turns_the_receipt_into_an_invoice(open_till: OpenTill) -> None:
    till = open_till("it-store")
    till.new_document()
    till.set_customer("EDIL01")
    till.scan("PHONE-X")
    till.scan("CEMENT-25")
    invoice = till.taxes.issue_invoice_instead()
    assert invoice.type is DocumentType.INVOICE
    assert [(line.vat_code, line.list_price) for line in invoice.lines] == [
        ("N6.5", D("500.00")),
        ("22", D("10.00")),
    ]
    assert till.approve().number == "FV/T01/2026/000001"


def test_an_approved_document_keeps_its_flag(open_till: OpenTill) -> None:
    till = invoice_to(open_till, "EDIL01")
    till.scan("SRV-TILING", 2)
    till.approve()
    with pytest.raises(DocumentStateError, match="approved and cannot be changed"):
        till.taxes.set_reverse_charge(False)


def test_the_document_flag_is_editable_only_for_a_domestic_transaction(
    open_till: OpenTill,
) -> None:
    till = invoice_to(open_till, "EU01")
    till.scan("PHONE-X")
    assert till.document().lines[0].reverse_charge is False
    with pytest.raises(InvalidInput, match="domestic transactions only"):
        till.taxes.set_reverse_charge(True)


def test_a_domestic_business_customers_flag_is_changed_and_stored(
    open_till: OpenTill, database: Database
) -> None:
    till = open_till("it-store")
    till.taxes.set_customer_reverse_charge("EDIL02", True)
    with database.session() as session:
        stored = session.scalar(
            select(CustomerRow.reverse_charge).where(CustomerRow.code == "EDIL02")
        )
    assert stored is True
    assert CatalogService(database).customer("EDIL02").reverse_charge is True  # in the database
    till.new_document(DocumentType.INVOICE)
    till.set_customer("EDIL02")
    assert till.document().reverse_charge is True


@pytest.mark.parametrize("customer", ["EU01", "C0001"])
def test_a_foreign_or_retail_customers_flag_cannot_be_changed(
    open_till: OpenTill, customer: str
) -> None:
    till = open_till("it-store")
    with pytest.raises(InvalidInput, match="only a domestic business customer's can"):
        till.taxes.set_customer_reverse_charge(customer, True)


def test_the_printed_note_appears_only_with_lines_under_reverse_charge(
    open_till: OpenTill,
) -> None:
    till = invoice_to(open_till, "EDIL01")
    till.scan("CEMENT-25")
    mechanisms = till.taxes.mechanisms
    assert document_mentions(mechanisms, till.document(), locale="it") == []
    till.scan("SRV-TILING")
    (note,) = document_mentions(mechanisms, till.document(), locale="it")
    assert note.startswith("Operazione soggetta a inversione contabile")


def test_an_invoice_generated_from_a_receipt_never_carries_reverse_charge(
    open_till: OpenTill,
) -> None:
    till = open_till("it-store")
    till.new_document()
    till.set_customer("EDIL01")
    receipt = till.document()
    flags = generated_flags(till.taxes.mechanisms, receipt, "invoice")
    assert (flags.reverse_charge, flags.reverse_charge_editable) == (False, False)
    copied = generated_flags(till.taxes.mechanisms, receipt, "debit_note")
    assert (copied.reverse_charge, copied.reverse_charge_editable) == (True, True)


def test_a_parked_document_resumes_with_its_flags(open_till: OpenTill) -> None:
    till = invoice_to(open_till, "EDIL01")
    till.scan("SRV-TILING", 3)
    parked = till.park()
    resumed = till.resume(parked.id)
    assert resumed.reverse_charge is True
    assert (resumed.lines[0].reverse_charge, resumed.lines[0].vat_code) == (True, "N6.3")
