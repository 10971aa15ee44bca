"""The payment window (seed: Finestra di pagamento) on a document ready for payment.

Tenders are added one after another, several times the same one, in other
currencies at the pack's exchange rates; the remaining amount (or the change)
is always known in the system currency. `clear()` and `undo()` never remove a
card payment the terminal already charged. `approve()` refuses while the
payments are below the document (the seed's "Impossibile salvare il
pagamento…"), then numbers the document, writes its payments, its cash
movements, the vouchers and gift cards it touches and its report figures in ONE
transaction; only then does the drawer open (for tenders configured to open it)
and the fiscal printer register the receipt.

Change is always given in the system currency, in cash rounded to the
currency's cash increment (or onto a new own voucher, from a single-use own
voucher that allows change). A tender that gives no change (external, meal
and social vouchers, single-use vouchers without change) keeps what it paid
above the total: that is recorded as forfeited.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cassa.engine import inputs
from cassa.engine.buyback import FISCAL_TENDER as BUY_BACK_TENDER
from cassa.engine.buyback import split_buy_back
from cassa.engine.cash._ledger import (
    IN,
    OUT,
    LedgerContext,
    Movement,
    Reason,
    add_movement,
    open_shift_row,
    require_open_day,
)
from cassa.engine.catalog import ItemType
from cassa.engine.documents import Document, DocumentStatus, DocumentTotals, DocumentType
from cassa.engine.errors import DocumentStateError, InvalidInput
from cassa.engine.messages import Message
from cassa.engine.money import Currency, Money
from cassa.engine.payments._cards import CardPayments, CardState, CardTerminal, CardTransaction
from cassa.engine.payments._cheques import rlmc_valid
from cassa.engine.payments._errors import (
    CardDeclined,
    CardOutcomeUnknown,
    LocalizedError,
    PaymentRefused,
)
from cassa.engine.payments._format import amount_text
from cassa.engine.payments._rules import (
    DurableTenderMatcher,
    TenderOption,
    rule_notice,
    tender_options,
)
from cassa.engine.payments._rules import tender_context as build_context
from cassa.engine.payments._settings import (
    MoneySettings,
    Tender,
    TenderType,
    WorkMode,
    money_settings,
)
from cassa.engine.payments._stored_values import (
    GIFT_CARD,
    VOUCHER,
    credit,
    debit,
    redeemable,
)
from cassa.engine.people import Permission
from cassa.engine.rules.conditions import evaluate
from cassa.engine.storage.models import (
    CardTransactionRow,
    DocumentRow,
    DocumentVatRow,
    PaymentRow,
    StoredValueRow,
    StoredValueSaleRow,
)
from cassa.i18n import Text, _

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = [
    "Checkout",
    "PaidDocument",
    "PaymentDevices",
    "PaymentEntry",
    "Settlement",
    "SettlementRow",
]


@dataclass
class PaymentDevices:
    """The devices a till pays with: any of them may be missing."""

    terminal: CardTerminal | None = None
    drawer: Any = None  # cassa.devices.drawer.CashDrawer
    fiscal: Any = None  # cassa.devices.fiscal.records.Fiscalization
    status_wait: float = 30.0  # how long a pending card transaction is polled


@dataclass
class PaymentEntry:
    """One amount assigned to a tender in the payment window."""

    id: str
    tender: Tender
    currency: str
    amount: Decimal  # in `currency`; negative for a refund
    rate: Decimal
    system_amount: Decimal
    reference: str | None = None  # voucher, cheque or gift card number; card transaction
    executed: bool = False  # a card payment the terminal charged: never cleared
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "tender": self.tender.code,
            "currency": self.currency,
            "amount": amount_text(self.amount),
            "system_amount": amount_text(self.system_amount),
            "reference": self.reference,
            "executed": self.executed,
        }


@dataclass(frozen=True)
class SettlementRow:
    kind: str  # payment, change, forfeit, rounding
    tender: Tender
    currency: str
    amount: Decimal
    rate: Decimal
    system_amount: Decimal
    entry: PaymentEntry | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Settlement:
    to_pay: Decimal
    paid: Decimal
    change: Decimal  # given back, in the system currency
    change_to: str | None  # cash, voucher
    forfeit: Decimal
    rounding: Decimal
    rows: tuple[SettlementRow, ...]


@dataclass(frozen=True)
class PaidDocument:
    document: Document
    settlement: Settlement
    drawer_opened: bool
    messages: tuple[Message, ...] = ()
    debit_note: str | None = None  # the number of the debit note that sold its vouchers
    bought_back: Document | None = None  # the manual correction of what the sale bought back

    @property
    def number(self) -> str | None:
        return self.document.number


class Checkout:
    """The payment window of one document at one till."""

    def __init__(
        self,
        till: Till,
        settings: MoneySettings,
        document: Document,
        totals: DocumentTotals,
        options: list[TenderOption],
        notices: list[Message],
        cards: CardPayments,
    ) -> None:
        self.till = till
        self.settings = settings
        self.document = document
        self.totals = totals
        self.to_pay = totals.total
        self.options = {o.tender.code: o for o in options}
        self.notices = notices
        self.cards = cards
        self.entries: list[PaymentEntry] = []
        self.change_to = "cash"  # or "voucher", "none" (from a single-use voucher)
        self.change_voucher: str | None = None
        self.unresolved: list[str] = []  # card transactions awaiting the operator's answer
        self._history: list[tuple[list[PaymentEntry], str, str | None]] = []
        self.closed = False
        self.buy_back_approved = False  # approve_buy_back was granted when the window opened

    # -- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, till: Till) -> Checkout:
        document = till.document()
        document.ensure_editable()
        if not document.lines:
            raise DocumentStateError(_("an empty document cannot be paid: add at least one line"))
        settings = money_settings(till.pack, till.catalog)
        totals = document.totals(till.currency)
        if totals.total < 0 and not _refundable(document):
            raise DocumentStateError(
                _("the document total is negative: use a buy-back or a return document")
            )
        if any(
            line.item_type is ItemType.VOUCHER and line.quantity != 1 for line in document.lines
        ):
            raise LocalizedError(
                _("A voucher is added one at a time: its quantity cannot be changed")
            )  # refused before any money moves
        sale = till.pricing.context(document, till.now())
        context = build_context(document, sale, till.catalog, totals.total)
        matched = DurableTenderMatcher(settings.tender_rules).match(context)
        options = tender_options(settings.tenders.values(), settings.tender_rules, matched)
        notices: list[Message] = []
        for option in options:
            notices.extend(n for n in option.notices if n not in notices)
        devices = till.payment_devices or PaymentDevices()
        cards = CardPayments(
            till.database,
            devices.terminal,
            store=till.store.code,
            till=till.code,
            clock=till.now,
            status_wait=devices.status_wait,
        )
        bought_back = -sum(
            (t.value for t in totals.lines if t.line.item_type is ItemType.BUY_BACK), Decimal(0)
        )
        if bought_back:  # refused now, before a card is charged, not at the approval
            till.require(Permission.APPROVE_BUY_BACK, amount=bought_back)
        checkout = cls(till, settings, document, totals, options, notices, cards)
        checkout.buy_back_approved = bool(bought_back)
        checkout._recover_card_payments()
        return checkout

    def _recover_card_payments(self) -> None:
        """A card charged for this document before a crash is a payment already made."""
        for transaction in self.cards.list(document_id=self.document.id):
            if transaction.kind not in ("payment", "refund") or transaction.payment_id is not None:
                continue
            if transaction.state in CardState.UNRESOLVED:
                try:
                    transaction = self.cards.resolve(transaction.id)
                except CardOutcomeUnknown:
                    self.unresolved.append(transaction.id)
                    continue
                except CardDeclined:  # declined, or never received: nothing was charged
                    continue
            if transaction.approved:
                self._add_card_entry(transaction)

    # -- what the window shows -------------------------------------------------------------
    @property
    def currency(self) -> Currency:
        return self.settings.currency

    @property
    def refund(self) -> bool:
        return self.to_pay < 0

    @property
    def paid(self) -> Decimal:
        return sum((e.system_amount for e in self.entries), Decimal(0))

    @property
    def remaining(self) -> Decimal:
        """What is left to pay (to refund, for a return), exact, in the system currency."""
        left = self.to_pay - self.paid
        if self.refund:
            return min(left, Decimal(0))
        return max(left, Decimal(0))

    @property
    def remaining_in_cash(self) -> Decimal:
        return self.currency.rounding.to_cash(self.remaining)

    @property
    def settled(self) -> bool:
        if self.remaining == 0:
            return True
        return self.remaining_in_cash == 0 and any(
            e.tender.is_cash and e.currency == self.currency.code for e in self.entries
        )

    @property
    def change(self) -> Decimal:
        try:
            return self.settlement().change
        except PaymentRefused:
            return Decimal(0)

    def tenders(self) -> list[TenderOption]:
        """Every active tender, with the currencies it may take and the rules that say why."""
        return list(self.options.values())

    def gives_back(self, tender: str) -> bool:
        """Whether the window can pay a refund back with this tender: a card only to the
        card payments of the returned document (see `card_refund_refusal`)."""
        kind = self.settings.tender(tender).type
        if kind is TenderType.CARD:
            return self.card_refund_refusal() is None
        return kind in _REFUND_TYPES

    def card_sources(self) -> list[tuple[CardTransaction, Decimal]]:
        """The returned document's approved card payments (at any till of the store), each
        with what it can still give back to its card."""
        origin = self.document.origin_id
        if origin is None:
            return []
        return [
            (transaction, self.cards.refundable(transaction.id))
            for transaction in self.cards.list(document_id=origin, store_wide=True)
            if transaction.kind == "payment" and transaction.state == CardState.APPROVED
        ]

    def card_refund_refusal(self) -> Text | None:
        """Why this return cannot give money back to a card, or None when it can: only to
        the card that paid the returned document, through the terminal, up to what that
        payment has left (other card money goes back by the card list's manual refund)."""
        if self.document.origin_id is None:
            return _(
                "Only the return of a receipt paid by card gives money back to the card; "
                "otherwise use the manual refund of Card transactions"
            )
        if self.cards.terminal is None:
            return _("No payment terminal is configured at this till")
        sources = self.card_sources()
        if not sources:
            return _("The returned receipt was not paid by card")
        if not any(left > 0 for _transaction, left in sources):
            return _("The card payment of the returned receipt was already given back")
        return None

    def totals_by_tender(self) -> dict[tuple[str, str], Decimal]:
        """What was given per tender and currency (seed: one total per currency)."""
        result: dict[tuple[str, str], Decimal] = {}
        for entry in self.entries:
            key = (entry.tender.code, entry.currency)
            result[key] = result.get(key, Decimal(0)) + entry.amount
        return result

    def due(self, tender: str = "cash", currency: str | None = None) -> Decimal:
        """The amount the window proposes for a tender: what is left, in its currency."""
        chosen = self.settings.tender(tender)
        code = currency or self.currency.code
        money = self.settings.currency_of(code)
        left = min(self.remaining, self.allowance(chosen))
        if code == self.currency.code:
            return self.currency.rounding.to_cash(left) if chosen.is_cash else left
        rate = self.settings.rate(code)
        step = Decimal(1).scaleb(-money.minor_units)
        amount = (left / rate).quantize(step, rounding=ROUND_CEILING)
        if chosen.is_cash and money.rounding.cash_increment:
            increment = money.rounding.cash_increment
            amount = (amount / increment).to_integral_value(rounding=ROUND_CEILING) * increment
        return amount

    def allowance(self, tender: Tender) -> Decimal:
        """What the pack's caps still let `tender` pay of this document, in the system
        currency (what is left when nothing caps it)."""
        option = self.options.get(tender.code)
        left = self.remaining
        for rule in option.caps if option is not None else ():
            assert rule.cap is not None
            used = sum((e.system_amount for e in self.entries if rule.caps(e.tender)), Decimal(0))
            left = min(left, max(rule.cap - used, Decimal(0)))
        return left

    def _check_cap(self, tender: Tender, value: Decimal, currency: str) -> None:
        option = self.options.get(tender.code)
        if self.refund or option is None or not option.caps:
            return
        allowed = self.allowance(tender)
        if self.settings.to_system(value, currency) > allowed:
            rule = option.caps[0]
            raise InvalidInput(
                _(
                    "{tender} can pay at most {limit} of this document ({rule}): {left} "
                    "more at most, the rest with another tender",
                    tender=tender.name,
                    limit=Money(rule.cap or Decimal(0), self.currency),
                    rule=rule_notice(rule).text,
                    left=Money(allowed, self.currency),
                )
            )

    def as_json(self, locale: str = "en") -> dict[str, Any]:
        money = self.currency
        return {
            "document_id": self.document.id,
            "to_pay": f"{money.round(self.to_pay):.{money.minor_units}f}",
            "paid": f"{money.round(self.paid):.{money.minor_units}f}",
            "remaining": f"{money.round(self.remaining):.{money.minor_units}f}",
            "change": f"{money.round(self.change):.{money.minor_units}f}",
            "settled": self.settled,
            "payments": [e.as_json() for e in self.entries],
            "tenders": [o.as_json(locale) for o in self.options.values()],
            "notices": [n.render(locale) for n in self.notices],
        }

    # -- editing the payments --------------------------------------------------------------
    def _remember(self) -> None:
        self._history.append((list(self.entries), self.change_to, self.change_voucher))

    def _check_open(self) -> None:
        current = self.till.current
        if self.closed or current is None or current.id != self.document.id:
            raise DocumentStateError(_("the payment window is closed: open it on the document"))
        if self.unresolved:
            raise CardOutcomeUnknown(self.unresolved[0])

    def add(
        self,
        tender: str,
        amount: object = None,
        *,
        currency: str | None = None,
        number: str | None = None,
        **detail: Any,
    ) -> PaymentEntry:
        """Assign an amount (default: what is left, in the tender's currency) to a tender.

        `number` is the voucher, cheque or gift card number. Cheques take `accept_invalid`
        (the operator accepts a number whose RLMC key is wrong: marked forced) and
        `cashing_date`; external vouchers their face value as the amount."""
        self._check_open()
        if number is not None:  # a cheque's number is written with spaces
            number = inputs.text(number, _("the number"), limit=inputs.MAX_CODE)
        chosen = self.settings.tender(tender)
        if chosen.type is TenderType.CARD:
            return self.pay_card(amount, tender=tender, currency=currency)
        self._check_unsettled()
        code = self._check_tender(chosen, currency)
        handler = _HANDLERS.get(chosen.type, Checkout._plain)
        entry = handler(self, chosen, code, amount, number, detail)
        self._remember()
        self.entries.append(entry)
        return entry

    def _check_unsettled(self) -> None:
        if self.settled:
            raise InvalidInput(_("the document is paid: no tender can be added"))

    def _check_tender(self, tender: Tender, currency: str | None) -> str:
        code = currency or self.currency.code
        self.settings.currency_of(code)
        if code not in tender.currencies:
            raise InvalidInput(
                _(
                    "{name} does not take {code} (it takes {currencies})",
                    name=tender.name,
                    code=code,
                    currencies=", ".join(tender.currencies),
                )
            )
        option = self.options.get(tender.code)
        if option is None or code not in option.currencies:
            if option is None:
                raise InvalidInput(_("{name} is not available", name=tender.name))
            raise InvalidInput(option.why_not(code))
        if self.refund and tender.type not in _REFUND_TYPES:
            raise InvalidInput(
                _(
                    "{name} cannot be used to give money back: use cash, card, "
                    "an own multi-use voucher or a gift card",
                    name=tender.name,
                )
            )
        return code

    def _amount(self, tender: Tender, currency: str, amount: object) -> Decimal:
        if amount is None:
            value = self.due(tender.code, currency)
        else:
            value = inputs.amount(amount, negative=True)
        money = self.settings.currency_of(currency)
        if value != money.round(value):
            raise InvalidInput(
                _(
                    "{value} has more decimals than {currency} allows",
                    value=value,
                    currency=currency,
                )
            )
        if self.refund:
            if value >= 0:
                value = -value
            if value == 0:
                raise InvalidInput(_("the amount to give back must not be zero"))
            if self.settings.to_system(value, currency) < self.remaining:
                raise InvalidInput(
                    _(
                        "only {value} is to be given back, not {value2} {currency}",
                        value=-self.remaining,
                        value2=-value,
                        currency=currency,
                    )
                )
        elif value <= 0:
            raise InvalidInput(_("the amount must be above zero"))
        self._check_cap(tender, value, currency)
        return value

    def _entry(
        self,
        tender: Tender,
        currency: str,
        amount: Decimal,
        *,
        reference: str | None = None,
        executed: bool = False,
        **detail: Any,
    ) -> PaymentEntry:
        rate = self.settings.rate(currency)
        return PaymentEntry(
            id=str(uuid.uuid4()),
            tender=tender,
            currency=currency,
            amount=amount,
            rate=rate,
            system_amount=self.settings.to_system(amount, currency),
            reference=reference,
            executed=executed,
            detail=dict(detail),
        )

    def _no_overpay(self, tender: Tender, system_amount: Decimal) -> None:
        if not self.refund and system_amount > self.remaining:
            raise InvalidInput(
                _(
                    "{name} cannot pay more than what is left ({remaining}): it gives no change",
                    name=tender.name,
                    remaining=self.remaining,
                )
            )

    def _plain(
        self,
        tender: Tender,
        currency: str,
        amount: object,
        number: str | None,
        detail: dict[str, Any],
    ) -> PaymentEntry:
        value = self._amount(tender, currency, amount)
        entry = self._entry(tender, currency, value, reference=number)
        if not tender.is_cash:
            self._no_overpay(tender, entry.system_amount)
        return entry

    def _cheque(
        self,
        tender: Tender,
        currency: str,
        amount: object,
        number: str | None,
        detail: dict[str, Any],
    ) -> PaymentEntry:
        if not number:
            raise InvalidInput(_("a cheque payment needs the cheque's number"))
        cleaned = re.sub(r"[\s-]", "", number)
        forced = False
        if tender.validation == "rlmc" and not rlmc_valid(cleaned):
            if not detail.get("accept_invalid"):
                raise InvalidInput(
                    _(
                        "cheque number {number} fails its RLMC check: correct it, or "
                        "accept the cheque anyway (accept_invalid)",
                        number=number,
                    )
                )
            forced = True
        value = self._amount(tender, currency, amount)
        entry = self._entry(
            tender,
            currency,
            value,
            reference=cleaned,
            validated=tender.validation == "rlmc" and not forced,
            forced=forced,  # seed: "contrassegnato come Imposto"
            cashing_date=str(detail.get("cashing_date") or ""),
        )
        self._no_overpay(tender, entry.system_amount)
        return entry

    def _used_number(self, tender: Tender, number: str) -> None:
        if any(e.tender.code == tender.code and e.reference == number for e in self.entries):
            raise InvalidInput(
                _("{name} {number} is already in this payment", name=tender.name, number=number)
            )

    def _no_change_entry(
        self, tender: Tender, currency: str, amount: object, reference: str | None
    ) -> PaymentEntry:
        """A voucher that gives no change: its value, and the notice of what is forfeited."""
        value = self._amount(tender, currency, amount)
        entry = self._entry(tender, currency, value, reference=reference)
        self._forfeit_notice(tender, entry, change=False)
        return entry

    def _own_voucher(
        self,
        tender: Tender,
        currency: str,
        amount: object,
        number: str | None,
        detail: dict[str, Any],
    ) -> PaymentEntry:
        if not number:
            raise InvalidInput(_("enter or scan the voucher's number"))
        number = number.strip()
        self._used_number(tender, number)
        today = self.till.now().date()
        if self.refund:
            return self._refund_onto(tender, currency, amount, number, VOUCHER)
        with self.till.database.session() as session:
            voucher = redeemable(session, tender, number, today)
        if voucher.multi_use:
            left = min(voucher.balance, self.remaining)
            value = left if amount is None else self._amount(tender, currency, amount)
            if value > voucher.balance:
                raise InvalidInput(
                    _(
                        "voucher {number} holds only {balance}",
                        number=number,
                        balance=voucher.balance,
                    )
                )
            entry = self._entry(tender, currency, value, reference=number, multi_use=True)
            self._no_overpay(tender, entry.system_amount)
            return entry
        if amount is not None and inputs.amount(amount) != voucher.balance:
            raise InvalidInput(
                _(
                    "voucher {number} is single-use: it pays its whole value, {balance}",
                    number=number,
                    balance=voucher.balance,
                )
            )
        entry = self._entry(
            tender,
            currency,
            voucher.balance,
            reference=number,
            multi_use=False,
            change_allowed=voucher.change_allowed,
        )
        self._forfeit_notice(tender, entry, change=voucher.change_allowed)
        return entry

    def _refund_onto(
        self, tender: Tender, currency: str, amount: object, number: str, instrument: str
    ) -> PaymentEntry:
        """Money back onto an own multi-use voucher (new or not) or a gift card."""
        with self.till.database.session() as session:
            row = session.get(StoredValueRow, number)
            if row is not None and (row.tender != tender.code or not row.multi_use):
                raise InvalidInput(
                    _(
                        "{number} is not a multi-use {name}: money is given back "
                        "only onto a multi-use own voucher or a gift card",
                        number=number,
                        name=tender.name,
                    )
                )
            if row is not None and row.status in ("blocked", "deactivated"):
                raise LocalizedError(
                    _("The action is not available for voucher number {number}", number=number)
                )
            if row is None and instrument == VOUCHER:
                raise LocalizedError(_("There is no voucher with this number"))
        value = self._amount(tender, currency, amount)
        return self._entry(tender, currency, value, reference=number, refund_onto=instrument)

    def _forfeit_notice(self, tender: Tender, entry: PaymentEntry, *, change: bool) -> None:
        surplus = entry.system_amount - self.remaining
        if surplus > 0 and not change:
            self.notices.append(
                Message("no_change_forfeit", {"tender": tender.name, "amount": str(surplus)})
            )

    def _external_voucher(
        self,
        tender: Tender,
        currency: str,
        amount: object,
        number: str | None,
        detail: dict[str, Any],
    ) -> PaymentEntry:
        if amount is None:
            raise InvalidInput(_("enter the value of the {name}", name=tender.name))
        if number:
            self._used_number(tender, number.strip())
        return self._no_change_entry(tender, currency, amount, number.strip() if number else None)

    def _meal_voucher(
        self,
        tender: Tender,
        currency: str,
        amount: object,
        number: str | None,
        detail: dict[str, Any],
    ) -> PaymentEntry:
        if not number:
            raise InvalidInput(
                _("enter the number of the {name} (the voucher with a limit)", name=tender.name)
            )
        number = number.strip()
        if not tender.matches_number(number):
            raise InvalidInput(
                _("{number} is not a valid {name} number", number=number, name=tender.name)
            )
        eligible = self.eligible_amount(tender)
        already = sum(
            (e.system_amount for e in self.entries if e.tender.code == tender.code), Decimal(0)
        )
        left = min(eligible - already, self.remaining)
        if left <= 0:
            raise InvalidInput(
                _("no item on this document can be paid with {name}", name=tender.name)
            )
        value = left if amount is None else self._amount(tender, currency, amount)
        if self.settings.to_system(value, currency) > left:
            raise InvalidInput(
                _(
                    "{name} can pay only the eligible items: {left} is left for them",
                    name=tender.name,
                    left=left,
                )
            )
        if tender.daily_limit is not None:
            spent = self._spent_today(tender, number) + sum(
                (
                    e.system_amount
                    for e in self.entries
                    if e.tender.code == tender.code and e.reference == number
                ),
                Decimal(0),
            )
            if spent + value > tender.daily_limit:
                raise InvalidInput(
                    _(
                        "{name} {number} has a daily limit of {daily_limit}: {left} is left today",
                        name=tender.name,
                        number=number,
                        daily_limit=tender.daily_limit,
                        left=max(tender.daily_limit - spent, Decimal(0)),
                    )
                )
        return self._entry(tender, currency, value, reference=number)

    def eligible_amount(self, tender: Tender) -> Decimal:
        """The value of the lines a meal voucher may pay for."""
        if tender.eligible is None:
            return self.to_pay
        from cassa.engine.lines import pricing_line
        from cassa.engine.pricing.facts import line_attributes

        total = Decimal(0)
        for line_totals in self.totals.lines:
            facts = line_attributes(
                pricing_line(line_totals.line, self.till.catalog), line_totals.line.base_quantity
            )
            if evaluate(tender.eligible, facts):
                total += line_totals.value
        return total

    def _spent_today(self, tender: Tender, number: str) -> Decimal:
        today = self.till.now().date()
        with self.till.database.session() as session:
            spent = session.scalar(
                select(func.sum(PaymentRow.amount_system)).where(
                    PaymentRow.tender == tender.code,
                    PaymentRow.reference == number,
                    PaymentRow.kind == "payment",
                    PaymentRow.business_date == today,
                )
            )
        return Decimal(spent or 0)

    def _social_voucher(
        self,
        tender: Tender,
        currency: str,
        amount: object,
        number: str | None,
        detail: dict[str, Any],
    ) -> PaymentEntry:
        if not number:
            raise InvalidInput(_("enter the number of the {name}", name=tender.name))
        number = number.strip()
        self._used_number(tender, number)
        found = tender.matches_number(number)
        if found is None:
            raise InvalidInput(
                _("{number} is not a valid {name} number", number=number, name=tender.name)
            )
        if "year" in found.groupdict():
            year = int(found.group("year"))
            valid_to = social_voucher_valid_to(year, tender.grace_days)
            if self.till.now().date() > valid_to:
                raise InvalidInput(
                    _(
                        "{name} {number} expired on {date}",
                        name=tender.name,
                        number=number,
                        date=valid_to.isoformat(),
                    )
                )
        with self.till.database.session() as session:
            used = session.scalar(
                select(func.count())
                .select_from(PaymentRow)
                .where(PaymentRow.tender == tender.code, PaymentRow.reference == number)
            )
        if used:
            raise InvalidInput(
                _("{name} {number} has already been used", name=tender.name, number=number)
            )
        if amount is None:
            raise InvalidInput(_("enter the value of the {name}", name=tender.name))
        return self._no_change_entry(tender, currency, amount, number)

    def _gift_card(
        self,
        tender: Tender,
        currency: str,
        amount: object,
        number: str | None,
        detail: dict[str, Any],
    ) -> PaymentEntry:
        if not number:
            raise InvalidInput(_("swipe or enter the gift card's number"))
        number = number.strip()
        self._used_number(tender, number)
        if self.refund:
            return self._refund_onto(tender, currency, amount, number, GIFT_CARD)
        with self.till.database.session() as session:
            card = redeemable(session, tender, number, self.till.now().date())
        value = min(card.balance, self.remaining) if amount is None else None
        if value is None:
            value = self._amount(tender, currency, amount)
        if value > card.balance:
            raise InvalidInput(
                _("gift card {number} holds only {balance}", number=number, balance=card.balance)
            )
        entry = self._entry(tender, currency, value, reference=number)
        self._no_overpay(tender, entry.system_amount)
        return entry

    # -- cards -----------------------------------------------------------------------------
    def pay_card(
        self, amount: object = None, *, tender: str | None = None, currency: str | None = None
    ) -> PaymentEntry:
        """Charge a card through the terminal. An unknown outcome is resolved by a status
        query; if that fails, CardOutcomeUnknown asks the operator (`confirm_card`)."""
        self._check_open()
        chosen = (
            self.settings.tender(tender)
            if tender
            else next(iter(self.settings.tenders_of(TenderType.CARD)), None)
        )
        if chosen is None or chosen.type is not TenderType.CARD:
            raise InvalidInput(_("no card tender is declared at this till"))
        self._check_unsettled()
        code = self._check_tender(chosen, currency)
        if self.refund:
            return self._refund_card(chosen, code, amount)
        value = self._amount(chosen, code, amount)
        system = self.settings.to_system(value, code)
        self._no_overpay(chosen, system)
        try:
            transaction = self.cards.charge(
                value, code, operator=self.till.operator, document_id=self.document.id
            )
        except CardOutcomeUnknown as unknown:
            self.unresolved.append(unknown.transaction_id)
            raise
        return self._add_card_entry(transaction, chosen)

    def _refund_card(self, tender: Tender, currency: str, amount: object) -> PaymentEntry:
        """Give a return's money back to the card(s) that paid the returned document, by the
        terminal's refund referencing each payment, never above what each has left."""
        refusal = self.card_refund_refusal()
        if refusal is not None:
            raise InvalidInput(refusal)
        sources = [(t, left) for t, left in self.card_sources() if t.currency == currency]
        available = sum((left for _t, left in sources), Decimal(0))
        if amount is None:
            amount = min(-self.due(tender.code, currency), available)
        back = -self._amount(tender, currency, amount)
        if back > available:
            raise InvalidInput(
                _("The returned receipt's card payment can give back only {amount}").format(
                    amount=available
                )
            )
        entry: PaymentEntry | None = None
        for original, left in sources:
            part = min(left, back)
            if part <= 0:
                continue
            try:
                transaction = self.cards.refund(
                    original.id, part, operator=self.till.operator, document_id=self.document.id
                )
            except CardOutcomeUnknown as unknown:
                self.unresolved.append(unknown.transaction_id)
                raise
            entry = self._add_card_entry(transaction, tender)
            back -= part
        assert entry is not None  # available > 0, so one source gave back
        return entry

    def _add_card_entry(
        self, transaction: CardTransaction, tender: Tender | None = None
    ) -> PaymentEntry:
        chosen = tender or next(iter(self.settings.tenders_of(TenderType.CARD)))
        if any(e.reference == transaction.id for e in self.entries):
            return next(e for e in self.entries if e.reference == transaction.id)
        entry = self._entry(
            chosen,
            transaction.currency,
            -transaction.amount if transaction.kind == "refund" else transaction.amount,
            reference=transaction.id,
            executed=True,
            authorization=transaction.auth_code,
        )
        self._remember()
        self.entries.append(entry)
        return entry

    def confirm_card(self, transaction_id: str, completed: bool) -> PaymentEntry | None:
        """The operator's answer to "was the card payment completed?" (logged with them)."""
        transaction = self.cards.confirm(transaction_id, completed, operator=self.till.operator)
        if transaction_id in self.unresolved:
            self.unresolved.remove(transaction_id)
        return self._add_card_entry(transaction) if transaction.approved else None

    def void_card(self, entry_id: str) -> None:
        """Cancel a charged card payment of this window (needs the void permission)."""
        entry = next((e for e in self.entries if e.id == entry_id and e.executed), None)
        if entry is None or entry.reference is None:
            raise InvalidInput(_("there is no charged card payment with this id in the window"))
        self.till.require(self.settings.cash.void_card_permission, amount=entry.system_amount)
        self.cards.void(entry.reference, operator=self.till.operator)
        self._remember()
        self.entries.remove(entry)

    # -- clear, undo, change -----------------------------------------------------------------
    def clear(self) -> None:
        """Remove every payment except card payments already charged (seed: Pulisci)."""
        self._check_open()
        self._remember()
        self.entries = [e for e in self.entries if e.executed]
        self.change_to, self.change_voucher = "cash", None

    def undo(self) -> None:
        """Take back the last change (seed: Annulla); a charged card payment stays."""
        self._check_open()
        if not self._history:
            raise InvalidInput(_("there is nothing to undo"))
        entries, change_to, voucher = self._history.pop()
        executed = [e for e in self.entries if e.executed and e not in entries]
        self.entries = entries + executed
        self.change_to, self.change_voucher = change_to, voucher

    def voucher_change(self, to: str, number: str | None = None) -> None:
        """Change from a single-use voucher: to cash, onto an own voucher, or none
        (seed: Resto dal buono acquisto: Contanti / Buono proprio / Senza resto)."""
        if to not in ("cash", "voucher", "none"):
            raise InvalidInput(_("change goes to cash, to a voucher, or none"))
        last = self.entries[-1] if self.entries else None
        if last is None or not last.detail.get("change_allowed"):
            raise InvalidInput(_("only a single-use voucher that allows change gives change here"))
        if to == "voucher":
            if not number:
                raise InvalidInput(_("enter the number of the voucher that takes the change"))
            with self.till.database.session() as session:
                row = session.get(StoredValueRow, number)
                if row is None:
                    raise LocalizedError(_("There is no voucher with this number"))
                if not row.multi_use or row.status in ("blocked", "used", "deactivated"):
                    raise LocalizedError(
                        _("The action is not available for voucher number {number}", number=number)
                    )
        self._remember()
        self.change_to, self.change_voucher = to, number if to == "voucher" else None

    def close(self) -> None:
        """Back to the document (seed: Chiudi) — only with no payment left in the window."""
        if any(e.executed for e in self.entries):
            raise LocalizedError(
                _("The payment has been registered. It is not possible to go back to the document.")
            )
        if self.entries:
            raise InvalidInput(_("clear the payments before going back to the document"))
        self.closed = True
        if self.till.payment_window is self:
            self.till.payment_window = None

    # -- settlement and approval -------------------------------------------------------------
    def settlement(self) -> Settlement:
        """How the document is settled by the payments: change, forfeit, rounding."""
        if not self.settled:
            raise PaymentRefused(
                _("The payment cannot be saved. The payment is lower than the document value")
            )
        paid = self.paid
        rows = [
            SettlementRow(
                "payment",
                e.tender,
                e.currency,
                e.amount,
                e.rate,
                e.system_amount,
                e,
                e.reference,
            )
            for e in self.entries
        ]
        change = forfeit = rounding = Decimal(0)
        change_to: str | None = None
        over = paid - self.to_pay
        cash = self._change_tender()
        if self.refund or over <= 0:
            rounding = -over if not self.refund else self.to_pay - paid
        else:
            last = self.entries[-1]
            gives = last.tender.is_cash or (
                last.detail.get("change_allowed") and self.change_to != "none"
            )
            if gives and self.change_to == "voucher" and not last.tender.is_cash:
                change, change_to = over, "voucher"
                voucher_tender = last.tender
                rows.append(
                    SettlementRow(
                        "change",
                        voucher_tender,
                        self.currency.code,
                        -over,
                        Decimal(1),
                        -over,
                        reference=self.change_voucher,
                    )
                )
            elif gives:
                change = self.currency.rounding.to_cash(over)
                change_to = "cash"
                rounding = change - over  # what the store keeps less than the total
                rows.append(
                    SettlementRow("change", cash, self.currency.code, -change, Decimal(1), -change)
                )
            else:
                forfeit = over
                rows.append(
                    SettlementRow(
                        "forfeit",
                        last.tender,
                        self.currency.code,
                        -over,
                        Decimal(1),
                        -over,
                        reference=last.reference,
                    )
                )
        if rounding:
            rows.append(
                SettlementRow("rounding", cash, self.currency.code, rounding, Decimal(1), rounding)
            )
        return Settlement(self.to_pay, paid, change, change_to, forfeit, rounding, tuple(rows))

    def _change_tender(self) -> Tender:
        for tender in self.settings.tenders_of(TenderType.CASH):
            if self.currency.code in tender.currencies:
                return tender
        raise InvalidInput(_("no cash tender in the system currency gives change at this till"))

    def approve(self) -> PaidDocument:
        """Save the payment: the document approved, paid, with its cash movements, at once."""
        self._check_open()
        settlement = self.settlement()
        till = self.till
        current = till.current
        if current is None or current.id != self.document.id or not current.editable:
            raise DocumentStateError(_("the document of this payment is no longer open"))
        if current.totals(till.currency).total != self.to_pay:
            raise DocumentStateError(
                _("the document changed since the payment window opened: open it again")
            )
        now = till.now()
        document, debit_note = self._split_debit_note(current, now)
        document, bought_back = split_buy_back(document, now)
        writer = _PaymentWriter(self, settlement, now, document, debit_note, bought_back)
        till.current = document
        try:
            approved = till.approve(
                extra=writer,
                refund=self.refund,
                bought_back=bought_back,
                buy_back_approved=self.buy_back_approved,
            )
        except BaseException:
            till.current = current  # the voucher lines stay where the operator put them
            raise
        self.closed = True
        if till.payment_window is self:
            till.payment_window = None
        opened = self._after_payment(approved, settlement, bought_back)
        messages = tuple(self.notices)
        from cassa.engine.cash import reminders

        found = reminders(till)
        till.messages = list(till.messages) + found
        return PaidDocument(
            approved,
            settlement,
            opened,
            messages + tuple(found),
            writer.debit_note_number,
            bought_back,
        )

    def _split_debit_note(
        self, document: Document, now: datetime
    ) -> tuple[Document, Document | None]:
        """Seed: vouchers whose kind is sold "tramite note di addebito" leave the receipt or
        invoice for a debit note (NA); a document of such vouchers only is the debit note."""
        with self.till.database.session() as session:
            sold = {
                sale.line_id: sale.number
                for sale in session.scalars(
                    select(StoredValueSaleRow).where(
                        StoredValueSaleRow.document_id == document.id,
                        StoredValueSaleRow.action == "sell",
                    )
                )
            }
            kinds = {number: session.get(StoredValueRow, number) for number in sold.values()}
        by_note = set()
        for line_id, number in sold.items():
            row = kinds.get(number)
            kind = self.settings.voucher_kinds.get(row.kind) if row is not None else None
            if kind is not None and kind.sale == "debit_note":
                by_note.add(line_id)
        return document.split_off(DocumentType.DEBIT_NOTE, lambda line: line.id in by_note, now)

    def _after_payment(
        self, document: Document, settlement: Settlement, bought_back: Document | None = None
    ) -> bool:
        """The devices act once the payment is stored: the drawer, the fiscal printer."""
        devices = self.till.payment_devices
        if devices is None:
            return False
        opened = False
        if devices.drawer is not None:
            from cassa.devices.drawer import open_for_payment

            tenders = [row.tender for row in settlement.rows if row.kind in ("payment", "change")]
            opened = open_for_payment(devices.drawer, tenders)
        if devices.fiscal is not None and document.type.value == "receipt":
            from cassa.devices.printing.data import Payment

            totals = document.totals(self.currency)
            left = totals.total  # a debit note's vouchers are not the fiscal printer's
            payments = []
            for row in settlement.rows:
                if row.kind == "payment" and left > 0:
                    taken = min(row.system_amount, left)
                    payments.append(Payment(row.tender.code, taken))
                    left -= taken
            if bought_back is not None and left > 0:  # settled by what was bought back
                offset = -bought_back.totals(self.currency).total
                payments.append(Payment(BUY_BACK_TENDER, min(offset, left)))
            devices.fiscal.fiscalize_sale(document, totals, payments)
        if document.type.value == "receipt_return":
            from cassa.engine.returns import fiscalize_return

            fiscalize_return(self.till, document, settlement)  # a refund of the original
        return opened


_REFUND_TYPES = {
    TenderType.CASH,
    TenderType.CARD,
    TenderType.BANK_TRANSFER,
    TenderType.OWN_VOUCHER,
    TenderType.GIFT_CARD,
}

_Handler = Callable[[Checkout, Tender, str, object, "str | None", dict[str, Any]], PaymentEntry]
_HANDLERS: dict[TenderType, _Handler] = {
    TenderType.CHEQUE: Checkout._cheque,
    TenderType.OWN_VOUCHER: Checkout._own_voucher,
    TenderType.EXTERNAL_VOUCHER: Checkout._external_voucher,
    TenderType.MEAL_VOUCHER: Checkout._meal_voucher,
    TenderType.SOCIAL_VOUCHER: Checkout._social_voucher,
    TenderType.GIFT_CARD: Checkout._gift_card,
}


def social_voucher_valid_to(year: int, grace_days: int) -> date:
    """A social voucher is valid in the year in its number and `grace_days` after it."""
    from datetime import timedelta

    return date(year, 12, 31) + timedelta(days=grace_days)


def _refundable(document: Document) -> bool:
    return any(
        line.item_type is ItemType.BUY_BACK or line.returned or line.quantity < 0
        for line in document.lines
    )


class _PaymentWriter:
    """Writes the payment inside the approval's transaction (see DocumentStore.approve)."""

    def __init__(
        self,
        checkout: Checkout,
        settlement: Settlement,
        now: datetime,
        document: Document,
        debit_note: Document | None,
        bought_back: Document | None = None,
    ) -> None:
        self.checkout = checkout
        self.settlement = settlement
        self.now = now
        self.document = document  # as it is approved (without vouchers nor buy-back lines)
        self.debit_note = debit_note
        self.bought_back = bought_back  # the manual correction approved with it
        self.debit_note_number: str | None = None

    def __call__(self, session: Session, number: str) -> None:
        checkout = self.checkout
        till = checkout.till
        settings = checkout.settings
        document = self.document
        day = require_open_day(session, till.code)
        shift = open_shift_row(session, till.operator)
        if settings.cash.work_mode is WorkMode.SHIFTS and shift is None:
            raise DocumentStateError(
                _("{operator} has no open shift: open it first", operator=till.operator)
            )
        context = LedgerContext(
            store=till.store.code,
            till=till.code,
            operator=till.operator,
            at=self.now,
            day_id=day.id,
            shift_id=shift.id if shift else None,
        )
        payment_ids: dict[int, str] = {}
        for position, row in enumerate(self.settlement.rows, 1):
            payment_id = str(uuid.uuid4())
            payment_ids[position] = payment_id
            session.add(
                PaymentRow(
                    id=payment_id,
                    document_id=document.id,
                    position=position,
                    kind=row.kind,
                    tender=row.tender.code,
                    tender_type=row.tender.type.value,
                    currency=row.currency,
                    amount=row.amount,
                    rate=row.rate,
                    amount_system=row.system_amount,
                    reference=row.reference,
                    detail=_detail_json(row.entry.detail if row.entry else {}),
                    store=till.store.code,
                    till=till.code,
                    day_id=context.day_id,
                    shift_id=context.shift_id,
                    business_date=context.business_date,
                    at=self.now,
                    operator=till.operator,
                )
            )
            self._effects(session, row, payment_id, document, context)
        session.flush()
        for movement in movements_for(self.settlement, document.id, payment_ids):
            add_movement(session, context, movement)
        self._sales_of_stored_values(session, document, context)
        from cassa.engine.reports._stats import write_sale_stats

        write_sale_stats(
            session,
            document,
            document.totals(settings.currency),
            currency=settings.currency,
            day_id=context.day_id,
            shift_id=context.shift_id,
            business_date=context.business_date,
            paid=True,
        )
        if self.bought_back is not None:
            write_sale_stats(
                session,
                self.bought_back,
                self.bought_back.totals(settings.currency),
                currency=settings.currency,
                day_id=context.day_id,
                shift_id=context.shift_id,
                business_date=context.business_date,
                paid=True,
            )
        if self.debit_note is not None:
            self.debit_note_number = self._write_debit_note(session, self.debit_note, context)

    def _write_debit_note(self, session: Session, note: Document, context: LedgerContext) -> str:
        """The debit note of the vouchers, approved in the payment's transaction."""
        from cassa.engine.cash._ledger import next_number
        from cassa.engine.reports._stats import write_sale_stats
        from cassa.engine.storage.documents import _header_values, _line_row

        currency = self.checkout.settings.currency
        totals = note.totals(currency)
        year = self.now.year
        sequence = next_number(session, note.type.value, note.till, year)
        number = f"{note.type.prefix}/{note.till}/{year}/{sequence:06d}"
        approved = replace(
            note,
            status=DocumentStatus.APPROVED,
            number=number,
            year=year,
            sequence=sequence,
            approved_at=self.now,
        )
        # Written as a draft, then approved: the database refuses lines of an approved document.
        header = DocumentRow(
            id=note.id,
            **{
                **_header_values(approved),
                "status": DocumentStatus.DRAFT.value,
                "number": number,
                "year": year,
                "sequence": sequence,
                "approved_at": self.now,
                "total": totals.total,
                "net_total": totals.net_total,
                "vat_total": totals.vat_total,
            },
        )
        session.add(header)
        session.flush()
        for position, line_totals in enumerate(totals.lines, 1):
            row = _line_row(note.id, position, line_totals.line)
            row.value = line_totals.value
            session.add(row)
        session.add_all(
            DocumentVatRow(
                document_id=note.id,
                vat_code=s.rate.code,
                percent=s.rate.percent,
                net=s.net,
                vat=s.vat,
                gross=s.gross,
            )
            for s in totals.vat
        )
        session.flush()
        header.status = DocumentStatus.APPROVED.value
        write_sale_stats(
            session,
            approved,
            totals,
            currency=currency,
            day_id=context.day_id,
            shift_id=context.shift_id,
            business_date=context.business_date,
            paid=True,
        )
        return number

    def _effects(
        self,
        session: Session,
        row: SettlementRow,
        payment_id: str,
        document: Document,
        context: LedgerContext,
    ) -> None:
        tender = row.tender
        common = {
            "at": self.now,
            "document_id": document.id,
            "payment_id": payment_id,
            "till": context.till,
            "operator": context.operator,
        }
        if row.kind == "payment" and tender.type is TenderType.CARD:
            attached = session.execute(
                update(CardTransactionRow)
                .where(
                    CardTransactionRow.id == row.reference,
                    CardTransactionRow.state == CardState.APPROVED,
                    CardTransactionRow.payment_id.is_(None),
                )
                .values(payment_id=payment_id)
            ).rowcount  # type: ignore[attr-defined]
            if attached != 1:
                raise DocumentStateError(
                    _(
                        "card transaction {reference} is not an approved, unused card payment",
                        reference=row.reference,
                    )
                )
        elif row.kind == "payment" and tender.type in (
            TenderType.OWN_VOUCHER,
            TenderType.GIFT_CARD,
        ):
            assert row.reference is not None
            if row.amount < 0:
                instrument = GIFT_CARD if tender.type is TenderType.GIFT_CARD else VOUCHER
                credit(
                    session,
                    row.reference,
                    -row.amount,
                    event="refunded",
                    create=(instrument, tender.code, tender.code, row.currency)
                    if instrument == GIFT_CARD
                    else None,
                    **common,  # type: ignore[arg-type]
                )
            else:
                debit(session, row.reference, row.amount, **common)  # type: ignore[arg-type]
        elif row.kind == "payment" and tender.type is TenderType.SOCIAL_VOUCHER:
            used = session.scalar(
                select(func.count())
                .select_from(PaymentRow)
                .where(
                    PaymentRow.tender == tender.code,
                    PaymentRow.reference == row.reference,
                    PaymentRow.id != payment_id,
                )
            )
            if used:
                raise InvalidInput(
                    _(
                        "{name} {reference} has already been used",
                        name=tender.name,
                        reference=row.reference,
                    )
                )
        elif row.kind == "change" and row.reference is not None:
            credit(session, row.reference, -row.amount, event="change", **common)  # type: ignore[arg-type]

    def _sales_of_stored_values(
        self, session: Session, document: Document, context: LedgerContext
    ) -> None:
        """Vouchers sold and gift cards topped up on this document become active now."""
        sold = session.scalars(
            select(StoredValueSaleRow).where(StoredValueSaleRow.document_id == document.id)
        ).all()
        lines = {t.line.id: t for t in self.checkout.totals.lines}
        settings = self.checkout.settings
        for sale in sold:
            line_totals = lines.get(sale.line_id)
            if line_totals is None:
                session.delete(sale)  # the line was deleted before the payment
                continue
            if sale.action == "sell" and line_totals.line.quantity != 1:
                raise InvalidInput(
                    _(
                        "voucher {number} is sold one per line: its quantity cannot change",
                        number=sale.number,
                    )
                )
            sold_by = self.debit_note if self.debit_note is not None else document
            if not any(line.id == sale.line_id for line in sold_by.lines):
                sold_by = document
            common = {
                "at": self.now,
                "document_id": sold_by.id,
                "payment_id": None,
                "till": context.till,
                "operator": context.operator,
            }
            if sale.action == "sell":
                row = session.get(StoredValueRow, sale.number)
                if row is None or row.status != "generated":
                    raise LocalizedError(
                        _(
                            "The action is not available for voucher number {number}",
                            number=sale.number,
                        )
                    )
                kind = settings.voucher_kinds.get(row.kind)
                credit(
                    session,
                    sale.number,
                    line_totals.value,
                    event="sold",
                    valid_days=kind.valid_days if kind else None,
                    **common,  # type: ignore[arg-type]
                )
            else:
                gift = next(iter(settings.tenders_of(TenderType.GIFT_CARD)), None)
                tender_code = gift.code if gift else "gift_card"
                credit(
                    session,
                    sale.number,
                    line_totals.value,
                    event="topped_up",
                    create=(GIFT_CARD, tender_code, tender_code, settings.currency.code),
                    **common,  # type: ignore[arg-type]
                )


def _detail_json(detail: dict[str, Any]) -> str:
    import json

    return json.dumps({k: str(v) if isinstance(v, Decimal) else v for k, v in detail.items()},
                      sort_keys=True)  # fmt: skip


def movements_for(
    settlement: Settlement, document_id: str, payment_ids: dict[int, str]
) -> list[Movement]:
    """The drawer movements of a settlement.

    Each payment moves its tender in (out for a refund). Change leaves in cash:
    with the cash tender's `record_change` on, as its own movement (the seed: 100
    in and 25 out); off, netted from the cash taken in the system currency (75 in).
    Change put on a voucher leaves as that voucher. Forfeits and rounding move nothing.
    """
    movements: list[Movement] = []
    change_row = next((r for r in settlement.rows if r.kind == "change"), None)
    change_left = -change_row.amount if change_row is not None else Decimal(0)
    nettable = (
        change_row is not None and change_row.tender.is_cash and not change_row.tender.record_change
    )
    positions = list(enumerate(settlement.rows, 1))
    netted: dict[int, Decimal] = {}
    if nettable:
        for position, row in reversed(positions):
            if change_left <= 0:
                break
            if (
                row.kind == "payment"
                and row.tender.code == change_row.tender.code  # type: ignore[union-attr]
                and row.currency == change_row.currency  # type: ignore[union-attr]
                and row.amount > 0
            ):
                taken = min(row.amount, change_left)
                netted[position] = taken
                change_left -= taken
    for position, row in positions:
        if row.kind == "payment":
            amount = row.amount - netted.get(position, Decimal(0))
            if amount == 0:
                continue
            direction = IN if amount > 0 else OUT
            value = abs(amount)
            movements.append(
                Movement(
                    direction=direction,
                    reason=Reason.SALE if direction == IN else Reason.REFUND,
                    tender=row.tender.code,
                    tender_type=row.tender.type.value,
                    currency=row.currency,
                    amount=value,
                    amount_system=abs(row.system_amount)
                    if value == abs(row.amount)
                    else abs(row.rate * value),
                    document_id=document_id,
                    payment_id=payment_ids[position],
                    reference=row.reference,
                )
            )
        elif row.kind == "change":
            amount = -row.amount if not nettable else change_left
            if amount <= 0:
                continue
            movements.append(
                Movement(
                    direction=OUT,
                    reason=Reason.CHANGE if row.tender.is_cash else Reason.VOUCHER_CHANGE,
                    tender=row.tender.code,
                    tender_type=row.tender.type.value,
                    currency=row.currency,
                    amount=amount,
                    amount_system=amount,
                    document_id=document_id,
                    payment_id=payment_ids[position],
                    reference=row.reference,
                )
            )
    return movements


__all__ += ["movements_for", "social_voucher_valid_to"]
