"""An in-process receipt printer that records every byte it is sent.

It behaves like a printer the till cannot see inside: it can be unplugged
(`connected = False`) or run out of paper (`paper = "out"`), and then refuses
jobs the way a real one fails. `echo` receives the decoded text of each job
(the demo shows it in the terminal); `path` appends the raw bytes to a file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from cassa.devices.errors import DeviceUnavailable, PaperOut
from cassa.devices.printing.backend import PrinterBackend, PrinterStatus
from cassa.devices.printing.decoder import decode
from cassa.i18n import _

__all__ = ["SimulatedPrinter"]


class SimulatedPrinter(PrinterBackend):
    name = "simulated printer"

    def __init__(
        self,
        *,
        path: Path | str | None = None,
        echo: Callable[[str], None] | None = None,
        profile: str = "TM-T88V",
    ) -> None:
        self.path = Path(path) if path else None
        self.echo = echo
        self.profile = profile
        self.jobs: list[bytes] = []
        self.connected = True
        self.paper = "ok"
        self._lock = threading.Lock()

    @property
    def output(self) -> bytes:
        with self._lock:
            return b"".join(self.jobs)

    def send(self, data: bytes) -> None:
        if not self.connected:
            raise DeviceUnavailable(_("the simulated printer is unplugged"))
        if self.paper == "out":
            raise PaperOut(_("the simulated printer is out of paper"))
        with self._lock:
            self.jobs.append(bytes(data))
        if self.path is not None:
            with self.path.open("ab") as file:
                file.write(data)
        if self.echo is not None:
            for piece in decode(data, self.profile).receipts():
                self.echo(piece)

    def status(self) -> PrinterStatus:
        if not self.connected:
            raise DeviceUnavailable(_("the simulated printer is unplugged"))
        return PrinterStatus(online=self.paper != "out", paper=self.paper, drawer_pin3_high=False)
