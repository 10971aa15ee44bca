"""`cassa stock …`: warehouse documents and what a store holds, as JSON (or CSV).

cassa stock receive  CODE=QTY[@LOT] … [--voucher NUMBER …] [--warehouse FLOOR] [--note TEXT]
cassa stock issue    CODE=QTY[@LOT] … [--voucher NUMBER …] [--warehouse FLOOR] [--note TEXT]
cassa stock transfer CODE=QTY[@LOT] … --from BACK --to FLOOR [--to-store MI02]
cassa stock arrive   NUMBER                      # a transfer's goods arrive (MM+)
cassa stock count    CODE=QTY[@LOT] … [--warehouse FLOOR] --operator marco
cassa stock show     [--warehouse W] [--group G] [--sku SKU] [--below-reorder] [--csv]
cassa stock movements SKU [--csv]

Every command takes --db, --store and --till (default: the store's first till);
--operator USERNAME logs an employee in (the password is asked, or read from standard
input): documents carry their name, and a count needs their permission count_stock.
"""

from __future__ import annotations

import argparse
import csv
from typing import Any

from cassa.cli_till import run_on_till
from cassa.engine.errors import InvalidInput
from cassa.i18n import _

__all__ = ["add_commands", "run"]


def _line(text: str) -> Any:
    from cassa.engine.stock import StockLine

    code, separator, rest = text.partition("=")
    if not separator or not code or not rest:
        raise argparse.ArgumentTypeError(f"{text!r}: write CODE=QUANTITY, e.g. NOTEBOOK-A5=10")
    quantity, _, lot = rest.partition("@")
    return StockLine(code, quantity, lot or None)


def add_commands(commands: Any) -> None:
    stock = commands.add_parser("stock", help="warehouse documents, stock on hand, movements")
    sub = stock.add_subparsers(dest="stock_command", required=True, metavar="COMMAND")

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--db", default="cassa.db", help="SQLite file or SQLAlchemy URL")
        parser.add_argument("--store", help="store code (default: the only or first store)")
        parser.add_argument("--till", help="till code (default: the store's first till)")
        parser.add_argument("--operator", help="the employee booking it (their password is asked)")

    def lines(parser: argparse.ArgumentParser, *, vouchers: bool = True) -> None:
        parser.add_argument("lines", nargs="*", type=_line, metavar="CODE=QTY[@LOT]")
        if vouchers:
            parser.add_argument(
                "--voucher", action="append", default=[], help="a voucher by its number"
            )
        parser.add_argument("--note", default="")

    for name, text in (("receive", "goods receipt (MMI+)"), ("issue", "goods issue (MMI-)")):
        parser = sub.add_parser(name, help=text)
        common(parser)
        lines(parser)
        parser.add_argument("--warehouse", default="FLOOR")
    transfer = sub.add_parser("transfer", help="a transfer between warehouses (MM-, MM+)")
    common(transfer)
    lines(transfer, vouchers=False)
    transfer.add_argument("--from", dest="source", default="FLOOR")
    transfer.add_argument("--to", dest="target", required=True)
    transfer.add_argument(
        "--to-store", help="another store: the goods stay in transit until it books arrive"
    )
    arrive = sub.add_parser("arrive", help="a transfer's goods arrive (MM+)")
    common(arrive)
    arrive.add_argument("number")
    arrive.add_argument("--note", default="")
    count = sub.add_parser("count", help="a stock count: the differences become movements")
    common(count)
    lines(count, vouchers=False)
    count.add_argument("--warehouse", default="FLOOR")
    show = sub.add_parser("show", help="stock on hand per warehouse and item, value at cost")
    common(show)
    show.add_argument("--warehouse")
    show.add_argument("--group", help="an item group (its subgroups too)")
    show.add_argument("--sku", action="append", help="only these items")
    show.add_argument("--below-reorder", action="store_true", help="items below reorder level")
    show.add_argument("--csv", action="store_true", help="CSV instead of JSON")
    movements = sub.add_parser("movements", help="an item's movements, oldest first")
    common(movements)
    movements.add_argument("sku")
    movements.add_argument("--csv", action="store_true", help="CSV instead of JSON")


def run(args: argparse.Namespace) -> int:
    return run_on_till(args, _command, actor=args.operator)


def _command(till: Any, args: argparse.Namespace) -> Any:
    from cassa.engine.stock import StockLine, stock_report

    stock = till.stock
    command = args.stock_command
    if command in ("receive", "issue"):
        lines = [*args.lines, *(StockLine(voucher=v) for v in args.voucher)]
        book = stock.receive if command == "receive" else stock.issue
        return book(lines, warehouse=args.warehouse, note=args.note).as_json()
    if command == "transfer":
        if args.to_store and args.to_store != till.store.code:
            sent = stock.dispatch(
                args.lines,
                warehouse=args.source,
                to_warehouse=args.target,
                to_store=args.to_store,
                note=args.note,
            )
            return [sent.as_json()]
        return [
            d.as_json()
            for d in stock.transfer(
                args.lines, warehouse=args.source, to_warehouse=args.target, note=args.note
            )
        ]
    if command == "arrive":
        return stock.arrive(args.number, note=args.note).as_json()
    if command == "count":
        return stock.count(args.lines, warehouse=args.warehouse, note=args.note).as_json()
    if command == "show":
        report = stock_report(
            till,
            warehouse=args.warehouse,
            group=args.group,
            skus=args.sku,
            below_reorder=args.below_reorder,
        )
        return _csv(report.csv_rows()) if args.csv else report.as_json()
    if command == "movements":
        found = stock.movements(args.sku)
        if not found and till.catalog.item(args.sku) is None:
            raise InvalidInput(_("no item with SKU {sku}", sku=args.sku))
        rows = [m.as_json() for m in found]
        if args.csv:
            header = list(rows[0]) if rows else ["id", "at", "store", "warehouse", "sku"]
            return _csv([header, *([r[k] for k in header] for r in rows)])
        return rows
    raise AssertionError(command)


def _csv(rows: Any) -> str:
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()
