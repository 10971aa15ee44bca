"""The till app's devices: a devices file, or simulators for the demo and the tests.

Simulated, as `cassa demo` does: the receipt printer is the in-process
`SimulatedPrinter` (ESC/POS bytes recorded, decoded back for the screen),
the payment terminal is `TerminalSimulator` and, where the till's pack names
one (Italy), the fiscal printer is the RT `RtSimulator`, both on loopback
ports, stopped by `close()`. Either way the pack completes the devices
(`with_pack_defaults`: the fiscal printer's departments, or a refusal when a
required fiscal printer is missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cassa.devices.config import (
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
from cassa.engine.fiscal import Signer, with_pack_defaults
from cassa.engine.payments import PaymentDevices
from cassa.engine.storage.db import Database
from cassa.engine.till import Till

__all__ = ["UiDevices"]


@dataclass
class UiDevices:
    devices: TillDevices
    printer: SimulatedPrinter | None = None  # set when simulated: the screen shows its paper
    simulators: list[Any] = field(default_factory=list)
    signer: Signer | None = None  # the till's signing key (the devices file's `signing`)

    @classmethod
    def simulated(
        cls,
        database: Database,
        till: Till,
        *,
        language: str | None = None,
        omit_receipt_up_to: Decimal | None = Decimal("10.00"),
        terminal_hang: float = 3.0,
    ) -> UiDevices:
        from cassa.devices.fiscal.simulator import RtSimulator
        from cassa.devices.terminal.simulator import TerminalSimulator

        rules = till.pack.fiscal
        expected = rules.fiscal_printer if rules is not None else None
        simulators: list[Any] = []
        try:
            fiscal_printer = None
            if expected is not None and expected.kind == "epson_rt":
                rt = RtSimulator(timezone=till.store.timezone)
                rt.start()
                simulators.append(rt)
                fiscal_printer = FiscalPrinterConfig(url=rt.url, serial_number=rt.serial)
            terminal = TerminalSimulator(hang=terminal_hang)
            terminal.start()
            simulators.append(terminal)
            config = DevicesConfig(
                till=till.code,
                language=language or till.country.receipt_locale,
                printer=PrinterConfig(backend="simulator"),
                print_rules=PrintRules(omit_receipt_up_to=omit_receipt_up_to),
                fiscal_printer=fiscal_printer,
                payment_terminal=TerminalConfig(terminal.host, terminal.port, timeout=10),
            )
            printer = SimulatedPrinter()
            devices = TillDevices.from_config(
                with_pack_defaults(config, rules), database, till.currency, printer_backend=printer
            )
            if devices.terminal is not None:
                devices.terminal.status_timeout = 2.0
        except BaseException:
            for simulator in reversed(simulators):
                simulator.stop()
            raise
        return cls(devices, printer, simulators)

    @classmethod
    def from_file(cls, path: Path | str, database: Database, till: Till) -> UiDevices:
        from cassa.engine.fiscal import open_signer

        config = with_pack_defaults(load_devices(path), till.pack.fiscal)
        signing = config.signing
        signer = open_signer(signing.key, create=signing.create) if signing else None
        return cls(TillDevices.from_config(config, database, till.currency), signer=signer)

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
