"""A receipt printer on the network (raw TCP, usually port 9100), through python-escpos."""

from __future__ import annotations

import socket
from typing import Any

from escpos.printer import Network

from cassa.devices.errors import DeviceUnavailable
from cassa.devices.printing.backend import EscposDeviceBackend
from cassa.i18n import _

__all__ = ["NetworkPrinter"]


class NetworkPrinter(EscposDeviceBackend):
    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0) -> None:
        super().__init__(f"network printer {host}:{port}")
        self.host, self.port, self.timeout = host, port, timeout

    def _open(self) -> Any:
        printer = Network(host=self.host, port=self.port, timeout=self.timeout)
        # Connect here rather than through Network.open(), which leaves the socket of a
        # failed connection unclosed (python-escpos 3.1).
        try:
            connection = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as error:
            raise DeviceUnavailable(
                _("{name} cannot be reached: {error}", name=self.name, error=error)
            ) from None
        # Status requests are a few bytes each, answered by one byte: without TCP_NODELAY,
        # Nagle's algorithm and delayed ACKs add about 40 ms to every exchange.
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        printer.device = connection
        return printer

    @property
    def can_read(self) -> bool:
        return True

    def _read_byte(self) -> bytes:
        device: socket.socket = self._device().device
        try:
            return device.recv(1)
        except TimeoutError:
            return b""
