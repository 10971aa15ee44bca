"""The receipt printer's one small interface: send bytes (and, where the line allows, read status).

Backends are one module each (network, serial_line, usb_device, file, simulator);
the ESC/POS protocol logic lives once, in `escpos_writer`.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from cassa.devices.errors import DeviceError, DeviceTimeout, DeviceUnavailable
from cassa.i18n import _

__all__ = [
    "STATUS_OFFLINE",
    "STATUS_PAPER",
    "EscposDeviceBackend",
    "PrinterBackend",
    "PrinterStatus",
    "paper_from_byte",
]

STATUS_OFFLINE = b"\x10\x04\x01"  # DLE EOT 1: printer status
STATUS_PAPER = b"\x10\x04\x04"  # DLE EOT 4: roll paper sensor


@dataclass(frozen=True)
class PrinterStatus:
    online: bool | None  # None: this backend cannot tell
    paper: str  # ok, near_end, out, unknown
    drawer_pin3_high: bool | None = None  # the drawer sensor; open or closed depends on the drawer
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.online is not False and self.paper != "out"

    def describe(self) -> str:
        if self.online is None and self.paper == "unknown":
            return self.detail or "status cannot be read on this connection"
        state = "online" if self.online else "offline"
        paper = {"ok": "paper ok", "near_end": "paper near end", "out": "paper out"}.get(
            self.paper, "paper unknown"
        )
        return f"{state}, {paper}" + (f" ({self.detail})" if self.detail else "")


UNKNOWN = PrinterStatus(None, "unknown")


def paper_from_byte(value: int) -> str:
    """DLE EOT 4 answer: bits 5-6 paper end, bits 2-3 paper near end."""
    if value & 0x60:
        return "out"
    if value & 0x0C:
        return "near_end"
    return "ok"


class PrinterBackend(ABC):
    """Where a printer's bytes go. One primitive: `send`."""

    name = "printer"

    @abstractmethod
    def send(self, data: bytes) -> None:
        """Deliver the bytes; raise DeviceUnavailable, PaperOut or DeviceTimeout when it cannot."""

    def status(self) -> PrinterStatus:
        return UNKNOWN

    def close(self) -> None:  # noqa: B027 - optional for backends without a connection
        """Release the connection; the next send opens it again."""


class EscposDeviceBackend(PrinterBackend):
    """A backend driving one of python-escpos's printer classes (Network, Serial, Usb, File)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._printer: Any = None

    @abstractmethod
    def _open(self) -> Any:
        """Create and open the python-escpos printer; raise DeviceUnavailable if it is not there."""

    def _read_byte(self) -> bytes:
        """One status byte from the printer (empty if none came); only lines that can read."""
        return b""

    @property
    def can_read(self) -> bool:
        return False

    def _device(self) -> Any:
        if self._printer is None:
            self._printer = self._open()
        return self._printer

    def send(self, data: bytes) -> None:
        try:
            self._device()._raw(data)
        except DeviceError:
            self.close()
            raise
        except TimeoutError:
            self.close()
            raise DeviceTimeout(_("{name} did not take the data in time", name=self.name)) from None
        except Exception as error:  # OSError, serial.SerialException, usb.core.USBError
            self.close()
            raise DeviceUnavailable(
                _("{name} cannot be reached: {error}", name=self.name, error=error)
            ) from None

    def status(self) -> PrinterStatus:
        if not self.can_read:
            return PrinterStatus(None, "unknown", detail=f"{self.name} cannot report status")
        try:
            device = self._device()
            device._raw(STATUS_OFFLINE)
            printer = self._read_byte()
            device._raw(STATUS_PAPER)
            paper = self._read_byte()
        except DeviceError:
            self.close()
            raise
        except Exception as error:
            self.close()
            raise DeviceUnavailable(
                _("{name} cannot be reached: {error}", name=self.name, error=error)
            ) from None
        if not printer or not paper:
            return PrinterStatus(None, "unknown", detail=f"{self.name} did not answer DLE EOT")
        return PrinterStatus(
            online=not printer[0] & 0x08,
            paper=paper_from_byte(paper[0]),
            drawer_pin3_high=bool(printer[0] & 0x04),
        )

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            with contextlib.suppress(Exception):  # a connection that already broke
                printer.close()
