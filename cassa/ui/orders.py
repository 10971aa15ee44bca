"""The orders screen's view-model (seed: "Nuovo ordine di vendita", evasione parziale).

The cashier finds offers and orders by number, customer, date and state; the order
picked shows each line with what was ordered, delivered, cancelled and what remains,
and the deposits held. [Evadi] opens the receipt or invoice generated from the order
(`Till.orders.fulfil`); with the pack's copy of quantities it starts with all that
remains, and scanning an article counts one more unit of its order line
(`Till.orders.scan`: never more than remains, the seed's message otherwise). [Acconto]
opens the deposit document for an amount typed on the keypad; both are paid in the
payment window. [Annulla] cancels what remains (permission cancel_order: a cashier
gets the manager's approval). The engine decides; the model formats what it says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cassa.engine.documents import Document, DocumentType
from cassa.engine.orders import Order
from cassa.ui.keypad import press

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["OrderLineRow", "OrderRow", "OrdersModel"]


@dataclass(frozen=True)
class OrderRow:
    """One offer or order found: every value already formatted."""

    number: str
    state: str
    customer: str
    expected: str
    total: str
    held: str
    selected: bool


@dataclass(frozen=True)
class OrderLineRow:
    """One line of the order picked: ordered = delivered + cancelled + remaining."""

    position: int
    sku: str
    name: str
    lot: str
    unit: str
    ordered: str
    fulfilled: str
    cancelled: str
    remaining: str
    delivering: str  # on the open generated document; "" when not on it
    done: bool  # nothing remains


class OrdersModel:
    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.number = ""  # the search fields
        self.customer = ""
        self.day = ""
        self.state = "active"
        self.amount = ""  # the keypad: a deposit
        self.found: list[Order] = []
        self.rows: list[OrderRow] = []
        self.order: Order | None = None
        self.lines: list[OrderLineRow] = []
        self.deposits: list[tuple[str, str, str]] = []  # number, amount held, state

    # -- finding ------------------------------------------------------------------------------
    def search(self) -> bool:
        """The offers and orders matching the fields (all the active ones when empty)."""
        return self.app.attempt(self._search)

    def _search(self, *, keep: bool = False) -> None:
        self.found = self.app.till.orders.find(
            number=self.number.strip() or None,
            customer=self.customer.strip() or None,
            day=self.day.strip() or None,
            state=self.state or None,
        )
        picked = self.order
        if not keep and picked is not None and all(o.number != picked.number for o in self.found):
            self.order = None
        self._show()

    def pick(self, number: str) -> bool:
        """Show an order's lines, what remains of them and its deposits."""
        return self.app.attempt(lambda: self._pick(number))

    def _pick(self, number: str) -> None:
        self.order = self.app.till.orders.get(number)
        self._show()

    def refresh(self) -> None:
        """Shown again: the orders found and the order picked as the engine has them now
        (a part paid meanwhile, the order cancelled)."""
        self._search(keep=True)
        if self.order is not None:
            self.order = self.app.till.orders.get(self.order.number)
        self._show()

    def _show(self) -> None:
        app = self.app
        picked = self.order.number if self.order is not None else None
        self.rows = [
            OrderRow(
                number=o.number,
                state=o.state,
                customer=o.document.customer or "",
                expected=o.document.expected_date.isoformat() if o.document.expected_date else "",
                total=app.money(o.document.totals(app.till.currency).total),
                held=app.money(o.held),
                selected=o.number == picked,
            )
            for o in self.found
        ]
        self.lines, self.deposits = [], []
        order = self.order
        if order is None:
            return
        open_part = self.generated()
        delivering = (
            {line.origin_line: line.quantity for line in open_part.lines if line.origin_line}
            if open_part is not None and open_part.origin_id == order.document.id
            else {}
        )
        for p in order.lines:
            places = p.line.unit_precision
            on = delivering.get(p.line.id)
            self.lines.append(
                OrderLineRow(
                    position=p.position,
                    sku=p.line.sku or "",
                    name=p.line.name,
                    lot=", ".join(value for _, value in p.line.lot_properties),
                    unit=p.line.unit,
                    ordered=app.quantity(p.ordered, places),
                    fulfilled=app.quantity(p.fulfilled, places),
                    cancelled=app.quantity(p.cancelled, places),
                    remaining=app.quantity(p.remaining, places),
                    delivering=app.quantity(on, places) if on is not None else "",
                    done=p.remaining <= 0,
                )
            )
        self.deposits = [(d.number, app.money(d.held), d.state) for d in order.deposits]

    def generated(self) -> Document | None:
        """The receipt or invoice being made from an order at this till, if one is open."""
        current = self.app.till.current
        if current is None or not current.editable:
            return None
        if current.origin_type is not DocumentType.SALES_ORDER:
            return None
        return current

    # -- fulfilling, deposits, cancelling ----------------------------------------------------
    def fulfil(self, kind: str = "receipt") -> bool:
        """[Evadi]: the document generated from the order picked opens at the till."""
        order = self.order
        if order is None:
            return False
        done = self.app.attempt(lambda: self.app.till.orders.fulfil(order.number, kind))
        if done:
            self.refresh()
        return done

    def scan(self, code: str) -> bool:
        """A scan on the open generated document: one more unit of its order line."""
        done = self.app.attempt(lambda: self.app.till.orders.scan(code.strip()))
        self.refresh()
        return done

    def press(self, key: str) -> None:
        """The keypad types the deposit's amount; Enter takes it."""
        if key == "enter":
            self.take_deposit()
            return
        self.amount = press(self.amount, key)
        self.app.changed()

    def take_deposit(self) -> bool:
        """[Acconto]: the deposit document for the amount typed opens at the till."""
        order = self.order
        if order is None:
            return False
        amount = self.amount.strip().replace(",", ".")
        done = self.app.attempt(lambda: self.app.till.orders.take_deposit(order.number, amount))
        if done:
            self.amount = ""
        return done

    def cancel(self) -> bool:
        """[Annulla]: what remains of the order picked is cancelled (the approval asked when
        the operator lacks cancel_order)."""
        order = self.order
        if order is None:
            return False
        done = self.app.attempt(lambda: self.app.till.orders.cancel(order.number))
        self.refresh()
        return done
