"""Items, item groups, price lists and customers, as the till looks them up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    "Lot",
    "PriceList",
    "ResolvedPrice",
    "lot_problems",
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
class Lot:
    """One combination of an item's property values (seed: lotto), e.g. Colore: Beige; it may
    have its own EAN, which sells the item from this lot."""

    code: str
    properties: tuple[tuple[str, str], ...]  # (property, value), in the catalog's order
    ean: str | None = None

    def value(self, name: str) -> str | None:
        return dict(self.properties).get(name)

    @property
    def values(self) -> str:
        """The values alone, as the item list and the line show them: "Beige", "Nero, M"."""
        return ", ".join(value for _, value in self.properties)


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
    lots: tuple[Lot, ...] = ()  # property combinations (seed: Selezione della proprietà/lotto)

    @property
    def ever_discountable(self) -> bool:
        """Vouchers and buy-back items are never discounted, whatever their flag."""
        return self.discountable and self.type not in (ItemType.VOUCHER, ItemType.BUY_BACK)

    @property
    def properties(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each property of the item's lots with its values, in the catalog's order."""
        found: dict[str, list[str]] = {}
        for lot in self.lots:
            for name, value in lot.properties:
                values = found.setdefault(name, [])
                if value not in values:
                    values.append(value)
        return tuple((name, tuple(values)) for name, values in found.items())

    def lot(self, code: str) -> Lot:
        for lot in self.lots:
            if lot.code == code:
                return lot
        if not self.lots:
            raise InvalidInput(f"{self.name} ({self.sku}) has no lots to choose from")
        known = ", ".join(lot.code for lot in self.lots)
        raise NotFound(f"{self.name} ({self.sku}) has no lot '{code}' (its lots: {known})")

    def lot_matching(self, chosen: Mapping[str, str]) -> Lot:
        """The one lot having every chosen property value (seed: [Seleziona])."""
        if not self.lots:
            raise InvalidInput(f"{self.name} ({self.sku}) has no properties to choose")
        properties = dict(self.properties)
        for name, value in chosen.items():
            if name not in properties:
                raise InvalidInput(
                    f"{self.name} has no property '{name}' (its properties: "
                    f"{', '.join(properties)})"
                )
            if value not in properties[name]:
                raise InvalidInput(
                    f"{self.name} has no {name} '{value}' ({', '.join(properties[name])})"
                )
        if not chosen:
            raise InvalidInput(f"choose a value of {', '.join(properties)} for {self.name}")
        matching = [lot for lot in self.lots if all(lot.value(n) == v for n, v in chosen.items())]
        if not matching:
            wanted = ", ".join(f"{n} {v}" for n, v in chosen.items())
            raise InvalidInput(f"no lot of {self.name} has {wanted}")
        if len(matching) > 1:
            missing = ", ".join(n for n in properties if n not in chosen)
            raise InvalidInput(f"several lots of {self.name} match: choose {missing} too")
        return matching[0]


