"""The money screens' view-models: cash in / cash out, the till summary, the safe,
and the day's (or shift's) closing with the cash count (seed 002: Versamenti e
prelievi di cassa, Riepilogo della postazione, Cassaforte, Chiusura del giorno /
del turno, Conteggia la cassa)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from cassa.engine.cash import Count, DayClosing, TenderBalance
from cassa.engine.errors import CassaError, InvalidInput
from cassa.engine.reports import report_rows
from cassa.i18n import _
from cassa.ui.keypad import parse_number, press

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = [
    "CashCount",
    "CashModel",
    "ClosingModel",
    "Row",
    "SafeModel",
    "SummaryModel",
    "screen_rows",
]


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]


def _amount(text: str) -> Decimal:
    value = parse_number(text, "the amount") if text.strip() else Decimal(0)
    if value <= 0:
        raise InvalidInput(_("the amount must be above zero"))
    return value


def screen_rows(app: TillApp, report: object) -> list[tuple[str, str]]:
    """A report's labelled values as the screen shows them: words and numbers in the
    operator's language, tenders by name."""
    names = {code: tender.name for code, tender in app.settings.tenders.items()}
    return report_rows(report, app.locale, tenders=names, number=app.quantity)


class CashModel:
    """Cash in (VC) and cash out (PC) documents typed by the operator, and today's list."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.kind = "cash_in"
        self.amount = ""
        self.description = ""
        self.rows: list[Row] = []
        self.balance = ""
        self.last = ""

    def refresh(self) -> None:
        app = self.app
        till = app.till
        try:
            documents = till.cash.documents(day=till.now().date())
            balance = till.cash.expected("cash")
        except CassaError as error:
            self.rows, self.balance = [], app.describe(error)
            return
        self.balance = app.money(balance)
        self.rows = [
            Row(
                (
                    d.number,
                    app.t(f"{d.kind}_short"),
                    f"{app.money(d.amount)} {d.currency}",
                    d.description,
                    d.at.astimezone(till.timezone).strftime("%H:%M"),
                )
            )
            for d in reversed(documents)
        ]

    def set_kind(self, kind: str) -> None:
        self.kind = kind if kind in ("cash_in", "cash_out") else "cash_in"
        self.app.changed()

    def press(self, key: str) -> None:
        if key == "enter":
            self.submit()
            return
        self.amount = press(self.amount, key)
        self.app.changed()

    def submit(self) -> bool:
        app = self.app
        till = app.till

        def run() -> None:
            amount = _amount(self.amount)
            record = till.cash.cash_in if self.kind == "cash_in" else till.cash.cash_out
            document = record(amount, payer_kind="employee", description=self.description.strip())
            self.last = app.t("cash_document_done", number=document.number)
            self.amount = self.description = ""
            self.refresh()
            app.inform(self.last)

        return app.attempt(run)


class SummaryModel:
    """The till summary of the open day (seed: Riepilogo della postazione): cash flows,
    the balance per tender and the sales figures, as the report prints them."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.rows: list[tuple[str, str]] = []
        self.tenders: list[Row] = []
        self.title = ""

    def refresh(self) -> None:
        app = self.app
        try:
            summary = app.till.reports.till_summary()
        except CassaError as error:
            self.rows, self.tenders = [], []
            self.title = app.describe(error)
            return
        self.title = app.t("summary_of", date=app.when(summary.opened_at))
        self.rows = screen_rows(app, summary)
        self.tenders = [
            Row(
                (
                    app.tender_name(line.tender),
                    line.currency,
                    str(line.payments),
                    app.money(line.cash_in),
                    app.money(line.cash_out),
                    app.money(line.balance),
                )
            )
            for line in summary.tenders
        ]

    def print(self) -> bool:
        return self.app.print_report(self.app.till.reports.till_summary)


