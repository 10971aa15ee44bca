"""A simulated payment terminal on a loopback TCP port, speaking the line protocol.

Outcomes come from a script (`script("decline", "lost_answer")`, then approve)
or, when the script is empty, from the amount's cents, for trying by hand:
.51 declines, .52 times out (the customer never taps; declined later),
.53 approves but the answer is lost. `charges` lists what was really charged.

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


@dataclass
class Transaction:
    id: str
    amount: Decimal
    currency: str
    state: str  # pending, approved, declined
    authorization: str = ""
    reason: str = ""


class TerminalSimulator:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, hang: float = 3.0) -> None:
        self.hang = hang  # how long a "timeout" transaction stays pending
        self.transactions: dict[str, Transaction] = {}
        self.charges: list[tuple[str, Decimal]] = []
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
        if len(words) == 2 and words[0] == "STATUS" and TXN_PATTERN.match(words[1]):
            with self._lock:
                txn = self.transactions.get(words[1])
                return self._describe(txn) if txn else f"NOTFOUND {words[1]}"
        if len(words) == 4 and words[0] == "SALE" and TXN_PATTERN.match(words[1]):
            try:
                amount = Decimal(words[2])
            except InvalidOperation:
                return f"ERROR amount {words[2]!r} is not a number"
            if amount <= 0:
                return "ERROR the amount must be above zero"
            return self._sale(words[1], amount, words[3])
        return f"ERROR cannot read {line[:40]!r}"

    def _sale(self, txn_id: str, amount: Decimal, currency: str) -> str | None:
        with self._lock:
            known = self.transactions.get(txn_id)
            if known is not None:  # a repeated id is never charged again
                return self._describe(known)
            mode = (
                self._script.pop(0)
                if self._script
                else _BY_CENTS.get(f"{amount:.2f}"[-2:], "approve")
            )
            txn = Transaction(txn_id, amount, currency, "pending")
            self.transactions[txn_id] = txn
            if mode in ("approve", "lost_answer"):
                txn.state, txn.authorization = "approved", secrets.token_hex(3).upper()
                self.charges.append((txn_id, amount))
            elif mode == "decline":
                txn.state, txn.reason = "declined", "card declined by the issuer"
        if mode == "lost_answer":
            return None
        if mode == "timeout":
            self._stop.wait(self.hang)  # the customer never taps; the terminal gives up
            with self._lock:
                txn.state, txn.reason = "declined", "timed out at the terminal"
            return None
        return self._describe(txn)
