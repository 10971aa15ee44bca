"""The returns screen's view-model (seed: reso, correzione dello scontrino CQS / della
fattura CQFV).

The cashier types or scans the number of the original receipt or invoice; its
lines show what was sold, what earlier returns took back and what is left. A
line picked with a quantity on the keypad is taken back (`Till.returns.take`),
at the original's price and discounts; the return's total is negative: the money
that goes back to the customer through the payment window ([Rimborsa]).

The engine opens the return (`Till.returns.start`, permission `make_return`: a
cashier gets the manager's approval) and checks every line again; the model only
words the usual refusals in the operator's language before the engine is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cassa.engine.documents import Document, DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput, NotFound
from cassa.engine.returns import Returnable, check_fiscal_original
from cassa.ui.keypad import parse_number, press

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["ReturnRow", "ReturnsModel"]


@dataclass(frozen=True)
class ReturnRow:
    """One line of the original as the screen shows it: every value already formatted."""

    position: int  # on the original
    sku: str
    name: str
    unit: str
    sold: str
    returned: str  # by the approved returns before this one
    left: str
    taking: str  # on this return; "" when the line is not on it
    value: str  # what this return gives back for the line (negative); "" when not on it
    selected: bool
    exhausted: bool  # nothing left to return


class ReturnsModel:
    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.number = ""  # typed or scanned
        self.quantity = ""  # the keypad: empty takes back all that is left
        self.selected: int | None = None  # a position on the original
        self.original: Document | None = None
        self.facts: list[tuple[str, str]] = []
        self.rows: list[ReturnRow] = []
        self.total = ""  # the return's total, negative
        self.to_give_back = ""  # the same, as the money going back
        self._items: dict[int, Returnable] = {}

    # -- what the screen shows ---------------------------------------------------------------
    def open_return(self) -> Document | None:
        """The return being made at this till, if one is open."""
        current = self.app.till.current
        if current is None or not current.editable or not current.type.is_return:
            return None
        return current

    @property
    def can_refund(self) -> bool:
        document = self.open_return()
        return document is not None and bool(document.lines)

    def refresh(self) -> None:
        """Shown again: the open return and its original as the engine has them now (a
        return paid back or discarded meanwhile leaves the screen empty)."""
        document = self.open_return()
        if document is None:
            self._forget()
            return
        self.original = self.app.till.returns.original()
        self.number = self.original.number or ""
        self._show(document)

    def _forget(self) -> None:
        self.original = None
        self.facts, self.rows = [], []
        self.selected = None
        self.quantity = self.total = self.to_give_back = ""
        self._items = {}

    def _show(self, document: Document) -> None:
        app = self.app
        till = app.till
        original = self.original
        assert original is not None
        items = till.returns.returnable(original)
        self._items = {item.position: item for item in items}
        totals = document.totals(till.currency)
        taking = {t.line.origin_line: t for t in totals.lines}
        rows = []
        for item in items:
            line = item.line
            places = line.unit_precision
            on = taking.get(line.id)
            rows.append(
                ReturnRow(
                    position=item.position,
                    sku=line.sku or "",
                    name=line.name,
                    unit=line.unit,
                    sold=app.quantity(item.sold, places),
                    returned=app.quantity(item.returned, places),
                    left=app.quantity(item.left, places),
                    taking=app.quantity(-on.line.quantity, places) if on else "",
                    value=app.money(on.value) if on else "",
                    selected=item.position == self.selected,
                    exhausted=item.left <= 0,
                )
            )
        self.rows = rows
        self.total = app.money(totals.total)
        self.to_give_back = app.money(-totals.total)
        self.facts = self._facts(original)

    def _facts(self, original: Document) -> list[tuple[str, str]]:
        app = self.app
        t = app.t
        invoice = original.type is DocumentType.INVOICE
        kind = "return_kind_invoice" if invoice else "return_kind_receipt"
        facts = [
            (t("kind"), t(kind)),
            (t("number"), original.number or ""),
            (t("return_date"), app.when(original.approved_at or original.created_at)),
        ]
        customer = app.till.catalog.find_customer(original.customer)
        if customer is not None:
            facts.append((t("return_customer"), customer.name))
        facts.append((t("total"), app.money(original.totals(app.till.currency).total)))
        return facts

    # -- finding the original and opening the return ------------------------------------------
    def find(self, number: str | None = None) -> bool:
        """The original's number: its lines show, and the return opens on it."""
        if number is not None:
            self.number = number
        text = self.number.strip()
        if not text:
            self.app.inform(self.app.t("return_number_needed"), "error")
            return False
        return self.app.attempt(lambda: self._start(text))

    def _start(self, number: str) -> None:
        till = self.app.till
        t = self.app.t
        opened = self.open_return()
        if opened is not None and opened.origin_number == number:
            self.refresh()  # the return of this document is already open: go on with it
            return
        current = till.current
        if current is not None and current.editable and current.lines:
            if current.type.is_return:
                raise InvalidInput(t("return_other_open", number=current.origin_number or ""))
            raise InvalidInput(t("return_sale_open"))
        try:
            original = till.documents.find_by_number(number)
        except NotFound:
            raise InvalidInput(t("return_unknown", number=number)) from None
        kind = original.type.return_type()
        if kind is None:
            raise InvalidInput(t("return_not_a_sale", number=number))
        items = till.returns.returnable(original)
        if not any(item.left > 0 for item in items):
            raise InvalidInput(t("return_nothing_left", number=number))
        try:
            check_fiscal_original(till, kind, original)
        except DocumentStateError:
            raise InvalidInput(t("return_fiscal_pending", number=number)) from None
        document = till.returns.start(number)  # needs make_return: the approval asks here
        self.original = original
        self.number = number
        self.quantity = ""
        self.selected = next((item.position for item in items if item.left > 0), None)
        self._show(document)
        self.app.notice = None

    # -- picking lines and quantities ----------------------------------------------------------
    def select(self, position: int) -> None:
        self.selected = position
        self.quantity = ""
        document = self.open_return()
        if document is not None and self.original is not None:
            self._show(document)
        self.app.changed()

    def press(self, key: str) -> None:
        """The keypad types the quantity to return; its Enter takes the line back."""
        if key == "enter":
            self.take()
            return
        self.quantity = press(self.quantity, key)
        self.app.changed()

    def take(self, position: int | None = None, quantity: str | None = None) -> bool:
        """Take back `quantity` (typed; all that is left when empty) of a line of the
        original; taking a line again sets its quantity."""
        app = self.app
        t = app.t
        position = position if position is not None else self.selected
        item = self._items.get(position) if position is not None else None
        if position is None or item is None:
            app.inform(t("return_select_line"), "error")
            return False
        typed = self.quantity if quantity is None else quantity

        def run() -> None:
            line = item.line
            places = line.unit_precision
            if item.left <= 0:
                raise InvalidInput(t("return_line_done", position=position, name=line.name))
            amount = parse_number(typed, "the quantity") if typed.strip() else item.left
            if amount <= 0:
                raise InvalidInput(t("return_quantity_positive"))
            if amount > item.left:
                raise InvalidInput(
                    t(
                        "return_too_many",
                        position=position,
                        name=line.name,
                        left=app.quantity(item.left, places),
                        unit=line.unit,
                        sold=app.quantity(item.sold, places),
                        returned=app.quantity(item.returned, places),
                        quantity=app.quantity(amount, places),
                    )
                )
            app.till.returns.take(position, amount)
            self.selected = position
            self.quantity = ""
            self._show(app.till.document())
            app.notice = None  # an earlier refusal no longer holds

        return app.attempt(run)

    def put_back(self, position: int | None = None) -> bool:
        """Leave a line of the original out of the return."""
        app = self.app
        position = position if position is not None else self.selected
        document = self.open_return()
        if position is None or document is None:
            app.inform(app.t("return_select_line"), "error")
            return False
        item = self._items.get(position)
        if item is None or not any(line.origin_line == item.line.id for line in document.lines):
            app.inform(app.t("return_line_not_taken", position=position), "error")
            return False

        def run() -> None:
            app.till.returns.put_back(position)
            self._show(app.till.document())
            app.notice = None

        return app.attempt(run)

    # -- paying back, or giving up ------------------------------------------------------------
    def refund(self) -> bool:
        """[Rimborsa]: the payment window opens on the return, to give the money back."""
        if not self.can_refund:
            self.app.inform(self.app.t("return_nothing_taken"), "error")
            return False
        return self.app.payment.open()

    def cancel(self) -> bool:
        """Give up the open return: nothing is taken back."""
        app = self.app
        if self.open_return() is None:
            self.number = ""
            self._forget()
            app.changed()
            return True

        def run() -> None:
            app.till.discard()
            self.number = ""
            self._forget()
            app.inform(app.t("return_cancelled"))

        return app.attempt(run)
