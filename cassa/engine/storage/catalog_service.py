"""The catalog service: items, groups, customers and prices looked up in the database.

One service per till server and database, shared by every browser session
(`catalog_service`). Nothing loads every item: a scan finds its item by index
(barcode, lot code or EAN, SKU), the item list searches the search index (FTS5
trigrams on SQLite, pg_trgm on PostgreSQL), a price comes from the price lists of
the line's customer. What was looked up stays in bounded LRU caches; item groups,
customer groups and price lists' headers (hundreds, not millions) are kept whole.
An import bumps the catalog's version in `catalog_state`: the service sees it at
most `recheck` seconds later and forgets what it kept.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Row, bindparam, func, or_, select, text, update

from cassa.engine import inputs
from cassa.engine.catalog import (
    Customer,
    CustomerGroup,
    CustomerKind,
    Item,
    ItemGroup,
    ItemType,
    Lot,
    PriceList,
    ResolvedPrice,
    SearchResult,
    SetComponent,
    entries_matching,
    group_path,
    not_found,
    price_lists_for,
)
from cassa.engine.errors import NotFound
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import (
    BarcodeRow,
    CatalogStateRow,
    CustomerGroupRow,
    CustomerRow,
    ItemGroupRow,
    ItemLotRow,
    ItemRow,
    ItemSetComponentRow,
    ItemUnitRow,
    PriceListRow,
    PriceRow,
    table_of,
)
from cassa.engine.tax import PriceDirection
from cassa.engine.units import ItemUnits, Unit, UnitConversion
from cassa.i18n import _

__all__ = ["CatalogService", "catalog_service", "search_pattern"]

K = TypeVar("K")
V = TypeVar("V")


ITEMS = table_of(ItemRow)
UNITS = table_of(ItemUnitRow)
BARCODES = table_of(BarcodeRow)
LOTS = table_of(ItemLotRow)
GROUPS = table_of(ItemGroupRow)
COMPONENTS = table_of(ItemSetComponentRow)
PRICE_LISTS = table_of(PriceListRow)
PRICES = table_of(PriceRow)
CUSTOMERS = table_of(CustomerRow)
CUSTOMER_GROUPS = table_of(CustomerGroupRow)
STATE = table_of(CatalogStateRow)

# A code is a lot's code or EAN before an item's barcode or SKU, as on paper (seed: lotto).
_CODE = text(
    "SELECT sku, lot FROM ("
    " SELECT 1 AS rank, sku, code AS lot FROM item_lots WHERE code = :code"
    " UNION ALL SELECT 2, sku, code FROM item_lots WHERE ean = :code"
    " UNION ALL SELECT 3, sku, NULL FROM item_barcodes WHERE code = :code"
    " UNION ALL SELECT 4, sku, NULL FROM items WHERE sku = :code"
    ") AS found ORDER BY rank LIMIT 1"
)
_BATCH = 500  # keys per IN (...) query


class _Lru(Generic[K, V]):
    """A dict that forgets its least recently used entries beyond `size`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def pop(self, key: K) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def _typed(text: str) -> str:
    """What was typed to search by, refused as every field refuses it when no database
    would compare it alike (a NUL, a broken character)."""
    return inputs.text(text, _("the search"), required=False)


