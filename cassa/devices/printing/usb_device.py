"""A receipt printer on USB, through python-escpos and pyusb (the `usb` extra)."""

from __future__ import annotations

import importlib.util
from typing import Any

from cassa.devices.errors import DeviceUnavailable, MissingExtra
from cassa.devices.printing.backend import EscposDeviceBackend
from cassa.i18n import _

__all__ = ["UsbPrinter", "usb_available"]

EXTRA_HINT = "pip install 'python-escpos[usb]' (pyusb and a libusb backend)"


def usb_available() -> bool:
    return importlib.util.find_spec("usb") is not None


class UsbPrinter(EscposDeviceBackend):
    def __init__(self, vendor_id: int, product_id: int, timeout: float = 5.0) -> None:
        super().__init__(f"USB printer {vendor_id:04x}:{product_id:04x}")
        self.vendor_id, self.product_id, self.timeout = vendor_id, product_id, timeout
        if not usb_available():
            raise MissingExtra(
                _(
                    "USB printers need pyusb, which is not installed: {extra_hint}",
                    extra_hint=EXTRA_HINT,
                )
            )

    def _open(self) -> Any:
        from escpos.exceptions import DeviceNotFoundError, USBNotFoundError
        from escpos.printer import Usb

        printer = Usb(
            idVendor=self.vendor_id, idProduct=self.product_id, timeout=int(self.timeout * 1000)
        )
        try:
            printer.open()
        except (DeviceNotFoundError, USBNotFoundError) as error:
            raise DeviceUnavailable(
                _("{name} is not connected: {error}", name=self.name, error=error)
            ) from None
        return printer
