"""Items, item groups, price lists and customers, as the till looks them up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cassa.engine.barcodes import is_valid_ean
from cassa.engine.errors import InvalidInput, NotFound
from cassa.engine.tax import PriceDirection
from cassa.engine.units import ItemUnits

__all__ = [
    "Catalog",
    "Customer",
    "CustomerGroup",
    "CustomerKind",
    "Item",
    "ItemGroup",
    "ItemType",
    "PriceList",
    "ResolvedPrice",
]


class ItemType(StrEnum):
    GOODS = "goods"
    SERVICE = "service"
    SET = "set"
    VOUCHER = "voucher"
    BUY_BACK = "buy_back"


class CustomerKind(StrEnum):
    RETAIL = "retail"
    BUSINESS = "business"


@dataclass(frozen=True)
class ItemGroup:
    code: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    group: str
    vat_code: str
    list_price: Decimal  # per base unit, in the catalog's price direction
    units: ItemUnits
    type: ItemType = ItemType.GOODS
    barcodes: tuple[str, ...] = ()
    discountable: bool = True  # "subject to discounts"
    name_editable: bool = False
    reverse_charge: bool = False  # inversione contabile: from master data, not editable at the till
    split_payment: bool = False  # scissione dei pagamenti (MPP): from master data

    @property
    def ever_discountable(self) -> bool:
        """Vouchers and buy-back items are never discounted, whatever their flag."""
        return self.discountable and self.type not in (ItemType.VOUCHER, ItemType.BUY_BACK)


@dataclass(frozen=True)
class PriceList:
    code: str
    name: str
    prices: dict[str, Decimal]  # sku -> price per base unit
    direction: PriceDirection = PriceDirection.GROSS
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class CustomerGroup:
    code: str
    name: str
    price_list: str | None = None


@dataclass(frozen=True)
class Customer:
    code: str
    name: str
    kind: CustomerKind = CustomerKind.RETAIL
    vat_number: str | None = None
    groups: tuple[str, ...] = ()
    loyalty_card: str | None = None
    price_list: str | None = None
    address: str = ""
    domestic: bool = True  # a domestic transaction (transazione nazionale), not EU or export
    reverse_charge: bool = False  # inversione contabile, copied to the customer's documents


@dataclass(frozen=True)
class ResolvedPrice:
    amount: Decimal
    direction: PriceDirection
    source: str  # "item" or "price_list:<code>"


@dataclass
class Catalog:
    """Everything the till looks up while selling, indexed for the scan path."""

    price_direction: PriceDirection = PriceDirection.GROSS
    items: dict[str, Item] = field(default_factory=dict)
    groups: dict[str, ItemGroup] = field(default_factory=dict)
    price_lists: dict[str, PriceList] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    customer_groups: dict[str, CustomerGroup] = field(default_factory=dict)
    _by_barcode: dict[str, str] = field(default_factory=dict)

    def add_item(self, item: Item) -> None:
        for code in item.barcodes:
            if not is_valid_ean(code):
                raise InvalidInput(f"item {item.sku}: barcode {code} is not a valid EAN-13/EAN-8")
            owner = self._by_barcode.get(code)
            if owner is not None and owner != item.sku:
                raise InvalidInput(f"barcode {code} belongs to both {owner} and {item.sku}")
            self._by_barcode[code] = item.sku
        self.items[item.sku] = item

    def add_items(self, items: Iterable[Item]) -> None:
        for item in items:
            self.add_item(item)

    def find(self, code: str) -> Item:
        """The item with this barcode or SKU."""
        code = code.strip()
        sku = self._by_barcode.get(code, code)
        item = self.items.get(sku)
        if item is None:
            if code.isdigit() and len(code) in (8, 13) and not is_valid_ean(code):
                raise NotFound(f"barcode {code} has a wrong check digit: scan it again")
            raise NotFound(f"no item with barcode or SKU '{code}'")
        return item

    def search(self, text: str) -> list[Item]:
        """Items whose SKU, barcode or name contains `text` (case-insensitive)."""
        needle = text.strip().casefold()
        return [
            item
            for item in self.items.values()
            if needle in item.sku.casefold()
            or needle in item.name.casefold()
            or any(needle in b for b in item.barcodes)
        ]

    def group_path(self, group: str) -> list[str]:
        """The group and its ancestors, innermost first."""
        path: list[str] = []
        current: str | None = group
        while current is not None and current not in path:
            path.append(current)
            current = self.groups[current].parent if current in self.groups else None
        return path

    def customer(self, code: str) -> Customer:
        customer = self.customers.get(code)
        if customer is None:
            raise NotFound(f"no customer with code '{code}'")
        return customer

    def customer_by_card(self, card: str) -> Customer:
        for customer in self.customers.values():
            if customer.loyalty_card == card:
                return customer
        raise NotFound(f"no customer with loyalty card '{card}'")

    def price_of(self, item: Item, customer: Customer | None, day: date) -> ResolvedPrice:
        """List price for a customer on a day.

        Order: the customer's own price list, then the price lists of the
        customer's groups in the order listed, then the item's list price. A
        price list counts only while valid and only if it prices the item.
        """
        for code in self._price_lists_for(customer):
            price_list = self.price_lists.get(code)
            if price_list and price_list.valid_on(day) and item.sku in price_list.prices:
                return ResolvedPrice(
                    price_list.prices[item.sku], price_list.direction, f"price_list:{code}"
                )
        return ResolvedPrice(item.list_price, self.price_direction, "item")

    def _price_lists_for(self, customer: Customer | None) -> list[str]:
        if customer is None:
            return []
        codes = [customer.price_list] if customer.price_list else []
        for group in customer.groups:
            found = self.customer_groups.get(group)
            if found and found.price_list:
                codes.append(found.price_list)
        return codes
