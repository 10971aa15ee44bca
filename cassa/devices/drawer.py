"""The cash drawer, opened by a pulse from the receipt printer (ESC p).

Which pin (2 or 5) and how long a pulse a drawer needs differ per drawer (a
known field problem: a pulse too short does not release the latch), so both
are configuration. The drawer opens only for tenders configured to open it
(seed: "modalità di pagamento per cui deve avvenire l'apertura del cassetto");
with several tenders on one document it opens if at least one of them does.

The payments code calls `open_for_payment(drawer, tenders)` once, when the
payment is approved. A kick is sent at once or not at all: it is never queued,
a drawer that springs open minutes later would be worse than one that stays shut.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from cassa.devices.config import DrawerConfig
from cassa.devices.printing.printer import ReceiptPrinter

__all__ = ["CashDrawer", "TenderLike", "drawer_opens_for", "open_for_payment"]


@runtime_checkable
class TenderLike(Protocol):
    """A tender as the payments code describes it: its code, and whether it opens the drawer."""

    @property
    def code(self) -> str: ...


def _code(tender: str | TenderLike) -> str:
    return tender if isinstance(tender, str) else tender.code


def _opens(tender: str | TenderLike, config: DrawerConfig) -> bool:
    explicit = getattr(tender, "opens_drawer", None)
    if isinstance(explicit, bool):
        return explicit
    return _code(tender) in config.open_for_tenders


def drawer_opens_for(tenders: Iterable[str | TenderLike], config: DrawerConfig) -> bool:
    """Whether the drawer opens for a payment with these tenders.

    A tender is a code ("cash") or an object with `.code` and optionally
    `.opens_drawer` (which then wins over the devices file's `open_for_tenders`).
    """
    return any(_opens(tender, config) for tender in tenders)


class CashDrawer:
    def __init__(self, printer: ReceiptPrinter, config: DrawerConfig | None = None) -> None:
        self.printer = printer
        self.config = config or DrawerConfig()

    def kick_bytes(self) -> bytes:
        return self.printer.kick_bytes(self.config.pin, self.config.pulse_ms, self.config.off_ms)

    def kick(self) -> None:
        """Open the drawer now; raises DeviceError if the printer cannot be reached."""
        self.printer.backend.send(self.kick_bytes())

    def sensor_high(self) -> bool | None:
        """The drawer sensor (connector pin 3) as the printer reports it, None if unreadable.

        Whether "high" means open or shut depends on the drawer's switch."""
        return self.printer.status().drawer_pin3_high


def open_for_payment(drawer: CashDrawer | None, tenders: Iterable[str | TenderLike]) -> bool:
    """Kick the drawer if one of the tenders opens it; returns whether it was kicked."""
    if drawer is None or not drawer_opens_for(tenders, drawer.config):
        return False
    drawer.kick()
    return True
