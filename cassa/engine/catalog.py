"""Items, item groups, price lists and customers, as the till looks them up."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from cassa.engine.barcodes import is_valid_ean
from cassa.engine.errors import InvalidInput, NotFound
from cassa.engine.tax import PriceDirection
from cassa.engine.units import ItemUnits
from cassa.i18n import _

__all__ = [
    "Catalog",
    "CatalogData",
    "CatalogReferences",
    "Customer",
    "CustomerGroup",
    "CustomerKind",
    "Item",
    "ItemGroup",
    "ItemType",
    "Lot",
    "PriceList",
    "ResolvedPrice",
    "SearchResult",
    "SetComponent",
    "customer_text",
    "entries_matching",
    "group_path",
    "lot_problems",
    "not_found",
    "price_lists_for",
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
    reorder_level: Decimal | None = None  # its items' stock below which to reorder


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
class SetComponent:
    """An item of a set and how many of it one set holds (in its base unit)."""

    sku: str
    quantity: Decimal


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
    cost: Decimal | None = None  # per base unit: what stock on hand is worth
    reorder_level: Decimal | None = None  # stock below it is reordered (else its group's)
    # A set (seed "Gestione dei set"): its components; "insert components in the document"
    # puts them on the document as a group, whose quantities are `blocked` or `split` the set.
    components: tuple[SetComponent, ...] = ()
    insert_components: bool = False
    component_change: str = "blocked"

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
            raise InvalidInput(
                _("{name} ({sku}) has no lots to choose from", name=self.name, sku=self.sku)
            )
        known = ", ".join(lot.code for lot in self.lots)
        raise NotFound(
            _(
                "{name} ({sku}) has no lot '{code}' (its lots: {known})",
                name=self.name,
                sku=self.sku,
                code=code,
                known=known,
            )
        )

    def lot_matching(self, chosen: Mapping[str, str]) -> Lot:
        """The one lot having every chosen property value (seed: [Seleziona])."""
        if not self.lots:
            raise InvalidInput(
                _("{name} ({sku}) has no properties to choose", name=self.name, sku=self.sku)
            )
        properties = dict(self.properties)
        for name, value in chosen.items():
            if name not in properties:
                raise InvalidInput(
                    _(
                        "{name} has no property '{name2}' (its properties: {properties})",
                        name=self.name,
                        name2=name,
                        properties=", ".join(properties),
                    )
                )
            if value not in properties[name]:
                raise InvalidInput(
                    _(
                        "{name} has no {name2} '{value}' ({properties})",
                        name=self.name,
                        name2=name,
                        value=value,
                        properties=", ".join(properties[name]),
                    )
                )
        if not chosen:
            raise InvalidInput(
                _(
                    "choose a value of {properties} for {name}",
                    properties=", ".join(properties),
                    name=self.name,
                )
            )
        matching = [lot for lot in self.lots if all(lot.value(n) == v for n, v in chosen.items())]
        if not matching:
            wanted = ", ".join(f"{n} {v}" for n, v in chosen.items())
            raise InvalidInput(_("no lot of {name} has {wanted}", name=self.name, wanted=wanted))
        if len(matching) > 1:
            missing = ", ".join(n for n in properties if n not in chosen)
            raise InvalidInput(
                _(
                    "several lots of {name} match: choose {missing} too",
                    name=self.name,
                    missing=missing,
                )
            )
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


@dataclass(frozen=True)
class SearchResult:
    """What a search found: the item list's entries (an item with lots is one entry per lot)
    in catalog order, and whether more matched than the limit let through."""

    entries: tuple[tuple[Item, Lot | None], ...]
    more: bool = False

    @property
    def items(self) -> list[Item]:
        """The items of the entries, each once."""
        found: list[Item] = []
        for item, _ignored in self.entries:
            if not found or found[-1] is not item:
                found.append(item)
        return found


def entries_matching(item: Item, needle: str) -> list[tuple[Item, Lot | None]]:
    """The item list's entries of `item` for a casefolded `needle`: the item itself, or one
    entry per lot (seed: lots are shown as separate items), all of them when the item itself
    matches; none when nothing of it contains the needle."""
    itself = (
        needle in item.sku.casefold()
        or needle in item.name.casefold()
        or any(needle in b for b in item.barcodes)
    )
    if not item.lots:
        return [(item, None)] if itself else []
    return [
        (item, lot)
        for lot in item.lots
        if itself
        or needle in lot.code.casefold()
        or needle in (lot.ean or "")
        or any(needle in value.casefold() for _, value in lot.properties)
    ]


def price_lists_for(
    customer: Customer | None, customer_groups: Mapping[str, CustomerGroup]
) -> list[str]:
    """The price lists to try for a customer, in order: their own, then their groups'
    in the order the groups are listed."""
    if customer is None:
        return []
    codes = [customer.price_list] if customer.price_list else []
    for group in customer.groups:
        found = customer_groups.get(group)
        if found and found.price_list:
            codes.append(found.price_list)
    return codes


class CatalogReferences(Protocol):
    """What a rule pack checks against a store's catalog, without loading every item."""

    def missing_skus(self, codes: Iterable[str]) -> set[str]:
        """The codes that are no item's SKU."""
        ...

    def missing_groups(self, codes: Iterable[str]) -> set[str]: ...

    def missing_customers(self, codes: Iterable[str]) -> set[str]: ...

    def missing_customer_groups(self, codes: Iterable[str]) -> set[str]: ...

    def item(self, sku: str) -> Item | None:
        """The item with this SKU, or None."""
        ...

    def group_path(self, group: str) -> list[str]:
        """The group and its ancestors, innermost first."""
        ...

    def items_in_group(self, group: str) -> Iterable[Item]:
        """The items of a group and of the groups under it (the pack's conflict check)."""
        ...

    def all_items(self) -> Iterator[Item]:
        """Every item, in catalog order, read a batch at a time (the pack's conflict check)."""
        ...

    def digest(self) -> str:
        """What identifies this catalog's content: the conflict check's results are kept
        under it (cassa.engine.rules.conflicts.ConflictCache)."""
        ...


