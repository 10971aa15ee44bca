"""Printed layouts: what the customer reads on receipts, invoices, slips and reports."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from staffing import logged_in

from cassa.devices.config import PrinterConfig
from cassa.devices.printing.data import (
    CashMovement,
    Payment,
    Report,
    ShiftClosing,
    TenderCount,
    cash_movement_data,
    report_data,
    sale_data,
    shift_closing_data,
)
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.layout import load_layout
from cassa.devices.printing.printer import ReceiptPrinter
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.engine.money import Currency
from cassa.engine.receipt_text import ReceiptHeader
from cassa.engine.yamlsource import DataFileError

Seller = Any  # the `sell` fixture of tests/devices/conftest.py

EUR = Currency("EUR", 2)
HEADER = ReceiptHeader("Bottega Demo", "Via Dante 12", "IT01234567897", "Europe/Rome")
AT = datetime(2026, 7, 5, 18, 0, tzinfo=UTC)


def printed(printer: ReceiptPrinter, data: object) -> str:
    job = decode(printer.render(data))  # type: ignore[arg-type]
    (text,) = job.receipts()
    return text


def test_a_receipt_shows_header_lines_discounts_vat_payments_change_and_a_barcode(
    sell: Seller, printer: ReceiptPrinter
) -> None:
    sale = sell("8001234000011", "JUICE-APPLE")
    data = sale_data(
        sale.document,
        sale.totals,
        sale.country,
        sale.header,
        payments=[Payment("card", Decimal("2.00")), Payment("cash", Decimal("5.00"))],
    )
    job = decode(printer.render(data))
    text = job.receipts()[0]
    lines = text.splitlines()
    assert lines[0].strip() == "Bottega Demo Milano"
    assert "P.IVA IT01234567897" in text
    assert "DOCUMENTO COMMERCIALE di vendita" in text
    assert "Cioccolato al latte" in text
    assert "  1 pz x 1,90" in text
    total = sale.totals.total
    assert any(
        line.startswith("TOTALE EUR") and line.endswith(f"{total:.2f}".replace(".", ","))
        for line in lines
    )
    assert any(line.startswith("IVA 10%") and "imponibile" in line for line in lines)
    assert any(line.strip().startswith("Carta") and line.endswith("2,00") for line in lines)
    assert any(line.strip().startswith("Contanti") and line.endswith("5,00") for line in lines)
    change = Decimal("7.00") - total
    assert any(
        line.startswith("Resto") and line.endswith(f"{change:.2f}".replace(".", ","))
        for line in lines
    )
    assert [b.data for b in job.barcodes] == [sale.document.number]
    assert len(job.cuts) == 1
    assert all(len(line) <= 42 for line in lines)


def test_discounts_appear_under_their_line_and_in_the_summary(
    sell: Seller, printer: ReceiptPrinter, till: object
) -> None:
    till.new_document()  # type: ignore[attr-defined]
    till.scan("8001234000011")  # type: ignore[attr-defined]
    till.present_loyalty_card("4000123400017")  # type: ignore[attr-defined]
    document = till.approve()  # type: ignore[attr-defined]
    sale = sell("JUICE-APPLE")  # only for the header and country
    totals = document.totals(sale.country.currency)
    text = printed(printer, sale_data(document, totals, sale.country, sale.header))
    assert "    Dolci -10% con la carta fedeltà  -0,19" in text
    assert "Sconti applicati" in text


def test_a_receipt_without_payments_prints_no_payment_or_change_lines(
    sell: Seller, printer: ReceiptPrinter
) -> None:
    sale = sell("8001234000011")
    text = printed(printer, sale_data(sale.document, sale.totals, sale.country, sale.header))
    assert "Pagamenti" not in text
    assert "Resto" not in text


def test_an_invoice_carries_a_qr_code_of_its_number(sell: Seller, printer: ReceiptPrinter) -> None:
    sale = sell("8001234000011", doc_type="invoice")
    job = decode(printer.render(sale_data(sale.document, sale.totals, sale.country, sale.header)))
    assert "FATTURA" in job.text
    assert [q.data for q in job.qr_codes] == [sale.document.number]


def test_58_mm_paper_keeps_every_line_within_32_characters(sell: Seller) -> None:
    sale = sell("TILE-CER-01", "8001234000011")
    narrow = ReceiptPrinter(SimulatedPrinter(), PrinterConfig(paper_width=58))
    data = sale_data(sale.document, sale.totals, sale.country, sale.header)
    text = printed(narrow, data)
    assert max(len(line) for line in text.splitlines() if not line.startswith("[")) <= 32
    assert "TOTALE EUR" in text


def test_english_polish_and_french_words_print_in_their_code_pages(
    sell: Seller, printer: ReceiptPrinter
) -> None:
    sale = sell("8001234000011")
    for language, words in {
        "en": ["SALES RECEIPT", "Total quantity"],
        "pl": ["PARAGON", "Ilość łączna"],
        "fr": ["TICKET DE CAISSE", "Quantité totale", "Opérateur"],
    }.items():
        data = sale_data(sale.document, sale.totals, sale.country, sale.header, language=language)
        text = printed(printer, data)
        for word in words:
            assert word in text, (language, word)


def test_a_return_names_its_original_and_the_money_paid_back_in_every_language(
    till: Any, printer: ReceiptPrinter
) -> None:
    logged_in(till, till.operator, "manager")  # returns need make_return
    till.scan("NOTEBOOK-A5", 2)
    receipt = till.approve()
    till.returns.start(receipt.number)
    till.returns.take(1, 1)
    returned = till.approve(refund=True)
    store = till.store
    header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
    totals = returned.totals(till.currency)
    for language, words in {
        "it": ["RESO dello scontrino S/T01/2026/000001 del 05/07/2026", "Restituito al cliente"],
        "en": ["RETURN of receipt S/T01/2026/000001 of 05/07/2026", "Paid back to the customer"],
        "pl": ["ZWROT paragonu S/T01/2026/000001 z dnia 5.07.2026", "Zwrócono klientowi"],
        "fr": ["RETOUR du ticket S/T01/2026/000001 du 05/07/2026", "Remboursé au client"],
    }.items():
        data = sale_data(
            returned,
            totals,
            till.country,
            header,
            payments=[Payment("cash", totals.total)],
            language=language,
            origin_at=receipt.approved_at,
        )
        text = " ".join(printed(printer, data).split())
        for word in words:
            assert word in text, (language, word)
        assert f"{words[1]} 3,50" in text
        assert "-1 pz x 3,50 -3,50" in text


def test_an_invoices_return_prints_on_the_invoice_layout(
    till: Any, printer: ReceiptPrinter
) -> None:
    logged_in(till, till.operator, "manager")
    till.new_document("invoice")
    till.set_customer("B0001")  # a business customer, with a VAT number
    till.scan("NOTEBOOK-A5")
    invoice = till.approve()
    till.returns.start(invoice.number)
    till.returns.take(1)
    returned = till.approve(refund=True)
    store = till.store
    header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
    data = sale_data(returned, returned.totals(till.currency), till.country, header)
    job = decode(printer.render(data))
    assert data.kind == "invoice"
    assert "RESO della fattura FV/T01/2026/000001" in " ".join(job.text.split())
    assert [q.data for q in job.qr_codes] == [returned.number]


def test_an_invoice_of_a_paid_receipt_names_the_receipt_that_paid_it(till: Any) -> None:
    from cassa.devices.printing.service import DocumentPrinting

    till.scan("NOTEBOOK-A5", 2)
    window = till.checkout()
    window.add("cash", window.due("cash"))
    receipt = window.approve().document
    till.invoicing.from_receipt(receipt.number, "B0002")
    invoice = till.approve()
    store = till.store
    header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
    simulated = SimulatedPrinter()
    DocumentPrinting(till.database, ReceiptPrinter(simulated), till.code).print_sale(
        invoice, invoice.totals(till.currency), till.country, header, operator="anna"
    )
    text = " ".join(decode(simulated.jobs[0]).text.split())
    assert "FATTURA" in text
    assert "Relativa allo scontrino S/T01/2026/000001 del 05/07/2026, già pagato" in text


def test_cash_in_and_cash_out_slips_show_amount_reason_and_signature(
    printer: ReceiptPrinter,
) -> None:
    for kind, title in (("cash_in", "VERSAMENTO DI CASSA"), ("cash_out", "PRELIEVO DI CASSA")):
        movement = CashMovement(
            kind,
            "PC/T01/2026/000003",
            "T01",
            "anna",
            AT,
            Decimal("200.00"),
            EUR,
            reason="Versamento in cassaforte",
        )
        text = printed(printer, cash_movement_data(movement, HEADER))
        assert title in text
        assert "200,00 EUR" in text
        assert "Causale: Versamento in cassaforte" in text
        assert "Firma: ____" in text


def test_a_shift_closing_shows_expected_counted_and_the_difference(
    printer: ReceiptPrinter,
) -> None:
    closing = ShiftClosing(
        "Z/T01/2026/000001",
        "T01",
        "anna",
        AT.replace(hour=8),
        AT,
        EUR,
        opening_float=Decimal("100.00"),
        documents=42,
        sales_total=Decimal("1234.50"),
        tenders=[
            TenderCount("cash", Decimal("620.00"), Decimal("619.50")),
            TenderCount("card", Decimal("714.50"), Decimal("714.50")),
        ],
        withdrawal=Decimal("500.00"),
    )
    text = printed(printer, shift_closing_data(closing, HEADER))
    assert "CHIUSURA TURNO" in text
    assert "Vendite EUR" in text
    assert "1.234,50" in text
    assert any(
        line.startswith("Contanti") and "619,50 (-0,50)" in line for line in text.splitlines()
    )
    assert "Prelievo di fine turno" in text


def test_a_report_prints_its_rows(printer: ReceiptPrinter) -> None:
    report = Report(
        "RIEPILOGO POSTAZIONE",
        "R/1",
        "T01",
        "anna",
        AT,
        [("Scontrini", "42"), ("Incasso", "1,234.50")],
        period="05/07/2026",
    )
    text = printed(printer, report_data(report, HEADER))
    assert "RIEPILOGO POSTAZIONE" in text
    assert any(line.startswith("Scontrini") and line.endswith("42") for line in text.splitlines())


def test_a_deployment_layout_replaces_the_shipped_one(tmp_path: Path, sell: Seller) -> None:
    (tmp_path / "receipt.yaml").write_text(
        "apiVersion: cassa/v1\nkind: PrintLayout\ndocument: receipt\n"
        "words: {it: {total: IMPORTO}}\n"
        "blocks:\n"
        '  - {type: text, value: "Grazie da {store.name}!", align: center}\n'
        '  - {type: columns, left: "{words.total}", right: "{total} {currency}"}\n'
        '  - {type: qr, value: "{document.number}"}\n'
        "  - {type: cut}\n",
        encoding="utf-8",
    )
    custom = ReceiptPrinter(SimulatedPrinter(), PrinterConfig(layouts=tmp_path))
    sale = sell("8001234000011")
    job = decode(custom.render(sale_data(sale.document, sale.totals, sale.country, sale.header)))
    assert job.receipts()[0].splitlines()[0].strip() == "Grazie da Bottega Demo Milano!"
    assert "IMPORTO" in job.text
    assert [q.data for q in job.qr_codes] == [sale.document.number]


def test_a_broken_layout_lists_every_problem_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "receipt.yaml"
    path.write_text(
        "apiVersion: cassa/v1\nkind: PrintLayout\ndocument: receipt\nblocks:\n"
        '  - {type: text, value: "{store.nmae}"}\n'
        "  - {type: rows, source: tenders, left: x}\n"
        "  - {type: sparkles}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as raised:
        load_layout(path)
    messages = [str(p) for p in raised.value.problems]
    assert any(f"{path}:7:12: /blocks/2/type: 'sparkles' is not one of" in m for m in messages)
    path.write_text(
        "apiVersion: cassa/v1\nkind: PrintLayout\ndocument: receipt\nblocks:\n"
        '  - {type: text, value: "{store.nmae}"}\n'
        "  - {type: rows, source: tenders, left: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as raised:
        load_layout(path)
    messages = [str(p) for p in raised.value.problems]
    assert f"{path}:5:25: /blocks/0/value: unknown placeholder {{store.nmae}}" in messages[0]
    assert "a receipt layout has no list 'tenders'" in messages[1]


@pytest.mark.parametrize(
    ("language", "amount", "day"),
    [
        ("it", "1.234,50 EUR", "05/07/2026"),
        ("fr", "1 234,50 EUR", "05/07/2026"),
        ("pl", "1 234,50 EUR", "5.07.2026"),
        ("es", "1.234,50 EUR", "5/7/2026"),
        ("de", "1.234,50 EUR", "05.07.2026"),
    ],
)
def test_a_slip_writes_amounts_and_days_as_its_language_does_with_plain_spaces(
    printer: ReceiptPrinter, language: str, amount: str, day: str
) -> None:
    movement = CashMovement(
        "cash_in", "PC/T01/2026/000004", "T01", "anna", AT, Decimal("1234.5"), EUR
    )
    job = printer.render(cash_movement_data(movement, HEADER, language))
    text = decode(job).text
    assert amount in text
    assert day in text
    # CLDR's no-break spaces (U+00A0, U+202F) are not in the printer's code page
    assert "\xa0" not in text
    assert "\u202f" not in text


@pytest.mark.parametrize("language", ["it", "en", "fr", "pl", "es", "de"])
def test_the_screen_and_the_paper_write_an_amount_alike(language: str) -> None:
    from cassa.devices.printing.data import paper_money, paper_text
    from cassa.ui.i18n import money

    for value in ("0.5", "19.99", "1234.5", "1234567.891"):
        shown = money(EUR.round(Decimal(value)), language)
        assert paper_text(shown) == paper_money(EUR, language)(Decimal(value))
        # to the cent: both read back as the same amount
        digits = "".join(c for c in shown if c.isdigit())
        assert Decimal(digits) / 100 == EUR.round(Decimal(value))
