"""The facts the rules see: one per line and one for the context of the sale.

Values follow `cassa.engine.rules.conditions`: Decimal numbers, text, bools,
frozensets for sets, and one dict per wildcard family
(`"basket.group_value": {"shoes": Decimal("120")}`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from cassa.engine.catalog import CatalogReferences, Customer, Item
from cassa.engine.tax_ids import passed_checks

__all__ = [
    "FlatView",
    "PricingLine",
    "SaleContext",
    "catalog_line_attributes",
    "context_attributes",
    "line_attributes",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FAMILIES = ("basket.group_value", "basket.group_quantity", "basket.sku_quantity")


@dataclass(frozen=True)
class PricingLine:
    """What pricing needs to know of a document line."""

    id: str
    sku: str | None
    name: str
    group: str | None
    group_path: tuple[str, ...]
    item_type: str
    unit: str
    vat_code: str
    quantity: Decimal
    base_quantity: Decimal
    list_price: Decimal
    discountable: bool
    price_source: str = "item"
    reverse_charge: bool = False  # country packs (cassa.engine.taxes)
    split_payment: bool = False
    lot: str | None = None  # the item's lot sold (seed: lotto)

    @property
    def list_value(self) -> Decimal:
        return self.list_price * self.base_quantity


@dataclass(frozen=True)
class SaleContext:
    """Everything about the sale that is not a line."""

    now: datetime  # in the store's time zone
    document_type: str
    currency: str
    till: str
    store: str
    operator: str
    operator_roles: frozenset[str] = frozenset()
    customer: Customer | None = None
    loyalty_card_presented: bool = False
    coupon_rules: frozenset[str] = frozenset()  # rules unlocked by valid coupons entered
    manual_rules: frozenset[str] = frozenset()  # manual promotions the operator picked
    active_schedules: frozenset[str] = field(default=frozenset())
    reverse_charge: bool = False  # the document's flags (country packs, cassa.engine.taxes)
    split_payment: bool = False


def line_attributes(line: PricingLine, sku_quantity: Decimal) -> dict[str, Any]:
    return {
        "line.sku": line.sku or "",
        "line.group": line.group or "",
        "line.groups": frozenset(line.group_path),
        "line.item_type": line.item_type,
        "line.unit": line.unit,
        "line.vat_code": line.vat_code,
        "line.quantity": line.quantity,
        "line.base_quantity": line.base_quantity,
        "line.list_price": line.list_price,
        "line.value": line.list_value,
        "line.discountable": line.discountable,
        "line.sku_quantity": sku_quantity,
        "line.price_source": line.price_source,
        "line.reverse_charge": line.reverse_charge,
        "line.split_payment": line.split_payment,
        "line.lot": line.lot or "",
    }


def catalog_line_attributes(item: Item, catalog: CatalogReferences) -> dict[str, Any]:
    """A one-unit line of `item`: what a scope would see for it."""
    line = PricingLine(
        id=item.sku,
        sku=item.sku,
        name=item.name,
        group=item.group,
        group_path=tuple(catalog.group_path(item.group)),
        item_type=item.type.value,
        unit=item.units.base.code,
        vat_code=item.vat_code,
        quantity=Decimal(1),
        base_quantity=Decimal(1),
        list_price=item.list_price,
        discountable=item.ever_discountable,
    )
    return line_attributes(line, Decimal(1))


def sku_quantities(lines: list[PricingLine]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in lines:
        if line.sku is not None and line.base_quantity > 0:
            totals[line.sku] = totals.get(line.sku, Decimal(0)) + line.base_quantity
    return totals


def context_attributes(lines: list[PricingLine], sale: SaleContext) -> dict[str, Any]:
    group_value: dict[str, Decimal] = {}
    group_quantity: dict[str, Decimal] = {}
    for line in lines:
        for group in line.group_path:
            group_value[group] = group_value.get(group, Decimal(0)) + line.list_value
            group_quantity[group] = group_quantity.get(group, Decimal(0)) + line.base_quantity
    customer = sale.customer
    return {
        "document.type": sale.document_type,
        "document.currency": sale.currency,
        "document.reverse_charge": sale.reverse_charge,
        "document.split_payment": sale.split_payment,
        "basket.reverse_charge_lines": Decimal(sum(1 for line in lines if line.reverse_charge)),
        "basket.split_payment_lines": Decimal(sum(1 for line in lines if line.split_payment)),
        "basket.total": sum((line.list_value for line in lines), Decimal(0)),
        "basket.quantity": sum(
            (line.base_quantity for line in lines if line.base_quantity > 0), Decimal(0)
        ),
        "basket.lines": Decimal(len(lines)),
        "basket.group_value": group_value,
        "basket.group_quantity": group_quantity,
        "basket.sku_quantity": sku_quantities(lines),
        "customer.code": customer.code if customer else "",
        "customer.kind": customer.kind.value if customer else "",
        "customer.groups": frozenset(customer.groups) if customer else frozenset(),
        "customer.has_loyalty_card": bool(customer and customer.loyalty_card),
        "customer.domestic": bool(customer and customer.domestic),
        "customer.reverse_charge": bool(customer and customer.reverse_charge),
        "customer.tax_id_checks": passed_checks(customer.vat_number if customer else None),
        "loyalty_card.presented": sale.loyalty_card_presented,
        "coupons": sale.coupon_rules,
        "manual": sale.manual_rules,
        "schedules": sale.active_schedules,
        "clock.date": sale.now.date().isoformat(),
        "clock.time": sale.now.strftime("%H:%M"),
        "clock.weekday": WEEKDAYS[sale.now.weekday()],
        "till.code": sale.till,
        "till.store": sale.store,
        "operator.code": sale.operator,
        "operator.roles": sale.operator_roles,
    }


class FlatView(Mapping[str, Any]):
    """Attributes with wildcard families readable as flat names
    (`basket.group_value.shoes`), as `conditions.evaluate` reads them."""

    def __init__(self, attributes: Mapping[str, Any]) -> None:
        self._attributes = attributes

    def __getitem__(self, name: str) -> Any:
        if name in self._attributes:
            return self._attributes[name]
        family, _, code = name.rpartition(".")
        if family in FAMILIES:
            return self._attributes.get(family, {}).get(code, Decimal(0))
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._attributes)

    def __len__(self) -> int:
        return len(self._attributes)
