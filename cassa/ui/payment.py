"""The payment window's view-model (seed: Finestra di pagamento).

To pay, tender tiles (the pack's tenders, those a tender rule refuses shown
disabled with the reason), the amount to assign with its keypad and currency,
the payments made, what remains or the change; card payments go through the
payment terminal, and an outcome nobody knows is asked to the operator
("was the card payment completed anyway?"). Approving stores the payment
(`Checkout.approve`), then the receipt is printed through the till's printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from cassa.engine.errors import CassaError, InvalidInput
from cassa.engine.payments import (
    CardDeclined,
    CardOutcomeUnknown,
    Checkout,
    PaidDocument,
    TenderType,
)
from cassa.engine.people import Permission
from cassa.engine.receipt_text import ReceiptHeader
from cassa.engine.taxes import ConversionOffered
from cassa.i18n import _, decimal_symbol, translate
from cassa.ui.keypad import parse_number, press

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["EntryRow", "PaymentModel", "QuickCash", "TenderTile", "next_amounts"]

# The figures' words when the money goes back to the customer.
REFUND_LABELS = {"to_pay": "to_give_back", "paid": "given_back"}


@dataclass(frozen=True)
class TenderTile:
    code: str
    name: str
    type: str
    enabled: bool
    why_not: str = ""


def next_amounts(due: Decimal, faces: tuple[Decimal, ...], count: int = 3) -> list[Decimal]:
    """What a customer is likely to hand over for `due`: the amount rounded up to each
    banknote and to whole units and fives (not to 2-unit coins: nobody pays 146 for
    144,50), smallest first, without the exact amount itself."""
    found: set[Decimal] = set()
    for face in faces:
        if face < 1 or (face < 10 and str(face.normalize())[0] == "2"):
            continue
        rounded = (due / face).to_integral_value(rounding=ROUND_CEILING) * face
        if rounded > due:
            found.add(rounded)
    return sorted(found)[:count]


@dataclass(frozen=True)
class QuickCash:
    """A quick-cash button: pays `amount` in cash at once (the exact amount first)."""

    amount: Decimal
    label: str
    exact: bool


@dataclass(frozen=True)
class EntryRow:
    id: str
    tender: str
    amount: str  # in the tender's currency
    system_amount: str
    reference: str
    executed: bool  # a card payment the terminal charged


class PaymentModel:
    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.checkout: Checkout | None = None
        self.amount = ""
        self.currency = ""
        self.number_for: str | None = None  # the tender whose number is asked
        self.number = ""
        self.card_busy = False
        self.card_question: str | None = None  # the card transaction nobody knows about
        self.paid: PaidDocument | None = None
        self.paper = ""  # what the printer printed, decoded
        self.print_message = ""
        self.printable_again = False  # omitted below the limit: print if the customer asks

    # -- opening and closing ------------------------------------------------------------------
    def open(self) -> bool:
        from cassa.ui.app import Screen

        app = self.app

        def run() -> None:
            document = app.till.current
            if document is None or not document.editable or not document.lines:
                raise InvalidInput(_("an empty document cannot be paid: add at least one line"))
            self.checkout = app.till.checkout()
            self.paid = None
            self.paper = self.print_message = ""
            self.printable_again = False
            self.currency = app.settings.currency.code
            self._propose()

        offered: list[ConversionOffered] = []

        def run_or_offer() -> None:
            try:
                run()
            except ConversionOffered as offer:  # the pack offers the document as another type
                offered.append(offer)

        if not app.attempt(run_or_offer):
            return False
        if offered:
            app.sale.offer_conversion(app.describe(offered[0]), offered[0].target)
            return False
        app.go(Screen.PAYMENT)
        return True

    def back(self) -> bool:
        """[Chiudi]: back to the document, when no payment is left in the window."""
        from cassa.ui.app import Screen

        checkout = self.checkout
        if checkout is None or self.paid is not None:
            self.app.go(Screen.SALE)
            return True
        if not self.app.attempt(checkout.close):
            return False
        self.checkout = None
        # a return goes back to its lines on the returns screen
        self.app.go(Screen.RETURNS if checkout.document.type.is_return else Screen.SALE)
        return True

    def new_sale(self) -> None:
        from cassa.ui.app import Screen

        self.checkout = None
        self.paid = None
        self.paper = self.print_message = ""
        self.app.sale.selected = None
        self.app.go(Screen.SALE)

    # -- what the window shows -------------------------------------------------------------
    def _propose(self) -> None:
        """The amount field follows what is left to pay, in the chosen currency (seed:
        Importo da assegnare); it is typed text, as the keypad edits it."""
        checkout = self.checkout
        if checkout is None or checkout.settled:
            self.amount = ""
            return
        system = self.app.settings.currency.code
        if self.currency and self.currency != system:
            due = checkout.due("cash", self.currency)
        else:
            due = checkout.remaining
        if checkout.refund:
            due = -due  # typed as the amount that goes back
        places = self.app.settings.currency_of(self.currency or None).minor_units
        separator = decimal_symbol(self.app.locale)
        self.amount = f"{due:.{places}f}".replace(".", separator)

    def tiles(self) -> list[TenderTile]:
        checkout = self.checkout
        if checkout is None:
            return []
        options = {o.tender.code: o for o in checkout.tenders()}
        wanted = self.app.layout.payment.tenders
        codes = [c for c in wanted if c in options] if wanted is not None else list(options)
        settled = checkout.settled
        tiles = []
        for code in codes:
            option = options[code]
            allowed = self.currency in option.currencies
            why = "" if allowed else option.why_not(self.currency, self.app.locale)
            if allowed and checkout.refund and not checkout.gives_back(code):
                allowed = False
                refusal = (
                    checkout.card_refund_refusal()
                    if option.tender.type is TenderType.CARD
                    else None
                )
                why = (
                    translate(refusal, self.app.locale)
                    if refusal is not None
                    else self.app.t("refund_not_with_tender")
                )
            tiles.append(
                TenderTile(
                    code,
                    option.tender.name,
                    option.tender.type.value,
                    allowed and not settled and self.paid is None,
                    why,
                )
            )
        return tiles

    def currencies(self) -> list[str]:
        settings = self.app.settings
        found = [settings.currency.code]
        for tender in settings.tenders.values():
            found.extend(c for c in tender.currencies if c not in found)
        return found

    def entries(self) -> list[EntryRow]:
        checkout = self.checkout
        if checkout is None:
            return []
        app = self.app
        return [
            EntryRow(
                e.id,
                e.tender.name,
                f"{app.money(e.amount)} {e.currency}",
                app.money(e.system_amount),
                e.reference or "",
                e.executed,
            )
            for e in checkout.entries
        ]

    def figures(self) -> dict[str, str]:
        checkout = self.checkout
        app = self.app
        if checkout is None:
            return {}

        def shown(amount: Decimal) -> str:  # a refund shows the money going back
            return app.money(-amount if checkout.refund and amount else amount)

        if self.paid is not None:
            settlement = self.paid.settlement
            return {
                "to_pay": shown(settlement.to_pay),
                "paid": shown(settlement.paid),
                "remaining": app.money(Decimal(0)),
                "change": app.money(settlement.change),
            }
        return {
            "to_pay": shown(checkout.to_pay),
            "paid": shown(checkout.paid),
            "remaining": shown(checkout.remaining),
            "change": app.money(checkout.change),
        }

    @property
    def refund(self) -> bool:
        """The window pays money back (a return)."""
        return self.checkout is not None and self.checkout.refund

    @property
    def status(self) -> str:
        """What the approved window says: paid, or given back for a refund."""
        number = (self.paid.number or "") if self.paid is not None else ""
        return self.app.t("given_back_as" if self.refund else "paid_as", number=number)

    def label(self, figure: str) -> str:
        """A figure's label: "Da restituire" rather than "Da pagare" on a refund."""
        return self.app.t(REFUND_LABELS.get(figure, figure) if self.refund else figure)

    @property
    def settled(self) -> bool:
        return self.checkout is not None and self.checkout.settled

    @property
    def notices(self) -> list[str]:
        if self.checkout is None:
            return []
        return [self.app.render(n) for n in self.checkout.notices]

    @property
    def can_clear(self) -> bool:
        """[Pulisci] shows only with a payment it can remove (not a charged card)."""
        return self.checkout is not None and any(not e.executed for e in self.checkout.entries)

    def quick_cash(self) -> list[QuickCash]:
        """The exact amount left and the next banknotes above it, in the chosen currency;
        none on a refund, when nothing is left or when cash is not offered."""
        checkout = self.checkout
        cash = next((t for t in self.tiles() if t.type == "cash" and t.enabled), None)
        if checkout is None or checkout.refund or checkout.settled or cash is None:
            return []
        settings = self.app.settings
        code = self.currency or settings.currency.code
        due = checkout.due(cash.code, code)
        faces = settings.denominations.get(code, ())
        money = self.app.money
        quick = [QuickCash(due, money(due), True)]
        quick += [QuickCash(a, money(a), False) for a in next_amounts(due, faces)]
        return quick

    def pay_cash(self, amount: Decimal) -> bool:
        """A quick-cash button: `amount` given in cash (the change follows)."""
        cash = next((t for t in self.tiles() if t.type == "cash" and t.enabled), None)
        if cash is None:
            return False
        places = self.app.settings.currency_of(self.currency or None).minor_units
        self.amount = f"{amount:.{places}f}".replace(".", decimal_symbol(self.app.locale))
        return self.choose(cash.code)

    # -- the keypad and the currency ----------------------------------------------------------
    def press(self, key: str) -> None:
        """The keypad; its Enter pays the amount in cash (the most common tender)."""
        if key == "enter":
            cash = next((t for t in self.tiles() if t.type == "cash" and t.enabled), None)
            if cash is not None:
                self.choose(cash.code)
            return
        self.amount = press(self.amount, key)
        self.app.changed()

    def set_currency(self, currency: str) -> None:
        self.currency = currency
        self._propose()
        self.app.changed()

    def _typed(self) -> Decimal | None:
        return parse_number(self.amount, "the amount") if self.amount.strip() else None

    # -- paying -----------------------------------------------------------------------------
    def choose(self, code: str) -> bool:
        """A tender tile: tenders that need a number (voucher, gift card, cheque, meal and
        social vouchers) ask it first; the card goes to the terminal (`pay_card`)."""
        tender = self.app.settings.tenders.get(code)
        if tender is None:
            return False
        if tender.type is TenderType.CARD:
            return self.pay_card(code)
        if tender.needs_number:
            self.number_for = code
            self.number = ""
            self.app.changed()
            return True
        return self._add(code, None)

    def submit_number(self) -> bool:
        code = self.number_for
        if code is None:
            return False
        if not self.number.strip():
            self.app.inform(self.app.t("number_needed"), "error")
            return False
        self.number_for = None
        return self._add(code, self.number.strip())

    def cancel_number(self) -> None:
        self.number_for = None
        self.app.changed()

    def _add(self, code: str, number: str | None) -> bool:
        checkout = self.checkout
        if checkout is None:
            return False

        def run() -> None:
            tender = self.app.settings.tender(code)
            amount = self._typed()
            if number is not None and tender.type is not TenderType.CHEQUE and amount is not None:
                # a voucher or gift card pays what it holds, up to what is left
                amount = None if amount == abs(checkout.remaining) else amount
            checkout.add(code, amount, currency=self.currency or None, number=number)
            self.app.notice = None
            self._propose()

        return self.app.attempt(run)

    def begin_card(self) -> None:
        """The view is locked while the customer uses the terminal (seed: Pagamento con carta)."""
        self.card_busy = True
        self.app.changed()

    def pay_card(self, code: str | None = None) -> bool:
        checkout = self.checkout
        if checkout is None:
            return False
        app = self.app
        try:
            amount = self._typed()
            checkout.pay_card(amount, tender=code, currency=self.currency or None)
        except CardOutcomeUnknown as unknown:
            self.card_question = unknown.transaction_id
            self.card_busy = False
            app.changed()
            return False
        except CardDeclined as declined:
            self.card_busy = False
            app.inform(app.t("card_declined", reason=declined.message), "error")
            return False
        except CassaError as error:
            self.card_busy = False
            app.inform(app.describe(error), "error")
            return False
        self.card_busy = False
        app.notice = None
        self._propose()
        app.changed()
        return True

    @property
    def card_question_text(self) -> str:
        from cassa.engine.messages import Message

        return self.app.render(Message("card_outcome_unknown"))

    def answer_card(self, completed: bool) -> bool:
        """The operator's answer: yes adds the payment, no cancels it (logged with them)."""
        checkout = self.checkout
        transaction = self.card_question
        if checkout is None or transaction is None:
            return False

        def run() -> None:
            checkout.confirm_card(transaction, completed)
            self.card_question = None
            self._propose()

        return self.app.attempt(run)

    def clear(self) -> bool:
        checkout = self.checkout
        if checkout is None:
            return False

        def run() -> None:
            checkout.clear()
            self._propose()

        return self.app.attempt(run)

    def undo(self) -> bool:
        checkout = self.checkout
        if checkout is None:
            return False

        def run() -> None:
            checkout.undo()
            self._propose()

        return self.app.attempt(run)

    # -- approving and printing ----------------------------------------------------------------
    def approve(self) -> bool:
        """[Approva]: stored at once with the payments, then printed (seed)."""
        checkout = self.checkout
        if checkout is None:
            return False
        app = self.app

        def run() -> None:
            self.paid = checkout.approve()
            app.sale.selected = None
            app.sale.refresh()
            self._print(customer_asked=False)

        if not app.attempt(run):
            return False
        notes = [app.render(m) for m in self.paid.messages] if self.paid else []
        if notes:
            app.inform(" ".join(notes), "warning")
        return True

    def _payments(self) -> list[object]:
        from cassa.devices.printing.data import Payment

        assert self.paid is not None
        return [
            Payment(row.tender.code, row.system_amount, row.tender.name)
            for row in self.paid.settlement.rows
            if row.kind == "payment"
        ]

    def _header(self) -> ReceiptHeader:
        store = self.app.till.store
        return ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)

    def _print(self, *, customer_asked: bool) -> None:
        devices = self.app.devices
        paid = self.paid
        if paid is None:
            return
        if devices is None or devices.devices.printing is None:
            self.print_message = self.app.t("no_printer")
            return
        till = self.app.till
        document = paid.document
        before = devices.jobs()
        try:
            outcome = devices.devices.printing.print_sale(
                document,
                document.totals(till.currency),
                till.country,
                self._header(),
                operator=till.operator,
                payments=self._payments(),  # type: ignore[arg-type]
                change=paid.settlement.change,
                customer_asked=customer_asked,
            )
            if paid.bought_back is not None:  # the correction approved with it, its own paper
                correction = paid.bought_back
                devices.devices.printing.print_sale(
                    correction,
                    correction.totals(till.currency),
                    till.country,
                    self._header(),
                    operator=till.operator,
                    customer_asked=customer_asked,
                )
        except CassaError as error:
            self.print_message = self.app.t("not_printed", reason=self.app.describe(error))
            return
        if outcome.omitted:
            self.printable_again = True
            self.print_message = self.app.t("receipt_omitted")
            return
        self.printable_again = False
        self.print_message = (
            self.app.t("printed") if outcome.printed else self.app.t("print_queued")
        )
        self.paper = devices.paper_since(before)

    def print_receipt(self) -> bool:
        """Print the receipt the limit left out (the customer asks), or a duplicate
        (needs the reprint permission: a manager approves otherwise)."""
        paid = self.paid
        devices = self.app.devices
        if paid is None or devices is None or devices.devices.printing is None:
            return False
        if self.printable_again:
            self._print(customer_asked=True)
            self.app.changed()
            return True
        till = self.app.till
        printing = devices.devices.printing

        def run() -> None:
            till.require(Permission.REPRINT, what="reprint a document")
            before = devices.jobs()
            outcome = printing.reprint(
                paid.document,
                paid.document.totals(till.currency),
                till.country,
                self._header(),
                operator=till.operator,
                payments=self._payments(),  # type: ignore[arg-type]
                change=paid.settlement.change,
            )
            self.print_message = outcome.message()
            self.paper = devices.paper_since(before)

        return self.app.attempt(run)
