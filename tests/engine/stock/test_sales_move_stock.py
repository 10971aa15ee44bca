"""Every sale, return and buy-back moves stock in its own approval's transaction; the
quantity on hand is the sum of the movements, kept per item, lot and warehouse."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from staffing import DEMO_STAFF

from cassa.engine.documents import Document
from cassa.engine.stock import rebuilt_levels
from cassa.engine.storage.models import StockMovementRow
from cassa.engine.till import Till

D = Decimal


def sold(till: Till, *lines: tuple[str, object]) -> Document:
    """A receipt paid in cash."""
    for code, quantity in lines:
        till.scan(code, quantity)
    window = till.checkout()
    window.add("cash", window.due("cash"))
    return window.approve().document


def returned(till: Till, receipt: Document, line: int, quantity: object) -> Document:
    """A return of some units of a line, paid back in cash by a manager."""
    till.log_in(DEMO_STAFF["marco"])
    till.returns.start(receipt.number or "")
    till.returns.take(line, quantity)
    window = till.checkout()
    window.add("cash")
    document = window.approve().document
    till.log_in(DEMO_STAFF["anna"])
    return document


def movements(till: Till) -> list[tuple[str, str, str, Decimal, str, str | None]]:
    with till.database.session() as session:
        rows = session.scalars(select(StockMovementRow).order_by(StockMovementRow.id)).all()
        return [(r.warehouse, r.sku, r.lot, r.quantity, r.cause, r.number) for r in rows]


def levels_are_the_sum_of_movements(till: Till) -> None:
    with till.database.reader.connect() as connection:
        summed = rebuilt_levels(connection)
    kept = {(lv.store, lv.warehouse, lv.sku, lv.lot): lv.quantity for lv in till.stock.levels()}
    assert kept == summed


def test_every_store_has_its_shop_floor_and_goods_in_transit(till: Till) -> None:
    assert [(w.code, w.kind) for w in till.stock.warehouses()] == [
        ("FLOOR", "floor"),
        ("BACK", "storage"),  # declared by the demo store
        ("TRANSIT", "transit"),
    ]


def test_a_sale_takes_its_goods_off_the_shop_floor_in_the_base_unit(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 3), ("STRAWBERRY", "0.750"), ("SRV-FITTING", 1))
    assert movements(till) == [
        ("FLOOR", "NOTEBOOK-A5", "", D(-3), "sale", receipt.number),
        ("FLOOR", "STRAWBERRY", "", D("-0.75"), "sale", receipt.number),
    ]  # a service is no stock
    assert till.stock.on_hand("NOTEBOOK-A5") == D(-3)
    assert till.stock.on_hand("STRAWBERRY") == D("-0.75")
    assert till.stock.on_hand("SRV-FITTING") == 0
    levels_are_the_sum_of_movements(till)


def test_a_return_brings_back_what_it_takes_back(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 3))
    correction = returned(till, receipt, 1, 2)
    assert movements(till)[-1] == ("FLOOR", "NOTEBOOK-A5", "", D(2), "return", correction.number)
    assert till.stock.on_hand("NOTEBOOK-A5") == D(-1)
    levels_are_the_sum_of_movements(till)


def test_a_lot_sold_leaves_the_stock_of_that_lot(till: Till) -> None:
    sold(till, ("8001234000226", 2))  # the black night lamp's EAN
    assert till.stock.on_hand("LAMP-NIGHT", lot="LAMP-NIGHT-NERO") == D(-2)
    assert till.stock.on_hand("LAMP-NIGHT", lot="LAMP-NIGHT-BIANCO") == 0
    assert till.stock.on_hand("LAMP-NIGHT") == D(-2)


def test_an_invoice_of_a_receipt_moves_nothing_more(till: Till) -> None:
    receipt = sold(till, ("NOTEBOOK-A5", 2))
    till.invoicing.from_receipt(receipt.number or "", "B0002")
    till.approve()
    assert till.stock.on_hand("NOTEBOOK-A5") == D(-2)
    assert len(movements(till)) == 1


def test_a_refused_approval_books_no_movement(till: Till) -> None:
    till.scan("NOTEBOOK-A5", 2)

    def refuse(session: object, number: str) -> None:
        raise RuntimeError("the payment could not be written")

    with pytest.raises(RuntimeError):
        till.approve(extra=refuse)
    assert movements(till) == []
    assert till.stock.levels() == []


def test_movements_are_never_changed_or_removed(till: Till, owner_database) -> None:
    sold(till, ("NOTEBOOK-A5", 1))
    for statement in (
        "UPDATE stock_movements SET quantity = 0",
        "DELETE FROM stock_movements",
    ):
        with pytest.raises((IntegrityError, DBAPIError)), owner_database.engine.begin() as c:
            c.execute(text(statement))
    assert till.stock.on_hand("NOTEBOOK-A5") == D(-1)
