"""ESC/POS bytes for one print job, built once through python-escpos.

The protocol logic (text styles, code pages, barcodes, QR codes, cut, drawer
kick) is python-escpos's own, driven through its `Dummy` printer: a job is
rendered to bytes first, then any backend delivers those bytes. Bytes can be
stored (the print queue keeps them while a printer is out of paper) and
compared exactly in tests.

Code pages: python-escpos's "magic encode" picks, for every character, a code
page of the printer profile that holds it. Left alone it takes the lowest slot
that fits, which for "€" on a TM-T88V is slot 15, ISO-8859-7 (Greek): right on
paper only if the printer's Greek table has the euro. Here the choice is
limited to the configured pages, tried in the configured order (CP858 for
à è é ç €, then CP852 for ł ż ś ć), and the page actually used is announced
with ESC t before the text, so the bytes say which table they are meant for.
"""

from __future__ import annotations

from typing import Any

from escpos.capabilities import get_profile
from escpos.magicencode import Encoder
from escpos.printer import Dummy

from cassa.devices.errors import DeviceError
from cassa.i18n import _

__all__ = ["EscposWriter", "code_page_slots", "columns_for"]

_SIZES = {
    "normal": {"normal_textsize": True},
    "double_height": {"double_height": True},
    "double_width": {"double_width": True},
    "double": {"double_height": True, "double_width": True},
}

ESC = b"\x1b"
GS = b"\x1d"


def code_page_slots(profile: str, names: tuple[str, ...] | list[str]) -> dict[str, int]:
    """The ESC t slot of each named code page in a python-escpos profile."""
    try:
        pages = get_profile(profile).get_code_pages()
    except KeyError:
        raise DeviceError(_("unknown printer profile '{profile}'", profile=profile)) from None
    slots: dict[str, int] = {}
    for name in names:
        if name not in pages:
            known = ", ".join(sorted(n for n in pages if n != "Unknown"))
            raise DeviceError(
                _(
                    "printer profile {profile} has no code page {name} (it has: {known})",
                    profile=profile,
                    name=name,
                    known=known,
                )
            )
        slots[name] = int(pages[name])
    return slots


def columns_for(profile: str, paper_width: int, columns: int | None = None) -> int:
    """Characters per line in font A: configured, else 32 on 58 mm paper, else the profile's."""
    if columns:
        return columns
    if paper_width == 58:
        return 32
    try:
        return int(get_profile(profile).get_columns(0))
    except (KeyError, ValueError):
        return 42


class _PreferenceEncoder(Encoder):  # type: ignore[misc]
    """python-escpos's encoder, choosing among the configured pages in their given order."""

    def __init__(self, slots: dict[str, int]) -> None:
        super().__init__({name: str(slot) for name, slot in slots.items()})
        self.order = list(slots)

    def find_suitable_encoding(self, char: str) -> str | None:
        for name in self.order:
            if self.can_encode(name, char):
                return name
        return None


class EscposWriter:
    """Builds the bytes of one job. Every job starts with ESC @ (initialize)."""

    def __init__(
        self,
        profile: str = "TM-T88V",
        code_pages: tuple[str, ...] | list[str] = ("CP858", "CP852"),
        *,
        initialize: bool = True,
    ) -> None:
        slots = code_page_slots(profile, code_pages)
        self.profile = profile
        self._printer: Any = Dummy(
            profile=profile, magic_encode_args={"encoder": _PreferenceEncoder(slots)}
        )
        if initialize:
            self._printer.hw("INIT")

    # -- text -------------------------------------------------------------------
    def style(
        self,
        *,
        align: str = "left",
        bold: bool = False,
        underline: bool = False,
        size: str = "normal",
    ) -> None:
        self._printer.set(align=align, bold=bold, underline=1 if underline else 0, **_SIZES[size])

    def line(self, text: str = "") -> None:
        self._printer.text(text + "\n")

    def feed(self, lines: int = 1) -> None:
        if lines > 0:
            self._printer.print_and_feed(lines)

    # -- codes --------------------------------------------------------------------
    def barcode(self, data: str, symbology: str = "code128", *, height: int = 60) -> None:
        """A hardware barcode, centred, with the text below it.

        CODE39 takes A-Z 0-9 space and $%+-./ (document numbers fit);
        CODE128 (function B) takes any ASCII.
        """
        if symbology == "code128":
            code, kind, function = "{B" + data, "CODE128", "B"
        elif symbology == "code39":
            code, kind, function = data.upper(), "CODE39", "A"
        else:
            raise DeviceError(_("unknown barcode symbology '{symbology}'", symbology=symbology))
        # The public barcode() prints "Using hardware barcode renderer" on stdout
        # in python-escpos 3.1 (pinned); the hardware path it takes is this one.
        try:
            self._printer._hw_barcode(
                code, kind, height=height, width=2, pos="BELOW", function_type=function
            )
        except Exception as error:  # python-escpos raises its own Barcode*Error types
            raise DeviceError(
                _("cannot print '{data}' as {kind}: {error}", data=data, kind=kind, error=error)
            ) from None
        self._printer.set(align="left")
        self.line()

    def qr(self, data: str, *, size: int = 4) -> None:
        """A QR code rendered by the printer itself (GS ( k), centred."""
        self._printer.set(align="center")
        self._printer.qr(data, native=True, size=size)
        self._printer.set(align="left")
        self.line()

    # -- paper and drawer -----------------------------------------------------------
    def cut(self, *, partial: bool = False) -> None:
        self._printer.cut(mode="PART" if partial else "FULL")

    def kick(self, pin: int = 2, pulse_ms: int = 100, off_ms: int = 100) -> None:
        """ESC p m t1 t2: pulse the drawer connector pin 2 (m=0) or 5 (m=1)
        for t1 x 2 ms, then rest t2 x 2 ms."""
        if pin not in (2, 5):
            raise DeviceError(_("a cash drawer is wired to pin 2 or 5, not {pin}", pin=pin))
        on, off = _units(pulse_ms), _units(off_ms)
        self._printer.cashdraw([27, 112, 0 if pin == 2 else 1, on, off])

    def raw(self, data: bytes) -> None:
        self._printer._raw(data)

    def bytes(self) -> bytes:
        return bytes(self._printer.output)


def _units(milliseconds: int) -> int:
    units = round(milliseconds / 2)
    if not 1 <= units <= 255:
        raise DeviceError(
            _("a drawer pulse of {milliseconds} ms is outside 2-510 ms", milliseconds=milliseconds)
        )
    return units