def lot_problems(item: Item) -> list[tuple[str, str]]:
    """What is wrong with an item's lots, as (where under the item, message): every lot
    names the same properties, and no two lots of the item share their values."""
    problems: list[tuple[str, str]] = []
    if not item.lots:
        return problems
    names = [name for name, _ in item.lots[0].properties]
    seen: dict[tuple[tuple[str, str], ...], str] = {}
    codes: set[str] = set()
    for index, lot in enumerate(item.lots):
        at = f"lots/{index}"
        if lot.code in codes:
            problems.append((f"{at}/code", f"lot {lot.code} is defined twice"))
        codes.add(lot.code)
        if lot.code == item.sku:
            problems.append((f"{at}/code", f"lot {lot.code} has its item's SKU as its code"))
        own = [name for name, _ in lot.properties]
        if sorted(own) != sorted(names):
            problems.append(
                (
                    f"{at}/properties",
                    f"lot {lot.code} has the properties {', '.join(own)}; "
                    f"every lot of {item.sku} needs {', '.join(names)}",
                )
            )
            continue
        key = tuple(sorted(lot.properties))
        if key in seen:
            values = ", ".join(f"{n}: {v}" for n, v in lot.properties)
            problems.append(
                (f"{at}/properties", f"lots {seen[key]} and {lot.code} both have {values}")
            )
        seen.setdefault(key, lot.code)
    return problems


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
    _lots: dict[str, tuple[str, str]] = field(default_factory=dict)  # lot code or EAN -> (sku, lot)

    def add_item(self, item: Item) -> None:
        for where, message in lot_problems(item):
            raise InvalidInput(f"item {item.sku}: {where}: {message}")
        if item.sku in self._lots:
            raise InvalidInput(f"SKU {item.sku} is also the code of a lot")
        eans = [lot.ean for lot in item.lots if lot.ean is not None]
        for code in (*item.barcodes, *eans):
            if not is_valid_ean(code):
                raise InvalidInput(f"item {item.sku}: barcode {code} is not a valid EAN-13/EAN-8")
            owner = self._by_barcode.get(code) or self._lots.get(code, (None,))[0]
            if owner is not None and owner != item.sku:
                raise InvalidInput(f"barcode {code} belongs to both {owner} and {item.sku}")
        for lot in item.lots:
            owner = self._lots.get(lot.code, (None,))[0]
            if lot.code in self.items or (owner is not None and owner != item.sku):
                raise InvalidInput(f"lot code {lot.code} of {item.sku} is already in use")
        for code in item.barcodes:
            self._by_barcode[code] = item.sku
        for lot in item.lots:
            self._lots[lot.code] = (item.sku, lot.code)
            if lot.ean is not None:
                self._lots[lot.ean] = (item.sku, lot.code)
        self.items[item.sku] = item

    def add_items(self, items: Iterable[Item]) -> None:
        for item in items:
            self.add_item(item)

    def find(self, code: str) -> Item:
        """The item with this barcode or SKU (or the item of the lot with this code or EAN)."""
        return self.lookup(code)[0]

    def lookup(self, code: str) -> tuple[Item, Lot | None]:
        """The item with this barcode or SKU, without a lot; or the item and its lot with
        this lot code or lot EAN (seed: the lot's code adds the item from that lot)."""
        code = code.strip()
        lot_of = self._lots.get(code)
        if lot_of is not None:
            owner = self.items[lot_of[0]]
            return owner, owner.lot(lot_of[1])
        item = self.items.get(self._by_barcode.get(code, code))
        if item is None:
            if code.isdigit() and len(code) in (8, 13) and not is_valid_ean(code):
                raise NotFound(f"barcode {code} has a wrong check digit: scan it again")
            raise NotFound(f"no item with barcode or SKU '{code}'")
        return item, None

    def search(self, text: str) -> list[Item]:
        """Items whose SKU, barcode or name (or a lot's code, EAN or value) contains `text`
        (case-insensitive)."""
        found: list[Item] = []
        for item, _ in self.entries(text):
            if not found or found[-1] is not item:
                found.append(item)
        return found

    def entries(self, text: str) -> list[tuple[Item, Lot | None]]:
        """The item list for `text`: an item with lots is one entry per lot (seed: lots are
        shown as separate items), all of them when the item itself matches."""
        needle = text.strip().casefold()
        found: list[tuple[Item, Lot | None]] = []
        for item in self.items.values():
            itself = (
                needle in item.sku.casefold()
                or needle in item.name.casefold()
                or any(needle in b for b in item.barcodes)
            )
            if not item.lots:
                if itself:
                    found.append((item, None))
                continue
            found.extend(
                (item, lot)
                for lot in item.lots
                if itself
                or needle in lot.code.casefold()
                or needle in (lot.ean or "")
                or any(needle in value.casefold() for _, value in lot.properties)
            )
        return found

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
