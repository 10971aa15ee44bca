"""`cassa report …`: the money side's reports as JSON, or as the receipt printer prints them.

cassa report till   [--till T01] [--day ID | --date 2026-07-05] [--print] --db cassa.db
cassa report store  [--date D | --from D --to D] [--print] --db cassa.db
cassa report safe   [--date D] [--transactions] --db cassa.db
cassa report cash-documents [--till T01] [--type cash_in] [--number FRAGMENT] [--date D]
cassa report cards  [--till T01] [--store-wide] [--state approved]
cassa report shifts [--open] [--text FRAGMENT]
cassa report fiscal [--till T01] [--from D --to D]
cassa report voucher NUMBER
"""

from __future__ import annotations

import argparse
from typing import Any

from cassa import cli_inputs
from cassa.cli_till import run_on_till
from cassa.engine.errors import InvalidInput
from cassa.i18n import LANGUAGES, _

__all__ = ["add_commands", "run"]


def add_commands(commands: Any) -> None:
    report = commands.add_parser("report", help="till, store, safe, cash, card and fiscal reports")
    sub = report.add_subparsers(dest="report_command", required=True, metavar="REPORT")

    def common(parser: argparse.ArgumentParser, *, printable: bool = False) -> None:
        parser.add_argument("--db", default="cassa.db", help="SQLite file or SQLAlchemy URL")
        parser.add_argument("--store", help="store code (default: the only or first store)")
        parser.add_argument("--till", help="till code (default: the store's first till)")
        parser.add_argument("--locale", default="it", choices=LANGUAGES)
        if printable:
            parser.add_argument(
                "--print", action="store_true", help="show it as the receipt printer prints it"
            )

    till = sub.add_parser("till", help="till summary: cash flows, tenders, sales, categories")
    common(till, printable=True)
    which = till.add_mutually_exclusive_group()
    which.add_argument("--day", type=cli_inputs.whole(_("the day")), help="the day (session) id")
    which.add_argument("--date", type=cli_inputs.day(), help="the last session of this date")

    store = sub.add_parser("store", help="store summary, daily or for a period")
    common(store, printable=True)
    store.add_argument("--date", type=cli_inputs.day(), help="one day (default: today)")
    store.add_argument("--from", dest="date_from", type=cli_inputs.day())
    store.add_argument("--to", dest="date_to", type=cli_inputs.day())

    safe = sub.add_parser("safe", help="the safe: balances per tender, transactions")
    common(safe, printable=True)
    safe.add_argument("--date", type=cli_inputs.day())
    safe.add_argument("--transactions", action="store_true", help="list the transactions")

    documents = sub.add_parser("cash-documents", help="cash in / cash out documents")
    common(documents, printable=True)
    documents.add_argument("--type", choices=["cash_in", "cash_out"])
    documents.add_argument("--number", help="a fragment of the number")
    documents.add_argument("--date", type=cli_inputs.day())
    documents.add_argument("--amount", type=cli_inputs.amount())
    documents.add_argument("--store-wide", action="store_true")

    cards = sub.add_parser("cards", help="card transactions of a till or of the store")
    common(cards)
    cards.add_argument("--store-wide", action="store_true")
    cards.add_argument("--state")
    cards.add_argument("--cashier")

    shifts = sub.add_parser("shifts", help="the cashiers' shifts")
    common(shifts)
    shifts.add_argument("--open", action="store_true")
    shifts.add_argument("--text", help="a fragment of the number or of the cashier")

    fiscal = sub.add_parser("fiscal", help="fiscal reports kept, or a periodic report")
    common(fiscal, printable=True)
    fiscal.add_argument("--from", dest="date_from", type=cli_inputs.day())
    fiscal.add_argument("--to", dest="date_to", type=cli_inputs.day())

    voucher = sub.add_parser("voucher", help="a voucher or gift card: balance and history")
    common(voucher)
    voucher.add_argument("number")


def run(args: argparse.Namespace) -> int:
    return run_on_till(args, _report)


