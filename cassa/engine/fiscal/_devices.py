"""A till's devices file completed by its pack: the fiscal printer a country expects.

The Italian pack names the RT printer (`epson_rt`) as its stores' fiscal device and
the departments of its VAT rates and natures. `with_pack_defaults` gives a devices
configuration the departments it lacks (the devices file's own numbers win) and
refuses a till whose pack requires a fiscal printer its devices file does not
name, before any receipt is sold without one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from cassa.engine.errors import ConfigurationError
from cassa.engine.fiscal._settings import FiscalRules
from cassa.i18n import _

if TYPE_CHECKING:  # the engine does not import the devices package to load a pack
    from cassa.devices.config import DevicesConfig

__all__ = ["with_pack_defaults"]


def with_pack_defaults(config: DevicesConfig, rules: FiscalRules | None) -> DevicesConfig:
    expected = rules.fiscal_printer if rules is not None else None
    if expected is None:
        return config
    printer = config.fiscal_printer
    if printer is None:
        where = f" {config.source}" if config.source else ""
        raise ConfigurationError(
            _(
                "till {till}: the pack expects a fiscal printer ({kind}) and "
                "the devices file{where} names none: add fiscal_printer to it",
                till=config.till,
                kind=expected.kind,
                where=where,
            )
        )
    if printer.kind != expected.kind:
        raise ConfigurationError(
            _(
                "till {till}: the pack expects a {kind} fiscal printer, the "
                "devices file names a {kind2}",
                till=config.till,
                kind=expected.kind,
                kind2=printer.kind,
            )
        )
    departments = {**expected.departments, **printer.departments}
    return replace(config, fiscal_printer=replace(printer, departments=departments))
