"""ESC/POS bytes back into what a customer reads, so tests assert receipts as text.

No package turns ESC/POS into text; this decoder knows the commands Cassa
sends (and the common ones a template or a driver may add): text in the
selected code page, styles (ignored), feeds, cuts, drawer kicks, hardware
barcodes, QR codes, status requests, raster images (skipped). An unknown
command is an error with its byte offset, never silently skipped.

```python
job = decode(data)
job.text              # the receipt as plain lines
job.receipts()        # text between cuts, trailing blank lines removed
job.kicks             # [DrawerKick(pin=2, pulse_ms=100, off_ms=100)]
job.barcodes, job.qr_codes, job.cuts
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from escpos.capabilities import CAPABILITIES, get_profile

__all__ = [
    "Barcode",
    "Cut",
    "DecodeError",
    "DecodedJob",
    "DrawerKick",
    "QrCode",
    "StatusRequest",
    "decode",
]

_BARCODE_A = {0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF", 6: "CODABAR"}
_BARCODE_B = {
    65: "UPC-A",
    66: "UPC-E",
    67: "EAN13",
    68: "EAN8",
    69: "CODE39",
    70: "ITF",
    71: "CODABAR",
    72: "CODE93",
    73: "CODE128",
    74: "GS1-128",
    75: "GS1 DATABAR OMNIDIRECTIONAL",
    76: "GS1 DATABAR TRUNCATED",
    77: "GS1 DATABAR LIMITED",
    78: "GS1 DATABAR EXPANDED",
}
# ESC commands followed by a fixed number of parameter bytes.
_ESC_PARAMS = {
    b"!": 1,
    b"E": 1,
    b"-": 1,
    b"a": 1,
    b"M": 1,
    b"G": 1,
    b"V": 1,
    b"{": 1,
    b"3": 1,
    b"J": 1,
    b"e": 1,
    b"R": 1,
    b"=": 1,
    b"2": 0,
    b"d": 1,
    b"t": 1,
    b"@": 0,
    b"p": 3,
    b"B": 2,
    b" ": 1,
    b"$": 2,
    b"\\": 2,
    b"U": 1,
    b"r": 1,
    b"?": 2,
    b"K": 1,
}
_GS_PARAMS = {
    b"!": 1,
    b"B": 1,
    b"h": 1,
    b"w": 1,
    b"H": 1,
    b"f": 1,
    b"L": 2,
    b"W": 2,
    b"b": 1,
    b"I": 1,
    b"r": 1,
    b"a": 1,
    b"P": 2,
    b"^": 3,
    b":": 0,
}


class DecodeError(ValueError):
    """Bytes that are not ESC/POS this decoder understands."""


@dataclass(frozen=True)
class Cut:
    partial: bool
    at_line: int


@dataclass(frozen=True)
class DrawerKick:
    pin: int
    pulse_ms: int
    off_ms: int


@dataclass(frozen=True)
class Barcode:
    symbology: str
    data: str


@dataclass(frozen=True)
class QrCode:
    data: str


@dataclass(frozen=True)
class StatusRequest:
    kind: int  # DLE EOT n: 1 printer, 2 offline cause, 3 error cause, 4 paper sensor


@dataclass
class DecodedJob:
    lines: list[str] = field(default_factory=list)
    cuts: list[Cut] = field(default_factory=list)
    kicks: list[DrawerKick] = field(default_factory=list)
    barcodes: list[Barcode] = field(default_factory=list)
    qr_codes: list[QrCode] = field(default_factory=list)
    status_requests: list[StatusRequest] = field(default_factory=list)
    code_pages: list[str] = field(default_factory=list)  # every page selected, in order
    initializations: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def receipts(self) -> list[str]:
        """The text of each piece of paper the cutter separated, without trailing blank lines."""
        pieces: list[str] = []
        start = 0
        for cut in self.cuts:
            pieces.append(_trim(self.lines[start : cut.at_line]))
            start = cut.at_line
        rest = _trim(self.lines[start:])
        if rest or not pieces:
            pieces.append(rest)
        return pieces


def _trim(lines: list[str]) -> str:
    kept = [line.rstrip() for line in lines]
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return "\n".join(kept)


@cache
def _slot_codecs(profile: str) -> dict[int, str]:
    pages: dict[str, str] = get_profile(profile).codePages
    codecs: dict[int, str] = {}
    for slot, name in pages.items():
        spec: dict[str, Any] = CAPABILITIES["encodings"].get(name, {})
        if "python_encode" in spec:
            codecs[int(slot)] = spec["python_encode"]
    return codecs


class _Decoder:
    def __init__(self, data: bytes, profile: str) -> None:
        self.data = data
        self.pos = 0
        self.codecs = _slot_codecs(profile)
        self.codec = "cp437"
        self.job = DecodedJob()
        self.current: list[str] = []
        self.qr_data = ""
        self.start = 0  # where the command being read starts

    def fail(self, message: str) -> DecodeError:
        return DecodeError(f"byte {self.start}: {message}")

    def take(self, count: int) -> bytes:
        if self.pos + count > len(self.data):
            raise self.fail(f"command cut short: {count} more bytes expected")
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def newline(self, count: int = 1) -> None:
        for _ in range(count):
            self.job.lines.append("".join(self.current))
            self.current = []

    def run(self) -> DecodedJob:
        while self.pos < len(self.data):
            byte = self.data[self.pos]
            self.start = self.pos
            if byte == 0x0A:
                self.pos += 1
                self.newline()
            elif byte in (0x0D, 0x00):
                self.pos += 1
            elif byte == 0x09:
                self.pos += 1
                self.current.append(" ")
            elif byte == 0x0C:
                self.pos += 1
            elif byte == 0x1B:
                self.pos += 1
                self.esc()
            elif byte == 0x1D:
                self.pos += 1
                self.gs()
            elif byte == 0x10:
                self.pos += 1
                self.dle()
            elif byte == 0x1C:
                self.pos += 1
                self.fs()
            elif byte < 0x20:
                raise self.fail(f"unexpected control byte 0x{byte:02x}")
            else:
                self.text()
        if self.current:
            self.newline()
        return self.job

    def text(self) -> None:
        start = self.pos
        while self.pos < len(self.data) and self.data[self.pos] >= 0x20:
            self.pos += 1
        self.current.append(self.data[start : self.pos].decode(self.codec, errors="replace"))

    def esc(self) -> None:
        command = self.take(1)
        if command == b"@":
            self.job.initializations += 1
            self.codec = "cp437"
            return
        if command == b"t":
            slot = self.take(1)[0]
            codec = self.codecs.get(slot)
            if codec is None:
                raise self.fail(f"code page slot {slot} is not known to the printer profile")
            self.codec = codec
            self.job.code_pages.append(codec)
            return
        if command == b"d":
            self.newline(self.take(1)[0])
            return
        if command == b"p":
            pin, on, off = self.take(3)
            self.job.kicks.append(DrawerKick(2 if pin in (0, 48) else 5, on * 2, off * 2))
            return
        if command == b"c":
            self.take(2)  # ESC c 3/4/5 n: paper sensors, panel buttons
            return
        if command == b"*":
            mode, low, high = self.take(3)
            dots = low + high * 256
            self.take(dots * (3 if mode in (32, 33) else 1))
            return
        if command in _ESC_PARAMS:
            self.take(_ESC_PARAMS[command])
            return
        raise self.fail(f"unknown command ESC {command!r}")

    def gs(self) -> None:
        command = self.take(1)
        if command == b"V":
            mode = self.take(1)[0]
            if mode in (65, 66, 97, 98, 103, 104):
                self.take(1)
            self.job.cuts.append(Cut(mode in (1, 49, 66, 98, 104), len(self.job.lines)))
            return
        if command == b"k":
            self.barcode()
            return
        if command == b"(":
            self.extended()
            return
        if command == b"v":
            self.take(2)  # "0" m
            x_low, x_high, y_low, y_high = self.take(4)
            self.take((x_low + x_high * 256) * (y_low + y_high * 256))
            return
        if command in _GS_PARAMS:
            self.take(_GS_PARAMS[command])
            return
        raise self.fail(f"unknown command GS {command!r}")

    def barcode(self) -> None:
        kind = self.take(1)[0]
        if kind in _BARCODE_A:
            end = self.data.find(b"\x00", self.pos)
            if end < 0:
                raise self.fail("barcode data without its NUL terminator")
            payload = self.take(end - self.pos)
            self.take(1)
            symbology = _BARCODE_A[kind]
        elif kind in _BARCODE_B:
            payload = self.take(self.take(1)[0])
            symbology = _BARCODE_B[kind]
        else:
            raise self.fail(f"unknown barcode type {kind}")
        text = payload.decode("ascii", errors="replace")
        if symbology in ("CODE128", "GS1-128") and text[:1] == "{" and len(text) > 1:
            text = text[2:]  # the code set selector ({A {B {C) is not printed
        self.job.barcodes.append(Barcode(symbology, text))
        self.current.append(f"[{symbology} {text}]")
        self.newline()

    def extended(self) -> None:
        function = self.take(1)
        low, high = self.take(2)
        body = self.take(low + high * 256)
        if function != b"k" or len(body) < 2:
            return  # GS ( L graphics and other functions: nothing to read
        symbol, code = body[0], body[1]
        if symbol == 49 and code == 80:  # QR: store the data (m = '0' first)
            self.qr_data = body[3:].decode("utf-8", errors="replace")
        elif symbol == 49 and code == 81:  # QR: print what was stored
            data = self.qr_data
            self.job.qr_codes.append(QrCode(data))
            self.current.append(f"[QR {data}]")
            self.newline()

    def dle(self) -> None:
        command = self.take(1)
        if command == b"\x04":
            self.job.status_requests.append(StatusRequest(self.take(1)[0]))
        elif command == b"\x14":
            function, pin, units = self.take(3)
            if function == 1:
                self.job.kicks.append(DrawerKick(2 if pin == 0 else 5, units * 100, units * 100))
        elif command == b"\x05":
            self.take(1)
        else:
            raise self.fail(f"unknown command DLE {command!r}")

    def fs(self) -> None:
        command = self.take(1)
        if command in (b".", b"&"):
            return
        if command == b"p":
            self.take(2)
            return
        raise self.fail(f"unknown command FS {command!r}")


def decode(data: bytes, profile: str = "TM-T88V") -> DecodedJob:
    """Decode ESC/POS bytes; code page slots are read with the profile's table."""
    return _Decoder(data, profile).run()