class Catalog(CatalogReferences, Protocol):
    """The catalog as the till and the engine look it up: items by barcode, SKU or lot,
    the item list's search, item groups, customers and the prices of price lists.
    `cassa.engine.storage.catalog.CatalogService` answers it from the database;
    `CatalogData` from a store's files read into memory (pack tests, `cassa price`)."""

    @property
    def price_direction(self) -> PriceDirection:
        """Whether the items' and lists' prices include VAT, unless a list says otherwise."""
        ...

    def lookup(self, code: str) -> tuple[Item, Lot | None]:
        """The item with this barcode or SKU, without a lot; or the item and its lot with
        this lot code or lot EAN. NotFound otherwise."""
        ...

    def find(self, code: str) -> Item:
        """The item with this barcode or SKU (or the item of the lot with this code or EAN)."""
        ...

    def search(self, text: str, *, limit: int = 50) -> SearchResult:
        """The item list for `text` (case-insensitive): items whose SKU, barcode or name, or
        a lot's code, EAN or value, contains it, at most `limit` entries."""
        ...

    def groups(self) -> Mapping[str, ItemGroup]:
        """Every item group by code (groups are few: hundreds, not millions)."""
        ...

    def customer(self, code: str) -> Customer:
        """The customer with this code; NotFound otherwise."""
        ...

    def find_customer(self, code: str | None) -> Customer | None: ...

    def card_owner(self, card: str) -> Customer | None:
        """The customer holding this loyalty card, if any."""
        ...

    def search_customers(
        self, text: str = "", *, kind: CustomerKind | None = None, limit: int = 50
    ) -> list[Customer]:
        """Customers whose code, name, VAT number or loyalty card contains `text`, by name."""
        ...

    def save_customer(self, customer: Customer) -> None:
        """Store a change of a customer's master data (a flag changed at the till)."""
        ...

    def price_of(self, item: Item, customer: Customer | None, day: date) -> ResolvedPrice:
        """List price for a customer on a day: the customer's own price list, then their
        groups' lists in the order listed, then the item's price. A list counts only while
        valid and only if it prices the item."""
        ...


