"""The orders screen's model: orders found by customer and state, an order's lines with
what remains, a part fulfilled by scanning and paid in cash, a deposit typed on the
keypad, and a cashier's cancellation waiting for the manager's approval."""

from __future__ import annotations

from ui_support import manager_approves

from cassa.ui.app import TillApp
from cassa.ui.orders import OrdersModel


def ordered(app: TillApp, *lines: tuple[str, int], customer: str = "C0001") -> str:
    """An order taken at the till as on a receipt; its number."""
    orders = app.till.orders
    orders.new()
    app.till.set_customer(customer)
    for code, quantity in lines:
        app.till.scan(code, quantity)
    return orders.save().number


def paid(app: TillApp) -> None:
    window = app.till.checkout()
    if not window.settled:
        window.add("cash", window.due("cash"))
    window.approve()


def remaining(model: OrdersModel) -> list[tuple[str, str, str, str]]:
    return [(r.name, r.ordered, r.fulfilled, r.remaining) for r in model.lines]


def test_orders_are_found_by_customer_and_show_what_remains(selling: TillApp) -> None:
    first = ordered(selling, ("LAMP-NIGHT-BEIGE", 3))
    ordered(selling, ("BATHMAT-01", 1), customer="B0001")
    model = OrdersModel(selling)
    model.customer = "C0001"
    assert model.search()
    assert [(r.number, r.state, r.total) for r in model.rows] == [(first, "open", "104,70")]
    assert model.pick(first)
    assert remaining(model) == [("Lampada da notte", "3", "0", "3")]
    assert model.lines[0].lot == "Beige"


def test_a_part_is_fulfilled_by_scanning_and_the_rest_remains(selling: TillApp) -> None:
    number = ordered(selling, ("LAMP-NIGHT-BEIGE", 3))
    model = OrdersModel(selling)
    assert model.pick(number)
    assert model.fulfil()
    selling.till.orders.take(1, 0)
    assert model.scan("8001234000233")
    assert model.lines[0].delivering == "1"
    paid(selling)
    model.refresh()
    assert remaining(model) == [("Lampada da notte", "3", "1", "2")]
    assert model.fulfil()
    assert not model.scan("8001234000233")  # three were left: two are on the document
    assert selling.notice is not None
    assert "superiore alla quantità disponibile" in selling.notice.text


def test_a_deposit_typed_on_the_keypad_opens_its_receipt(selling: TillApp) -> None:
    number = ordered(selling, ("LAMP-NIGHT", 2))
    model = OrdersModel(selling)
    assert model.pick(number)
    for key in "25,5":
        model.press(key)
    assert model.take_deposit()
    assert selling.till.document().totals(selling.till.currency).total == 25.5
    paid(selling)
    model.refresh()
    assert model.deposits == [("S/T01/2026/000001", "25,50", "held")]


def test_a_cashier_cancels_an_order_with_the_manager_s_approval(selling: TillApp) -> None:
    number = ordered(selling, ("LAMP-NIGHT", 2))
    model = OrdersModel(selling)
    assert model.pick(number)
    assert not model.cancel()
    manager_approves(selling)
    model.refresh()
    assert model.order is not None
    assert model.order.state == "cancelled"
    assert [(r.cancelled, r.remaining) for r in model.lines] == [("2", "0")]


def test_the_back_office_has_an_orders_tile_showing_the_active_orders(selling: TillApp) -> None:
    from ui_support import open_function, texts

    from cassa.ui.app import Screen
    from cassa.ui.views.orders import orders_screen

    number = ordered(selling, ("LAMP-NIGHT-BEIGE", 3))
    open_function(selling, "orders", Screen.ORDERS)
    assert selling.t("tile_orders") == "Ordini"
    assert [r.number for r in selling.orders.rows] == [number]
    assert selling.orders.pick(number)
    shown = texts(orders_screen(selling))
    assert "Ordini di vendita" in shown
    assert "Lampada da notte Beige" in shown
    assert selling.orders.fulfil()
    assert "Lampada da notte Beige" in texts(orders_screen(selling))
