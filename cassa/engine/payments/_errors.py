"""Refusals of the payment window, readable in the till's languages."""

from __future__ import annotations

from typing import Any

from cassa.engine.errors import CassaError, InvalidInput
from cassa.engine.messages import Message

__all__ = ["CardDeclined", "CardOutcomeUnknown", "LocalizedError", "PaymentRefused"]


class LocalizedError(InvalidInput):
    """A refusal with a catalog message by code: `message` is English, `render(locale)`
    any language."""

    def __init__(self, code: str, **params: Any) -> None:
        self.localized = Message(code, params)
        super().__init__(self.localized.text)


class PaymentRefused(LocalizedError):
    code = "payment_refused"


class CardOutcomeUnknown(LocalizedError):
    """Neither the terminal nor a status query says whether the card was charged:
    the operator must answer "was the card payment completed?" (`confirm_card`)."""

    code = "card_outcome_unknown"

    def __init__(self, transaction_id: str) -> None:
        super().__init__("card_outcome_unknown")
        self.transaction_id = transaction_id


class CardDeclined(CassaError):
    """The terminal declined a card payment, void or refund (or never received it): nothing
    was done. `reason` is the terminal's own."""

    code = "card_declined"

    def __init__(self, message: str, *, transaction_id: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.transaction_id = transaction_id
        self.reason = reason
