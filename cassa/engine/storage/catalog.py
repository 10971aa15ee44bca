"""Master data in the database: stores, tills, catalog and customers.

An import replaces the whole catalog in one transaction (all or nothing: a crash
or a refusal leaves the catalog that was there), written a batch of rows at a
time with Core's bulk inserts, the search index beside the items, and ends by
bumping the catalog's version so every till server's catalog service forgets
what it kept.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text, update

from cassa.engine.catalog import (
    CatalogData,
    Customer,
    CustomerGroup,
    Item,
    ItemGroup,
    PriceList,
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
    StoreRow,
    TillRow,
    WarehouseRow,
    table_of,
)
from cassa.engine.storefiles import StoreData, TillInfo, WarehouseInfo, warehouses_of
from cassa.engine.tax import PriceDirection
from cassa.i18n import _

__all__ = [
    "CatalogWriter",
    "StoredStore",
    "import_catalog",
    "import_store",
    "load_stored_store",
    "search_text",
]


# children before parents: the order rows are deleted in
_CATALOG_TABLES = tuple(
    table_of(model)
    for model in (
        PriceRow,
        PriceListRow,
        BarcodeRow,
        ItemUnitRow,
        ItemLotRow,
        ItemSetComponentRow,
        ItemRow,
        ItemGroupRow,
        CustomerRow,
        CustomerGroupRow,
    )
)


# parents first: the order rows are written in (the search index after the items)
_ITEM_TABLES = tuple(
    table_of(model)
    for model in (
        ItemGroupRow,
        ItemRow,
        BarcodeRow,
        ItemUnitRow,
        ItemLotRow,
        ItemSetComponentRow,
    )
)
_OTHER_TABLES = tuple(
    table_of(model) for model in (PriceListRow, PriceRow, CustomerGroupRow, CustomerRow)
)


class StoredStore:
    def __init__(self, row: StoreRow, tills: list[TillRow]) -> None:
        self.code, self.name, self.address = row.code, row.name, row.address
        self.vat_number, self.pack = row.vat_number, row.pack
        self.price_direction = PriceDirection(row.price_direction)
        self.timezone = row.timezone
        self.tills = [t.code for t in tills]


def search_text(item: Item) -> str:
    """What the item search index holds of an item, casefolded, one field a line: SKU,
    name, barcodes, and each lot's code, EAN and property values."""
    lots = [
        part
        for lot in item.lots
        for part in (lot.code, lot.ean or "", *(value for _, value in lot.properties))
    ]
    return "\n".join([item.sku, item.name, *item.barcodes, *lots]).casefold()


