"""A receipt printer behind a device file (/dev/usb/lp0, a parallel port), through python-escpos."""

from __future__ import annotations

from typing import Any

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import File

from cassa.devices.errors import DeviceUnavailable
from cassa.devices.printing.backend import EscposDeviceBackend
from cassa.i18n import _

__all__ = ["FilePrinter"]


class FilePrinter(EscposDeviceBackend):
    def __init__(self, device: str) -> None:
        super().__init__(f"printer file {device}")
        self.device = device

    def _open(self) -> Any:
        printer = File(devfile=self.device)
        try:
            printer.open()
        except DeviceNotFoundError as error:
            raise DeviceUnavailable(
                _("{name} cannot be opened: {error}", name=self.name, error=error)
            ) from None
        return printer
