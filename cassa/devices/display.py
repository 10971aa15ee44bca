"""The customer (pole) display: 2 lines of 20 characters on a serial line.

Commands are the ESC/POS customer display set (Epson DM-D and compatibles):
ESC @ initialize, ESC t n code page, US C n cursor on/off, US $ x y move the
cursor to column x of row y, then the text. Each message rewrites both lines
in full, so nothing from the previous one stays on screen.

`DisplayScreen` is the display's side: it interprets the same bytes into two
lines of text; the pty simulator and the tests use it.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import tty
from collections.abc import Callable
from decimal import Decimal
from types import TracebackType
from typing import Any

import serial

from cassa.devices.config import DisplayConfig
from cassa.devices.errors import DeviceUnavailable
from cassa.devices.printing.data import paper_money, words_for
from cassa.engine.money import Currency
from cassa.i18n import _

__all__ = ["CustomerDisplay", "DisplayScreen", "PtyDisplaySimulator", "display_bytes"]

ESC, US = b"\x1b", b"\x1f"
# ESC t slots of the DM-D code pages (the same numbering as the printers').
_SLOTS = {"CP437": 0, "CP850": 2, "CP858": 19, "CP852": 18, "CP1252": 16}
_CODECS = {slot: name.lower() for name, slot in _SLOTS.items()}


def display_bytes(top: str, bottom: str, columns: int = 20, code_page: str = "CP858") -> bytes:
    """The bytes that put two lines on the display, each padded or cut to the width."""
    codec = code_page.lower()

    def encoded(text: str) -> bytes:
        return text[:columns].ljust(columns).encode(codec, errors="replace")

    return US + b"$\x01\x01" + encoded(top) + US + b"$\x01\x02" + encoded(bottom)


class CustomerDisplay:
    def __init__(
        self,
        config: DisplayConfig,
        currency: Currency,
        language: str = "it",
        port: Any = None,
    ) -> None:
        self.config, self.currency = config, currency
        self.words = words_for(language)
        self._money = paper_money(currency, language)  # as the receipt writes amounts
        if config.code_page not in _SLOTS:
            raise DeviceUnavailable(
                _(
                    "display code page {code_page} is not one of {pages}",
                    code_page=config.code_page,
                    pages=", ".join(_SLOTS),
                )
            )
        self._port = port

    def _open(self) -> Any:
        if self._port is None:
            try:
                self._port = serial.Serial(
                    self.config.device, self.config.baudrate, timeout=1, write_timeout=2
                )
            except (serial.SerialException, ValueError) as error:
                raise DeviceUnavailable(
                    _(
                        "customer display {device} cannot be opened: {error}",
                        device=self.config.device,
                        error=error,
                    )
                ) from None
            self._write(ESC + b"@" + ESC + b"t" + bytes([_SLOTS[self.config.code_page]]))
            self._write(US + b"C\x00")  # cursor off
        return self._port

    def _write(self, data: bytes) -> None:
        try:
            self._port.write(data)
            self._port.flush()
        except (serial.SerialException, OSError) as error:
            self.close()
            raise DeviceUnavailable(
                _(
                    "customer display {device} stopped answering: {error}",
                    device=self.config.device,
                    error=error,
                )
            ) from None

    def show(self, top: str, bottom: str = "") -> None:
        self._open()
        self._write(display_bytes(top, bottom, self.config.columns, self.config.code_page))

    def _right(self, left: str, amount: str) -> str:
        width = self.config.columns
        room = width - len(amount) - 1
        return f"{left[:room]:<{room}} {amount}" if room > 0 else amount[-width:]

    def idle(self) -> None:
        lines = [*self.config.idle, "", ""]
        self.show(lines[0], lines[1])

    def item(self, name: str, price: Decimal, quantity: Decimal | None = None) -> None:
        """A scanned line: its name, then quantity x price and the amount."""
        money = self._money
        if quantity is None or quantity == 1:
            bottom = money(price).rjust(self.config.columns)
        else:
            amount = money(self.currency.round(price * quantity))
            bottom = self._right(f"{quantity.normalize():f} x {money(price)}", amount)
        self.show(name, bottom)

    def total(self, total: Decimal) -> None:
        amount = f"{self.currency.code} {self._money(total)}"
        self.show(self.words["total"], amount.rjust(self.config.columns))

    def change(self, total: Decimal, change: Decimal) -> None:
        money = self._money
        self.show(
            self._right(self.words["total"], money(total)),
            self._right(self.words["change"], money(change)),
        )

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(Exception):  # the line is already gone
                port.close()


class DisplayScreen:
    """What a 2 x 20 display shows after receiving a stream of bytes."""

    def __init__(self, columns: int = 20, rows: int = 2) -> None:
        self.columns, self.rows = columns, rows
        self.codec = "cp437"
        self._pending = b""
        self.clear()

    def clear(self) -> None:
        self.cells = [[" "] * self.columns for _ in range(self.rows)]
        self.row = self.col = 0

    @property
    def lines(self) -> list[str]:
        return ["".join(row) for row in self.cells]

    def _put(self, char: str) -> None:
        if self.col >= self.columns:
            self.col, self.row = 0, min(self.row + 1, self.rows - 1)
        self.cells[self.row][self.col] = char
        self.col += 1

    def feed(self, chunk: bytes) -> None:
        data = self._pending + chunk
        self._pending = b""
        i = 0
        needs = {ESC + b"@": 2, ESC + b"t": 3, ESC + b"=": 3, US + b"$": 4, US + b"C": 3}
        while i < len(data):
            byte = data[i]
            if byte in (0x1B, 0x1F):
                head = data[i : i + 2]
                if len(head) < 2:
                    self._pending = data[i:]
                    return
                size = needs.get(head, 2 if byte == 0x1F else 3)
                if len(data) - i < size:
                    self._pending = data[i:]
                    return
                command = data[i : i + size]
                if head == ESC + b"@":
                    self.clear()
                    self.codec = "cp437"
                elif head == ESC + b"t":
                    self.codec = _CODECS.get(command[2], "cp437")
                elif head == US + b"$":
                    self.col = max(0, min(command[2] - 1, self.columns - 1))
                    self.row = max(0, min(command[3] - 1, self.rows - 1))
                i += size
            elif byte == 0x0C:
                self.clear()
                i += 1
            elif byte == 0x0B:
                self.row = self.col = 0
                i += 1
            elif byte == 0x0D:
                self.col = 0
                i += 1
            elif byte == 0x0A:
                self.row = min(self.row + 1, self.rows - 1)
                i += 1
            elif byte == 0x08:
                self.col = max(0, self.col - 1)
                i += 1
            elif byte < 0x20:
                i += 1
            else:
                self._put(bytes([byte]).decode(self.codec, errors="replace"))
                i += 1


class PtyDisplaySimulator:
    """A customer display on a pseudo-terminal: open `device_path` as the display's port."""

    def __init__(
        self,
        screen: DisplayScreen | None = None,
        on_change: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.screen = screen or DisplayScreen()
        self.on_change = on_change
        self._master, self._slave = os.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.device_path = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="display-simulator", daemon=True)
        self.received = bytearray()
        self._lock = threading.Lock()

    def __enter__(self) -> PtyDisplaySimulator:
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

    def lines(self) -> list[str]:
        with self._lock:
            return self.screen.lines

    def wait_for(self, top: str, timeout: float = 5.0) -> list[str]:
        """Wait until the top line starts with `top`; return the screen."""
        done = threading.Event()
        deadline = timeout
        while deadline > 0 and not done.is_set():
            if self.lines()[0].startswith(top):
                break
            done.wait(0.01)
            deadline -= 0.01
        return self.lines()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select([self._master], [], [], 0.05)
                if not readable:
                    continue
                try:
                    chunk = os.read(self._master, 4096)
                except OSError:
                    continue
                with self._lock:
                    self.received.extend(chunk)
                    self.screen.feed(chunk)
                    lines = self.screen.lines
                if self.on_change is not None:
                    self.on_change(lines)
        finally:
            os.close(self._master)
            os.close(self._slave)
