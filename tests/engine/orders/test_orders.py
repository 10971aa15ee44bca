"""Sales orders at the demo store's till: taken like a receipt, numbered in their own
series, fulfilled in parts by receipts and invoices that never deliver more than was
ordered, with deposits deducted once and cancellations that give the deposit back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from staffing import logged_in

from cassa.engine.documents import Document, DocumentStatus, DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.orders import OVER_ORDER, Order, OrderState
from cassa.engine.people import ApprovalRequired
from cassa.engine.till import Till

D = Decimal


def paid(till: Till) -> Document:
    """The open document, paid in cash (a document the deposits paid needs nothing)."""
    window = till.checkout()
    if not window.settled:
        window.add("cash", window.due("cash"))
    return window.approve().document


def ordered(till: Till, *lines: tuple[str, int], customer: str = "C0001") -> Order:
    till.orders.new()
    till.set_customer(customer)
    for code, quantity in lines:
        till.scan(code, quantity)
    return till.orders.save()


def test_an_order_is_numbered_in_its_own_series_and_opens_without_money(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT-BIANCO", 3))
    assert order.number == "OrV/T01/2026/000001"
    assert order.state == OrderState.OPEN
    assert [(p.ordered, p.fulfilled, p.remaining) for p in order.lines] == [(D(3), D(0), D(3))]
    assert order.document.totals(till.currency).total == D("104.70")


def test_an_order_needs_a_customer(till: Till) -> None:
    till.orders.new()
    till.scan("LAMP-NIGHT", 1)
    with pytest.raises(InvalidInput, match="needs a customer"):
        till.orders.save()
    assert till.document().editable


def test_the_pickup_point_and_expected_date_are_kept_with_the_order(till: Till) -> None:
    till.orders.new()
    till.set_customer("C0001")
    till.scan("LAMP-NIGHT", 1)
    till.orders.set_details(pickup_point="Milano Centro", expected_date="2026-07-20")
    order = till.orders.save()
    assert (order.document.pickup_point, order.document.expected_date.isoformat()) == (
        "Milano Centro",
        "2026-07-20",
    )
    till.orders.new()
    with pytest.raises(InvalidInput, match="already past"):
        till.orders.set_details(expected_date="2026-07-01")


def test_a_receipt_fulfils_part_of_an_order_and_the_rest_remains(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT-BIANCO", 3), ("BATHMAT-01", 2))
    till.orders.fulfil(order.number)
    till.orders.take(1, 1)
    till.orders.take(2, 0)
    receipt = paid(till)
    assert receipt.origin_number == order.number
    assert [(line.sku, line.quantity) for line in receipt.lines] == [("LAMP-NIGHT", D(1))]
    after = till.orders.get(order.number)
    assert after.state == OrderState.PARTIALLY_FULFILLED
    assert [(p.fulfilled, p.remaining) for p in after.lines] == [(D(1), D(2)), (D(0), D(2))]


def test_a_generated_document_never_delivers_more_than_remains(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT-BIANCO", 3))
    till.orders.fulfil(order.number)
    with pytest.raises(InvalidInput) as refused:
        till.orders.take(1, 4)
    assert str(refused.value) == OVER_ORDER
    with pytest.raises(InvalidInput, match="quantità superiore"):
        till.set_quantity(1, 4)
    assert till.document().lines[0].quantity == 3


def test_fulfilling_by_scanning_counts_units_of_the_order_line(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT-BIANCO", 2))
    till.orders.fulfil(order.number)
    till.orders.take(1, 0)
    till.orders.scan("LAMP-NIGHT-BIANCO")
    till.orders.scan("LAMP-NIGHT-BIANCO")
    with pytest.raises(InvalidInput, match="aggiunto come una nuova voce"):
        till.orders.scan("LAMP-NIGHT-BIANCO")
    till.orders.scan("BATHMAT-01")  # not on the order: a new line at today's price
    lines = till.document().lines
    assert [(line.sku, line.quantity, line.origin_line is not None) for line in lines] == [
        ("LAMP-NIGHT", D(2), True),
        ("BATHMAT-01", D(1), False),
    ]


def test_parts_of_an_order_add_up_to_its_value_with_its_discounts(till: Till) -> None:
    till.orders.new()
    till.set_customer("C0001")
    till.scan("NOTEBOOK-A5", 3)
    till.discount_line(1, percent=10)
    order = till.orders.save()
    value = order.document.totals(till.currency).total
    parts = []
    for _ in range(3):
        till.orders.fulfil(order.number)
        till.orders.take(1, 1)
        parts.append(paid(till).totals(till.currency).total)
    assert sum(parts) == value
    assert till.orders.get(order.number).state == OrderState.FULFILLED


def test_a_fulfilled_order_opens_no_more_documents(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT", 1))
    till.orders.fulfil(order.number)
    paid(till)
    with pytest.raises(DocumentStateError, match="is fulfilled"):
        till.orders.fulfil(order.number)


def test_a_deposit_is_deducted_once_from_the_final_document(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT-BIANCO", 3))  # 104.70
    till.orders.take_deposit(order.number, "30.00")
    deposit = paid(till)
    assert deposit.type is DocumentType.RECEIPT  # a retail customer: the pack says receipt
    assert till.orders.get(order.number).held == D("30.00")
    till.orders.fulfil(order.number)
    final = paid(till)
    assert final.totals(till.currency).total == D("74.70")  # 104.70 - 30.00
    after = till.orders.get(order.number)
    assert after.held == 0
    assert [d.state for d in after.deposits] == ["deducted"]


def test_a_business_customer_s_deposit_is_an_advance_invoice(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT", 2), customer="B0001")
    document = till.orders.take_deposit(order.number, 20)
    assert document.type is DocumentType.ADVANCE_INVOICE
    advance = paid(till)
    assert advance.number == "FAV/T01/2026/000001"


def test_a_deposit_never_exceeds_what_remains_to_pay(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT", 1))
    with pytest.raises(InvalidInput, match="cannot exceed"):
        till.orders.take_deposit(order.number, "34.91")
    assert till.document().type is DocumentType.SALES_ORDER  # no deposit document opened


def test_cancelling_needs_the_permission_and_cancels_what_remains(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT", 3))
    till.orders.fulfil(order.number)
    till.orders.take(1, 1)
    paid(till)
    with pytest.raises(ApprovalRequired):
        till.orders.cancel(order.number)
    logged_in(till, till.operator, "manager")
    cancelled = till.orders.cancel(order.number)
    assert cancelled.state == OrderState.CANCELLED
    (line,) = cancelled.lines
    assert (line.ordered, line.fulfilled, line.cancelled, line.remaining) == (3, 1, 2, 0)


def test_a_cancelled_order_s_deposit_is_refunded_by_a_return_of_it(till: Till) -> None:
    logged_in(till, till.operator, "manager")
    order = ordered(till, ("LAMP-NIGHT", 2))
    till.orders.take_deposit(order.number, 25)
    deposit = paid(till)
    cancelled = till.orders.cancel(order.number)
    assert cancelled.held == D(25)  # owed to the customer until paid back
    refund = till.orders.refund_deposit(cancelled.deposits[0].number)
    assert refund.type is DocumentType.RECEIPT_RETURN
    window = till.checkout()
    window.add("cash")
    back = window.approve().document
    assert back.totals(till.currency).total == D(-25)
    after = till.orders.get(order.number)
    assert [d.state for d in after.deposits] == ["refunded"]
    assert deposit.status is DocumentStatus.APPROVED


def test_an_offer_becomes_an_order_with_its_prices(till: Till) -> None:
    till.orders.new("offer")
    till.set_customer("C0001")
    till.scan("NOTEBOOK-A5", 3)
    offer = till.orders.save()
    assert offer.number == "OV/T01/2026/000001"
    order_document = till.orders.from_offer(offer.number)
    assert order_document.totals(till.currency).total == offer.document.totals(till.currency).total
    order = till.orders.save()
    assert order.number == "OrV/T01/2026/000001"
    assert till.orders.get(offer.number).state == OrderState.CONVERTED
    with pytest.raises(DocumentStateError, match="converted"):
        till.orders.from_offer(offer.number)


def test_orders_are_found_by_customer_state_and_day(till: Till) -> None:
    first = ordered(till, ("LAMP-NIGHT", 1))
    ordered(till, ("LAMP-NIGHT", 1), customer="B0001")
    assert [o.number for o in till.orders.find(customer="C0001")] == [first.number]
    assert len(till.orders.find(state="active")) == 2
    assert len(till.orders.find(day="2026-07-05")) == 2
    assert till.orders.find(number="000002")[0].document.customer == "B0001"


def test_goods_leave_stock_when_delivered_not_when_ordered_or_paid_in_advance(till: Till) -> None:
    from sqlalchemy import select

    from cassa.engine.storage.models import StockMovementRow

    def moved() -> list[tuple[str, Decimal, str | None]]:
        with till.database.session() as session:
            rows = session.scalars(select(StockMovementRow).order_by(StockMovementRow.id)).all()
            return [(r.sku, r.quantity, r.number) for r in rows]

    order = ordered(till, ("LAMP-NIGHT", 2), customer="B0001")
    till.orders.take_deposit(order.number, 10)
    paid(till)
    assert moved() == []
    till.orders.fulfil(order.number, "invoice")
    till.orders.take(1, 1)
    invoice = paid(till)
    assert moved() == [("LAMP-NIGHT", D(-1), invoice.number)]


def test_a_deposit_waits_for_the_final_document_while_the_rest_covers_it(till: Till) -> None:
    order = ordered(till, ("LAMP-NIGHT", 3))  # 104.70
    till.orders.take_deposit(order.number, "50.00")
    paid(till)
    till.orders.fulfil(order.number)
    till.orders.take(1, 1)
    assert paid(till).totals(till.currency).total == D("34.90")  # 69.80 left covers 50.00
    till.orders.fulfil(order.number)
    till.orders.take(1, 1)
    part = paid(till)  # 34.90 left no longer covers 50.00: 15.10 is deducted now
    assert part.totals(till.currency).total == D("19.80")
    till.orders.fulfil(order.number)
    assert paid(till).totals(till.currency).total == D("0.00")
    assert [(d.deducted, d.state) for d in till.orders.get(order.number).deposits] == [
        (D("50.00"), "deducted")
    ]


def test_a_cancelled_order_s_deposit_can_become_a_voucher_when_the_pack_allows(
    till: Till,
) -> None:
    from cassa.engine.payments import StoredValues

    logged_in(till, till.operator, "manager")
    order = ordered(till, ("LAMP-NIGHT", 2))
    till.orders.take_deposit(order.number, "25.50")
    paid(till)
    with pytest.raises(InvalidInput, match="number of the voucher"):
        till.orders.cancel(order.number, deposit="voucher")
    with pytest.raises(InvalidInput, match="not a valid number"):
        till.orders.cancel(order.number, deposit="voucher", voucher="X-1")
    assert till.orders.get(order.number).active  # nothing changed by the refusals
    cancelled = till.orders.cancel(order.number, deposit="voucher", voucher="VM-000777")
    assert [(d.state, d.settled_by) for d in cancelled.deposits] == [("voucher", "VM-000777")]
    voucher = StoredValues(till.database).get("VM-000777")
    assert voucher is not None
    assert (voucher.balance, voucher.status) == (D("25.50"), "active")
    assert cancelled.held == 0
