"""Messages the engine returns by code, rendered in the reader's language.

Engine code raises or returns a Message (a code and its parameters); its text
is a message of the gettext catalogs (`cassa.i18n`) and the till renders it in
the operator's locale. New code can return a `cassa.i18n.Text` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cassa.i18n import SOURCE_LANGUAGE, Text, _, _p, translate, verbatim, wording

__all__ = ["CATALOG", "Message", "PackMessage", "render"]

CATALOG: dict[str, Text] = {
    "operator_discount_reduced": _(
        "The operator's maximum discount was exceeded. The line's discount was reduced to {limit}%"
    ),
    "operator_header_discount_reduced": _(
        "The operator's maximum discount was exceeded. The document discount was reduced to "
        "{limit}%"
    ),
    "manual_not_applied": _(
        "The discount {name} was not applied. The conditions for the discount are not met"
    ),
    "no_manual_for_line": _("No discount is available for the selected line"),
    "operator_discount_blocked": _(
        "{name} cannot take an operator discount: the line is taken by the promotion {rule}"
    ),
    "guard_reduced": _("The discount on {name} was reduced to {amount} by {guard}"),
    "gift_available": _("Gift available from {rule}: add {item}"),
    "threshold_missing": _("{rule}: add {amount} to reach {threshold}"),
    "threshold_missing_groups": _("{rule}: add {amount} of {groups} to reach {threshold}"),
    # -- payments, cash and safe (cassa.engine.payments, cassa.engine.cash) --
    "payment_below_document": _(
        "The payment cannot be saved. The payment is lower than the document value"
    ),
    "payment_registered": _(
        "The payment has been registered. It is not possible to go back to the document."
    ),
    "split_payment_bank_only": _(
        "The split payment mechanism was applied. The payment can be made by bank transfer only."
    ),
    "card_outcome_unknown": _(
        "A problem occurred during the payment. Details: transaction failed! Was the card payment"
        " completed anyway?"
    ),
    "voucher_not_found": _("There is no voucher with this number"),
    "voucher_not_available": _("The action is not available for voucher number {number}"),
    "voucher_quantity_fixed": _("A voucher is added one at a time: its quantity cannot be changed"),
    "voucher_not_on_cash_in": _("This kind of voucher cannot be used on a cash-in document"),
    "no_change_forfeit": _("{tender} gives no change: {amount} above the total is not returned"),
    "cash_count_mandatory": _("Counting the cash balance is mandatory"),
    "safe_balance_limit": _(
        "The safe's maximum balance has been reached. The safe's maximum balance is: {limit}. "
        "Current safe balance: {balance}. Withdraw from the safe and deposit at the bank."
    ),
    "safe_time_limit": _(
        "The oldest money in the safe has been there for {hours} hours (limit: {limit} hours). "
        "Withdraw from the safe and deposit at the bank."
    ),
    "drawer_balance_limit": _(
        "The drawer's maximum cash balance has been reached: {limit}. Current balance: {balance}."
        " Deposit into the safe."
    ),
    "opening_deposit": _("Deposit at day opening"),
    "closing_withdrawal": _("Withdrawal at day closing"),
    "closing_difference": _("Difference at day closing"),
    "safe_deposit_slip": _("Deposit into the safe {number}"),
    "safe_withdrawal_slip": _("Withdrawal from the safe {number}"),
    "coupon_unknown": _("No coupon with code {code}"),
    # -- people (cassa.engine.people): seed "Gestione dei dipendenti" --
    "employee_other_store": _(
        "The selected action cannot be performed. The selected employee works in another store."
    ),
    "password_changed": _("The password was changed."),
    "password_expired": _p("password_expired", "Expired"),
    "password_valid_until": _("Valid until {date}"),
    "password_valid": _("Valid"),
    "password_not_set": _("Not set"),
    # -- fiscal (cassa.engine.fiscal) --
    "no_fiscal_printer": _("The till has no fiscal printer: its daily (Z) report was not made"),
    "z_report_failed": _("Z: {error}"),
}


@dataclass(frozen=True)
class Message:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> Text:
        """The lazy text: the catalog's message for the code with its parameters."""
        template = CATALOG.get(self.code)
        return verbatim(self.code) if template is None else template.format(**self.params)

    def render(self, locale: str = SOURCE_LANGUAGE) -> str:
        return translate(self.text, locale)

    def __str__(self) -> str:
        return self.render(SOURCE_LANGUAGE)


@dataclass(frozen=True)
class PackMessage(Message):
    """A message whose text per language comes from the rule pack, not the catalogs."""

    texts: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> Text:
        return wording(dict(self.texts), **self.params)


def render(message: Message, locale: str = SOURCE_LANGUAGE) -> str:
    return message.render(locale)
