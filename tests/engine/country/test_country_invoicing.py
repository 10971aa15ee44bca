"""Invoices of receipts in the country packs: Italy leaves reverse charge off and not
selectable and never sends the invoice to the RT printer; Poland keeps split payment off
(seed: "sempre disattivato e nascosto") unless a pack makes it editable, when the
conditions set it at approval; France chains the invoice without counting its value twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from country_support import with_rt

from cassa.devices.fiscal.records import fiscal_record
from cassa.devices.fiscal.simulator import RtSimulator
from cassa.engine.documents import Document
from cassa.engine.errors import InvalidInput
from cassa.engine.fiscal import verify_chains
from cassa.engine.lines import convert_price
from cassa.engine.tax import PriceDirection
from cassa.engine.taxes._settings import Generated
from cassa.engine.till import Till

OpenTill = Callable[..., Till]
D = Decimal


def sold(till: Till, *lines: tuple[str, int], customer: str | None = None) -> Document:
    """A receipt paid in cash."""
    for sku, quantity in lines:
        till.scan(sku, quantity)
    if customer is not None:
        till.set_customer(customer)
    window = till.checkout()
    window.add("cash", window.due("cash"))
    return window.approve().document


# -- Italy -------------------------------------------------------------------------------------
def test_an_italian_invoice_of_a_receipt_is_not_sent_to_the_rt_printer(
    open_till: OpenTill, rt: RtSimulator
) -> None:
    till = with_rt(open_till("it-store", role="cashier"), rt)
    receipt = sold(till, ("CEMENT-25", 4))
    till.invoicing.from_receipt(receipt.number or "", "EDIL02")
    invoice = till.approve()
    assert invoice.number == "FV/T01/2026/000001"
    assert fiscal_record(till.database, invoice.number or "") is None
    assert [d.kind for d in rt.memory] == ["sale"]  # the receipt, once


def test_reverse_charge_is_off_and_cannot_be_selected_on_the_invoice(
    open_till: OpenTill,
) -> None:
    till = open_till("it-store", role="cashier")
    # EDIL01's flag is on: its receipt has it, with no line under reverse charge.
    receipt = sold(till, ("CEMENT-25", 2), customer="EDIL01")
    assert receipt.reverse_charge is True
    invoice = till.invoicing.from_receipt(receipt.number or "")
    assert invoice.reverse_charge is False
    assert not any(line.reverse_charge for line in invoice.lines)
    with pytest.raises(InvalidInput, match="reverse charge cannot be selected"):
        till.taxes.set_reverse_charge(True)
    assert till.approve().reverse_charge is False


# -- Poland ------------------------------------------------------------------------------------
def test_a_large_polish_receipt_is_invoiced_without_split_payment(open_till: OpenTill) -> None:
    till = open_till("pl-store", role="cashier")
    receipt = sold(till, ("LAPTOP-16", 1), customer="FIRMA1")
    till.invoicing.from_receipt(receipt.number or "")
    with pytest.raises(InvalidInput, match="split payment is off on an invoice of a receipt"):
        till.taxes.set_split_payment(True)
    invoice = till.approve()  # the conditions hold, the seed's rule keeps it off
    assert invoice.totals(till.currency).total == D("16000.00")
    assert (invoice.split_payment, invoice.lines[0].split_payment) == (False, True)


def test_a_pack_that_makes_it_editable_lets_the_conditions_set_it(
    open_till: OpenTill,
) -> None:
    till = open_till("pl-store", role="cashier")
    receipt = sold(till, ("LAPTOP-16", 1), customer="FIRMA1")
    mechanisms = till.pack.taxes
    assert mechanisms is not None
    assert mechanisms.split_payment is not None
    editable = (Generated("receipt", "invoice", "off_editable"),)
    till.pack = replace(  # a pack of its own: the loaded one is shared by the process
        till.pack,
        taxes=replace(
            mechanisms, split_payment=replace(mechanisms.split_payment, generated=editable)
        ),
    )
    opened = till.invoicing.from_receipt(receipt.number or "")
    assert (opened.split_payment, opened.split_payment_manual) == (True, False)
    assert till.approve().split_payment is True


def test_twenty_chairs_are_invoiced_at_what_was_paid_not_at_a_net_recomputation(
    open_till: OpenTill,
) -> None:
    till = open_till("pl-store", role="cashier")
    receipt = sold(till, ("DESK-CHAIR", 20), customer="FIRMA1")
    invoice = till.invoicing.from_receipt(receipt.number or "")
    net = convert_price(D("999.00"), PriceDirection.GROSS, PriceDirection.NET, D(23), till.country)
    assert (net, till.currency.round(net * 20 * D("1.23"))) == (D("812.20"), D("19980.12"))
    assert invoice.totals(till.currency).total == D("19980.00")


# -- France ------------------------------------------------------------------------------------
def test_a_french_invoice_of_a_receipt_is_chained_and_not_counted_twice_at_closing(
    open_till: OpenTill,
) -> None:
    till = open_till("fr-store", role="gerant")
    till.scan("BAGUETTE", 2)
    till.scan("CAFE")
    receipt = till.approve()
    till.invoicing.from_receipt(receipt.number or "", "RESTO1")
    invoice = till.approve()
    report = verify_chains(till.database)
    assert report.ok, report
    # the opening count, the receipt, the invoice and its settlement by the receipt
    assert report.chains == {"T01": 4}
    till.close_day()
    (day,) = till.fiscal.closings()
    total = receipt.totals(till.currency).total
    assert invoice.totals(till.currency).total == total
    assert (day.documents, day.total, day.grand_total) == (2, total, total)
    assert sum((D(v["gross"]) for v in day.as_json()["vat"].values()), D(0)) == total
