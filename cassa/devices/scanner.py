"""Barcode scanners: on a serial line, or typing into the till like a keyboard.

Both end each code with a suffix (CR, LF or CR LF, configurable) and feed the
same callback as typing a code: the till's `scan`. `ScanBuffer` splits a
stream of bytes or keystrokes into codes (a code may arrive in several
pieces, and a CR LF scanner read as CR still works: empty codes are dropped).

    scanner = SerialScanner(ScannerConfig("/dev/ttyUSB2", suffix="CR"), on_code=scan_into(till))
    scanner.start()    # a background thread; scanner.stop() ends it
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import serial

from cassa.devices.config import ScannerConfig
from cassa.devices.errors import DeviceUnavailable
from cassa.engine.errors import CassaError
from cassa.i18n import _

__all__ = ["ScanBuffer", "SerialScanner", "scan_into"]

SUFFIXES = {"CR": "\r", "LF": "\n", "CRLF": "\r\n"}


class ScanBuffer:
    """Collects characters until the suffix; returns each complete code once."""

    def __init__(self, suffix: str = "CR") -> None:
        if suffix not in SUFFIXES:
            raise ValueError(f"scanner suffix is CR, LF or CRLF, not {suffix!r}")
        self.suffix = SUFFIXES[suffix]
        self._buffer = ""

    def feed(self, text: str) -> list[str]:
        self._buffer += text
        codes = []
        while self.suffix in self._buffer:
            code, self._buffer = self._buffer.split(self.suffix, 1)
            code = code.strip("\r\n\t ")
            if code:
                codes.append(code)
        return codes

    def key(self, char: str) -> str | None:
        """A keyboard-wedge scanner: one keystroke at a time; the code when it ends."""
        codes = self.feed(char)
        return codes[-1] if codes else None


def scan_into(
    till: Any, on_error: Callable[[str, CassaError], None] | None = None
) -> Callable[[str], None]:
    """The callback a scanner feeds: the till's scan command, errors reported, never raised."""

    def scan(code: str) -> None:
        try:
            till.scan(code)
        except CassaError as error:
            if on_error is not None:
                on_error(code, error)

    return scan


class SerialScanner:
    def __init__(
        self,
        config: ScannerConfig,
        on_code: Callable[[str], None],
        *,
        port: Any = None,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> None:
        self.config = config
        self.on_code = on_code
        self.on_failure = on_failure
        self.buffer = ScanBuffer(config.suffix)
        self._port = port
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def open(self) -> None:
        if self._port is None:
            try:
                self._port = serial.Serial(self.config.device, self.config.baudrate, timeout=0.1)
            except (serial.SerialException, ValueError) as error:
                raise DeviceUnavailable(
                    _(
                        "barcode scanner {device} cannot be opened: {error}",
                        device=self.config.device,
                        error=error,
                    )
                ) from None

    def start(self) -> SerialScanner:
        self.open()
        self._thread = threading.Thread(target=self._run, name="scanner", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        port, self._port = self._port, None
        if port is not None:
            port.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                chunk: bytes = self._port.read(256)
            except (serial.SerialException, OSError) as error:
                if self.on_failure is not None:
                    self.on_failure(error)
                return
            if not chunk:
                continue
            for code in self.buffer.feed(chunk.decode("ascii", errors="replace")):
                self.on_code(code)
