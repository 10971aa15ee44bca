"""The lot sold is printed under its line's name: the customer reads which colour they paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cassa.devices.printing.data import Payment, sale_data
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.engine.receipt_text import ReceiptHeader, render_receipt
from cassa.engine.till import Till

Seller = Any  # the `sell` fixture of tests/devices/conftest.py


def lines_of(printer: ReceiptPrinter, data: object) -> list[str]:
    (text,) = decode(printer.render(data)).receipts()  # type: ignore[arg-type]
    return text.splitlines()


def test_a_receipt_prints_the_lots_properties_under_the_lines_name(
    sell: Seller, printer: ReceiptPrinter
) -> None:
    sale = sell("8001234000233", "CHOC-MILK")  # the night lamp in Beige, and chocolate
    data = sale_data(
        sale.document,
        sale.totals,
        sale.country,
        sale.header,
        payments=[Payment("cash", Decimal("40.00"))],
    )
    lines = lines_of(printer, data)
    lamp = next(i for i, line in enumerate(lines) if line.startswith("Lampada da notte"))
    assert lines[lamp + 1] == "  Colore: Beige"
    assert lines[lamp + 2].startswith("  1 pz x 34,90")
    chocolate = next(i for i, line in enumerate(lines) if line.startswith("Cioccolato"))
    assert lines[chocolate + 1].startswith("  1 pz x 1,90")  # no lot, no properties line


def test_an_english_receipt_prints_the_properties_as_the_catalog_names_them(
    sell: Seller, printer: ReceiptPrinter
) -> None:
    sale = sell("LAMP-NIGHT-ALBICOCCA")
    data = sale_data(sale.document, sale.totals, sale.country, sale.header, language="en")
    assert "  Colore: Albicocca" in lines_of(printer, data)


def test_an_invoice_prints_the_lot_too(sell: Seller, printer: ReceiptPrinter) -> None:
    sale = sell("LAMP-NIGHT-NERO", doc_type="invoice")
    data = sale_data(sale.document, sale.totals, sale.country, sale.header)
    assert "  Colore: Nero" in lines_of(printer, data)


def test_the_text_receipt_shows_the_lot_after_a_change_of_properties(till: Till) -> None:
    till.scan("8001234000219", 3)  # Bianco
    till.choose_properties(1, {"Colore": "Beige"})
    document = till.approve()
    store = till.store
    header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
    text = render_receipt(document, document.totals(till.currency), till.country, header)
    assert "  Colore: Beige" in text.splitlines()
    assert "Bianco" not in text
    assert document.totals(till.currency).total == Decimal("104.70")