def _printed(till: Any, report: Any, locale: str) -> str:
    from cassa.devices.printing.decoder import decode
    from cassa.devices.printing.printer import ReceiptPrinter
    from cassa.devices.printing.simulator import SimulatedPrinter

    printer = ReceiptPrinter(SimulatedPrinter())
    return str(decode(printer.render(till.reports.printable(report, locale))).text) + "\n"


def _reason(document: Any, locale: str) -> str:
    """An automatic document's reason in the slip's language (it is stored in English)."""
    from cassa.engine.messages import Message

    if document.reason in ("opening_deposit", "closing_withdrawal", "closing_difference"):
        return Message(document.reason).render(locale)
    return str(document.description)


def _cash_slip(till: Any, document: Any, locale: str) -> str:
    """A cash in / cash out document on the receipt printer's cash_in / cash_out layout."""
    from cassa.devices.printing.data import CashMovement, cash_movement_data
    from cassa.devices.printing.decoder import decode
    from cassa.devices.printing.printer import ReceiptPrinter
    from cassa.devices.printing.simulator import SimulatedPrinter
    from cassa.engine.receipt_text import ReceiptHeader

    store = till.store
    header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
    movement = CashMovement(
        kind=document.kind,
        number=document.number,
        till=document.till,
        operator=document.operator,
        at=document.at,
        amount=document.amount,
        currency=till.cash.settings.currency_of(document.currency),
        tender=document.tender,
        reason=_reason(document, locale),
        counterpart=document.payer or "",
    )
    printer = ReceiptPrinter(SimulatedPrinter())
    data = cash_movement_data(movement, header, locale)
    return str(decode(printer.render(data)).text) + "\n"


def _report(till: Any, args: argparse.Namespace) -> Any:
    command = args.report_command
    reports = till.reports
    if command == "till":
        summary = reports.till_summary(args.day, on=args.date)
        return _printed(till, summary, args.locale) if args.print else summary.as_json()
    if command == "store":
        if args.date is not None and (args.date_from or args.date_to):
            raise InvalidInput(_("give --date, or --from and --to"))
        start = args.date or args.date_from
        end = args.date or args.date_to or start
        summary = reports.store_summary(start, end)
        return _printed(till, summary, args.locale) if args.print else summary.as_json()
    if command == "safe":
        view = reports.safe(args.date)
        if args.print:
            return _printed(till, view, args.locale)
        result = view.as_json()
        if args.transactions:
            result["transactions"] = [
                t.as_json() for t in till.cash.safe_transactions(day=args.date)
            ]
        return result
    if command == "cash-documents":
        found = till.cash.documents(
            kind=args.type,
            number=args.number,
            day=args.date,
            amount=args.amount,
            store_wide=args.store_wide,
        )
        if args.print:
            return "".join(_cash_slip(till, document, args.locale) for document in found)
        return [d.as_json() for d in found]
    if command == "cards":
        filters: dict[str, Any] = {}
        if args.state:
            filters["states"] = frozenset([args.state])
        if args.cashier:
            filters["operator"] = args.cashier
        return [
            t.as_json() for t in till.cash.card_transactions(store_wide=args.store_wide, **filters)
        ]
    if command == "shifts":
        return [s.as_json() for s in till.cash.shifts(text=args.text, open_only=args.open)]
    if command == "fiscal":
        if args.date_from or args.date_to:
            start = args.date_from or args.date_to
            report = reports.fiscal_periodic(start, args.date_to or till.now().date())
            return _printed(till, report, args.locale) if args.print else report.as_json()
        if args.print:
            raise InvalidInput(
                _(
                    "a printed fiscal report is a periodic one: give --from (and "
                    "--to, default today)"
                )
            )
        from cassa.engine.reports._fiscal import kept_reports

        return kept_reports(till.database, till.code)
    if command == "voucher":
        vouchers = till.cash.vouchers
        found = vouchers.get(args.number).as_json()
        found["history"] = vouchers.history(args.number)
        return found
    raise AssertionError(command)
