"""Scenario actions for stock (registered in `cassa.engine.scenario`'s action table).

- stock_receive: {lines: [{code: NOTEBOOK-A5, quantity: 10}], vouchers: [V50-000001]}
- stock_issue: {lines: [{code: BATHMAT-01, quantity: 1}], warehouse: BACK, note: rotti}
- stock_transfer: {lines: [...], warehouse: BACK, to_warehouse: FLOOR}   # MM- and MM+
- stock_transfer: {lines: [...], to_warehouse: FLOOR, to_store: MI02}    # MM-: in transit
- stock_arrive: {number: MM-/T01/2026/000001}
- stock_count: {lines: [{code: NOTEBOOK-A5, quantity: 8}]}
- expect_stock: [{sku: NOTEBOOK-A5, on_hand: 8}, {sku: LAMP-NIGHT, lot: LAMP-NIGHT-NERO,
                  warehouse: FLOOR, on_hand: 1}]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cassa.engine.scenario import action, expect, same_value
from cassa.engine.stock._documents import StockLine

if TYPE_CHECKING:
    from cassa.engine.scenario import ScenarioRun

__all__: list[str] = []


def _lines(args: dict[str, Any]) -> list[StockLine]:
    return [
        *(
            StockLine(str(line["code"]), line["quantity"], line.get("lot"))
            for line in args.get("lines", ())
        ),
        *(StockLine(voucher=str(number)) for number in args.get("vouchers", ())),
    ]


@action("stock_receive")
def _receive(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.stock.receive(
        _lines(args), warehouse=args.get("warehouse", "FLOOR"), note=args.get("note", "")
    )


@action("stock_issue")
def _issue(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.stock.issue(
        _lines(args), warehouse=args.get("warehouse", "FLOOR"), note=args.get("note", "")
    )


@action("stock_transfer")
def _transfer(run: ScenarioRun, args: dict[str, Any]) -> object:
    stock = run.till.stock
    store = args.get("to_store")
    if store is not None and store != run.till.store.code:
        return stock.dispatch(
            _lines(args),
            warehouse=args.get("warehouse", "FLOOR"),
            to_warehouse=str(args["to_warehouse"]),
            to_store=store,
            note=args.get("note", ""),
        )
    return stock.transfer(
        _lines(args),
        warehouse=args.get("warehouse", "FLOOR"),
        to_warehouse=str(args["to_warehouse"]),
        note=args.get("note", ""),
    )


@action("stock_arrive")
def _arrive(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.stock.arrive(str(args["number"]), note=args.get("note", ""))


@action("stock_count")
def _count(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.stock.count(
        _lines(args), warehouse=args.get("warehouse", "FLOOR"), note=args.get("note", "")
    )


@action("expect_stock")
def _expect_stock(run: ScenarioRun, args: Any) -> object:
    problems = []
    for want in args:
        actual = run.till.stock.on_hand(
            str(want["sku"]), warehouse=want.get("warehouse"), lot=want.get("lot")
        )
        if not same_value(want["on_hand"], actual):
            where = "/".join(str(want[k]) for k in ("sku", "warehouse", "lot") if k in want)
            problems.append(f"stock {where}: expected {want['on_hand']}, got {actual}")
    expect(problems)
    return None