@dataclass
class CatalogData:
    """A store's catalog as read from its files, in memory: the import's source, and the
    catalog of pack tests and `cassa price` (small stores; the till uses CatalogService)."""

    price_direction: PriceDirection = PriceDirection.GROSS
    items: dict[str, Item] = field(default_factory=dict)
    item_groups: dict[str, ItemGroup] = field(default_factory=dict)
    price_lists: dict[str, PriceList] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    customer_groups: dict[str, CustomerGroup] = field(default_factory=dict)
    _by_barcode: dict[str, str] = field(default_factory=dict)
    _lots: dict[str, tuple[str, str]] = field(default_factory=dict)  # lot code or EAN -> (sku, lot)
    _by_group: dict[str, list[Item]] | None = field(default=None, repr=False)

    def add_item(self, item: Item) -> None:
        for where, message in lot_problems(item):
            raise InvalidInput(
                _("item {sku}: {where}: {message}", sku=item.sku, where=where, message=message)
            )
        if item.sku in self._lots:
            raise InvalidInput(_("SKU {sku} is also the code of a lot", sku=item.sku))
        eans = [lot.ean for lot in item.lots if lot.ean is not None]
        for code in (*item.barcodes, *eans):
            if not is_valid_ean(code):
                raise InvalidInput(
                    _(
                        "item {sku}: barcode {code} is not a valid EAN-13/EAN-8",
                        sku=item.sku,
                        code=code,
                    )
                )
            owner = self._by_barcode.get(code) or self._lots.get(code, (None,))[0]
            if owner is not None and owner != item.sku:
                raise InvalidInput(
                    _(
                        "barcode {code} belongs to both {owner} and {sku}",
                        code=code,
                        owner=owner,
                        sku=item.sku,
                    )
                )
        for lot in item.lots:
            owner = self._lots.get(lot.code, (None,))[0]
            if lot.code in self.items or (owner is not None and owner != item.sku):
                raise InvalidInput(
                    _("lot code {code} of {sku} is already in use", code=lot.code, sku=item.sku)
                )
        for code in item.barcodes:
            self._by_barcode[code] = item.sku
        for lot in item.lots:
            self._lots[lot.code] = (item.sku, lot.code)
            if lot.ean is not None:
                self._lots[lot.ean] = (item.sku, lot.code)
        self.items[item.sku] = item
        self._by_group = None

    def add_items(self, items: Iterable[Item]) -> None:
        for item in items:
            self.add_item(item)

    # -- Catalog --------------------------------------------------------------------
    def find(self, code: str) -> Item:
        return self.lookup(code)[0]

    def item(self, sku: str) -> Item | None:
        return self.items.get(sku)

    def lookup(self, code: str) -> tuple[Item, Lot | None]:
        code = code.strip()
        lot_of = self._lots.get(code)
        if lot_of is not None:
            owner = self.items[lot_of[0]]
            return owner, owner.lot(lot_of[1])
        item = self.items.get(self._by_barcode.get(code, code))
        if item is None:
            raise not_found(code)
        return item, None

    def search(self, text: str, *, limit: int = 50) -> SearchResult:
        needle = text.strip().casefold()
        found: list[tuple[Item, Lot | None]] = []
        for item in self.items.values():
            found.extend(entries_matching(item, needle))
            if len(found) > limit:
                return SearchResult(tuple(found[:limit]), more=True)
        return SearchResult(tuple(found))

    def groups(self) -> Mapping[str, ItemGroup]:
        return self.item_groups

    def group_path(self, group: str) -> list[str]:
        return group_path(self.item_groups, group)

    def all_items(self) -> Iterator[Item]:
        return iter(list(self.items.values()))

    def items_in_group(self, group: str) -> Iterable[Item]:
        if self._by_group is None:  # built once: the catalog is read, then only looked up
            self._by_group = {}
            for item in self.items.values():
                for ancestor in self.group_path(item.group):
                    self._by_group.setdefault(ancestor, []).append(item)
        return self._by_group.get(group, ())

    def digest(self) -> str:
        hashed = hashlib.sha256()
        for code in sorted(self.item_groups):
            hashed.update(f"g\t{code}\t{self.item_groups[code].parent or ''}\n".encode())
        for sku in sorted(self.items):
            item = self.items[sku]
            hashed.update(
                f"i\t{sku}\t{item.group}\t{item.type.value}\t{item.ever_discountable}\t"
                f"{item.vat_code}\t{item.split_payment}\n".encode()
            )
        return hashed.hexdigest()

    def missing_skus(self, codes: Iterable[str]) -> set[str]:
        return {code for code in codes if code not in self.items}

    def missing_groups(self, codes: Iterable[str]) -> set[str]:
        return {code for code in codes if code not in self.item_groups}

    def missing_customers(self, codes: Iterable[str]) -> set[str]:
        return {code for code in codes if code not in self.customers}

    def missing_customer_groups(self, codes: Iterable[str]) -> set[str]:
        return {code for code in codes if code not in self.customer_groups}

    def customer(self, code: str) -> Customer:
        customer = self.customers.get(code)
        if customer is None:
            raise NotFound(_("no customer with code '{code}'", code=code))
        return customer

    def find_customer(self, code: str | None) -> Customer | None:
        return self.customers.get(code) if code else None

    def card_owner(self, card: str) -> Customer | None:
        card = card.strip()
        return next((c for c in self.customers.values() if card and c.loyalty_card == card), None)

    def search_customers(
        self, text: str = "", *, kind: CustomerKind | None = None, limit: int = 50
    ) -> list[Customer]:
        needle = text.strip().casefold()
        found = [
            c
            for c in self.customers.values()
            if (kind is None or c.kind is kind) and needle in customer_text(c)
        ]
        return sorted(found, key=lambda c: (c.name.casefold(), c.code))[:limit]

    def save_customer(self, customer: Customer) -> None:
        self.customers[customer.code] = customer

    def price_of(self, item: Item, customer: Customer | None, day: date) -> ResolvedPrice:
        for code in price_lists_for(customer, self.customer_groups):
            price_list = self.price_lists.get(code)
            if price_list and price_list.valid_on(day) and item.sku in price_list.prices:
                return ResolvedPrice(
                    price_list.prices[item.sku], price_list.direction, f"price_list:{code}"
                )
        return ResolvedPrice(item.list_price, self.price_direction, "item")


def not_found(code: str) -> NotFound:
    """The refusal of a code that is no item's: a mistyped EAN is asked again."""
    if code.isdigit() and len(code) in (8, 13) and not is_valid_ean(code):
        return NotFound(f"barcode {code} has a wrong check digit: scan it again")
    return NotFound(f"no item with barcode or SKU '{code}'")


def group_path(groups: Mapping[str, ItemGroup], group: str) -> list[str]:
    """The group and its ancestors, innermost first (a cycle stops the walk)."""
    path: list[str] = []
    current: str | None = group
    while current is not None and current not in path:
        path.append(current)
        current = groups[current].parent if current in groups else None
    return path


def customer_text(customer: Customer) -> str:
    """What a customer search looks in, casefolded: code, name, VAT number, loyalty card."""
    parts = (customer.code, customer.name, customer.vat_number or "", customer.loyalty_card or "")
    return "\n".join(parts).casefold()
