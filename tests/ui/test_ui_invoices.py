"""The invoice of a paid receipt at the till: the receipt's number, the business customer,
[Emetti fattura]; the invoice is paid by the receipt and prints naming it."""

from __future__ import annotations

from ui_support import open_function, pay_in_cash, texts

from cassa.ui.app import Screen, TillApp
from cassa.ui.views.invoices import invoices_screen

BUSINESS = "B0002"  # Hotel Lago Verde S.p.A.


def test_a_paid_receipt_is_invoiced_to_a_business_and_the_invoice_prints(
    selling: TillApp,
) -> None:
    number = pay_in_cash(selling, "NOTEBOOK-A5")
    drawer = selling.till.cash.expected("cash")
    open_function(selling, "invoices", Screen.INVOICES)
    invoices = selling.invoices
    assert BUSINESS in [c.code for c in invoices.customers()]
    invoices.number = number
    invoices.choose(BUSINESS)
    assert invoices.issue(), selling.notice
    assert invoices.issued is not None
    assert invoices.issued.number == "FV/T01/2026/000001"
    assert invoices.issued.origin_number == number
    assert selling.notice is not None
    assert selling.notice.text == "Fattura FV/T01/2026/000001 emessa: pagata con lo scontrino"
    paper = " ".join(invoices.paper.split())
    assert "FATTURA" in paper
    assert f"Relativa allo scontrino {number}" in paper
    assert selling.till.cash.expected("cash") == drawer  # no money moved
    shown = texts(invoices_screen(selling))
    assert "Hotel Lago Verde S.p.A." in shown
    assert "Intestata a" in shown


def test_a_receipt_is_invoiced_only_once_and_nothing_stays_open(selling: TillApp) -> None:
    number = pay_in_cash(selling, "NOTEBOOK-A5")
    open_function(selling, "invoices", Screen.INVOICES)
    invoices = selling.invoices
    invoices.number = number
    invoices.choose(BUSINESS)
    assert invoices.issue()
    assert not invoices.issue()
    assert selling.notice is not None
    assert selling.notice.kind == "error"
    assert "è già stato fatturato: FV/T01/2026/000001" in selling.notice.text
    selling.go_to("sale")
    assert selling.sale.document() is None or not selling.sale.document().lines


def test_a_receipt_to_a_retail_customer_needs_a_business_chosen(selling: TillApp) -> None:
    number = pay_in_cash(selling, "NOTEBOOK-A5")
    open_function(selling, "invoices", Screen.INVOICES)
    invoices = selling.invoices
    invoices.number = number
    assert not invoices.issue()  # the receipt names no business
    assert selling.notice is not None
    assert selling.notice.kind == "error"
    invoices.number = "S/T01/2026/999999"
    invoices.choose(BUSINESS)
    assert not invoices.issue()
    assert selling.notice is not None
    assert selling.notice.kind == "error"
