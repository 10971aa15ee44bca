"""Returns (CQS, CQFV) at the till of the demo store: lines taken back from the approved
original at its prices and discounts, never more than was sold, paid back in cash."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from staffing import logged_in

from cassa.engine.documents import Document, DocumentStatus, DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.export import document_json
from cassa.engine.people import ApprovalRequired, AuditLog, Permission
from cassa.engine.schemas import load_schema
from cassa.engine.till import Till

D = Decimal
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@pytest.fixture(autouse=True)
def manager(till: Till) -> None:
    """Returns need the permission make_return: the demo's managers hold it."""
    logged_in(till, till.operator, "manager")


def sold(till: Till, *lines: tuple[str, int]) -> Document:
    """A receipt paid in cash."""
    for sku, quantity in lines:
        till.scan(sku, quantity)
    window = till.checkout()
    window.add("cash", window.due("cash"))
    return window.approve().document


def refunded(till: Till) -> Document:
    """The open return, paid back in cash."""
    window = till.checkout()
    window.add("cash")
    return window.approve().document


def test_a_return_takes_a_line_back_at_its_price_with_its_discount(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    till.returns.start(receipt.number or "")
    line = till.returns.take(1)
    original = receipt.totals(till.currency).lines[0]
    returned = till.totals().lines[0]
    assert (line.quantity, line.list_price) == (D(-1), original.line.list_price)
    assert returned.value == -original.value
    assert till.document().type is DocumentType.RECEIPT_RETURN


def test_an_operator_discount_on_the_original_is_given_back_in_proportion(till: Till) -> None:
    till.scan("NOTEBOOK-A5", 2)
    till.discount_line(1, percent=10)
    receipt = sold(till)
    till.returns.start(receipt.number or "")
    till.returns.take(1, 1)
    (original,) = receipt.totals(till.currency).lines
    (returned,) = till.totals().lines
    assert returned.discount == -(original.discount / 2)
    assert returned.value == -(original.value / 2)


def test_partial_returns_add_up_exactly_to_the_original_value(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 3))  # the third notebook is 10 % off
    (original,) = receipt.totals(till.currency).lines
    values = []
    for _ in range(3):
        till.returns.start(receipt.number or "")
        till.returns.take(1, 1)
        values.append(refunded(till).totals(till.currency).total)
    assert sum(values) == -original.value


def test_the_return_is_numbered_in_its_own_series_and_remembers_its_original(
    till: Till,
) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 1))
    till.returns.start(receipt.number or "")
    till.returns.take(1)
    approved = refunded(till)
    assert approved.number == "CQS/T01/2026/000001"
    stored = till.documents.load(approved.id)
    assert (stored.origin_id, stored.origin_number) == (receipt.id, receipt.number)
    assert stored.lines[0].origin_line == receipt.lines[0].id


def test_nothing_beyond_what_was_sold_minus_earlier_returns_can_be_taken_back(
    till: Till,
) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 3))
    till.returns.start(receipt.number or "")
    till.returns.take(1, 2)
    refunded(till)
    till.returns.start(receipt.number or "")
    left = till.returns.returnable()[0]
    assert (left.sold, left.returned, left.left) == (D(3), D(2), D(1))
    with pytest.raises(
        InvalidInput, match=r"only 1 pz can be returned \(sold 3, already returned 2\)"
    ):
        till.returns.take(1, 2)
    with pytest.raises(InvalidInput, match="above zero"):
        till.returns.take(1, 0)
    with pytest.raises(InvalidInput, match="has no line 2"):
        till.returns.take(2)


def test_a_document_returned_in_full_cannot_be_returned_again(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 1))
    till.returns.start(receipt.number or "")
    till.returns.take(1)
    refunded(till)
    with pytest.raises(InvalidInput, match="has already been returned"):
        till.returns.start(receipt.number or "")


def test_only_approved_receipts_and_invoices_can_be_returned(till: Till) -> None:
    with pytest.raises(NotFound, match="no document numbered S/T01/2026/000009"):
        till.returns.start("S/T01/2026/000009")
    receipt = sold(till, ("NOTEBOOK-A5", 1))
    till.returns.start(receipt.number or "")
    till.returns.take(1)
    approved = refunded(till)
    with pytest.raises(InvalidInput, match="only receipts and invoices are returned"):
        till.returns.start(approved.number or "")


def test_two_returns_racing_for_the_same_units_let_only_one_through(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 1))
    till.returns.start(receipt.number or "")
    till.returns.take(1)
    first = till.park()
    till.returns.start(receipt.number or "")
    till.returns.take(1)
    refunded(till)
    till.resume(first.id)
    with pytest.raises(InvalidInput, match="only 0 pz can be returned"):
        till.approve(refund=True)
    assert till.documents.load(first.id).status is DocumentStatus.DRAFT


def test_the_tills_own_line_commands_are_refused_on_a_return(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 2))
    till.returns.start(receipt.number or "")
    till.returns.take(1, 1)
    with pytest.raises(InvalidInput, match="takes back lines of its original only"):
        till.scan("SHOE-RUN-42")
    with pytest.raises(InvalidInput, match="buy-back"):
        till.set_quantity(1, -2)
    with pytest.raises(InvalidInput, match="keeps the customer of S/T01/2026/000001"):
        till.set_customer("C0001")
    with pytest.raises(InvalidInput, match="coupons, promotions and discounts"):
        till.discount_document(percent=50)
    assert [line.quantity for line in till.document().lines] == [D(-1)]


