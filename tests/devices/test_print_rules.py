"""Print rules from the seed: omit small receipts unless asked, reprints are DUPLICATEs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from staffing import logged_in

from cassa.devices.config import PrintRules
from cassa.devices.errors import DeviceError
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.service import DocumentPrinting, print_history
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.engine.storage.db import Database
from cassa.engine.till import Till

Seller = Any  # the `sell` fixture of tests/devices/conftest.py

LIMIT = PrintRules(omit_receipt_up_to=Decimal("10.00"))


@pytest.fixture
def printing(database: Database, printer: ReceiptPrinter) -> DocumentPrinting:
    return DocumentPrinting(database, printer, "T01", LIMIT)


def test_the_seeds_example_a_19_euro_receipt_is_printed(
    printing: DocumentPrinting, simulated: SimulatedPrinter, sell: Seller
) -> None:
    sale = sell(("Articolo A", "9.00", "22"), ("Articolo B", "10.00", "22"))
    assert sale.totals.total == Decimal("19.00")
    outcome = printing.print_sale(
        sale.document, sale.totals, sale.country, sale.header, operator="anna"
    )
    assert outcome.printed
    assert not outcome.omitted
    assert len(simulated.jobs) == 1


def test_the_seeds_example_a_9_euro_document_is_not_printed(
    printing: DocumentPrinting, simulated: SimulatedPrinter, sell: Seller
) -> None:
    sale = sell(("Articolo A", "9.00", "22"))
    outcome = printing.print_sale(
        sale.document, sale.totals, sale.country, sale.header, operator="anna"
    )
    assert outcome.omitted
    assert simulated.jobs == []
    assert "print it if the customer asks" in outcome.message()
    assert print_history(printing.database, sale.document.number or "") == []


def test_a_document_of_exactly_the_limit_is_not_printed_because_it_does_not_exceed_it(
    printing: DocumentPrinting, simulated: SimulatedPrinter, sell: Seller
) -> None:
    sale = sell(("Articolo B", "10.00", "22"))
    assert printing.print_sale(
        sale.document, sale.totals, sale.country, sale.header, operator="anna"
    ).omitted


def test_the_customer_can_always_ask_for_the_receipt_and_it_is_the_original(
    printing: DocumentPrinting, simulated: SimulatedPrinter, sell: Seller
) -> None:
    sale = sell(("Articolo A", "9.00", "22"))
    printing.print_sale(sale.document, sale.totals, sale.country, sale.header, operator="anna")
    outcome = printing.print_sale(
        sale.document,
        sale.totals,
        sale.country,
        sale.header,
        operator="anna",
        customer_asked=True,
    )
    assert outcome.printed
    assert outcome.copy == 1
    assert "DUPLICATO" not in decode(simulated.jobs[0]).text
    (record,) = print_history(printing.database, sale.document.number or "")
    assert (record.copy, record.duplicate, record.reason) == (1, False, "customer_request")


def test_a_return_under_the_limit_is_not_printed_and_one_above_it_is(
    printing: DocumentPrinting, simulated: SimulatedPrinter, sell: Seller, till: Till
) -> None:
    """Seed: the 19.00 receipt is printed; its correction taking back article A (9.00)
    is not, its value being under the limit. Here 7.50 and 14.00: 21.50 printed, the
    return of 7.50 omitted, the return of 14.00 printed."""
    sale = sell(("Articolo A", "7.50", "22"), ("Articolo B", "14.00", "22"))
    assert printing.print_sale(
        sale.document, sale.totals, sale.country, sale.header, operator="anna"
    ).printed
    logged_in(till, till.operator, "manager")  # returns need make_return

    def returned(position: int) -> Any:
        till.returns.start(sale.document.number or "")
        till.returns.take(position)
        document = till.approve(refund=True)
        totals = document.totals(till.currency)
        return printing.print_sale(document, totals, sale.country, sale.header, operator="anna")

    small = returned(1)
    assert small.omitted
    assert len(simulated.jobs) == 1
    large = returned(2)
    assert large.printed
    assert len(simulated.jobs) == 2
    assert "14,00" in decode(simulated.jobs[1]).text


def test_invoices_are_printed_whatever_their_value(
    printing: DocumentPrinting, simulated: SimulatedPrinter, sell: Seller
) -> None:
    sale = sell(("Articolo A", "9.00", "22"), doc_type="invoice")
    assert printing.print_sale(
        sale.document, sale.totals, sale.country, sale.header, operator="anna"
    ).printed


def test_every_reprint_is_marked_duplicate_and_recorded_with_who_when_where_and_copy(
    database: Database, sell: Seller, printer: ReceiptPrinter, simulated: SimulatedPrinter
) -> None:
    sale = sell("EARRING-GOLD")
    first_till = DocumentPrinting(database, printer, "T01", LIMIT)
    other_till = DocumentPrinting(database, ReceiptPrinter(SimulatedPrinter()), "T02", LIMIT)
    first_till.print_sale(sale.document, sale.totals, sale.country, sale.header, operator="anna")
    second = first_till.reprint(
        sale.document, sale.totals, sale.country, sale.header, operator="marco"
    )
    third = other_till.reprint(
        sale.document, sale.totals, sale.country, sale.header, operator="lucia"
    )
    assert (second.copy, third.copy) == (2, 3)
    assert second.message() == "printed as duplicate, copy 2"
    original, duplicate = (decode(job).receipts()[0] for job in simulated.jobs)
    assert "DUPLICATO" not in original
    lines = duplicate.splitlines()
    assert lines[0].strip() == "*** DUPLICATO ***"
    assert lines[1].strip() == "copia n. 2"
    assert lines[-2:] == lines[:2]  # marked again at the end, after the barcode
    history = print_history(database, sale.document.number or "")
    assert [(h.copy, h.duplicate, h.till, h.operator, h.reason) for h in history] == [
        (1, False, "T01", "anna", "sale"),
        (2, True, "T01", "marco", "reprint"),
        (3, True, "T02", "lucia", "reprint"),
    ]
    assert all(h.job_status == "printed" for h in history)
    assert history[0].requested_at.tzinfo is not None


def test_a_reprint_is_refused_while_the_original_still_waits_in_the_queue(
    database: Database, sell: Seller
) -> None:
    stuck = SimulatedPrinter()
    stuck.paper = "out"
    printing = DocumentPrinting(database, ReceiptPrinter(stuck), "T01", LIMIT)
    sale = sell("EARRING-GOLD")
    assert printing.print_sale(
        sale.document, sale.totals, sale.country, sale.header, operator="anna"
    ).queued
    with pytest.raises(DeviceError, match="still waiting in the print queue"):
        printing.reprint(sale.document, sale.totals, sale.country, sale.header, operator="anna")
