"""The receipt printer as the till uses it: render a layout, then deliver the bytes.

`ReceiptPrinter.render(data)` turns print data into ESC/POS bytes through the
layout of its kind (the deployment's, else the shipped one); `deliver(bytes)`
checks the printer is ready, sends, and checks it did not run out of paper
meanwhile. Delivery failures raise DeviceError subclasses; the print queue
(`cassa.devices.printing.queue`) keeps the bytes and retries.
"""

from __future__ import annotations

from cassa.devices.config import PrinterConfig
from cassa.devices.errors import DeviceUnavailable, PaperOut
from cassa.devices.printing.backend import PrinterBackend, PrinterStatus
from cassa.devices.printing.data import PrintData
from cassa.devices.printing.escpos_writer import EscposWriter, code_page_slots, columns_for
from cassa.devices.printing.layout import Layout, RenderOptions, layout_for, render
from cassa.i18n import _

__all__ = ["ReceiptPrinter", "backend_for"]


def backend_for(config: PrinterConfig) -> PrinterBackend:
    """The backend a printer configuration names (one module each)."""
    if config.backend == "network":
        from cassa.devices.printing.network import NetworkPrinter

        return NetworkPrinter(config.host, config.port, config.timeout)
    if config.backend == "serial":
        from cassa.devices.printing.serial_line import SerialPrinter

        return SerialPrinter(config.device, config.baudrate, config.timeout)
    if config.backend == "usb":
        from cassa.devices.printing.usb_device import UsbPrinter

        return UsbPrinter(config.vendor_id, config.product_id, config.timeout)
    if config.backend == "file":
        from cassa.devices.printing.file import FilePrinter

        return FilePrinter(config.device)
    if config.backend == "simulator":
        from cassa.devices.printing.simulator import SimulatedPrinter

        return SimulatedPrinter(path=config.output or None, profile=config.profile)
    raise ValueError(f"unknown printer backend {config.backend!r}")


class ReceiptPrinter:
    def __init__(self, backend: PrinterBackend, config: PrinterConfig | None = None) -> None:
        self.backend = backend
        self.config = config or PrinterConfig()
        code_page_slots(self.config.profile, self.config.code_pages)  # fail early, clearly
        self.options = RenderOptions(
            columns=columns_for(self.config.profile, self.config.paper_width, self.config.columns),
            barcode=self.config.barcode,
            qr=self.config.qr,
        )
        self._layouts: dict[str, Layout] = {}

    @property
    def columns(self) -> int:
        return self.options.columns

    def writer(self) -> EscposWriter:
        return EscposWriter(self.config.profile, self.config.code_pages)

    def layout(self, kind: str) -> Layout:
        if kind not in self._layouts:
            self._layouts[kind] = layout_for(kind, self.config.layouts)
        return self._layouts[kind]

    def render(self, data: PrintData) -> bytes:
        writer = self.writer()
        render(self.layout(data.kind), data, writer, self.options)
        return writer.bytes()

    def kick_bytes(self, pin: int, pulse_ms: int, off_ms: int) -> bytes:
        writer = EscposWriter(self.config.profile, self.config.code_pages, initialize=False)
        writer.kick(pin, pulse_ms, off_ms)
        return writer.bytes()

    def status(self) -> PrinterStatus:
        return self.backend.status()

    def deliver(self, data: bytes) -> None:
        """Send a whole job; raise if the printer is not ready or ran out of paper doing it."""
        before = self.backend.status()
        if before.online is False and before.paper != "out":
            raise DeviceUnavailable(_("{name} is offline (cover open?)", name=self.backend.name))
        if before.paper == "out":
            raise PaperOut(_("{name} is out of paper", name=self.backend.name))
        self.backend.send(data)
        after = self.backend.status()
        if after.paper == "out":
            raise PaperOut(
                _(
                    "{name} ran out of paper while printing: the whole document "
                    "will be printed again",
                    name=self.backend.name,
                )
            )
