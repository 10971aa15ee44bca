"""The payment terminal client over the line protocol of `cassa.devices.terminal.base`."""

from __future__ import annotations

import socket
import threading
import time
from decimal import Decimal, InvalidOperation

from cassa.devices.config import TerminalConfig
from cassa.devices.terminal.base import (
    TXN_PATTERN,
    BatchReport,
    PaymentOutcome,
    PaymentResult,
    PaymentTerminal,
    TerminalError,
)
from cassa.i18n import _

__all__ = ["TcpPaymentTerminal"]


class TcpPaymentTerminal(PaymentTerminal):
    def __init__(self, config: TerminalConfig, *, status_timeout: float = 5.0) -> None:
        self.config = config
        self.status_timeout = status_timeout
        self._submitted: set[str] = set()
        self._lock = threading.Lock()

    def _exchange(self, line: str, timeout: float) -> str | None:
        """Send one request; the answer line, or None when none came (outcome unknown)."""
        address = (self.config.host, self.config.port)
        if not line.isascii():
            raise TerminalError(_("the payment terminal takes ASCII only, not '{line}'", line=line))
        try:
            connection = socket.create_connection(address, timeout=timeout)
        except OSError as error:
            raise TerminalError(
                _(
                    "payment terminal {address}:{address2} cannot be reached: {error}",
                    address=address[0],
                    address2=address[1],
                    error=error,
                )
            ) from None
        with connection:
            connection.settimeout(timeout)
            try:
                connection.sendall(line.encode("ascii") + b"\n")
                answer = b""
                while not answer.endswith(b"\n"):
                    chunk = connection.recv(1024)
                    if not chunk:
                        break
                    answer += chunk
            except (TimeoutError, OSError):
                return None
        text = answer.decode("ascii", errors="replace").strip()
        return text or None

    def sale(self, transaction_id: str, amount: Decimal, currency: str) -> PaymentResult:
        if amount <= 0:
            raise TerminalError(_("a card payment must be above zero"))
        return self._send(transaction_id, f"SALE {transaction_id} {amount:.2f} {currency}", amount)

    def void(self, transaction_id: str, original_id: str) -> PaymentResult:
        if not TXN_PATTERN.match(original_id):
            raise TerminalError(
                _(
                    "transaction id '{original_id}' is not 1-64 of A-Z a-z 0-9 _ -",
                    original_id=original_id,
                )
            )
        return self._send(transaction_id, f"VOID {transaction_id} {original_id}", None)

    def refund(
        self, transaction_id: str, amount: Decimal, currency: str, original_id: str | None = None
    ) -> PaymentResult:
        if amount <= 0:
            raise TerminalError(_("a card refund must be above zero"))
        line = f"REFUND {transaction_id} {amount:.2f} {currency}"
        if original_id is not None:
            if not TXN_PATTERN.match(original_id):
                raise TerminalError(
                    _(
                        "transaction id '{original_id}' is not 1-64 of A-Z a-z 0-9 _ -",
                        original_id=original_id,
                    )
                )
            line += f" {original_id}"
        return self._send(transaction_id, line, amount)

    def _send(self, transaction_id: str, line: str, amount: Decimal | None) -> PaymentResult:
        """Send a sale, void or refund once: a second try could charge or refund twice."""
        if not TXN_PATTERN.match(transaction_id):
            raise TerminalError(
                _(
                    "transaction id '{transaction_id}' is not 1-64 of A-Z a-z 0-9 _ -",
                    transaction_id=transaction_id,
                )
            )
        with self._lock:
            if transaction_id in self._submitted:
                raise TerminalError(
                    _(
                        "transaction {transaction_id} was already sent: ask its "
                        "status, a transaction is never sent twice",
                        transaction_id=transaction_id,
                    )
                )
            self._submitted.add(transaction_id)
        answer = self._exchange(line, self.config.timeout)
        if answer is None:
            return PaymentResult(
                transaction_id,
                PaymentOutcome.UNKNOWN,
                amount,
                reason="no answer from the terminal: ask its status before anything else",
            )
        return _parse(answer, transaction_id)

    def status(self, transaction_id: str) -> PaymentResult:
        answer = self._exchange(f"STATUS {transaction_id}", self.status_timeout)
        if answer is None:
            return PaymentResult(transaction_id, PaymentOutcome.UNKNOWN, reason="no answer")
        return _parse(answer, transaction_id)

    def settle(self, transaction_id: str, currency: str) -> BatchReport:
        """Close the batch; the same id asked again answers the same report, so a
        settlement whose answer was lost is asked again with its id."""
        if not TXN_PATTERN.match(transaction_id):
            raise TerminalError(
                _(
                    "transaction id '{transaction_id}' is not 1-64 of A-Z a-z 0-9 _ -",
                    transaction_id=transaction_id,
                )
            )
        answer = self._exchange(f"SETTLE {transaction_id} {currency}", self.status_timeout)
        if answer is None:
            raise TerminalError(
                _("no answer from the payment terminal to the settlement: ask again")
            )
        words = answer.split(" ")
        if words[0] == "ERROR":
            raise TerminalError(
                _("the payment terminal refused the request: {answer}", answer=answer[6:])
            )
        if len(words) != 6 or words[0] != "SETTLED" or words[1] != transaction_id:
            raise TerminalError(
                _(
                    "the payment terminal gave an answer that cannot be read: '{answer}'",
                    answer=answer,
                )
            )
        try:
            return BatchReport(
                transaction_id, int(words[2]), Decimal(words[3]), int(words[4]), Decimal(words[5])
            )
        except (ValueError, InvalidOperation):
            raise TerminalError(_("unreadable totals in '{answer}'", answer=answer)) from None

    def resolve(
        self, transaction_id: str, *, wait: float = 120.0, interval: float = 1.0
    ) -> PaymentResult:
        """Ask the status until the terminal gives a final answer or `wait` runs out."""
        deadline = time.monotonic() + wait
        while True:
            try:
                result = self.status(transaction_id)
            except TerminalError as error:
                result = PaymentResult(transaction_id, PaymentOutcome.UNKNOWN, reason=error.message)
            if result.outcome.final or result.outcome is PaymentOutcome.NOT_FOUND:
                return result
            if time.monotonic() >= deadline:
                return result
            time.sleep(interval)

    def ping(self) -> bool:
        try:
            return self._exchange("PING", self.status_timeout) == "PONG"
        except TerminalError:
            return False


def _parse(answer: str, transaction_id: str) -> PaymentResult:
    words = answer.split(" ")
    kind = words[0]
    if kind == "ERROR":
        raise TerminalError(
            _("the payment terminal refused the request: {answer}", answer=answer[6:])
        )
    if len(words) < 2 or words[1] != transaction_id:
        raise TerminalError(
            _("the payment terminal answered about another transaction: {answer}", answer=answer)
        )
    if kind == "APPROVED" and len(words) >= 4:
        try:
            amount = Decimal(words[2])
        except InvalidOperation:
            raise TerminalError(_("unreadable amount in '{answer}'", answer=answer)) from None
        return PaymentResult(transaction_id, PaymentOutcome.APPROVED, amount, words[3])
    if kind == "DECLINED":
        return PaymentResult(transaction_id, PaymentOutcome.DECLINED, reason=" ".join(words[2:]))
    if kind == "PENDING":
        return PaymentResult(transaction_id, PaymentOutcome.PENDING)
    if kind == "NOTFOUND":
        return PaymentResult(transaction_id, PaymentOutcome.NOT_FOUND)
    raise TerminalError(
        _("the payment terminal gave an answer that cannot be read: '{answer}'", answer=answer)
    )
