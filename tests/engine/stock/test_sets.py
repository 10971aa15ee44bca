"""Sets (seed "Gestione dei set"): components declared in the catalog, put on the document
as a group or sold as one line; each component leaves stock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cassa.engine.errors import InvalidInput
from cassa.engine.stock import SetComponentBlocked, SetDeletionAsked, StockLine
from cassa.engine.till import Till

D = Decimal


def pay_cash(till: Till):
    window = till.checkout()
    window.add("cash", window.due("cash"))
    return window.approve().document


def test_a_set_with_its_components_inserted_is_a_group_of_lines(shop: Till) -> None:
    shop.scan("SET-BATH", 2)
    lines = shop.document().lines
    assert [(line.sku, line.quantity) for line in lines] == [
        ("BATHMAT-01", D(4)),
        ("LAMP-NIGHT", D(2)),
    ]
    assert lines[0].set_group == lines[1].set_group is not None


def test_a_components_quantity_cannot_change(shop: Till) -> None:
    shop.scan("SET-BATH")
    with pytest.raises(SetComponentBlocked) as refused:
        shop.set_quantity(1, 5)
    assert refused.value.render("it") == "Impossibile modificare un elemento del set"
    assert shop.document().lines[0].quantity == 2


def test_a_set_declared_so_is_split_by_a_quantity_change(shop: Till) -> None:
    shop.scan("SET-SPLIT")
    changed = shop.set_quantity(1, 2)
    assert (changed.quantity, changed.set_group) == (D(2), None)


def test_deleting_a_component_asks_then_deletes_the_whole_set(shop: Till) -> None:
    shop.scan("NOTEBOOK-A5")
    shop.scan("SET-BATH")
    with pytest.raises(SetDeletionAsked) as asked:
        shop.delete_line(3)
    assert asked.value.render("it") == (
        "L’eliminazione di un componente del set comporterà l’eliminazione di tutti i "
        "componenti del set. Vuoi continuare?"
    )
    assert len(shop.document().lines) == 3
    shop.delete_line(3, whole_set=True)
    assert [line.sku for line in shop.document().lines] == ["NOTEBOOK-A5"]


def test_each_component_leaves_stock_whether_inserted_or_not(shop: Till) -> None:
    shop.scan("SET-BATH")  # 2 bath mats, 1 lamp, as lines
    shop.scan("SET-GIFT", 3)  # one line: 6 notebooks and 3 bags leave stock
    pay_cash(shop)
    assert shop.stock.on_hand("BATHMAT-01") == D(-2)
    assert shop.stock.on_hand("LAMP-NIGHT") == D(-1)
    assert shop.stock.on_hand("NOTEBOOK-A5") == D(-6)
    assert shop.stock.on_hand("BAG-TOTE") == D(-3)
    assert shop.stock.on_hand("SET-GIFT") == 0


def test_a_set_is_received_as_its_components_and_never_issued_when_inserted(
    shop: Till,
) -> None:
    shop.stock.receive([StockLine("SET-GIFT", 2)])
    assert shop.stock.on_hand("NOTEBOOK-A5") == D(4)
    assert shop.stock.on_hand("BAG-TOTE") == D(2)
    with pytest.raises(InvalidInput, match="one by one"):
        shop.stock.issue([StockLine("SET-BATH", 1)])
