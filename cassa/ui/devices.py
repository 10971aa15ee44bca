"""The till app's devices: a devices file, or simulators for the demo and the tests.

Simulated, as `cassa demo` does: the receipt printer is the in-process
`SimulatedPrinter` (ESC/POS bytes recorded, decoded back for the screen),
the payment terminal is `TerminalSimulator` and the fiscal printer is the
Italian RT `RtSimulator`, both on loopback ports, stopped by `close()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cassa.devices.config import (
    DEFAULT_DEPARTMENTS,
    DevicesConfig,
    FiscalPrinterConfig,
    PrinterConfig,
    PrintRules,
    TerminalConfig,
    load_devices,
)
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.simulator import SimulatedPrinter
from cassa.devices.till_devices import TillDevices
from cassa.engine.money import Currency
from cassa.engine.payments import PaymentDevices
from cassa.engine.storage.db import Database

__all__ = ["UiDevices"]


@dataclass
class UiDevices:
    devices: TillDevices
    printer: SimulatedPrinter | None = None  # set when simulated: the screen shows its paper
    simulators: list[Any] = field(default_factory=list)

    @classmethod
    def simulated(
        cls,
        database: Database,
        till: str,
        currency: Currency,
        *,
        timezone: str = "Europe/Rome",
        language: str = "it",
        omit_receipt_up_to: Decimal | None = Decimal("10.00"),
        terminal_hang: float = 3.0,
    ) -> UiDevices:
        from cassa.devices.fiscal.epson_rt import EpsonRtPrinter
        from cassa.devices.fiscal.simulator import RtSimulator
        from cassa.devices.terminal.simulator import TerminalSimulator
        from cassa.devices.terminal.tcp import TcpPaymentTerminal

        printer = SimulatedPrinter()
        rt = RtSimulator(timezone=timezone)
        rt.start()
        terminal = TerminalSimulator(hang=terminal_hang)
        terminal.start()
        try:
            fiscal = EpsonRtPrinter(
                FiscalPrinterConfig(
                    url=rt.url,
                    serial_number=rt.serial,
                    departments={**DEFAULT_DEPARTMENTS, "N2": 5, "N4": 6},
                )
            )
            config = DevicesConfig(
                till=till,
                language=language,
                printer=PrinterConfig(backend="simulator"),
                print_rules=PrintRules(omit_receipt_up_to=omit_receipt_up_to),
            )
            devices = TillDevices.from_config(
                config, database, currency, printer_backend=printer, fiscal_printer=fiscal
            )
            devices.terminal = TcpPaymentTerminal(
                TerminalConfig(terminal.host, terminal.port, timeout=10), status_timeout=2.0
            )
        except BaseException:
            terminal.stop()
            rt.stop()
            raise
        return cls(devices, printer, [terminal, rt])

    @classmethod
    def from_file(cls, path: Path | str, database: Database, currency: Currency) -> UiDevices:
        return cls(TillDevices.from_config(load_devices(path), database, currency))

    @property
    def terminal_simulator(self) -> Any:
        from cassa.devices.terminal.simulator import TerminalSimulator

        return next((s for s in self.simulators if isinstance(s, TerminalSimulator)), None)

    def payment_devices(self) -> PaymentDevices:
        """What the payment window pays with: terminal, drawer, fiscal printer."""
        return PaymentDevices(
            terminal=self.devices.terminal,
            drawer=self.devices.drawer,
            fiscal=self.devices.fiscal,
            status_wait=5.0,
        )

    def paper_since(self, jobs_before: int) -> str:
        """The receipts the simulated printer printed after `jobs_before` jobs, as text."""
        if self.printer is None:
            return ""
        texts: list[str] = []
        for job in self.printer.jobs[jobs_before:]:
            texts.extend(t for t in decode(job).receipts() if t.strip())
        return "\n\n".join(texts)

    def jobs(self) -> int:
        return len(self.printer.jobs) if self.printer is not None else 0

    def close(self) -> None:
        self.devices.close()
        for simulator in reversed(self.simulators):
            simulator.stop()
        self.simulators.clear()
