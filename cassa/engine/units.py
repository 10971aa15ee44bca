"""Units of measure: each item has a base unit and optional additional units.

A conversion says how many additional units one base unit is (1 pz = 0.37 m²).
A quantity typed in an additional unit is converted to the base unit and rounded
*up* to the base unit's precision, since a customer asking for 11 m² of tiles
needs whole pieces that cover at least 11 m² (seed: 11 m² → 30 pieces).
A quantity typed in the base unit must already respect its precision.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal

from cassa.engine.errors import InvalidInput, QuantityPrecisionError
from cassa.i18n import _

__all__ = ["ItemUnits", "Unit", "UnitConversion", "UnitQuantity"]


@dataclass(frozen=True)
class Unit:
    code: str
    name: str = ""
    precision: int = 0  # decimal places a quantity in this unit may have

    def check(self, quantity: Decimal) -> None:
        if quantity != quantity.quantize(Decimal(1).scaleb(-self.precision), decimal.ROUND_DOWN):
            places = "no decimals" if self.precision == 0 else f"{self.precision} decimals"
            raise QuantityPrecisionError(
                _(
                    "quantity {quantity} {code} does not fit the precision of "
                    "unit {code} ({places})",
                    quantity=quantity,
                    code=self.code,
                    places=places,
                )
            )


@dataclass(frozen=True)
class UnitConversion:
    unit: Unit
    per_base: Decimal  # how many of `unit` make one base unit


@dataclass(frozen=True)
class UnitQuantity:
    """A quantity as the cashier sees it and as stock counts it."""

    unit: str
    quantity: Decimal  # in `unit`
    base_quantity: Decimal  # in the item's base unit


@dataclass(frozen=True)
class ItemUnits:
    base: Unit
    additional: tuple[UnitConversion, ...] = ()

    def codes(self) -> list[str]:
        return [self.base.code, *(c.unit.code for c in self.additional)]

    def unit(self, code: str) -> Unit:
        if code == self.base.code:
            return self.base
        return self._conversion(code).unit

    def _conversion(self, code: str) -> UnitConversion:
        for conversion in self.additional:
            if conversion.unit.code == code:
                return conversion
        raise InvalidInput(
            _(
                "unit {code} is not defined for this item (units: {codes})",
                code=code,
                codes=", ".join(self.codes()),
            )
        )

    def quantity(self, quantity: Decimal, unit_code: str | None = None) -> UnitQuantity:
        """Convert a typed quantity to a line quantity in its unit and the base unit."""
        code = unit_code or self.base.code
        if code == self.base.code:
            self.base.check(quantity)
            return UnitQuantity(code, quantity, quantity)
        conversion = self._conversion(code)
        conversion.unit.check(quantity)
        step = Decimal(1).scaleb(-self.base.precision)
        base_quantity = (quantity / conversion.per_base).quantize(step, decimal.ROUND_CEILING)
        if quantity < 0:
            base_quantity = -(-quantity / conversion.per_base).quantize(step, decimal.ROUND_CEILING)
        shown = (base_quantity * conversion.per_base).normalize()
        if shown == shown.to_integral_value():
            shown = shown.quantize(Decimal(1))  # 30, not 3E+1
        return UnitQuantity(code, shown, base_quantity)
