"""Barcode scanners on a serial line (pty) and as keyboard input feed the till's scan."""

from __future__ import annotations

import os
import time
import tty

import pytest

from cassa.devices.config import ScannerConfig
from cassa.devices.scanner import ScanBuffer, SerialScanner, scan_into
from cassa.engine.errors import CassaError
from cassa.engine.till import Till


@pytest.mark.parametrize(
    ("suffix", "stream"),
    [
        ("CR", "8001234000011\r20123451\r"),
        ("LF", "8001234000011\n20123451\n"),
        ("CRLF", "8001234000011\r\n20123451\r\n"),
    ],
)
def test_each_suffix_ends_a_code(suffix: str, stream: str) -> None:
    assert ScanBuffer(suffix).feed(stream) == ["8001234000011", "20123451"]


def test_a_code_that_arrives_in_pieces_is_returned_once_complete() -> None:
    buffer = ScanBuffer("CR")
    assert buffer.feed("80012340") == []
    assert buffer.feed("00011\r") == ["8001234000011"]


def test_a_keyboard_scanner_gives_the_code_at_the_enter_key() -> None:
    buffer = ScanBuffer("CR")
    typed = [buffer.key(c) for c in "JUICE-APPLE\r"]
    assert typed[:-1] == [None] * 11
    assert typed[-1] == "JUICE-APPLE"


def wait(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)


def test_a_serial_scanner_adds_the_scanned_item_to_the_till(till: Till) -> None:
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    errors: list[tuple[str, CassaError]] = []
    scanner = SerialScanner(
        ScannerConfig(os.ttyname(slave), suffix="CRLF"),
        on_code=scan_into(till, lambda code, error: errors.append((code, error))),
    ).start()
    try:
        os.write(master, b"80012340")
        os.write(master, b"00011\r\nNO-SUCH-CODE\r\n20123451\r\n")
        wait(lambda: till.current is not None and len(till.current.lines) == 2 and errors)
    finally:
        scanner.stop()
        os.close(master)
        os.close(slave)
    assert till.current is not None
    assert [line.sku for line in till.current.lines] == ["CHOC-MILK", "STRAWBERRY"]
    assert [code for code, _ in errors] == ["NO-SUCH-CODE"]