class CatalogWriter:
    """Writes a store's catalog inside one transaction, a batch of rows at a time.

    `clear()` first; then groups, items, price lists, customer groups and customers in
    any number of calls (items take their catalog position in the order given); rows
    go to the database every `batch` items; `finish()` writes what is left and bumps
    the catalog's version. The caller commits or rolls back the connection's
    transaction."""

    def __init__(self, connection: Connection, *, batch: int = 2_000) -> None:
        self.connection = connection
        self.batch = batch
        self.sqlite = connection.dialect.name == "sqlite"
        self.items_written = 0
        self.customers_written = 0
        self._rows: dict[str, list[dict[str, Any]]] = {}

    def clear(self) -> None:
        for table in _CATALOG_TABLES:
            self.connection.execute(delete(table))
        if self.sqlite:  # a contentless FTS5 table is emptied by its own command
            self.connection.exec_driver_sql(
                "INSERT INTO item_search(item_search) VALUES ('delete-all')"
            )
        else:
            self.connection.exec_driver_sql("DELETE FROM item_search")

    def store(self, store: StoreData) -> None:
        """The store's own row and its tills (merged: documents refer to them)."""
        self.store_row(
            code=store.code,
            name=store.name,
            address=store.address,
            vat_number=store.vat_number,
            pack=store.pack,
            price_direction=store.catalog.price_direction,
            timezone=store.timezone,
            tills=store.tills,
            warehouses=store.warehouses,
        )

    def store_row(
        self,
        *,
        code: str,
        name: str,
        address: str,
        vat_number: str,
        pack: str,
        price_direction: PriceDirection,
        timezone: str,
        tills: Iterable[TillInfo],
        warehouses: Sequence[WarehouseInfo] = (),
    ) -> None:
        values = {
            "name": name,
            "address": address,
            "vat_number": vat_number,
            "pack": pack,
            "price_direction": price_direction.value,
            "timezone": timezone,
        }
        stores, till_table = table_of(StoreRow), table_of(TillRow)
        if self.connection.execute(select(stores.c.code).where(stores.c.code == code)).first():
            self.connection.execute(update(stores).where(stores.c.code == code).values(**values))
        else:
            self.connection.execute(insert(stores).values(code=code, **values))
        for till in tills:
            found = self.connection.execute(
                select(till_table.c.code).where(till_table.c.code == till.code)
            ).first()
            if found:
                self.connection.execute(
                    update(till_table)
                    .where(till_table.c.code == till.code)
                    .values(store=code, name=till.name)
                )
            else:
                self.connection.execute(
                    insert(till_table).values(code=till.code, store=code, name=till.name)
                )
        self._warehouses(code, warehouses or warehouses_of({}))

    def _warehouses(self, store: str, warehouses: Sequence[WarehouseInfo]) -> None:
        """Declared warehouses are added or renamed; none is removed, for its movements."""
        table = table_of(WarehouseRow)
        known = set(
            self.connection.scalars(select(table.c.code).where(table.c.store == store)).all()
        )
        for position, warehouse in enumerate(warehouses, 1):
            values = {"name": warehouse.name, "kind": warehouse.kind, "position": position}
            if warehouse.code in known:
                self.connection.execute(
                    update(table)
                    .where(table.c.store == store, table.c.code == warehouse.code)
                    .values(**values)
                )
            else:
                self.connection.execute(
                    insert(table).values(store=store, code=warehouse.code, **values)
                )

    def groups(self, groups: Iterable[ItemGroup]) -> None:
        for group in groups:
            self._add(
                ItemGroupRow,
                {
                    "code": group.code,
                    "name": group.name,
                    "parent": group.parent,
                    "reorder_level": group.reorder_level,
                },
            )

    def item(self, item: Item) -> None:
        self.items_written += 1
        position = self.items_written
        self._add(
            ItemRow,
            {
                "sku": item.sku,
                "position": position,
                "name": item.name,
                "group": item.group,
                "type": item.type.value,
                "vat_code": item.vat_code,
                "list_price": item.list_price,
                "base_unit": item.units.base.code,
                "base_unit_precision": item.units.base.precision,
                "discountable": item.discountable,
                "name_editable": item.name_editable,
                "reverse_charge": item.reverse_charge,
                "split_payment": item.split_payment,
                "cost": item.cost,
                "reorder_level": item.reorder_level,
                "insert_components": item.insert_components,
                "component_change": item.component_change if item.components else None,
            },
        )
        for code in item.barcodes:
            self._add(BarcodeRow, {"code": code, "sku": item.sku})
        for conversion in item.units.additional:
            self._add(
                ItemUnitRow,
                {
                    "sku": item.sku,
                    "unit": conversion.unit.code,
                    "precision": conversion.unit.precision,
                    "per_base": conversion.per_base,
                },
            )
        for index, lot in enumerate(item.lots):
            self._add(
                ItemLotRow,
                {
                    "code": lot.code,
                    "sku": item.sku,
                    "position": index,
                    "properties": json.dumps(dict(lot.properties), ensure_ascii=False),
                    "ean": lot.ean,
                },
            )
        for index, component in enumerate(item.components):
            self._add(
                ItemSetComponentRow,
                {
                    "set_sku": item.sku,
                    "position": index,
                    "component": component.sku,
                    "quantity": component.quantity,
                },
            )
        self._rows.setdefault("search", []).append(
            {"position": position, "text": search_text(item)}
        )
        if position % self.batch == 0:
            self.flush()

    def price_list(self, price_list: PriceList) -> None:
        self._add(
            PriceListRow,
            {
                "code": price_list.code,
                "name": price_list.name,
                "direction": price_list.direction.value,
                "valid_from": price_list.valid_from,
                "valid_to": price_list.valid_to,
            },
        )
        self.flush()  # the list before its prices
        for sku, price in price_list.prices.items():
            self._add(PriceRow, {"price_list": price_list.code, "sku": sku, "price": price})
        self.flush()

    def customer_group(self, group: CustomerGroup) -> None:
        self._add(
            CustomerGroupRow,
            {"code": group.code, "name": group.name, "price_list": group.price_list},
        )

    def customer(self, customer: Customer) -> None:
        self.customers_written += 1
        self._add(
            CustomerRow,
            {
                "code": customer.code,
                "name": customer.name,
                "kind": customer.kind.value,
                "vat_number": customer.vat_number,
                "groups": " ".join(customer.groups),
                "loyalty_card": customer.loyalty_card,
                "price_list": customer.price_list,
                "address": customer.address,
                "domestic": customer.domestic,
                "reverse_charge": customer.reverse_charge,
            },
        )
        if self.customers_written % self.batch == 0:
            self.flush()

    def flush(self) -> None:
        """Write the rows gathered so far, parents first (one executemany per table)."""
        rows, self._rows = self._rows, {}
        for table in _ITEM_TABLES:
            if rows.get(table.name):
                self.connection.execute(insert(table), rows[table.name])
        search = rows.get("search")
        if search:
            column = "rowid" if self.sqlite else "position"
            self.connection.execute(
                text(f"INSERT INTO item_search ({column}, text) VALUES (:position, :text)"), search
            )
        for table in _OTHER_TABLES:
            if rows.get(table.name):
                self.connection.execute(insert(table), rows[table.name])

    def finish(self) -> None:
        self.flush()
        state = table_of(CatalogStateRow)
        self.connection.execute(
            update(state)
            .where(state.c.id == 1)
            .values(
                version=state.c.version + 1,
                customers_version=state.c.customers_version + 1,
                token=uuid.uuid4().hex,
                imported_at=datetime.now(UTC),
            )
        )

    def _add(self, model: Any, row: dict[str, Any]) -> None:
        self._rows.setdefault(model.__tablename__, []).append(row)