def search_pattern(needle: str) -> str:
    """`needle` as a LIKE pattern matching it anywhere, its wildcards taken literally."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class CatalogService:
    """The `Catalog` of a store's database (see the module's docstring)."""

    def __init__(
        self,
        database: Database,
        price_direction: PriceDirection = PriceDirection.GROSS,
        *,
        items_cached: int = 20_000,
        customers_cached: int = 5_000,
        recheck: float = 1.0,
    ) -> None:
        self.database = database
        self._reader = database.reader
        self._dialect = database.engine.dialect.name
        self._price_direction = price_direction
        self._recheck = recheck
        self._lock = threading.RLock()
        self._items: _Lru[str, Item] = _Lru(items_cached)
        self._codes: _Lru[str, tuple[str, str | None]] = _Lru(items_cached)
        self._customers: _Lru[str, Customer] = _Lru(customers_cached)
        self._groups: dict[str, ItemGroup] | None = None
        self._customer_groups: dict[str, CustomerGroup] | None = None
        self._price_lists: dict[str, PriceList] | None = None  # headers: no prices
        self.version = -1
        self._token = ""
        self._customers_version = -1
        self._checked_at = float("-inf")

    @property
    def price_direction(self) -> PriceDirection:
        return self._price_direction

    # -- freshness ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Look at the catalog's version now; forget everything kept if it changed."""
        with self._reader.connect() as connection:
            row = connection.execute(
                select(STATE.c.version, STATE.c.customers_version, STATE.c.token).where(
                    STATE.c.id == 1
                )
            ).first()
        version, customers_version, token = (row[0], row[1], row[2]) if row else (0, 0, "")
        with self._lock:
            self._checked_at = time.monotonic()
            if version != self.version:
                self.version, self._token = version, token
                self._items.clear()
                self._codes.clear()
                self._groups = self._customer_groups = self._price_lists = None
            if customers_version != self._customers_version:
                self._customers_version = customers_version
                self._customers.clear()

    def _fresh(self) -> None:
        if time.monotonic() - self._checked_at >= self._recheck:
            self.refresh()

    # -- items ---------------------------------------------------------------------------
    def lookup(self, code: str) -> tuple[Item, Lot | None]:
        self._fresh()
        code = code.strip()
        with self._lock:
            hit = self._codes.get(code)
            item = self._items.get(hit[0]) if hit is not None else None
        if hit is None or item is None:
            with self._reader.connect() as connection:  # one connection, one read transaction
                row = connection.execute(_CODE, {"code": code}).first()
                if row is None:
                    raise not_found(code)
                hit = (row.sku, row.lot)
                loaded = self._load(connection, select(ITEMS).where(ITEMS.c.sku == row.sku))
            if not loaded:  # gone since: an import replaced the catalog
                raise not_found(code)
            item = loaded[0]
            with self._lock:
                self._codes.put(code, hit)
                self._items.put(item.sku, item)
        assert item is not None
        return item, item.lot(hit[1]) if hit[1] is not None else None

    def find(self, code: str) -> Item:
        return self.lookup(code)[0]

    def item(self, sku: str) -> Item | None:
        self._fresh()
        with self._lock:
            found = self._items.get(sku)
        if found is not None:
            return found
        with self._reader.connect() as connection:
            loaded = self._load(connection, select(ITEMS).where(ITEMS.c.sku == sku))
        if not loaded:
            return None
        item: Item = loaded[0]
        with self._lock:
            self._items.put(sku, item)
        return item

    def items(self, skus: Iterable[str]) -> dict[str, Item]:
        """The items of these SKUs that exist, by SKU (one query for those not cached)."""
        self._fresh()
        found: dict[str, Item] = {}
        wanted = []
        with self._lock:
            for sku in dict.fromkeys(skus):
                item = self._items.get(sku)
                if item is None:
                    wanted.append(sku)
                else:
                    found[sku] = item
        with self._reader.connect() as connection:
            for chunk in _chunks(wanted):
                for item in self._load(connection, select(ITEMS).where(ITEMS.c.sku.in_(chunk))):
                    found[item.sku] = item
        with self._lock:
            for sku in wanted:
                if sku in found:
                    self._items.put(sku, found[sku])
        return found

    def search(self, text: str, *, limit: int = 50) -> SearchResult:
        self._fresh()
        needle = _typed(text).casefold()
        with self._reader.connect() as connection:
            skus = list(connection.execute(self._search_query(needle), {"n": limit + 1}).scalars())
        items = self.items(skus)
        entries: list[tuple[Item, Lot | None]] = []
        for sku in skus[:limit]:
            if sku in items:
                entries.extend(entries_matching(items[sku], needle))
        return SearchResult(tuple(entries[:limit]), more=len(skus) > limit or len(entries) > limit)

    def _search_query(self, needle: str) -> Any:
        """The SKUs matching `needle` in catalog order, at most :n of them. Three characters
        or more use the search index (any part of a code, name or lot); one or two are
        looked for in SKUs and names, reading the catalog in order until enough are found;
        nothing lists the catalog from the top."""
        by_position = select(ITEMS.c.sku).order_by(ITEMS.c.position).limit(bindparam("n"))
        if not needle:
            return by_position
        if len(needle) < 3:
            pattern = search_pattern(needle)
            fields: tuple[Any, ...]
            if self._dialect == "sqlite":  # SQLite's own LIKE: no function call per row
                fields = (ITEMS.c.sku, ITEMS.c.name)
            else:
                fields = (func.lower(ITEMS.c.sku), func.lower(ITEMS.c.name))
            return by_position.where(or_(*(f.like(pattern, escape="\\") for f in fields)))
        if self._dialect == "sqlite":
            phrase = '"' + needle.replace('"', '""') + '"'
            return text(
                "SELECT items.sku FROM items WHERE items.position IN ("
                " SELECT rowid FROM item_search WHERE item_search MATCH :phrase"
                " ORDER BY rowid LIMIT :n) ORDER BY items.position"
            ).bindparams(phrase=phrase)
        return text(
            "SELECT items.sku FROM item_search JOIN items ON items.position = item_search.position"
            " WHERE item_search.text LIKE :pattern ORDER BY item_search.position LIMIT :n"
        ).bindparams(pattern=search_pattern(needle))

    def all_items(self) -> Iterator[Item]:
        return self._stream(select(ITEMS))

    def items_in_group(self, group: str) -> Iterator[Item]:
        groups = self.groups()
        under = [code for code in groups if group in group_path(groups, code)] or [group]
        return self._stream(select(ITEMS).where(ITEMS.c.group.in_(under)))

    def _stream(self, query: Any) -> Iterator[Item]:
        """The items `query` selects, in catalog order, a batch per query (never cached:
        a pass over the catalog must not push out what the tills look up)."""
        after = -1
        while True:
            with self._reader.connect() as connection:
                batch = self._load(
                    connection,
                    query.where(ITEMS.c.position > after).order_by(ITEMS.c.position).limit(_BATCH),
                    positions=True,
                )
            if not batch:
                return
            for position, item in batch:
                after = position
                yield item

    def digest(self) -> str:
        """The token of the catalog's last import: new at every import."""
        self.refresh()
        return f"catalog:{self._token}"

    def missing_skus(self, codes: Iterable[str]) -> set[str]:
        wanted = set(codes)
        with self._reader.connect() as connection:
            for chunk in _chunks(sorted(wanted)):
                wanted -= set(
                    connection.execute(select(ITEMS.c.sku).where(ITEMS.c.sku.in_(chunk))).scalars()
                )
        return wanted

    # -- groups ----------------------------------------------------------------------------
    def groups(self) -> Mapping[str, ItemGroup]:
        self._fresh()
        with self._lock:
            if self._groups is not None:
                return self._groups
        with self._reader.connect() as connection:
            groups = {
                row.code: ItemGroup(row.code, row.name, row.parent, row.reorder_level)
                for row in connection.execute(select(GROUPS))
            }
        with self._lock:
            self._groups = groups
        return groups

    def group_path(self, group: str) -> list[str]:
        return group_path(self.groups(), group)

    def missing_groups(self, codes: Iterable[str]) -> set[str]:
        groups = self.groups()
        return {code for code in codes if code not in groups}

    # -- customers -----------------------------------------------------------------------
    def customer(self, code: str) -> Customer:
        found = self.find_customer(code)
        if found is None:
            raise NotFound(_("no customer with code '{code}'", code=code))
        return found

    def find_customer(self, code: str | None) -> Customer | None:
        if not code:
            return None
        self._fresh()
        with self._lock:
            found = self._customers.get(code)
        if found is not None:
            return found
        _typed(code)
        with self._reader.connect() as connection:
            row = connection.execute(select(CUSTOMERS).where(CUSTOMERS.c.code == code)).first()
        if row is None:
            return None
        customer = _customer(row)
        with self._lock:
            self._customers.put(code, customer)
        return customer

    def card_owner(self, card: str) -> Customer | None:
        card = _typed(card)
        if not card:
            return None
        with self._reader.connect() as connection:
            code = connection.execute(
                select(CUSTOMERS.c.code).where(CUSTOMERS.c.loyalty_card == card)
            ).scalar()
        return self.find_customer(code)

    def search_customers(
        self, text: str = "", *, kind: CustomerKind | None = None, limit: int = 50
    ) -> list[Customer]:
        pattern = search_pattern(_typed(text).casefold())
        fields = (
            CUSTOMERS.c.code,
            CUSTOMERS.c.name,
            func.coalesce(CUSTOMERS.c.vat_number, ""),
            func.coalesce(CUSTOMERS.c.loyalty_card, ""),
        )
        query = (
            select(CUSTOMERS)
            .where(or_(*(_fold(f, self._dialect).like(pattern, escape="\\") for f in fields)))
            .order_by(_fold(CUSTOMERS.c.name, self._dialect), CUSTOMERS.c.code)
            .limit(limit)
        )
        if kind is not None:
            query = query.where(CUSTOMERS.c.kind == kind.value)
        with self._reader.connect() as connection:
            return [_customer(row) for row in connection.execute(query)]

    def save_customer(self, customer: Customer) -> None:
        with self.database.engine.begin() as connection:
            connection.execute(
                update(CUSTOMERS)
                .where(CUSTOMERS.c.code == customer.code)
                .values(
                    name=customer.name,
                    kind=customer.kind.value,
                    vat_number=customer.vat_number,
                    groups=" ".join(customer.groups),
                    loyalty_card=customer.loyalty_card,
                    price_list=customer.price_list,
                    address=customer.address,
                    domestic=customer.domestic,
                    reverse_charge=customer.reverse_charge,
                )
            )
            connection.execute(
                update(STATE)
                .where(STATE.c.id == 1)
                .values(customers_version=STATE.c.customers_version + 1)
            )
        with self._lock:
            self._customers.put(customer.code, customer)

    def missing_customers(self, codes: Iterable[str]) -> set[str]:
        wanted = set(codes)
        with self._reader.connect() as connection:
            for chunk in _chunks(sorted(wanted)):
                wanted -= set(
                    connection.execute(
                        select(CUSTOMERS.c.code).where(CUSTOMERS.c.code.in_(chunk))
                    ).scalars()
                )
        return wanted

    def customer_groups(self) -> Mapping[str, CustomerGroup]:
        self._fresh()
        with self._lock:
            if self._customer_groups is not None:
                return self._customer_groups
        with self._reader.connect() as connection:
            groups = {
                row.code: CustomerGroup(row.code, row.name, row.price_list)
                for row in connection.execute(select(CUSTOMER_GROUPS))
            }
        with self._lock:
            self._customer_groups = groups
        return groups

    def missing_customer_groups(self, codes: Iterable[str]) -> set[str]:
        groups = self.customer_groups()
        return {code for code in codes if code not in groups}

    # -- prices --------------------------------------------------------------------------
    def price_lists(self) -> Mapping[str, PriceList]:
        """The price lists' headers (code, name, direction, validity), without prices."""
        self._fresh()
        with self._lock:
            if self._price_lists is not None:
                return self._price_lists
        with self._reader.connect() as connection:
            lists = {
                row.code: PriceList(
                    row.code,
                    row.name,
                    {},
                    PriceDirection(row.direction),
                    row.valid_from,
                    row.valid_to,
                )
                for row in connection.execute(select(PRICE_LISTS))
            }
        with self._lock:
            self._price_lists = lists
        return lists

    def price_of(self, item: Item, customer: Customer | None, day: date) -> ResolvedPrice:
        headers = self.price_lists()
        valid = [
            code
            for code in price_lists_for(customer, self.customer_groups())
            if code in headers and headers[code].valid_on(day)
        ]
        if valid:
            with self._reader.connect() as connection:
                rows = connection.execute(
                    select(PRICES.c.price_list, PRICES.c.price).where(
                        PRICES.c.sku == item.sku, PRICES.c.price_list.in_(valid)
                    )
                )
                prices: dict[str, Decimal] = {row[0]: row[1] for row in rows}
            for code in valid:
                if code in prices:
                    return ResolvedPrice(
                        prices[code], headers[code].direction, f"price_list:{code}"
                    )
        return ResolvedPrice(item.list_price, self.price_direction, "item")

    # -- reading items ---------------------------------------------------------------------
    def _load(self, connection: Connection, query: Any, *, positions: bool = False) -> list[Any]:
        """The items `query` selects from `items`, with their units, barcodes and lots,
        in its order; as (position, item) with `positions`."""
        rows = list(connection.execute(query))
        if not rows:
            return []
        skus = [row.sku for row in rows]
        units: dict[str, list[UnitConversion]] = {}
        barcodes: dict[str, list[str]] = {}
        lots: dict[str, list[Lot]] = {}
        components: dict[str, list[SetComponent]] = {}
        for chunk in _chunks(skus):
            for row in connection.execute(
                select(COMPONENTS)
                .where(COMPONENTS.c.set_sku.in_(chunk))
                .order_by(COMPONENTS.c.set_sku, COMPONENTS.c.position)
            ):
                components.setdefault(row.set_sku, []).append(
                    SetComponent(row.component, row.quantity)
                )
            for row in connection.execute(
                select(UNITS).where(UNITS.c.sku.in_(chunk)).order_by(UNITS.c.sku, UNITS.c.unit)
            ):
                units.setdefault(row.sku, []).append(
                    UnitConversion(Unit(row.unit, row.unit, row.precision), row.per_base)
                )
            for sku, code in connection.execute(
                select(BARCODES.c.sku, BARCODES.c.code)
                .where(BARCODES.c.sku.in_(chunk))
                .order_by(BARCODES.c.sku, BARCODES.c.code)
            ):
                barcodes.setdefault(sku, []).append(code)
            for row in connection.execute(
                select(LOTS).where(LOTS.c.sku.in_(chunk)).order_by(LOTS.c.sku, LOTS.c.position)
            ):
                lots.setdefault(row.sku, []).append(
                    Lot(row.code, tuple(json.loads(row.properties).items()), row.ean)
                )
        items = [
            replace(
                _item(
                    row, units.get(row.sku, ()), barcodes.get(row.sku, ()), lots.get(row.sku, ())
                ),
                components=tuple(components.get(row.sku, ())),
            )
            if row.sku in components
            else _item(
                row, units.get(row.sku, ()), barcodes.get(row.sku, ()), lots.get(row.sku, ())
            )
            for row in rows
        ]
        if positions:
            return [(row.position, item) for row, item in zip(rows, items, strict=True)]
        return items


