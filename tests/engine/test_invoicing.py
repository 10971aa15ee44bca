"""The invoice a business customer asks for after paying with a receipt (FV from S), at the
till of the demo store: copied from the receipt, paid by it, invoiced once, for what the
returns left, and never counted as sales again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from staffing import DEMO_STAFF, logged_in

from cassa.engine.documents import Document, DocumentStatus, DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.export import document_json
from cassa.engine.schemas import load_schema
from cassa.engine.storage.models import PaymentRow
from cassa.engine.till import Till

D = Decimal
BUSINESS = "B0002"  # Hotel Lago Verde S.p.A., a business with a VAT number


def sold(till: Till, *lines: tuple[str, object]) -> Document:
    """A receipt paid in cash."""
    for sku, quantity in lines:
        till.scan(sku, quantity)
    window = till.checkout()
    window.add("cash", window.due("cash"))
    return window.approve().document


def invoiced(till: Till, receipt: Document, customer: str = BUSINESS) -> Document:
    till.invoicing.from_receipt(receipt.number or "", customer)
    return till.approve()


def returned(till: Till, receipt: Document, line: int, quantity: object) -> Document:
    """A return of some units of a line, paid back in cash (a manager takes it)."""
    till.log_in(DEMO_STAFF["marco"])
    till.returns.start(receipt.number or "")
    till.returns.take(line, quantity)
    window = till.checkout()
    window.add("cash")
    document = window.approve().document
    till.log_in(DEMO_STAFF["anna"])
    return document


def test_the_invoice_copies_the_receipts_lines_prices_and_discounts(till: Till) -> None:
    till.scan("NOTEBOOK-A5", 3)  # the third notebook is 10 % off
    till.scan("SHOE-RUN-42")
    till.discount_line(2, percent=5)
    receipt = sold(till)
    invoice = till.invoicing.from_receipt(receipt.number or "", BUSINESS)
    paid, billed = receipt.totals(till.currency), invoice.totals(till.currency)
    assert [(t.line.sku, t.line.quantity, t.line.list_price, t.discount) for t in billed.lines] == [
        (t.line.sku, t.line.quantity, t.line.list_price, t.discount) for t in paid.lines
    ]
    assert [line.origin_line for line in invoice.lines] == [line.id for line in receipt.lines]
    assert (billed.total, billed.vat) == (paid.total, paid.vat)
    assert (invoice.type, invoice.customer) == (DocumentType.INVOICE, BUSINESS)
    assert (invoice.origin_id, invoice.origin_number) == (receipt.id, receipt.number)


def test_it_keeps_the_receipts_prices_not_the_customers_price_list(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 2))
    invoice = till.invoicing.from_receipt(receipt.number or "", "B0001")  # wholesale prices
    assert invoice.lines[0].list_price == receipt.lines[0].list_price


def test_it_stays_in_the_receipts_gross_prices_so_it_is_worth_what_was_paid(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 7))
    invoice = invoiced(till, receipt)
    assert till.country.direction_for("invoice").value == "net"
    assert invoice.direction is receipt.direction
    assert invoice.totals(till.currency).total == receipt.totals(till.currency).total


def test_it_is_numbered_as_an_invoice_and_settled_by_the_receipt_without_money(
    till: Till,
) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    drawer = till.cash.expected("cash")
    invoice = invoiced(till, receipt)
    assert (invoice.number, invoice.status) == ("FV/T01/2026/000001", DocumentStatus.APPROVED)
    assert till.cash.expected("cash") == drawer
    with till.database.session() as session:
        rows = session.scalars(select(PaymentRow).where(PaymentRow.document_id == invoice.id))
        settled = [(r.kind, r.reference, r.amount_system) for r in rows]
    assert settled == [("receipt", receipt.number, receipt.totals(till.currency).total)]


def test_it_never_opens_the_payment_window(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    till.invoicing.from_receipt(receipt.number or "", BUSINESS)
    with pytest.raises(DocumentStateError, match="paid by receipt S/T01/2026/000001"):
        till.checkout()


def test_the_summary_counts_the_sale_once(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    before = till.reports.till_summary().as_json()["sales"]
    invoiced(till, receipt)
    after = till.reports.till_summary().as_json()
    assert after["sales"] == before
    assert after["sales"]["documents"] == 1
    assert after["sales"]["total_sales"] == f"{receipt.totals(till.currency).total}"
    assert after["balances"][0]["payments"] == 1  # the receipt's cash, nothing more


def test_invoices_approved_before_a_report_are_all_left_out_of_sales(till: Till) -> None:
    receipts = [sold(till, ("SHOE-RUN-42", 1)), sold(till, ("NOTEBOOK-A5", 2))]
    for receipt in receipts:
        invoiced(till, receipt)
    sales = till.reports.till_summary().as_json()["sales"]
    assert sales["documents"] == 2
    assert sales["total_sales"] == f"{sum(r.totals(till.currency).total for r in receipts)}"


def test_a_receipt_is_invoiced_once(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    invoiced(till, receipt)
    with pytest.raises(
        InvalidInput, match="S/T01/2026/000001 has already been invoiced: FV/T01/2026/000001"
    ):
        till.invoicing.from_receipt(receipt.number or "", BUSINESS)


def test_two_invoices_of_one_receipt_racing_let_only_one_through(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    first = till.invoicing.from_receipt(receipt.number or "", BUSINESS)
    till.park()
    invoiced(till, receipt)
    till.resume(first.id)
    with pytest.raises(InvalidInput, match="has already been invoiced: FV/T01/2026/000001"):
        till.approve()
    assert till.documents.load(first.id).status is DocumentStatus.DRAFT


def test_a_receipt_partly_returned_is_invoiced_for_what_is_left(till: Till) -> None:
    till.scan("NOTEBOOK-A5", 3)
    till.discount_line(1, percent=10)
    till.scan("SHOE-RUN-42")
    receipt = sold(till)
    back = [returned(till, receipt, 1, 1), returned(till, receipt, 2, 1)]
    invoice = invoiced(till, receipt)
    (line,) = invoice.lines  # the shoes came back in full
    assert (line.sku, line.quantity, line.origin_line) == ("NOTEBOOK-A5", D(2), receipt.lines[0].id)
    kept = receipt.totals(till.currency).total + sum(
        (r.totals(till.currency).total for r in back), D(0)
    )
    assert invoice.totals(till.currency).total == kept


def test_a_fractional_quantity_partly_returned_is_invoiced_to_the_cent(till: Till) -> None:
    receipt = sold(till, ("STRAWBERRY", "1.333"))  # 6.50 a kg: 8.66
    back = returned(till, receipt, 1, "0.667")  # 4.34 (4.3355)
    invoice = invoiced(till, receipt)
    assert invoice.totals(till.currency).total == D("8.66") - D("4.34")
    assert back.totals(till.currency).total == D("-4.34")


def test_a_receipt_returned_in_full_has_nothing_to_invoice(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    returned(till, receipt, 1, 1)
    with pytest.raises(InvalidInput, match="nothing is left to invoice"):
        till.invoicing.from_receipt(receipt.number or "", BUSINESS)


def test_an_invoiced_receipt_comes_back_through_a_return_of_its_invoice(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 2))
    invoice = invoiced(till, receipt)
    logged_in(till, till.operator, "manager")
    with pytest.raises(InvalidInput, match="its goods come back through a return of FV/"):
        till.returns.start(receipt.number or "")
    till.returns.start(invoice.number or "")
    till.returns.take(1, 1)
    assert till.approve(refund=True).number == "CQFV/T01/2026/000001"


def test_a_return_opened_before_the_invoice_is_refused_at_its_approval(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 2))
    logged_in(till, till.operator, "manager")
    till.returns.start(receipt.number or "")
    till.returns.take(1, 1)
    pending = till.park()
    invoiced(till, receipt)
    till.resume(pending.id)
    with pytest.raises(InvalidInput, match="has been invoiced on FV/T01/2026/000001"):
        till.approve(refund=True)


def test_a_return_approved_while_the_invoice_was_open_refuses_it(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 2))
    invoice = till.invoicing.from_receipt(receipt.number or "", BUSINESS)
    till.park()
    returned(till, receipt, 1, 1)
    till.resume(invoice.id)
    with pytest.raises(DocumentStateError, match="a return was approved"):
        till.approve()


def test_the_invoice_is_for_a_business_customer(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 1))
    with pytest.raises(InvalidInput, match="an invoice needs a customer"):
        till.invoicing.from_receipt(receipt.number or "")
    with pytest.raises(InvalidInput, match="C0001 is not a business with a VAT number"):
        till.invoicing.from_receipt(receipt.number or "", "C0001")


def test_a_receipt_sold_to_a_customer_is_invoiced_to_that_customer(till: Till) -> None:
    till.scan("NOTEBOOK-A5", 1)
    till.set_customer(BUSINESS)
    receipt = sold(till)
    assert till.invoicing.from_receipt(receipt.number or "").customer == BUSINESS
    till.discard("invoiced instead")
    with pytest.raises(InvalidInput, match="was sold to customer B0002: its invoice is for them"):
        till.invoicing.from_receipt(receipt.number or "", "B0001")


def test_a_receipt_with_a_loyalty_customer_is_invoiced_to_their_company(till: Till) -> None:
    till.scan("NOTEBOOK-A5", 1)
    till.set_customer("C0001")  # retail, a loyalty card
    receipt = sold(till)
    with pytest.raises(InvalidInput, match="C0001 is not a business"):
        till.invoicing.from_receipt(receipt.number or "")
    assert till.invoicing.from_receipt(receipt.number or "", BUSINESS).customer == BUSINESS


def test_only_an_approved_receipt_is_invoiced_this_way(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 1))
    invoice = invoiced(till, receipt)
    with pytest.raises(InvalidInput, match="only a receipt is invoiced afterwards"):
        till.invoicing.from_receipt(invoice.number or "", BUSINESS)


def test_its_lines_customer_and_flags_cannot_be_changed(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 2))
    till.invoicing.from_receipt(receipt.number or "", BUSINESS)
    with pytest.raises(InvalidInput, match="are those of S/T01/2026/000001, as sold"):
        till.scan("SHOE-RUN-42")
    with pytest.raises(InvalidInput, match="are those of S/T01/2026/000001, as sold"):
        till.set_quantity(1, 1)
    with pytest.raises(InvalidInput, match="coupons, promotions and discounts"):
        till.discount_document(percent=50)
    with pytest.raises(InvalidInput, match="is for customer B0002: discard it"):
        till.set_customer("B0001")
    assert [line.quantity for line in till.document().lines] == [D(2)]
    assert till.invoicing.receipt().id == receipt.id


def test_its_json_says_it_is_paid_by_its_receipt_and_fits_the_schema(till: Till) -> None:
    from jsonschema import Draft202012Validator

    receipt = sold(till, ("NOTEBOOK-A5", 1))
    invoice = invoiced(till, receipt)
    data = document_json(invoice, invoice.totals(till.currency), till.currency)
    assert data["origin"] == {"id": receipt.id, "number": receipt.number}
    assert data["paid_by_origin"] is True
    assert data["lines"][0]["origin_line"] == receipt.lines[0].id
    Draft202012Validator(load_schema("document")).validate(data)
    plain = document_json(receipt, receipt.totals(till.currency), till.currency)
    assert plain["paid_by_origin"] is False
