"""A simulated payment terminal on a loopback TCP port, speaking the line protocol.

Outcomes of sales, voids and refunds come from a script (`script("decline",
"lost_answer")`, then approve) or, when the script is empty, from the amount's
cents of a sale or a refund, for trying by hand: .51 declines, .52 times out
(the customer never taps; declined later), .53 approves but the answer is
lost; a void then approves. A void of an unknown, unapproved or already
voided sale is declined whatever the script says, and so is a refund naming a
sale that is unknown, unapproved, voided, or has less left than it asks. `charges`, `voids` and
`refunds` list what was really done.

    with TerminalSimulator() as terminal:
        TcpPaymentTerminal(TerminalConfig("127.0.0.1", terminal.port, timeout=1))
"""

from __future__ import annotations

import secrets
import socket
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import TracebackType

from cassa.devices.terminal.base import TXN_PATTERN

__all__ = ["TerminalSimulator", "Transaction"]

MODES = ("approve", "decline", "timeout", "lost_answer")
_BY_CENTS = {"51": "decline", "52": "timeout", "53": "lost_answer"}
_DECLINED = {
    "sale": "card declined by the issuer",
    "void": "void refused by the acquirer",
    "refund": "refund declined by the issuer",
}


@dataclass
class Transaction:
    id: str
    amount: Decimal
    currency: str
    state: str  # pending, approved, declined
    authorization: str = ""
    reason: str = ""
    kind: str = "sale"  # sale, void, refund
    original: str = ""  # the sale a void cancels or a refund gives back to


