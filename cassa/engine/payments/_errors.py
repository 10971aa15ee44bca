"""Refusals of the payment window, readable in the till's languages."""

from __future__ import annotations

from cassa.engine.errors import CassaError, InvalidInput
from cassa.i18n import Text, _

__all__ = ["CardDeclined", "CardOutcomeUnknown", "LocalizedError", "PaymentRefused"]


class LocalizedError(InvalidInput):
    """A refusal of the payment window: `message` is English, `render(locale)` any language."""

    def __init__(self, message: Text) -> None:
        super().__init__(message)


class PaymentRefused(LocalizedError):
    code = "payment_refused"


class CardOutcomeUnknown(LocalizedError):
    """Neither the terminal nor a status query says whether the card was charged:
    the operator must answer "was the card payment completed?" (`confirm_card`)."""

    code = "card_outcome_unknown"

    def __init__(self, transaction_id: str) -> None:
        super().__init__(
            _(
                "A problem occurred during the payment. Details: transaction failed! Was the card"
                " payment completed anyway?"
            )
        )
        self.transaction_id = transaction_id


class CardDeclined(CassaError):
    """The terminal declined a card payment, void or refund (or never received it): nothing
    was done. `reason` is the terminal's own."""

    code = "card_declined"

    def __init__(self, message: str | Text, *, transaction_id: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.transaction_id = transaction_id
        self.reason = reason