def import_store(database: Database, store: StoreData) -> None:
    """Replace the store's master data with the files' content, in one transaction."""
    with database.engine.begin() as connection:
        writer = CatalogWriter(connection)
        writer.clear()
        writer.store(store)
        _write(writer, store.catalog)


def import_catalog(database: Database, catalog: CatalogData) -> None:
    """Replace the catalog (items, groups, price lists, customers) in one transaction."""
    with database.engine.begin() as connection:
        writer = CatalogWriter(connection)
        writer.clear()
        _write(writer, catalog)


def _write(writer: CatalogWriter, catalog: CatalogData) -> None:
    writer.groups(catalog.item_groups.values())
    writer.flush()
    for item in catalog.items.values():
        writer.item(item)
    writer.flush()
    for price_list in catalog.price_lists.values():
        writer.price_list(price_list)
    for group in catalog.customer_groups.values():
        writer.customer_group(group)
    for customer in catalog.customers.values():
        writer.customer(customer)
    writer.finish()


def load_stored_store(database: Database, code: str | None = None) -> StoredStore:
    with database.session() as session:
        query = select(StoreRow)
        if code is not None:
            query = query.where(StoreRow.code == code)
        row = session.scalars(query.order_by(StoreRow.code)).first()
        if row is None:
            raise NotFound(
                _("no store in this database: import one with 'cassa store import FOLDER'")
            )
        tills = list(
            session.scalars(select(TillRow).where(TillRow.store == row.code).order_by(TillRow.code))
        )
        return StoredStore(row, tills)
