"""Errors of the device layer: each says which device and what to do about it."""

from __future__ import annotations

from cassa.engine.errors import CassaError

__all__ = [
    "DeviceError",
    "DeviceTimeout",
    "DeviceUnavailable",
    "MissingExtra",
    "PaperOut",
]


class DeviceError(CassaError):
    """A device could not do what it was asked; nothing already stored is lost."""

    code = "device"


class DeviceUnavailable(DeviceError):
    """The device is not connected, switched off or unplugged."""

    code = "device_unavailable"


class PaperOut(DeviceError):
    """The printer has no paper (or its cover is open)."""

    code = "paper_out"


class DeviceTimeout(DeviceError):
    """The device did not answer in time: what it did is not known."""

    code = "device_timeout"


class MissingExtra(DeviceError):
    """An optional dependency for this kind of hardware is not installed."""

    code = "missing_extra"