class TerminalSimulator:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, hang: float = 3.0) -> None:
        self.hang = hang  # how long a "timeout" transaction stays pending
        self.transactions: dict[str, Transaction] = {}
        self.charges: list[tuple[str, Decimal]] = []
        self.voids: list[tuple[str, str]] = []  # (void, the sale it cancelled)
        self.refunds: list[tuple[str, Decimal]] = []
        self._void_of: dict[str, str] = {}  # a sale -> its approved or pending void
        self.settled: set[str] = set()  # transactions closed by a settlement
        self.settlements: dict[str, str] = {}  # settlement id -> its report line
        self.requests: list[str] = []
        self._script: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = socket.create_server((host, port))
        self._server.settimeout(0.05)
        self.host, self.port = self._server.getsockname()[:2]
        self._thread = threading.Thread(target=self._serve, name="terminal-simulator", daemon=True)
        self._workers: list[threading.Thread] = []

    def __enter__(self) -> TerminalSimulator:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for worker in self._workers:
            worker.join(timeout=self.hang + 5)
        self._server.close()

    def script(self, *modes: str) -> None:
        for mode in modes:
            if mode not in MODES:
                raise ValueError(f"unknown terminal outcome {mode!r} ({', '.join(MODES)})")
        with self._lock:
            self._script.extend(modes)

    def charged(self, transaction_id: str) -> int:
        """How many times a transaction was charged (never more than once)."""
        with self._lock:
            return sum(1 for t, _ in self.charges if t == transaction_id)

    def voided(self, sale_id: str) -> int:
        """How many times a sale was voided (never more than once)."""
        with self._lock:
            return sum(1 for _, sale in self.voids if sale == sale_id)

    def executed(self, transaction_id: str) -> int:
        """How many times a sale, void or refund id was carried out (never more than once)."""
        with self._lock:
            done = [t for t, _ in self.charges] + [t for t, _ in self.voids]
            return (done + [t for t, _ in self.refunds]).count(transaction_id)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._client, args=(connection,), daemon=True)
            self._workers = [w for w in self._workers if w.is_alive()]
            self._workers.append(worker)
            worker.start()

    def _client(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            data = b""
            try:
                while not data.endswith(b"\n") and len(data) < 512:
                    chunk = connection.recv(512)
                    if not chunk:
                        return
                    data += chunk
            except OSError:
                return
            line = data.decode("ascii", errors="replace").strip()
            with self._lock:
                self.requests.append(line)
            answer = self._answer(line)
            if answer is None:
                return  # the answer is lost: the connection closes without one
            try:
                connection.sendall(answer.encode("ascii") + b"\n")
            except OSError:
                return

    def _describe(self, txn: Transaction) -> str:
        if txn.state == "approved":
            return f"APPROVED {txn.id} {txn.amount:.2f} {txn.authorization}"
        if txn.state == "declined":
            return f"DECLINED {txn.id} {txn.reason}"
        return f"PENDING {txn.id}"

    def _answer(self, line: str) -> str | None:
        words = line.split(" ")
        if words == ["PING"]:
            return "PONG"
        if len(words) == 3 and words[0] == "SETTLE" and TXN_PATTERN.match(words[1]):
            return self._settle(words[1], words[2])
        if len(words) == 2 and words[0] == "STATUS" and TXN_PATTERN.match(words[1]):
            with self._lock:
                txn = self.transactions.get(words[1])
                return self._describe(txn) if txn else f"NOTFOUND {words[1]}"
        if (
            len(words) == 3
            and words[0] == "VOID"
            and TXN_PATTERN.match(words[1])
            and TXN_PATTERN.match(words[2])
        ):
            void = Transaction(words[1], Decimal(0), "", "pending", kind="void")
            void.original = words[2]
            return self._execute(void)
        referenced = len(words) == 5 and words[0] == "REFUND" and TXN_PATTERN.match(words[4])
        if (
            (len(words) == 4 or referenced)
            and words[0] in ("SALE", "REFUND")
            and TXN_PATTERN.match(words[1])
        ):
            try:
                amount = Decimal(words[2])
            except InvalidOperation:
                return f"ERROR amount {words[2]!r} is not a number"
            if amount <= 0:
                return "ERROR the amount must be above zero"
            kind = words[0].lower()
            txn = Transaction(words[1], amount, words[3], "pending", kind=kind)
            txn.original = words[4] if referenced else ""
            return self._execute(txn)
        return f"ERROR cannot read {line[:40]!r}"

    def _execute(self, txn: Transaction) -> str | None:
        with self._lock:
            known = self.transactions.get(txn.id)
            if known is not None:  # a repeated id is never executed again
                return self._describe(known)
            self.transactions[txn.id] = txn
            refusal = ""
            if txn.kind == "void":
                refusal = self._cannot_void(txn)
            elif txn.kind == "refund" and txn.original:
                refusal = self._cannot_refund(txn)
            if refusal:
                txn.state, txn.reason = "declined", refusal
                return self._describe(txn)
            if self._script:
                mode = self._script.pop(0)
            elif txn.kind == "void":
                mode = "approve"
            else:
                mode = _BY_CENTS.get(f"{txn.amount:.2f}"[-2:], "approve")
            if mode in ("approve", "lost_answer"):
                txn.state, txn.authorization = "approved", secrets.token_hex(3).upper()
                if txn.kind == "sale":
                    self.charges.append((txn.id, txn.amount))
                elif txn.kind == "void":
                    self.voids.append((txn.id, txn.original))
                else:
                    self.refunds.append((txn.id, txn.amount))
            elif mode == "decline":
                self._decline(txn, _DECLINED[txn.kind])
        if mode == "lost_answer":
            return None
        if mode == "timeout":
            self._stop.wait(self.hang)  # the customer never taps; the terminal gives up
            with self._lock:
                self._decline(txn, "timed out at the terminal")
            return None
        return self._describe(txn)

    def _settle(self, settlement_id: str, currency: str) -> str:
        """Close the batch in `currency`: approved sales not voided and approved refunds
        since the last settlement; pending transactions wait for the next one."""
        with self._lock:
            known = self.settlements.get(settlement_id)
            if known is None:
                closing = [
                    t
                    for t in self.transactions.values()
                    if t.currency == currency
                    and t.state != "pending"
                    and t.id not in self.settled
                    and t.kind in ("sale", "refund", "void")
                ]
                voided = {
                    t.original
                    for t in self.transactions.values()
                    if t.kind == "void" and t.state == "approved"
                }
                sales = [
                    t
                    for t in closing
                    if t.kind == "sale" and t.state == "approved" and t.id not in voided
                ]
                refunds = [t for t in closing if t.kind == "refund" and t.state == "approved"]
                known = (
                    f"SETTLED {settlement_id} {len(sales)} "
                    f"{sum((t.amount for t in sales), Decimal(0)):.2f} {len(refunds)} "
                    f"{sum((t.amount for t in refunds), Decimal(0)):.2f}"
                )
                self.settled.update(t.id for t in closing)
                self.settlements[settlement_id] = known
            return known

    def _cannot_void(self, void: Transaction) -> str:
        """Why a void is refused outright; else the sale is held for it (no second void)."""
        sale = self.transactions.get(void.original)
        if sale is None or sale.kind != "sale":
            return f"unknown sale {void.original}"
        if sale.state != "approved":
            return f"sale {sale.id} is not approved"
        if sale.id in self.settled:
            return f"sale {sale.id} is settled: refund it"
        holder = self._void_of.get(sale.id)
        if holder is not None:
            if self.transactions[holder].state == "approved":
                return f"sale {sale.id} is already voided"
            return f"a void of sale {sale.id} is in progress"
        void.amount, void.currency = sale.amount, sale.currency
        self._void_of[sale.id] = void.id
        return ""

    def _cannot_refund(self, refund: Transaction) -> str:
        """Why a refund of a sale is refused outright: the sale must be approved, not
        voided, in the same currency, with enough left after its other refunds."""
        sale = self.transactions.get(refund.original)
        if sale is None or sale.kind != "sale":
            return f"unknown sale {refund.original}"
        if sale.state != "approved":
            return f"sale {sale.id} is not approved"
        holder = self._void_of.get(sale.id)
        if holder is not None and self.transactions[holder].state == "approved":
            return f"sale {sale.id} is voided"
        if refund.currency != sale.currency:
            return f"sale {sale.id} was in {sale.currency}"
        given = sum(
            (
                t.amount
                for t in self.transactions.values()
                if t.kind == "refund"
                and t.original == sale.id
                and t.state != "declined"
                and t is not refund
            ),
            Decimal(0),
        )
        if refund.amount > sale.amount - given:
            return f"sale {sale.id} has only {sale.amount - given:.2f} left to refund"
        return ""

    def _decline(self, txn: Transaction, reason: str) -> None:
        txn.state, txn.reason = "declined", reason
        if txn.kind == "void" and self._void_of.get(txn.original) == txn.id:
            del self._void_of[txn.original]  # a declined void leaves the sale voidable