class SafeModel:
    """The store's safe (seed: Cassaforte): balances per tender, deposits from the
    drawer, withdrawals to the bank or back into the drawer, and its reminders."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.amount = ""
        self.description = ""
        self.rows: list[Row] = []
        self.reminders: list[str] = []

    def refresh(self) -> None:
        app = self.app
        try:
            view = app.till.cash.safe()
            self.reminders = [app.render(m) for m in app.till.cash.reminders()]
        except CassaError as error:
            self.rows, self.reminders = [], [app.describe(error)]
            return
        self.rows = [
            Row(
                (
                    app.tender_name(line.tender),
                    line.currency,
                    app.money(line.opening),
                    app.money(line.deposits),
                    app.money(line.withdrawals),
                    app.money(line.closing),
                )
            )
            for line in view.lines
        ]

    def press(self, key: str) -> None:
        if key == "enter":
            self.move("deposit")
            return
        self.amount = press(self.amount, key)
        self.app.changed()

    def move(self, direction: str) -> bool:
        """deposit (drawer -> safe), bank (safe -> bank), drawer (safe -> drawer)."""
        app = self.app
        cash = app.till.cash

        def run() -> None:
            amount = _amount(self.amount)
            description = self.description.strip()
            if direction == "deposit":
                moved = cash.safe_deposit(amount, description=description)
            elif direction == "drawer":
                moved = cash.safe_withdrawal(amount, payer_kind="employee", description=description)
            else:
                moved = cash.safe_withdrawal(amount, description=description)
            self.amount = self.description = ""
            self.refresh()
            app.inform(app.t("safe_done", number=moved.number))

        return app.attempt(run)


class CashCount:
    """Counting a drawer before it closes: the expected balance per tender, the cash
    counted by banknotes and coins or typed on the keypad, the withdrawal, the
    difference, and the closing's result as rows (the closing screen, and the shifts
    screen closing another cashier's shift)."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.counted = ""
        self.withdrawal = ""
        self.field = "counted"  # the keypad types into counted or withdrawal
        self.pieces: dict[Decimal, int] = {}
        self.by_pieces = False
        self.expected: list[Row] = []
        self.expected_cash = Decimal(0)
        self.result: DayClosing | None = None
        self.result_rows: list[Row] = []

    @property
    def denominations(self) -> tuple[Decimal, ...]:
        settings = self.app.settings
        return settings.denominations.get(settings.currency.code, ())

    @property
    def mandatory(self) -> bool:
        return self.app.settings.cash.mandatory_count

    def start(self, balance: Callable[[], dict[tuple[str, str], TenderBalance]]) -> None:
        """A new count of the drawer whose expected balance `balance` reads."""
        app = self.app
        self.result = None
        self.result_rows = []
        self.counted = self.withdrawal = ""
        self.field = "counted"
        self.pieces = {}
        self.by_pieces = self.mandatory
        self.expected_cash = Decimal(0)
        try:
            balances = balance()
        except CassaError as error:
            self.expected = [Row((app.describe(error),))]
            return
        cash = balances.get(("cash", app.settings.currency.code))
        self.expected_cash = cash.expected if cash else Decimal(0)
        self.expected = [
            Row(
                (app.tender_name(b.tender), b.currency, app.money(b.opening), app.money(b.expected))
            )
            for b in balances.values()
        ]

    @property
    def counted_total(self) -> Decimal:
        if self.by_pieces:
            return sum((face * n for face, n in self.pieces.items()), Decimal(0))
        try:
            return parse_number(self.counted) if self.counted.strip() else Decimal(0)
        except InvalidInput:
            return Decimal(0)

    @property
    def difference(self) -> Decimal:
        return self.counted_total - self.expected_cash

    def count_by_pieces(self, on: bool) -> None:
        self.by_pieces = on or self.mandatory
        self.app.changed()

    def add_piece(self, face: Decimal, delta: int = 1) -> None:
        self.pieces[face] = max(0, self.pieces.get(face, 0) + delta)
        self.app.changed()

    def focus(self, field: str) -> None:
        self.field = field if field in ("counted", "withdrawal") else "counted"
        self.app.changed()

    def press(self, key: str) -> None:
        if key == "enter":
            self.field = "withdrawal" if self.field == "counted" else "counted"
            self.app.changed()
            return
        if self.field == "withdrawal":
            self.withdrawal = press(self.withdrawal, key)
        else:
            self.counted = press(self.counted, key)
        self.app.changed()

    def counts(self) -> tuple[list[Count], list[Count]]:
        """The counts and withdrawals for the engine's closing."""
        counts: list[Count] = []
        if self.by_pieces:
            pieces = {face: n for face, n in self.pieces.items() if n}
            if pieces:
                counts.append(Count.of("cash", denominations=pieces))
            elif not self.mandatory:  # an empty drawer; where counting is mandatory the
                counts.append(Count.of("cash", 0))  # engine says a count is missing
        elif self.counted.strip():
            counts.append(Count.of("cash", parse_number(self.counted)))
        withdrawals = []
        if self.withdrawal.strip():
            amount = parse_number(self.withdrawal, "the withdrawal")
            if amount > 0:
                withdrawals.append(Count.of("cash", amount))
        return counts, withdrawals

    def closed(self, closing: DayClosing) -> None:
        """Keep what the closing wrote, as the result table shows it."""
        app = self.app
        self.result = closing
        self.result_rows = [
            Row(
                (
                    app.tender_name(line.tender),
                    line.currency,
                    app.money(line.expected),
                    "" if line.counted is None else app.money(line.counted),
                    app.money(line.difference),
                    app.money(line.withdrawal),
                    app.money(line.remaining),
                )
            )
            for line in closing.lines
        ]


class ClosingModel(CashCount):
    """Closing the day (or the operator's shift): the expected balance per tender, the
    cash counted by banknotes and coins or typed, the withdrawal, the difference (which
    needs a permission: a manager approves), then what was written."""

    @property
    def kind(self) -> str:
        return "shift" if self.app.by_shifts else "day"

    def refresh(self) -> None:
        self.start(self.app.till.cash.balance)

    def submit(self) -> bool:
        app = self.app
        till = app.till

        def run() -> None:
            counts, withdrawals = self.counts()
            if self.kind == "shift":
                closing = till.cash.close_shift(counts=counts, withdrawals=withdrawals)
            else:
                closing = till.close_day(counts=counts, withdrawals=withdrawals)
            self.closed(closing)
            app.sale.refresh()
            self._print(closing)

        return app.attempt(run)

    def _print(self, closing: DayClosing) -> None:
        """The closing slip, to be signed; a printer problem leaves the closing done."""
        app = self.app
        devices = app.devices
        if devices is None or devices.devices.printer is None:
            return
        printer = devices.devices.printer
        try:
            printer.deliver(printer.render(app.till.reports.closing_slip(closing, app.locale)))
        except CassaError as error:
            app.inform(app.t("not_printed", reason=app.describe(error)), "error")

    def finish(self) -> None:
        """After closing: the operator logs out; the next one opens a new day."""
        self.result = None
        self.app.logout()