def _item(
    row: Row[Any],
    units: Sequence[UnitConversion],
    barcodes: Sequence[str],
    lots: Sequence[Lot],
) -> Item:
    return Item(
        sku=row.sku,
        name=row.name,
        group=row.group,
        vat_code=row.vat_code,
        list_price=row.list_price,
        units=ItemUnits(Unit(row.base_unit, row.base_unit, row.base_unit_precision), tuple(units)),
        type=ItemType(row.type),
        barcodes=tuple(barcodes),
        discountable=row.discountable,
        name_editable=row.name_editable,
        reverse_charge=row.reverse_charge,
        split_payment=row.split_payment,
        lots=tuple(lots),
        cost=row.cost,
        reorder_level=row.reorder_level,
        insert_components=row.insert_components,
        component_change=row.component_change or "blocked",
    )


def _customer(row: Row[Any]) -> Customer:
    return Customer(
        code=row.code,
        name=row.name,
        kind=CustomerKind(row.kind),
        vat_number=row.vat_number,
        groups=tuple(row.groups.split()),
        loyalty_card=row.loyalty_card,
        price_list=row.price_list,
        address=row.address,
        domestic=row.domestic,
        reverse_charge=row.reverse_charge,
    )


def _fold(column: Any, dialect: str) -> Any:
    """The column casefolded the same way on both databases (see Database's casefold)."""
    return func.casefold(column) if dialect == "sqlite" else func.lower(column)


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _BATCH):
        yield values[start : start + _BATCH]


_SERVICES: weakref.WeakKeyDictionary[Database, dict[PriceDirection, CatalogService]] = (
    weakref.WeakKeyDictionary()
)
_SERVICES_LOCK = threading.Lock()


def catalog_service(database: Database, price_direction: PriceDirection) -> CatalogService:
    """The one catalog service of this database in this process: every till session of
    a server shares it, and its caches."""
    with _SERVICES_LOCK:
        services = _SERVICES.setdefault(database, {})
        service = services.get(price_direction)
        if service is None:
            service = services[price_direction] = CatalogService(database, price_direction)
        return service
