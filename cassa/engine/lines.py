"""Building document lines from catalog items, and the view pricing takes of them."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from cassa.engine.catalog import Catalog, Customer, Item, ItemType, Lot
from cassa.engine.country import CountrySettings
from cassa.engine.documents import Line
from cassa.engine.errors import InvalidInput
from cassa.engine.pricing.facts import PricingLine
from cassa.engine.tax import PriceDirection
from cassa.i18n import _

__all__ = ["check_quantity_sign", "convert_price", "item_line", "list_price_for", "pricing_line"]


def check_quantity_sign(item_type: ItemType, amount: Decimal) -> None:
    if amount == 0:
        raise InvalidInput(_("the quantity cannot be zero: delete the line instead"))
    if amount < 0 and item_type is not ItemType.BUY_BACK:
        raise InvalidInput(
            _("only buy-back items take a negative quantity; use a return for sold items")
        )


def convert_price(
    amount: Decimal,
    given: PriceDirection,
    wanted: PriceDirection,
    percent: Decimal,
    country: CountrySettings,
) -> Decimal:
    """A price in the document's direction: gross and net differ by the VAT rate."""
    if given is wanted:
        return amount
    factor = 1 + percent / 100
    converted = amount / factor if given is PriceDirection.GROSS else amount * factor
    return country.currency.round(converted)


def list_price_for(
    item: Item,
    customer: Customer | None,
    day: date,
    catalog: Catalog,
    country: CountrySettings,
    direction: PriceDirection,
) -> tuple[Decimal, str]:
    resolved = catalog.price_of(item, customer, day)
    percent = country.vat_rate(item.vat_code).percent
    return convert_price(
        resolved.amount, resolved.direction, direction, percent, country
    ), resolved.source


def item_line(
    item: Item,
    quantity: Decimal,
    unit: str | None,
    *,
    customer: Customer | None,
    day: date,
    catalog: Catalog,
    country: CountrySettings,
    direction: PriceDirection,
    operator: str,
    lot: Lot | None = None,
) -> Line:
    """A new line selling `quantity` of `item` (in `unit`, the base unit by default), from
    `lot` when given; a lot is priced as its item."""
    check_quantity_sign(item.type, quantity)
    converted = item.units.quantity(quantity, unit)
    price, source = list_price_for(item, customer, day, catalog, country, direction)
    return Line(
        id=uuid.uuid4().hex,
        sku=item.sku,
        name=item.name,
        item_type=item.type,
        group=item.group,
        unit=converted.unit,
        unit_precision=item.units.unit(converted.unit).precision,
        quantity=converted.quantity,
        base_quantity=converted.base_quantity,
        list_price=price,
        vat_code=item.vat_code,
        vat_percent=country.vat_rate(item.vat_code).percent,
        discountable=item.ever_discountable,
        handled_by=operator,
        price_source=source,
        base_unit=item.units.base.code,
        lot=lot.code if lot is not None else None,
        lot_properties=lot.properties if lot is not None else (),
    )


def pricing_line(line: Line, catalog: Catalog) -> PricingLine:
    return PricingLine(
        id=line.id,
        sku=line.sku,
        name=line.name,
        group=line.group,
        group_path=tuple(catalog.group_path(line.group)) if line.group else (),
        item_type=line.item_type.value,
        unit=line.unit,
        vat_code=line.vat_code,
        quantity=line.quantity,
        base_quantity=line.base_quantity,
        list_price=line.list_price,
        discountable=line.discountable
        and line.item_type not in (ItemType.VOUCHER, ItemType.BUY_BACK),
        price_source=line.price_source,
        reverse_charge=line.reverse_charge,
        split_payment=line.split_payment,
        lot=line.lot,
    )
