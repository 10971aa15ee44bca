"""Random sales, returns, receipts, transfers and counts: on hand always equals the sum of
the movements, per item, lot and warehouse, and what a model of the same steps expects."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from staffing import DEMO_STAFF

from cassa.engine.stock import StockLine, rebuilt_levels
from cassa.engine.till import Till

D = Decimal
# (code to scan or receive, SKU, lot, decimals of the base unit)
GOODS = [
    ("NOTEBOOK-A5", "NOTEBOOK-A5", "", 0),
    ("STRAWBERRY", "STRAWBERRY", "", 3),
    ("8001234000226", "LAMP-NIGHT", "LAMP-NIGHT-NERO", 0),
    ("8001234000219", "LAMP-NIGHT", "LAMP-NIGHT-BIANCO", 0),
]
WAREHOUSES = ["FLOOR", "BACK"]
STOCK = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def quantity(decimals: int) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=1, max_value=4000 if decimals else 9).map(
        lambda n: D(n).scaleb(-decimals) if decimals else D(n)
    )


good = st.sampled_from(range(len(GOODS)))
step = st.one_of(
    st.tuples(st.just("sell"), good, st.integers(1, 3)),
    st.tuples(st.just("return"), st.just(0), st.just(0)),
    st.tuples(st.just("receive"), good, st.sampled_from(WAREHOUSES)),
    st.tuples(st.just("transfer"), good, st.sampled_from(WAREHOUSES)),
    st.tuples(st.just("count"), good, st.sampled_from(WAREHOUSES)),
)


@STOCK
@given(steps=st.lists(step, min_size=1, max_size=8), data=st.data())
def test_on_hand_is_always_the_sum_of_the_movements(
    shop: Till, steps: list[tuple[str, int, object]], data: st.DataObject
) -> None:
    model: dict[tuple[str, str, str], Decimal] = {
        (lv.warehouse, lv.sku, lv.lot): lv.quantity for lv in shop.stock.levels()
    }

    def add(warehouse: str, index: int, amount: Decimal) -> None:
        _, sku, lot, _ = GOODS[index]
        key = (warehouse, sku, lot)
        model[key] = model.get(key, D(0)) + amount

    receipts = []
    for kind, index, extra in steps:
        code, sku, lot, decimals = GOODS[index]
        if kind == "sell":
            amount = D(int(extra)) if decimals == 0 else D(int(extra)) / 4
            shop.scan(code, amount)
            window = shop.checkout()
            window.add("cash", window.due("cash"))
            receipts.append(window.approve().document)
            add("FLOOR", index, -amount)
        elif kind == "return" and receipts:
            sold = receipts[-1]
            left = [r for r in shop.returns.returnable(sold) if r.left > 0]
            if not left:
                continue
            shop.log_in(DEMO_STAFF["marco"])
            shop.returns.start(sold.number or "")
            taken = shop.returns.take(left[0].position, left[0].left)
            window = shop.checkout()
            window.add("cash")
            window.approve()
            shop.log_in(DEMO_STAFF["anna"])
            back = [
                i for i, g in enumerate(GOODS) if g[1] == taken.sku and g[2] == (taken.lot or "")
            ]
            add("FLOOR", back[0], -taken.base_quantity)
        elif kind == "receive":
            amount = data.draw(quantity(decimals))
            shop.stock.receive([StockLine(code, amount)], warehouse=str(extra))
            add(str(extra), index, amount)
        elif kind == "transfer":
            amount = data.draw(quantity(decimals))
            target = "FLOOR" if extra == "BACK" else "BACK"
            shop.stock.transfer(
                [StockLine(code, amount)], warehouse=str(extra), to_warehouse=target
            )
            add(str(extra), index, -amount)
            add(target, index, amount)
        elif kind == "count":
            counted = data.draw(quantity(decimals) | st.just(D(0)))
            shop.log_in(DEMO_STAFF["marco"])
            shop.stock.count([StockLine(code, counted)], warehouse=str(extra))
            shop.log_in(DEMO_STAFF["anna"])
            add(str(extra), index, counted - model.get((str(extra), sku, lot), D(0)))

    with shop.database.reader.connect() as connection:
        summed = rebuilt_levels(connection)
    kept = {(lv.store, lv.warehouse, lv.sku, lv.lot): lv.quantity for lv in shop.stock.levels()}
    assert kept == summed
    actual = {(w, s, lot): q for (_, w, s, lot), q in kept.items() if w != "TRANSIT"}
    assert {k: q for k, q in actual.items() if q != 0} == {k: q for k, q in model.items() if q != 0}