def test_a_line_put_back_leaves_the_return(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 1), ("SHOE-RUN-42", 1))
    till.returns.start(receipt.number or "")
    till.returns.take(1)
    till.returns.take(2)
    till.returns.put_back(1)
    assert [line.origin_line for line in till.document().lines] == [receipt.lines[1].id]
    with pytest.raises(NotFound, match="not on this return"):
        till.returns.put_back(1)


def test_a_return_is_approved_only_as_a_refund(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 1))
    till.returns.start(receipt.number or "")
    till.returns.take(1)
    with pytest.raises(DocumentStateError, match="pay it back in the payment window"):
        till.approve()
    assert till.approve(refund=True).number == "CQS/T01/2026/000001"


def test_the_money_goes_back_in_cash_and_the_summary_counts_a_return(till: Till) -> None:
    receipt = sold(till, ("SHOE-RUN-42", 1))
    till.returns.start(receipt.number or "")
    till.returns.take(1)
    window = till.checkout()
    assert window.refund
    assert window.to_pay == -receipt.totals(till.currency).total
    window.add("cash")
    window.approve()
    assert till.cash.expected("cash") == D("100.00")  # the float: sold, then given back
    summary = till.reports.till_summary().as_json()
    assert summary["sales"]["corrections"] == 1
    assert summary["sales"]["corrections_value"] == f"{receipt.totals(till.currency).total}"
    assert (
        summary["cash_flows"][0]["withdrawals"]["returns"] == summary["sales"]["corrections_value"]
    )


def test_an_invoice_is_returned_by_a_cqfv_for_its_customer(till: Till) -> None:
    till.new_document(DocumentType.INVOICE)
    customer = "C0001"
    till.set_customer(customer)
    till.scan("NOTEBOOK-A5", 2)
    invoice = till.approve()
    returned = till.returns.start(invoice.number or "")
    assert (returned.type, returned.customer) == (DocumentType.INVOICE_RETURN, customer)
    till.returns.take(1, 1)
    assert till.approve(refund=True).number == "CQFV/T01/2026/000001"


def test_the_json_of_a_return_names_its_original_and_fits_the_schema(till: Till) -> None:
    from jsonschema import Draft202012Validator

    receipt = sold(till, ("NOTEBOOK-A5", 1))
    till.returns.start(receipt.number or "")
    till.returns.take(1)
    approved = refunded(till)
    data = document_json(approved, approved.totals(till.currency), till.currency)
    assert data["origin"] == {"id": receipt.id, "number": receipt.number}
    assert data["lines"][0]["origin_line"] == receipt.lines[0].id
    assert (data["reverse_charge"], data["lines"][0]["split_payment"]) == (False, False)
    Draft202012Validator(load_schema("document")).validate(data)


def test_a_sold_voucher_is_not_taken_back_by_a_return(till: Till) -> None:
    till.cash.vouchers.issue("GIFT50", ["V50-000001"])
    till.cash.vouchers.sell("V50-000001")
    receipt = sold(till)
    till.returns.start(receipt.number or "")
    with pytest.raises(InvalidInput, match="is a voucher: it is not taken back by a return"):
        till.returns.take(1)


def test_a_cashier_returns_goods_only_with_a_managers_approval(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 1))
    logged_in(till, "anna", "cashier")  # back from the manager's role the fixture gave
    assert "make_return" not in till.pack.roles["cashier"].permissions
    with pytest.raises(NotFound):  # a wrong number is refused without asking a manager
        till.returns.start("S/T01/2026/000009")
    with pytest.raises(
        ApprovalRequired, match="anna may not return goods: needs the permission make_return"
    ) as refused:
        till.returns.start(receipt.number or "")
    assert refused.value.permissions == ("make_return",)
    assert till.current is None or till.current.origin_id is None  # no return was opened
    till.authorize(Permission.MAKE_RETURN, username="marco", password="responsabile-milano")
    assert till.returns.start(receipt.number or "").origin_id == receipt.id
    events = [(r.event, r.actor, r.approver) for r in AuditLog(till.database).events(limit=2)]
    assert events == [("permission_refused", "anna", None), ("approval", "anna", "marco")]


def test_the_receipt_text_of_a_return_names_its_original_and_counts_what_comes_back(
    till: Till,
) -> None:
    from cassa.engine.receipt_text import ReceiptHeader, render_receipt

    receipt = sold(till, ("NOTEBOOK-A5", 3))
    till.returns.start(receipt.number or "")
    till.returns.take(1, 2)
    approved = refunded(till)
    store = till.store
    header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
    text = render_receipt(
        approved,
        approved.totals(till.currency),
        till.country,
        header,
        origin_at=receipt.approved_at,
    )
    words = " ".join(text.split())
    assert "RESO dello scontrino S/T01/2026/000001 del 05/07/2026" in words
    assert "-2 pz x 3.50 -7.00" in words
    assert "Quantità totale: -2" in words
