"""A receipt printer at the far end of a real line: a TCP port or a serial pty.

It reads the byte stream as a printer does, keeps what it printed, answers
the real-time status requests (DLE EOT 1 and 4) from its paper state, and
shows each cut receipt (decoded) through `echo` and appends the raw bytes to
`output`. While out of paper it takes the bytes but prints nothing (they are
kept in `lost`), and says so to status requests, as an Epson printer does.

    with TcpPrinterSimulator() as printer:      # 127.0.0.1, a free port
        NetworkPrinter("127.0.0.1", printer.port).send(data)
    with PtyPrinterSimulator() as printer:      # printer.device is the serial path
        SerialPrinter(printer.device).send(data)
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from cassa.devices.printing.decoder import decode

__all__ = ["PrinterDevice", "PtyPrinterSimulator", "TcpPrinterSimulator"]

_DLE_EOT = b"\x10\x04"
_CUT = b"\x1dV"


class PrinterDevice:
    """The printer's side of the protocol, whatever line the bytes came through."""

    def __init__(
        self,
        *,
        output: Path | str | None = None,
        echo: Callable[[str], None] | None = None,
        profile: str = "TM-T88V",
    ) -> None:
        self.output = Path(output) if output else None
        self.echo = echo
        self.profile = profile
        self.paper = "ok"  # ok, near_end, out
        self.drawer_pin3_high = False
        self.printed = bytearray()
        self.lost = bytearray()
        self._unshown = bytearray()
        self._partial = b""
        self._lock = threading.Lock()

    def status_byte(self, kind: int) -> int:
        if kind == 1:
            value = 0x12 | (0x08 if self.paper == "out" else 0)
            return value | (0x04 if self.drawer_pin3_high else 0)
        if kind == 4:
            return 0x12 | {"ok": 0, "near_end": 0x0C, "out": 0x6C}[self.paper]
        return 0x12

    def feed(self, chunk: bytes) -> bytes:
        """Take bytes off the line; return the answers to any status requests in them."""
        data = self._partial + chunk
        self._partial = b""
        answers = bytearray()
        start = 0
        while True:
            found = data.find(_DLE_EOT, start)
            if found < 0 or found + 2 >= len(data):
                break
            answers.append(self.status_byte(data[found + 2]))
            start = found + 3
        if data.endswith(b"\x10") or data.endswith(_DLE_EOT):
            cut_at = len(data) - (1 if data.endswith(b"\x10") else 2)
            self._partial = data[cut_at:]
            data = data[:cut_at]
        with self._lock:
            if self.paper == "out":
                self.lost.extend(data)
            else:
                self.printed.extend(data)
                self._unshown.extend(data)
                if self.output is not None:
                    with self.output.open("ab") as file:
                        file.write(data)
        self._show(final=False)
        return bytes(answers)

    def _show(self, *, final: bool) -> None:
        if self.echo is None:
            self._unshown.clear()
            return
        with self._lock:
            end = self._unshown.rfind(_CUT)
            if end < 0 and not final:
                return
            if end >= 0:
                end += 3
                if end < len(self._unshown) and self._unshown[end - 1] in (65, 66):
                    end += 1
            else:
                end = len(self._unshown)
            piece = bytes(self._unshown[:end])
            del self._unshown[:end]
        for text in decode(piece, self.profile).receipts():
            if text:
                self.echo(text)

    def flush(self) -> None:
        self._show(final=True)

    def text(self) -> str:
        with self._lock:
            return decode(bytes(self.printed), self.profile).text


class _Simulator:
    def __init__(self, device: PrinterDevice | None = None) -> None:
        self.device = device or PrinterDevice()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Simulator:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.device.flush()

    def _run(self) -> None:
        raise NotImplementedError

    def wait_for(self, predicate: Callable[[PrinterDevice], bool], timeout: float = 5.0) -> bool:
        """Wait until the device state satisfies `predicate` (bytes travel asynchronously)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.device):
                return True
            time.sleep(0.01)
        return predicate(self.device)


class TcpPrinterSimulator(_Simulator):
    """A network receipt printer listening on a loopback port (9100 on a real one)."""

    def __init__(
        self, device: PrinterDevice | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        super().__init__(device)
        self._server = socket.create_server((host, port))
        self._server.settimeout(0.1)
        self.host, self.port = self._server.getsockname()[:2]

    def __enter__(self) -> TcpPrinterSimulator:
        self.start()
        return self

    def _run(self) -> None:
        clients: list[socket.socket] = []
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select([self._server, *clients], [], [], 0.05)
                for sock in readable:
                    if sock is self._server:
                        connection, _ = self._server.accept()
                        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                        clients.append(connection)
                        continue
                    try:
                        chunk = sock.recv(65536)
                    except OSError:
                        chunk = b""
                    if not chunk:
                        clients.remove(sock)
                        sock.close()
                        self.device.flush()
                        continue
                    answer = self.device.feed(chunk)
                    if answer:
                        sock.sendall(answer)
        finally:
            for sock in clients:
                sock.close()
            self._server.close()


class PtyPrinterSimulator(_Simulator):
    """A serial receipt printer on a pseudo-terminal: `device` is the path to open."""

    def __init__(self, device: PrinterDevice | None = None) -> None:
        super().__init__(device)
        self._master, self._slave = os.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.device_path = os.ttyname(self._slave)

    def __enter__(self) -> PtyPrinterSimulator:
        self.start()
        return self

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select([self._master], [], [], 0.05)
                if not readable:
                    continue
                try:
                    chunk = os.read(self._master, 65536)
                except OSError:
                    continue
                answer = self.device.feed(chunk)
                if answer:
                    os.write(self._master, answer)
        finally:
            os.close(self._master)
            os.close(self._slave)
