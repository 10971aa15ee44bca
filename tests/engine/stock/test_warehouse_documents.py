"""Warehouse documents at the till: goods receipt (MMI+), goods issue (MMI−), transfers
through goods in transit, stock counts booking their differences, vouchers by number; and
the pack's negative stock policy per item group."""

from __future__ import annotations

from decimal import Decimal

import pytest
from staffing import DEMO_STAFF

from cassa.engine.errors import InvalidInput, NotFound, PermissionDenied
from cassa.engine.stock import StockLine, StockShortage, StockWarning
from cassa.engine.till import Till

D = Decimal


def pay_cash(till: Till):
    window = till.checkout()
    window.add("cash", window.due("cash"))
    return window.approve().document


def test_the_store_declares_its_back_room_beside_the_shop_floor(shop: Till) -> None:
    assert [(w.code, w.name) for w in shop.stock.warehouses()] == [
        ("FLOOR", "Negozio"),
        ("BACK", "Magazzino retro"),
        ("TRANSIT", "In transit"),
    ]


def test_a_goods_receipt_brings_goods_in_and_a_sale_takes_them_out(shop: Till) -> None:
    received = shop.stock.receive(
        [StockLine("NOTEBOOK-A5", 10), StockLine("8001234000035", "2.5")]  # strawberries, kg
    )
    assert received.number == "MMI+/T01/2026/000001"
    assert shop.stock.on_hand("NOTEBOOK-A5") == 10
    assert shop.stock.on_hand("STRAWBERRY") == D("2.5")
    shop.scan("NOTEBOOK-A5", 3)
    pay_cash(shop)
    assert shop.stock.on_hand("NOTEBOOK-A5") == 7
    assert [m.cause for m in shop.stock.movements("NOTEBOOK-A5")] == ["receipt", "sale"]


def test_a_goods_issue_takes_goods_out_and_is_numbered_in_its_own_series(shop: Till) -> None:
    shop.stock.receive([StockLine("BATHMAT-01", 4)], warehouse="BACK")
    issued = shop.stock.issue([StockLine("BATHMAT-01", 1)], warehouse="BACK", note="damaged")
    assert issued.number == "MMI-/T01/2026/000001"
    assert shop.stock.on_hand("BATHMAT-01", warehouse="BACK") == 3


def test_quantities_follow_the_base_units_precision(shop: Till) -> None:
    with pytest.raises(InvalidInput, match="precision"):
        shop.stock.receive([StockLine("NOTEBOOK-A5", "1.5")])
    with pytest.raises(InvalidInput, match="above zero"):
        shop.stock.receive([StockLine("NOTEBOOK-A5", 0)])
    with pytest.raises(InvalidInput, match="service"):
        shop.stock.receive([StockLine("SRV-FITTING", 1)])
    with pytest.raises(NotFound):
        shop.stock.receive([StockLine("NOTEBOOK-A5", 1)], warehouse="ATTIC")
    assert shop.stock.levels() == []


def test_a_transfer_leaves_one_warehouse_waits_in_transit_and_arrives_at_the_other(
    shop: Till,
) -> None:
    shop.stock.receive([StockLine("BATHMAT-01", 6)], warehouse="BACK")
    sent = shop.stock.dispatch([StockLine("BATHMAT-01", 4)], warehouse="BACK", to_warehouse="FLOOR")
    assert sent.number == "MM-/T01/2026/000001"
    assert shop.stock.on_hand("BATHMAT-01", warehouse="BACK") == 2
    assert shop.stock.on_hand("BATHMAT-01", warehouse="TRANSIT") == 4
    assert shop.stock.on_hand("BATHMAT-01", warehouse="FLOOR") == 0
    assert shop.stock.on_hand("BATHMAT-01") == 2  # what is in transit is not on hand yet
    arrived = shop.stock.arrive(sent.number)
    assert arrived.origin == sent.number
    assert shop.stock.on_hand("BATHMAT-01", warehouse="TRANSIT") == 0
    assert shop.stock.on_hand("BATHMAT-01", warehouse="FLOOR") == 4
    with pytest.raises(InvalidInput, match="two different warehouses"):
        shop.stock.transfer([StockLine("BATHMAT-01", 1)], to_warehouse="FLOOR")


