"""Devices: receipt printer, cash drawer, customer display, scanner, fiscal printer, terminal.

Each kind of device has one small interface, real backends (one module each)
and a simulator that speaks the same protocol over the same kind of line, so
the demo and the tests run without hardware:

- printing: ESC/POS through python-escpos (`printing.escpos_writer`), backends
  `network`, `serial_line`, `usb_device`, `file`, `simulator`; layouts as YAML
  templates (`printing.layout`, shipped in `layouts/`); a decoder back to text
  (`printing.decoder`); the print queue and history (`printing.queue`,
  `printing.service`);
- `drawer`: the cash drawer kick through the printer, per tender;
- `display`: the 2 x 20 customer display over serial;
- `scanner`: barcode scanners on a serial line or as keyboard input;
- `fiscal`: the fiscal printer interface, the Italian RT over XML/HTTP
  (`fiscal.epson_rt`), its simulator and the "fiscal pending" records;
- `terminal`: the payment terminal interface, its TCP line protocol and simulator;
- `till_devices.TillDevices`: all of a till's devices from its devices file.
"""

from cassa.devices.config import DevicesConfig, load_devices
from cassa.devices.drawer import CashDrawer, drawer_opens_for, open_for_payment
from cassa.devices.errors import (
    DeviceError,
    DeviceTimeout,
    DeviceUnavailable,
    MissingExtra,
    PaperOut,
)
from cassa.devices.printing.data import Payment
from cassa.devices.printing.decoder import decode
from cassa.devices.printing.queue import pending_jobs
from cassa.devices.till_devices import TillDevices

__all__ = [
    "CashDrawer",
    "DeviceError",
    "DeviceTimeout",
    "DeviceUnavailable",
    "DevicesConfig",
    "MissingExtra",
    "PaperOut",
    "Payment",
    "TillDevices",
    "decode",
    "drawer_opens_for",
    "load_devices",
    "open_for_payment",
    "pending_jobs",
]
