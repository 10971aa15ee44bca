"""A receipt printer on a serial line (RS-232 or a USB serial adapter), through python-escpos."""

from __future__ import annotations

from typing import Any

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Serial

from cassa.devices.errors import DeviceUnavailable
from cassa.devices.printing.backend import EscposDeviceBackend
from cassa.i18n import _

__all__ = ["SerialPrinter"]


class SerialPrinter(EscposDeviceBackend):
    def __init__(self, device: str, baudrate: int = 9600, timeout: float = 2.0) -> None:
        super().__init__(f"serial printer {device}")
        self.device, self.baudrate, self.timeout = device, baudrate, timeout

    def _open(self) -> Any:
        # dsrdtr=False: a printer (or a pty) that does not drive DSR still receives.
        printer = Serial(
            devfile=self.device, baudrate=self.baudrate, timeout=self.timeout, dsrdtr=False
        )
        try:
            printer.open()
        except DeviceNotFoundError as error:
            raise DeviceUnavailable(
                _("{name} cannot be opened: {error}", name=self.name, error=error)
            ) from None
        return printer

    @property
    def can_read(self) -> bool:
        return True

    def _read_byte(self) -> bytes:
        data: bytes = self._device().device.read(1)
        return data