def test_a_stock_count_books_the_differences_and_needs_its_permission(shop: Till) -> None:
    shop.stock.receive([StockLine("NOTEBOOK-A5", 10), StockLine("BATHMAT-01", 5)])
    with pytest.raises(PermissionDenied):
        shop.stock.count([StockLine("NOTEBOOK-A5", 8)])
    shop.log_in(DEMO_STAFF["marco"])  # a manager
    counted = shop.stock.count([StockLine("NOTEBOOK-A5", 8), StockLine("BATHMAT-01", 5)])
    assert counted.number == "INW/T01/2026/000001"
    assert [(m.sku, m.quantity, m.cause) for m in counted.movements] == [
        ("NOTEBOOK-A5", D(-2), "count")
    ]  # the bath mats matched: no movement
    assert shop.stock.on_hand("NOTEBOOK-A5") == 8


def test_vouchers_are_received_by_number_and_a_sold_voucher_leaves_stock(shop: Till) -> None:
    shop.cash.vouchers.issue("GIFT50", ["V50-000101", "V50-000102"])
    shop.stock.receive([StockLine(voucher="V50-000101"), StockLine(voucher="V50-000102")])
    assert shop.stock.on_hand("VOUCHER-50") == 2
    assert shop.stock.on_hand("VOUCHER-50", lot="V50-000101") == 1
    with pytest.raises(InvalidInput, match="twice"):
        shop.stock.issue([StockLine(voucher="V50-000101"), StockLine(voucher="V50-000101")])
    with pytest.raises(NotFound, match="no voucher"):
        shop.stock.issue([StockLine(voucher="V50-999999")])
    with pytest.raises(InvalidInput, match="by its number"):
        shop.stock.receive([StockLine("VOUCHER-50", 1)])
    shop.cash.vouchers.sell("V50-000101")
    pay_cash(shop)
    assert shop.stock.on_hand("VOUCHER-50", lot="V50-000101") == 0
    assert shop.stock.on_hand("VOUCHER-50") == 1


def test_a_refusing_group_cannot_be_sold_below_zero_before_any_money_moves(shop: Till) -> None:
    shop.stock.receive([StockLine("EARRING-GOLD", 1)])
    shop.scan("EARRING-GOLD", 2)
    with pytest.raises(StockShortage) as refused:
        shop.checkout()
    assert refused.value.render("it") == (
        "Giacenza insufficiente di Orecchini d'oro: disponibili 1 pz in FLOOR, richiesti 2"
    )
    shop.set_quantity(1, 1)
    pay_cash(shop)
    assert shop.stock.on_hand("EARRING-GOLD") == 0
    with pytest.raises(StockShortage):
        shop.stock.issue([StockLine("EARRING-GOLD", 1)])


def test_a_warning_group_sells_below_zero_and_tells_the_operator(shop: Till) -> None:
    shop.scan("CHOC-MILK", 2)
    shop.checkout()
    warnings = [m for m in shop.messages if isinstance(m, StockWarning)]
    assert [str(w) for w in warnings] == [
        "Not enough stock of Cioccolato al latte: 0 pz on hand in FLOOR, 2 wanted"
    ]
    window = shop.payment_window
    assert window is not None
    window.add("cash", window.due("cash"))
    window.approve()
    assert shop.stock.on_hand("CHOC-MILK") == -2


def test_an_allowed_group_sells_below_zero_silently(shop: Till) -> None:
    shop.scan("NOTEBOOK-A5", 1)
    pay_cash(shop)
    assert not [m for m in shop.messages if isinstance(m, StockWarning)]
    assert shop.stock.on_hand("NOTEBOOK-A5") == -1
