"""The payment terminal interface and its line protocol over TCP.

Protocol (one request per connection, ASCII lines ending in LF):

    -> SALE <txn> <amount> <currency>      charge a card: amount with the currency's decimals
    <- APPROVED <txn> <amount> <auth>       charged
    <- DECLINED <txn> <reason…>             not charged
    -> VOID <txn> <original-txn>            cancel an approved sale
    <- APPROVED <txn> <amount> <auth>       cancelled: the sale's amount goes back to the card
    <- DECLINED <txn> <reason…>             not cancelled (unknown or already voided sale, …)
    -> REFUND <txn> <amount> <currency> [<original-txn>]
                                            pay money back to a card; with the sale it
                                            returns, to that sale's card, never above
                                            what the sale has left
    <- APPROVED <txn> <amount> <auth> | DECLINED <txn> <reason…>
    -> STATUS <txn>                         what became of a sale, void or refund
    <- APPROVED … | DECLINED … | PENDING <txn> | NOTFOUND <txn>
    -> SETTLE <txn> <currency>              close the batch (seed: rapporto di spedizione)
    <- SETTLED <txn> <sales> <sales-total> <refunds> <refunds-total>
                                            the approved sales (voided ones left out) and
                                            refunds since the last settlement, in that
                                            currency; a settled sale can no longer be
                                            voided (refund it)
    -> PING                                 <- PONG
    <- ERROR <message…>                     a request the terminal cannot read

`txn` is the POS's own transaction id (1-64 of A-Z a-z 0-9 _ -), chosen
before the request is sent and stored with the payment; a void or a refund
has its own. The terminal executes a transaction id at most once: a SALE,
VOID or REFUND repeating a known id answers that transaction's outcome and
does nothing. A sale is voided at most once; its STATUS stays the sale's
(APPROVED), the void's id tells whether it was voided.

The outcome is UNKNOWN when no answer came (timeout, connection lost after
sending). The POS then asks STATUS, never the request again, until the
terminal says APPROVED or DECLINED (`resolve`): a customer is never charged,
refunded or voided twice, and an outcome is never assumed. A SETTLE repeating a
known id answers that settlement's report and closes nothing more.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cassa.devices.errors import DeviceError
from cassa.i18n import _

__all__ = [
    "TXN_PATTERN",
    "BatchReport",
    "PaymentOutcome",
    "PaymentResult",
    "PaymentTerminal",
    "TerminalError",
]

TXN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class TerminalError(DeviceError):
    code = "payment_terminal"


class PaymentOutcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    PENDING = "pending"  # the terminal is still waiting for the card
    NOT_FOUND = "not_found"  # the terminal never received this transaction
    UNKNOWN = "unknown"  # no answer: ask the status, never charge again

    @property
    def final(self) -> bool:
        return self in (PaymentOutcome.APPROVED, PaymentOutcome.DECLINED)


@dataclass(frozen=True)
class PaymentResult:
    transaction_id: str
    outcome: PaymentOutcome
    amount: Decimal | None = None
    authorization: str = ""
    reason: str = ""

    @property
    def approved(self) -> bool:
        return self.outcome is PaymentOutcome.APPROVED


@dataclass(frozen=True)
class BatchReport:
    """What a terminal settled: its approved sales and refunds since the last settlement."""

    transaction_id: str
    sales: int
    sales_total: Decimal
    refunds: int
    refunds_total: Decimal

    @property
    def net(self) -> Decimal:
        return self.sales_total - self.refunds_total


class PaymentTerminal(ABC):
    @abstractmethod
    def sale(self, transaction_id: str, amount: Decimal, currency: str) -> PaymentResult:
        """Charge once; UNKNOWN when no answer came (then call `status`, never `sale`)."""

    @abstractmethod
    def void(self, transaction_id: str, original_id: str) -> PaymentResult:
        """Cancel the approved sale `original_id` once; UNKNOWN as for `sale`."""

    @abstractmethod
    def refund(
        self, transaction_id: str, amount: Decimal, currency: str, original_id: str | None = None
    ) -> PaymentResult:
        """Pay `amount` back to a card once (to the card of the sale `original_id` when
        given); UNKNOWN as for `sale`."""

    @abstractmethod
    def status(self, transaction_id: str) -> PaymentResult: ...

    def settle(self, transaction_id: str, currency: str) -> BatchReport:
        """Close the terminal's batch in `currency` and report it (once per id)."""
        raise TerminalError(_("this payment terminal does not settle from the till"))

    @abstractmethod
    def ping(self) -> bool: ...
