"""`cassa order …`: offers and sales orders from the command line, a thin layer over
`Till.orders` (cassa.engine.orders).

```sh
cassa order create --customer C0001 --line LAMP-NIGHT-BEIGE:3 [--offer] [--pickup-point P]
                   [--expected-date 2026-07-20] [--note TEXT] --as anna
cassa order from-offer OV/T01/2026/000001 --as anna
cassa order find [--number FRAGMENT] [--customer C0001] [--date D] [--state active] [--json]
cassa order show OrV/T01/2026/000001 [--json]
cassa order deposit OrV/T01/2026/000001 30.00 [--tender cash] --as anna
cassa order fulfil OrV/T01/2026/000001 [--on invoice] [--line 1:2 …] [--tender cash] --as anna
cassa order cancel OrV/T01/2026/000001 [--deposit voucher --voucher VM-000001] --as marco
cassa order refund-deposit S/T01/2026/000002 [--tender cash] --as marco
cassa order open [--due-by D]        # the orders still to deliver, what remains of them
cassa order deposits                 # deposits held: owed to customers, not sales
```
Commands that make documents work on a till whose day is open (`--till`, the store's
first by default), as the employee `--as` names, who logs in with their password (typed
at a terminal, else one line of standard input) and acts with their role.
"""

from __future__ import annotations

import argparse
from typing import Any

from cassa import cli_inputs
from cassa.cli_till import run_on_till
from cassa.engine.errors import InvalidInput
from cassa.i18n import _

__all__ = ["add_commands", "run"]


def add_commands(commands: Any) -> None:
    order = commands.add_parser("order", help="offers and sales orders: take, fulfil, cancel")
    sub = order.add_subparsers(dest="order_command", required=True, metavar="COMMAND")

    def common(parser: argparse.ArgumentParser, *, writes: bool = False) -> None:
        parser.add_argument("--db", default="cassa.db", help="SQLite file or SQLAlchemy URL")
        parser.add_argument("--store", help="store code (default: the only or first store)")
        parser.add_argument("--till", help="till code (default: the store's first till)")
        if writes:
            parser.add_argument(
                "--as",
                dest="actor",
                metavar="USERNAME",
                required=True,
                type=cli_inputs.code(_("the operator")),
                help="the employee at the till (asked for their password)",
            )

    create = sub.add_parser("create", help="take an offer or a sales order")
    common(create, writes=True)
    create.add_argument("--customer", type=cli_inputs.code(_("the customer")))
    create.add_argument(
        "--line", action="append", required=True, metavar="CODE[:QUANTITY]", help="repeatable"
    )
    create.add_argument("--offer", action="store_true", help="an offer (OV), not an order")
    create.add_argument("--pickup-point", type=cli_inputs.text(_("the pickup point"), limit=64))
    create.add_argument("--expected-date", type=cli_inputs.day())
    create.add_argument("--note", type=cli_inputs.text(_("the note")))

    convert = sub.add_parser("from-offer", help="a sales order from an open offer")
    common(convert, writes=True)
    convert.add_argument("number", type=cli_inputs.code(_("the number")))

    find = sub.add_parser("find", help="offers and orders by number, customer, date, state")
    common(find)
    find.add_argument("--number", type=cli_inputs.code(_("the number")))
    find.add_argument("--customer", type=cli_inputs.code(_("the customer")))
    find.add_argument("--date", type=cli_inputs.day(), help="made or expected on this date")
    find.add_argument(
        "--state",
        choices=["active", "open", "partially_fulfilled", "fulfilled", "cancelled", "converted"],
    )
    find.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="an offer or order with what remains of it")
    common(show)
    show.add_argument("number", type=cli_inputs.code(_("the number")))
    show.add_argument("--json", action="store_true")

    deposit = sub.add_parser("deposit", help="take a deposit on an order and pay it")
    common(deposit, writes=True)
    deposit.add_argument("number", type=cli_inputs.code(_("the number")))
    deposit.add_argument("amount", type=cli_inputs.amount(_("the deposit")))
    deposit.add_argument("--tender", default="cash")

    fulfil = sub.add_parser("fulfil", help="deliver (part of) an order on a receipt or invoice")
    common(fulfil, writes=True)
    fulfil.add_argument("number", type=cli_inputs.code(_("the number")))
    fulfil.add_argument("--on", dest="kind", choices=["receipt", "invoice"], default="receipt")
    fulfil.add_argument(
        "--line",
        action="append",
        metavar="POSITION:QUANTITY",
        help="deliver only these lines (repeatable); default: all that remains",
    )
    fulfil.add_argument("--tender", default="cash")

    cancel = sub.add_parser("cancel", help="cancel what remains of an order")
    common(cancel, writes=True)
    cancel.add_argument("number", type=cli_inputs.code(_("the number")))
    cancel.add_argument("--deposit", choices=["refund", "voucher"])
    cancel.add_argument("--voucher", type=cli_inputs.code(_("the voucher")))

    refund = sub.add_parser("refund-deposit", help="pay back a cancelled order's deposit")
    common(refund, writes=True)
    refund.add_argument("number", type=cli_inputs.code(_("the number")))
    refund.add_argument("--tender", default="cash")

    pending = sub.add_parser("open", help="orders still to deliver, soonest first")
    common(pending)
    pending.add_argument("--due-by", type=cli_inputs.day())

    held = sub.add_parser("deposits", help="deposits held: owed to customers, not sales")
    common(held)


