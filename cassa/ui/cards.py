"""The card transactions screen's view-model (seed 002: Transazioni): the list of card
transactions of this till or of the whole store, voiding an approved payment, the
manual refund, and the card payments whose outcome nobody knows yet.

A terminal that voids and refunds (VOID, REFUND of its protocol) does them when asked,
right after a manager's approval when the operator's role lacks the permission; the
outcome is shown: approved with its authorization, declined with the terminal's reason,
or unknown, then listed among the unknown ones to ask again or answer. With a terminal
lacking those commands the operator does them on it: the screen says what to do and
records only when the operator answers that it is done, the approval coming first so
that nothing is done on the terminal that the till would then refuse to record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from cassa.engine.errors import CassaError, InvalidInput
from cassa.engine.payments import CardDeclined, CardOutcomeUnknown, CardState, CardTransaction
from cassa.engine.people import ApprovalRequired
from cassa.i18n import _
from cassa.ui.keypad import parse_number, press

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["CardRow", "CardsModel"]


@dataclass(frozen=True)
class CardRow:
    id: str
    cells: tuple[str, ...]  # time, till, cashier, document, amount, status, authorization
    voidable: bool
    unresolved: bool


@dataclass(frozen=True)
class Step:
    """A void or a refund under way: the terminal doing it (`on_terminal`), or the question
    before recording one the operator does on the terminal: "done on the terminal?"."""

    kind: str  # void, refund
    amount: Decimal
    currency: str
    transaction_id: str | None = None
    on_terminal: bool = False


def _now(work: Callable[[], object]) -> None:
    work()


class CardsModel:
    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.store_wide = False
        self.filter = ""  # an amount or a cashier's username (seed: filtro di testo)
        self.rows: list[CardRow] = []
        self.selected: str | None = None
        self.amount = ""  # the manual refund's keypad
        self.step: Step | None = None
        self.busy = False  # the terminal is being asked about a transaction, or is acting
        self._transactions: dict[str, CardTransaction] = {}
        # how the terminal's void or refund runs: here at once; the view runs it off its
        # event loop, since a refund waits for the customer's card
        self.background: Callable[[Callable[[], object]], None] = _now

    # -- the list ------------------------------------------------------------------------
    def refresh(self) -> None:
        app = self.app
        if not self.busy:
            self.step = None
        try:
            found = app.till.cash.card_transactions(store_wide=self.store_wide, **self._filters())
        except CassaError as error:
            self.rows, self._transactions = [], {}
            app.inform(app.describe(error), "error")
            return
        found.reverse()  # the newest first
        self._transactions = {t.id: t for t in found}
        numbers = self._document_numbers(found)
        # a payment whose void has no known outcome yet is not voided a second time
        waiting = {
            t.original_id for t in found if t.kind == "void" and t.state in CardState.UNRESOLVED
        }
        self.rows = [self._row(t, numbers, t.id in waiting) for t in found]
        if self.selected not in self._transactions:
            self.selected = None

    def relabel(self) -> None:
        """The language changed: the list again in its words, a question still open."""
        step = self.step
        self.refresh()
        self.step = step

    def _filters(self) -> dict[str, object]:
        text = self.filter.strip()
        if not text:
            return {}
        try:
            return {"amount": parse_number(text)}
        except InvalidInput:
            return {"operator": text}

    def _document_numbers(self, found: list[CardTransaction]) -> dict[str, str]:
        documents = self.app.till.documents
        numbers: dict[str, str] = {}
        for document_id in {t.document_id for t in found if t.document_id}:
            try:
                numbers[document_id] = documents.load(document_id).number or ""
            except CassaError:
                numbers[document_id] = ""
        return numbers

    def _row(
        self, transaction: CardTransaction, numbers: dict[str, str], void_waiting: bool
    ) -> CardRow:
        app = self.app
        document = numbers.get(transaction.document_id or "", "")
        return CardRow(
            transaction.id,
            (
                app.when(transaction.created_at),
                transaction.till,
                transaction.operator,
                document or ("—" if transaction.kind == "payment" else ""),
                f"{app.money(transaction.amount)} {transaction.currency}",
                self.status(transaction),
                transaction.auth_code,
            ),
            voidable=transaction.kind == "payment"
            and transaction.state == CardState.APPROVED
            and not void_waiting,
            unresolved=transaction.state in CardState.UNRESOLVED,
        )

    def status(self, transaction: CardTransaction) -> str:
        """The transaction in words: what it is and how it ended."""
        t = self.app.t
        if transaction.state in CardState.UNRESOLVED:
            return t("card_state_unknown")
        if transaction.kind in ("void", "refund"):
            if transaction.state in (CardState.DECLINED, CardState.FAILED):
                return t(f"card_state_{transaction.kind}_{transaction.state}")
            return t(f"card_state_{transaction.kind}")
        return {
            CardState.APPROVED: t("card_state_payment"),
            CardState.VOIDED: t("card_state_voided"),
            CardState.DECLINED: t("card_state_declined"),
            CardState.FAILED: t("card_state_failed"),
        }.get(transaction.state, transaction.state)

    @property
    def unresolved(self) -> int:
        return sum(1 for r in self.rows if r.unresolved)

    def set_store_wide(self, on: bool) -> None:
        self.store_wide = on
        self.refresh()
        self.app.changed()

    def set_filter(self, text: str) -> None:
        self.filter = text
        self.refresh()
        self.app.changed()

    def select(self, transaction_id: str) -> None:
        self.selected = None if transaction_id == self.selected else transaction_id
        self.step = None
        self.app.changed()

    @property
    def chosen(self) -> CardTransaction | None:
        return self._transactions.get(self.selected or "")

    @property
    def chosen_row(self) -> CardRow | None:
        return next((r for r in self.rows if r.id == self.selected), None)

    def describe(self, transaction: CardTransaction) -> str:
        """One sentence for the chosen transaction's panel."""
        app = self.app
        text = app.t(
            "card_described",
            status=self.status(transaction),
            amount=f"{app.money(transaction.amount)} {transaction.currency}",
            when=app.when(transaction.created_at),
            till=transaction.till,
            cashier=transaction.operator,
        )
        if transaction.auth_code:
            text += " · " + app.t("card_authorization", code=transaction.auth_code)
        if transaction.state == CardState.DECLINED and transaction.message:
            text += f" · {transaction.message}"  # the terminal's reason
        if transaction.resolution == "operator" and transaction.resolved_by:
            text += " · " + app.t("card_answered_by", who=transaction.resolved_by)
        return text

    def question(self, transaction: CardTransaction) -> str:
        """What the operator answers about an unknown outcome: was it done?"""
        if transaction.kind in ("void", "refund"):
            return self.app.t(f"card_{transaction.kind}_completed_question")
        return self.app.t("card_completed_question")

    # -- void and manual refund: approval, then the terminal (and the record) ----------------
    def _may(self, permission: str) -> bool:
        role = self.app.till.pricing.role
        return role is not None and permission in role.permissions

    def locked(self, kind: str) -> bool:
        """Whether the action needs a manager's approval (a padlock on its button)."""
        cash = self.app.settings.cash
        permission = cash.void_card_permission if kind == "void" else cash.manual_refund_permission
        return not self._may(permission)

    def on_terminal(self, kind: str) -> bool:
        """Whether this till's terminal voids (`void`) or refunds (`refund`) by itself."""
        return self.app.till.cash.cards().on_terminal(kind)

    def _ask(self, step: Step, permission: str) -> bool:
        """Have the terminal do it, or show the operator's instruction; a manager approves
        first when the role lacks the permission (the approval then waits for the void or
        refund, see `Till.authorize`)."""
        app = self.app

        def show() -> None:
            self.step = step
            if step.on_terminal:
                self.busy = True
                app.changed()
                self.background(lambda: self._on_terminal(step))

        if self._may(permission):
            return app.attempt(show)
        refusal = ApprovalRequired(
            f"{app.till.operator} may not: needs the permission {permission}",
            (permission,),
            step.amount,
        )
        app.approval.ask(refusal, show)
        app.changed()
        return False

    def ask_void(self) -> bool:
        transaction = self.chosen
        row = self.chosen_row
        if transaction is None or row is None or not row.voidable:
            self.app.inform(self.app.t("card_choose_payment"), "error")
            return False
        return self._ask(
            Step(
                "void",
                transaction.amount,
                transaction.currency,
                transaction.id,
                on_terminal=self.on_terminal("void"),
            ),
            self.app.settings.cash.void_card_permission,
        )

    def ask_refund(self) -> bool:
        app = self.app
        try:
            amount = parse_number(self.amount or "0")
            if amount <= 0:
                raise InvalidInput(_("the amount must be above zero"))
        except InvalidInput as error:
            app.inform(app.describe(error), "error")
            return False
        return self._ask(
            Step(
                "refund", amount, app.settings.currency.code, on_terminal=self.on_terminal("refund")
            ),
            app.settings.cash.manual_refund_permission,
        )

    @property
    def instruction(self) -> str:
        step = self.step
        if step is None:
            return ""
        amount = f"{self.app.money(step.amount)} {step.currency}"
        if step.on_terminal:
            return self.app.t(f"card_{step.kind}_running", amount=amount)
        return self.app.t(f"card_do_{step.kind}_on_terminal", amount=amount)

    def cancel_step(self) -> None:
        if self.busy:
            return  # the terminal is acting: its outcome ends the step
        self.step = None
        self.app.changed()

    def _on_terminal(self, step: Step) -> None:
        """The terminal voids or refunds; its outcome is shown, an unknown one is selected
        so that the operator sees its question."""
        app = self.app
        cash = app.till.cash
        amount = app.money(step.amount)
        try:
            if step.transaction_id is not None:
                cash.void_card(step.transaction_id)
                done = self._void_of(step.transaction_id)
            else:
                done = cash.manual_refund(step.amount, currency=step.currency)
                self.amount = ""
        except CardOutcomeUnknown as unknown:
            self.selected = unknown.transaction_id
            text, kind = app.t(f"card_{step.kind}_unknown", amount=amount), "warning"
        except CardDeclined as declined:
            text = app.t(f"card_{step.kind}_declined", reason=self._reason(declined))
            kind = "error"
        except CassaError as error:
            text, kind = app.describe(error), "error"
        else:
            code = done.auth_code if done is not None else ""
            text, kind = app.t(f"card_{step.kind}_done", amount=amount, code=code), "info"
        self.busy = False
        self.step = None
        self.refresh()
        app.inform(text, kind)

    def _void_of(self, payment_id: str) -> CardTransaction | None:
        """The approved void of a payment (there is at most one)."""
        approved = self.app.till.cash.cards().list(states=frozenset({CardState.APPROVED}))
        return next((t for t in approved if t.kind == "void" and t.original_id == payment_id), None)

    def _reason(self, declined: CardDeclined) -> str:
        """The terminal's own reason, else what the till knows (it never received it)."""
        return declined.reason or self.app.describe(declined)

    def done_on_terminal(self) -> bool:
        """The operator did it on the terminal: record the void or the refund."""
        step = self.step
        if step is None:
            return False
        app = self.app
        cash = app.till.cash

        def run() -> None:
            if step.kind == "void" and step.transaction_id is not None:
                cash.void_card(step.transaction_id)
                done = app.t("card_voided", amount=app.money(step.amount))
            else:
                cash.manual_refund(step.amount, currency=step.currency)
                done = app.t("card_refunded", amount=app.money(step.amount))
                self.amount = ""
            self.refresh()
            app.inform(done)

        return app.attempt(run)

    def press(self, key: str) -> None:
        if key == "enter":
            self.ask_refund()
            return
        self.amount = press(self.amount, key)
        self.app.changed()

    # -- card payments whose outcome nobody knows -------------------------------------------
    def begin_query(self) -> None:
        """The view shows the terminal being asked before the (slow) status query runs."""
        self.busy = True
        self.app.changed()

    def ask_terminal(self) -> bool:
        """Ask the terminal again for the chosen transaction's status (never its sale)."""
        transaction_id = self.selected
        app = self.app
        self.busy = False
        if transaction_id is None:
            app.changed()
            return False
        return self._settle(lambda: app.till.cash.cards().resolve(transaction_id))

    def answer(self, completed: bool) -> bool:
        """The operator's answer to "was the card payment completed?", stored with their name."""
        transaction_id = self.selected
        app = self.app
        if transaction_id is None:
            return False
        cards = app.till.cash.cards()
        return self._settle(
            lambda: cards.confirm(transaction_id, completed, operator=app.till.operator)
        )

    def _settle(self, action: Callable[[], CardTransaction]) -> bool:
        app = self.app
        try:
            settled = action()
        except CardOutcomeUnknown:
            self.refresh()
            app.inform(app.t("card_still_unknown"), "warning")
            return False
        except CardDeclined as declined:  # settled too: the terminal did nothing
            known = self._transactions.get(declined.transaction_id)
            kind = known.kind if known is not None else "payment"
            self.refresh()
            if kind in ("void", "refund"):
                app.inform(app.t(f"card_{kind}_declined", reason=self._reason(declined)))
            else:
                app.inform(app.t("card_not_charged", reason=app.describe(declined)))
            return True
        except CassaError as error:
            app.inform(app.describe(error), "error")
            return False
        self.refresh()
        app.inform(app.t("card_settled", status=self.status(settled)))
        return True

    def resolve_pending(self) -> None:
        """When a session starts: card payments left unknown (a crash, a lost answer) are
        settled by the terminal's status; those it cannot tell about are announced."""
        app = self.app
        try:
            settled = app.till.cash.cards().resolve_pending()
        except CassaError as error:
            app.inform(app.describe(error), "error")
            return
        unknown = sum(1 for t in settled if t.state in CardState.UNRESOLVED)
        if unknown:
            app.inform(app.t("cards_still_unknown", count=unknown), "warning")
