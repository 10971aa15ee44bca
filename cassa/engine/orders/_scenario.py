"""Scenario actions for offers and sales orders (registered in `cassa.engine.scenario`).

- new_order: {kind: sales_order, customer: C0001}   # or kind: offer
- order_details: {pickup_point: Milano, expected_date: 2026-07-20, recipient: C0002}
- save_order: {}                                     # approve it: OV/… or OrV/…
- order_from_offer: {number: OV/T01/2026/000001}
- fulfil_order: {number: OrV/T01/2026/000001, as: invoice}   # a receipt by default
- fulfil_line: {line: 1, quantity: 2}                # all that remains without quantity
- fulfil_scan: {code: "8001234000233"}
- take_deposit: {number: OrV/…, amount: 30.00}
- cancel_order: {number: OrV/…, deposit: voucher, voucher: VM-000001}
- cancel_order_line: {number: OrV/…, line: 2, quantity: 1}
- refund_deposit: {number: S/T01/2026/000002}
- expect_order: {number: OrV/…, state: partially_fulfilled, held: 30.00,
                 lines: [{line: 1, ordered: 3, fulfilled: 1, cancelled: 0, remaining: 2}],
                 deposits: [{number: FAV/…, amount: 30.00, state: held}]}
- expect_orders: {find: {customer: C0001, state: active}, numbers: [OrV/…]}

`number` may be left out: the order last saved or touched in the run is meant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cassa.engine.errors import InvalidInput
from cassa.engine.orders._context import Order
from cassa.engine.scenario import action, differences, expect
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.scenario import ScenarioRun

__all__: list[str] = []

_LAST = "orders.last"


def _number(run: ScenarioRun, args: dict[str, Any]) -> str:
    number = args.get("number") or run.extras.get(_LAST)
    if not number:
        raise InvalidInput(_("name the order: no order was saved in this scenario yet"))
    run.extras[_LAST] = str(number)
    return str(number)


@action("new_order")
def _new_order(run: ScenarioRun, args: dict[str, Any]) -> object:
    document = run.till.orders.new(str(args.get("kind", "sales_order")))
    if args.get("customer"):
        run.till.set_customer(str(args["customer"]))
    return document


@action("order_details")
def _order_details(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.orders.set_details(
        pickup_point=args.get("pickup_point"),
        expected_date=args.get("expected_date"),
        recipient=args.get("recipient"),
        note=args.get("note"),
    )


@action("save_order")
def _save_order(run: ScenarioRun, args: dict[str, Any]) -> object:
    order = run.till.orders.save()
    if order.document.type.value == "sales_order":
        run.extras[_LAST] = order.number
    return order


@action("order_from_offer")
def _order_from_offer(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.orders.from_offer(str(args["number"]))


@action("fulfil_order")
def _fulfil_order(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.orders.fulfil(_number(run, args), str(args.get("as", "receipt")))


@action("fulfil_line")
def _fulfil_line(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.orders.take(int(args["line"]), args.get("quantity"))


@action("fulfil_scan")
def _fulfil_scan(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.orders.scan(str(args["code"]), args.get("quantity", 1))


@action("take_deposit")
def _take_deposit(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.orders.take_deposit(_number(run, args), args["amount"])


@action("cancel_order")
def _cancel_order(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.orders.cancel(
        _number(run, args), deposit=args.get("deposit"), voucher=args.get("voucher")
    )


@action("cancel_order_line")
def _cancel_order_line(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.orders.cancel_line(_number(run, args), int(args["line"]), args.get("quantity"))


@action("refund_deposit")
def _refund_deposit(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.orders.refund_deposit(str(args["number"]))


def order_facts(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "type": order.document.type.value,
        "state": order.state,
        "customer": order.document.customer,
        "pickup_point": order.document.pickup_point,
        "expected_date": order.document.expected_date.isoformat()
        if order.document.expected_date
        else None,
        "reverse_charge": order.document.reverse_charge,
        "split_payment": order.document.split_payment,
        "held": order.held,
        "lines": [
            {
                "line": p.position,
                "sku": p.line.sku,
                "lot": p.line.lot,
                "ordered": p.ordered,
                "fulfilled": p.fulfilled,
                "cancelled": p.cancelled,
                "remaining": p.remaining,
            }
            for p in order.lines
        ],
        "deposits": [
            {
                "number": d.number,
                "amount": d.amount,
                "deducted": d.deducted,
                "held": d.held,
                "state": d.state,
                "settled_by": d.settled_by,
            }
            for d in order.deposits
        ],
    }


@action("expect_order")
def _expect_order(run: ScenarioRun, args: dict[str, Any]) -> object:
    wanted = dict(args)
    order = run.till.orders.get(_number(run, wanted))
    wanted.pop("number", None)
    expect(differences(wanted, order_facts(order), "order"))
    return None


@action("expect_orders")
def _expect_orders(run: ScenarioRun, args: dict[str, Any]) -> object:
    found = run.till.orders.find(**dict(args.get("find") or {}))
    expect(differences(list(args.get("numbers", [])), [o.number for o in found], "orders"))
    return None
