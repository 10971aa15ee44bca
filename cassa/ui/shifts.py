"""The shifts screen's view-model (seed: Turni degli operatori): the store's shifts,
filtered by number or cashier, and the authorized closing of another cashier's open
shift with its cash count (permission close_other_shift: a manager approves)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cassa.engine.cash import Shift
from cassa.engine.errors import CassaError
from cassa.ui.cash import CashCount, Row

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["ShiftsModel"]


class ShiftsModel:
    """The list with its filter, the shift selected, and the count of the shift being
    closed (`closing`); a store working by till days has no shifts."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.text = ""
        self.open_only = False
        self.shifts: list[Shift] = []
        self.rows: list[Row] = []
        self.selected: str | None = None  # the shift's number
        self.closing: Shift | None = None
        self.count = CashCount(app)

    @property
    def available(self) -> bool:
        return self.app.by_shifts

    def refresh(self) -> None:
        self.closing = None
        self.count.result = None
        self.load()

    def load(self) -> None:
        app = self.app
        self.shifts, self.rows = [], []
        if not self.available:
            return
        try:
            shifts = self._find()
        except CassaError as error:
            app.inform(app.describe(error), "error")
            return
        names = self._names()
        self.shifts = shifts
        self.rows = [
            Row(
                (
                    s.number,
                    names.get(s.cashier, s.cashier),
                    s.opened_till,
                    app.when(s.opened_at),
                    app.when(s.closed_at) if s.closed_at else "",
                    app.t("shift_open" if s.open else "shift_closed"),
                )
            )
            for s in shifts
        ]
        if self.selected not in {s.number for s in shifts}:
            self.selected = None

    def _find(self) -> list[Shift]:
        text = self.text.strip()
        found = self.app.till.cash.shifts(text=text or None, open_only=self.open_only)
        return sorted(found, key=lambda s: s.id, reverse=True)  # the latest first

    def _names(self) -> dict[str, str]:
        gate = self.app.till.gate
        if gate is None:
            return {}
        store = self.app.till.store.code
        return {e.username: e.full_name for e in gate.people.list(store=store)}

    # -- the list ------------------------------------------------------------------------
    def filter(self, text: str) -> None:
        self.text = text
        self.load()
        self.app.changed()

    def show_open_only(self, on: bool) -> None:
        self.open_only = on
        self.load()
        self.app.changed()

    def select(self, number: str) -> None:
        self.selected = None if self.selected == number else number
        self.app.changed()

    @property
    def selected_shift(self) -> Shift | None:
        return next((s for s in self.shifts if s.number == self.selected), None)

    @property
    def can_close(self) -> bool:
        shift = self.selected_shift
        return shift is not None and shift.open

    # -- closing a shift -------------------------------------------------------------------
    def start_closing(self) -> bool:
        """Count the selected open shift; the operator's own closes on the closing screen."""
        from cassa.ui.app import Screen

        app = self.app
        shift = self.selected_shift
        if shift is None or not shift.open:
            app.inform(app.t("select_open_shift"), "error")
            return False
        if shift.cashier == app.till.operator:
            app.go(Screen.CLOSING)
            return True
        self.closing = shift
        self.count.start(lambda: app.till.cash.balance(cashier=shift.cashier))
        app.changed()
        return True

    @property
    def closing_name(self) -> str:
        if self.closing is None:
            return ""
        return self._names().get(self.closing.cashier, self.closing.cashier)

    def submit(self) -> bool:
        app = self.app
        shift = self.closing
        if shift is None:
            return False

        def run() -> None:
            counts, withdrawals = self.count.counts()
            closing = app.till.cash.close_shift(
                cashier=shift.cashier, counts=counts, withdrawals=withdrawals
            )
            self.count.closed(closing)
            self.load()

        return app.attempt(run)

    def cancel(self) -> None:
        """Back to the list, nothing closed."""
        self.closing = None
        self.count.result = None
        self.app.changed()

    def done(self) -> None:
        """The closing's result read: back to the list."""
        self.cancel()
