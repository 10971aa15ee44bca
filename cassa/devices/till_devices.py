"""One till's devices together, as the till uses them after a sale.

```python
devices = TillDevices.from_config(load_devices("devices.yaml"), database, country.currency)
outcome = devices.after_sale(document, totals, country, header, operator="anna",
                             payments=[Payment("cash", Decimal("50.00"))])
outcome.messages        # what the till shows: "printed", "fiscal pending …", …
devices.open_drawer_for(["cash"])   # the payments code, when the payment is approved
```
The sale is stored before any of this runs; a device that fails never undoes
or blocks it: the print job waits in the queue, the fiscal record stays
pending, and the messages say so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cassa.devices.config import DevicesConfig
from cassa.devices.display import CustomerDisplay
from cassa.devices.drawer import CashDrawer, TenderLike, open_for_payment
from cassa.devices.errors import DeviceError
from cassa.devices.fiscal.base import FiscalPrinter
from cassa.devices.fiscal.records import Fiscalization, FiscalRecord
from cassa.devices.printing.backend import PrinterBackend
from cassa.devices.printing.data import Payment
from cassa.devices.printing.printer import ReceiptPrinter, backend_for
from cassa.devices.printing.service import DocumentPrinting, PrintOutcome
from cassa.devices.terminal.tcp import TcpPaymentTerminal
from cassa.engine.country import CountrySettings
from cassa.engine.documents import Document, DocumentTotals, DocumentType
from cassa.engine.money import Currency
from cassa.engine.receipt_text import ReceiptHeader
from cassa.engine.storage.db import Database
from cassa.i18n import SOURCE_LANGUAGE

__all__ = ["SaleDevices", "TillDevices"]


@dataclass
class SaleDevices:
    """What the devices did with one sale."""

    printed: PrintOutcome | None = None
    fiscal: FiscalRecord | None = None
    messages: list[str] = field(default_factory=list)


@dataclass
class TillDevices:
    config: DevicesConfig
    printer: ReceiptPrinter | None = None
    printing: DocumentPrinting | None = None
    drawer: CashDrawer | None = None
    display: CustomerDisplay | None = None
    fiscal: Fiscalization | None = None
    terminal: TcpPaymentTerminal | None = None

    @classmethod
    def from_config(
        cls,
        config: DevicesConfig,
        database: Database,
        currency: Currency,
        *,
        printer_backend: PrinterBackend | None = None,
        fiscal_printer: FiscalPrinter | None = None,
    ) -> TillDevices:
        devices = cls(config)
        if config.printer is not None or printer_backend is not None:
            printer_config = config.printer
            if printer_backend is not None:
                backend = printer_backend
            else:
                assert printer_config is not None
                backend = backend_for(printer_config)
            devices.printer = ReceiptPrinter(backend, printer_config)
            devices.printing = DocumentPrinting(
                database,
                devices.printer,
                config.till,
                config.print_rules,
                language=config.language,
            )
            devices.drawer = CashDrawer(devices.printer, config.drawer)
        if config.display is not None:
            devices.display = CustomerDisplay(
                config.display, currency, config.language or SOURCE_LANGUAGE
            )
        if fiscal_printer is None and config.fiscal_printer is not None:
            from cassa.devices.fiscal.epson_rt import EpsonRtPrinter

            fiscal_printer = EpsonRtPrinter(config.fiscal_printer)
        if fiscal_printer is not None:
            devices.fiscal = Fiscalization(database, fiscal_printer, config.till)
        if config.payment_terminal is not None:
            devices.terminal = TcpPaymentTerminal(config.payment_terminal)
        return devices

    def after_sale(
        self,
        document: Document,
        totals: DocumentTotals,
        country: CountrySettings,
        header: ReceiptHeader,
        *,
        operator: str,
        payments: Sequence[Payment] = (),
        change: Decimal | None = None,
        customer_asked: bool = False,
    ) -> SaleDevices:
        """Fiscalize, print and show an approved sale; failures become messages."""
        outcome = SaleDevices()
        if self.fiscal is not None and document.type is DocumentType.RECEIPT:
            try:
                outcome.fiscal = self.fiscal.fiscalize_sale(document, totals, payments)
                outcome.messages.append(outcome.fiscal.describe())
            except DeviceError as error:
                outcome.messages.append(f"{document.number}: FISCAL PENDING: {error.message}")
        if self.printing is not None:
            try:
                outcome.printed = self.printing.print_sale(
                    document,
                    totals,
                    country,
                    header,
                    operator=operator,
                    payments=payments,
                    change=change,
                    customer_asked=customer_asked,
                )
                outcome.messages.append(outcome.printed.message())
            except DeviceError as error:
                outcome.messages.append(f"not printed: {error.message}")
            with contextlib.suppress(DeviceError):  # older jobs, now that a sale went by
                self.printing.queue.retry_pending()
        if self.display is not None:
            try:
                paid = sum((p.amount for p in payments), Decimal(0))
                if payments and paid > totals.total:
                    self.display.change(totals.total, change or paid - totals.total)
                else:
                    self.display.total(totals.total)
            except DeviceError as error:
                outcome.messages.append(f"customer display: {error.message}")
        return outcome

    def open_drawer_for(self, tenders: Iterable[str | TenderLike]) -> bool:
        """Kick the drawer if a tender opens it (call once, when the payment is approved)."""
        return open_for_payment(self.drawer, tenders)

    def close(self) -> None:
        if self.printer is not None:
            self.printer.backend.close()
        if self.display is not None:
            self.display.close()