def run(args: argparse.Namespace) -> int:
    # a command that makes a document logs its employee in, with their role
    return run_on_till(args, _command, actor=getattr(args, "actor", None))


def _command(till: Any, args: argparse.Namespace) -> Any:
    from cassa.engine.orders import deposits_held, open_orders, order_json

    desk = till.orders
    command = args.order_command
    currency = till.currency
    if command == "create":
        desk.new("offer" if args.offer else "sales_order")
        if args.customer:
            till.set_customer(args.customer)
        for spec in args.line:
            code, quantity = _pair(spec, _("the line"))
            till.scan(code, quantity or 1)
        if args.pickup_point or args.expected_date or args.note:
            desk.set_details(
                pickup_point=args.pickup_point, expected_date=args.expected_date, note=args.note
            )
        return order_json(desk.save(), currency)
    if command == "from-offer":
        desk.from_offer(args.number)
        return order_json(desk.save(), currency)
    if command == "find":
        found = desk.find(
            number=args.number, customer=args.customer, day=args.date, state=args.state
        )
        if args.json:
            return [order_json(o, currency) for o in found]
        return "".join(
            f"{o.number}  {o.state:<20} {o.document.customer or '-':<10} "
            f"{o.document.expected_date or '-'}  held {o.held}\n"
            for o in found
        )
    if command == "show":
        order = order_json(desk.get(args.number), currency)
        return order if args.json else _text(order)
    if command == "deposit":
        desk.take_deposit(args.number, args.amount)
        return _paid(till, args.tender)
    if command == "fulfil":
        desk.fulfil(args.number, args.kind)
        if args.line:
            wanted = dict(_pair(spec, _("the line")) for spec in args.line)
            desk.take_lines(
                {
                    position: wanted.get(str(position), 0)
                    for position in range(1, len(desk.remaining()) + 1)
                }
            )
        return _paid(till, args.tender)
    if command == "cancel":
        return order_json(
            desk.cancel(args.number, deposit=args.deposit, voucher=args.voucher), currency
        )
    if command == "refund-deposit":
        desk.refund_deposit(args.number)
        return _paid(till, args.tender, refund=True)
    if command == "open":
        return open_orders(till.database, currency, store=till.store.code, due_by=args.due_by)
    if command == "deposits":
        return deposits_held(till.database, currency, store=till.store.code)
    raise AssertionError(command)


def _pair(spec: str, what: Any) -> tuple[str, str | None]:
    code, _sep, quantity = spec.partition(":")
    if not code.strip():
        raise InvalidInput(_("{what} must be written CODE:QUANTITY", what=what))
    return code.strip(), quantity.strip() or None


def _paid(till: Any, tender: str, *, refund: bool = False) -> dict[str, Any]:
    """The open document paid with one tender (or paid back), approved; its JSON."""
    from cassa.engine.export import document_json

    window = till.checkout()
    if not window.settled:
        if refund:
            window.add(tender)
        else:
            window.add(tender, window.due(tender))
    document = window.approve().document
    return document_json(document, document.totals(till.currency), till.currency)


def _text(order: dict[str, Any]) -> str:
    head = (
        f"{order['number']}  {order['state']}  customer {order['customer'] or '-'}\n"
        f"pickup {order['pickup_point'] or '-'}  expected {order['expected_date'] or '-'}\n"
        f"total {order['total']}  remaining {order['remaining_value']}  held {order['held']}\n"
    )
    lines = "".join(
        f"{line['line']:>3} {line['sku'] or '':<18} ordered {line['ordered']:>6} "
        f"fulfilled {line['fulfilled']:>6} cancelled {line['cancelled']:>6} "
        f"remaining {line['remaining']:>6}\n"
        for line in order["lines"]
    )
    deposits = "".join(
        f"    deposit {d['number']}  {d['amount']}  {d['state']}  held {d['held']}\n"
        for d in order["deposits"]
    )
    return head + lines + deposits
