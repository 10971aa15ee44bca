"""Master data in the database: stores, tills, catalog and customers."""

from __future__ import annotations

import json

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from cassa.engine.catalog import (
    Catalog,
    Customer,
    CustomerGroup,
    CustomerKind,
    Item,
    ItemGroup,
    ItemType,
    Lot,
    PriceList,
)
from cassa.engine.errors import NotFound
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import (
    BarcodeRow,
    CustomerGroupRow,
    CustomerRow,
    ItemGroupRow,
    ItemLotRow,
    ItemRow,
    ItemUnitRow,
    PriceListRow,
    PriceRow,
    StoreRow,
    TillRow,
)
from cassa.engine.storefiles import StoreData
from cassa.engine.tax import PriceDirection
from cassa.engine.units import ItemUnits, Unit, UnitConversion

__all__ = ["StoredStore", "import_store", "load_catalog", "load_stored_store"]

_CATALOG_TABLES = (
    PriceRow,
    PriceListRow,
    BarcodeRow,
    ItemUnitRow,
    ItemLotRow,
    ItemRow,
    ItemGroupRow,
    CustomerRow,
    CustomerGroupRow,
)


class StoredStore:
    def __init__(self, row: StoreRow, tills: list[TillRow]) -> None:
        self.code, self.name, self.address = row.code, row.name, row.address
        self.vat_number, self.pack = row.vat_number, row.pack
        self.price_direction = PriceDirection(row.price_direction)
        self.timezone = row.timezone
        self.tills = [t.code for t in tills]


def import_store(database: Database, store: StoreData) -> None:
    """Replace the store's master data with the files' content, in one transaction."""
    with database.session() as session, session.begin():
        for table in _CATALOG_TABLES:
            session.execute(delete(table))
        session.merge(
            StoreRow(
                code=store.code,
                name=store.name,
                address=store.address,
                vat_number=store.vat_number,
                pack=store.pack,
                price_direction=store.catalog.price_direction.value,
                timezone=store.timezone,
            )
        )
        for till in store.tills:
            session.merge(TillRow(code=till.code, store=store.code, name=till.name))
        catalog = store.catalog
        session.add_all(
            ItemGroupRow(code=g.code, name=g.name, parent=g.parent) for g in catalog.groups.values()
        )
        session.add_all(_item_row(item) for item in catalog.items.values())
        session.add_all(
            PriceListRow(
                code=p.code,
                name=p.name,
                direction=p.direction.value,
                valid_from=p.valid_from,
                valid_to=p.valid_to,
                prices=[PriceRow(sku=sku, price=price) for sku, price in p.prices.items()],
            )
            for p in catalog.price_lists.values()
        )
        session.add_all(
            CustomerGroupRow(code=g.code, name=g.name, price_list=g.price_list)
            for g in catalog.customer_groups.values()
        )
        session.add_all(
            CustomerRow(
                code=c.code,
                name=c.name,
                kind=c.kind.value,
                vat_number=c.vat_number,
                groups=" ".join(c.groups),
                loyalty_card=c.loyalty_card,
                price_list=c.price_list,
                address=c.address,
                domestic=c.domestic,
                reverse_charge=c.reverse_charge,
            )
            for c in catalog.customers.values()
        )


def _item_row(item: Item) -> ItemRow:
    return ItemRow(
        sku=item.sku,
        name=item.name,
        group=item.group,
        type=item.type.value,
        vat_code=item.vat_code,
        list_price=item.list_price,
        base_unit=item.units.base.code,
        base_unit_precision=item.units.base.precision,
        discountable=item.discountable,
        name_editable=item.name_editable,
        reverse_charge=item.reverse_charge,
        split_payment=item.split_payment,
        barcodes=[BarcodeRow(code=code) for code in item.barcodes],
        units=[
            ItemUnitRow(unit=c.unit.code, precision=c.unit.precision, per_base=c.per_base)
            for c in item.units.additional
        ],
        lots=[
            ItemLotRow(
                code=lot.code,
                position=position,
                properties=json.dumps(dict(lot.properties), ensure_ascii=False),
                ean=lot.ean,
            )
            for position, lot in enumerate(item.lots)
        ],
    )


def load_catalog(
    database: Database, price_direction: PriceDirection = PriceDirection.GROSS
) -> Catalog:
    catalog = Catalog(price_direction=price_direction)
    with database.session() as session:
        for group in session.scalars(select(ItemGroupRow)):
            catalog.groups[group.code] = ItemGroup(group.code, group.name, group.parent)
        items = session.scalars(
            select(ItemRow).options(
                selectinload(ItemRow.barcodes),
                selectinload(ItemRow.units),
                selectinload(ItemRow.lots),
            )
        )
        catalog.add_items(
            Item(
                sku=row.sku,
                name=row.name,
                group=row.group,
                vat_code=row.vat_code,
                list_price=row.list_price,
                units=ItemUnits(
                    Unit(row.base_unit, row.base_unit, row.base_unit_precision),
                    tuple(
                        UnitConversion(Unit(u.unit, u.unit, u.precision), u.per_base)
                        for u in sorted(row.units, key=lambda u: u.unit)
                    ),
                ),
                type=ItemType(row.type),
                barcodes=tuple(sorted(b.code for b in row.barcodes)),
                discountable=row.discountable,
                name_editable=row.name_editable,
                reverse_charge=row.reverse_charge,
                split_payment=row.split_payment,
                lots=tuple(
                    Lot(lot.code, tuple(json.loads(lot.properties).items()), lot.ean)
                    for lot in row.lots
                ),
            )
            for row in items
        )
        for price_list in session.scalars(
            select(PriceListRow).options(selectinload(PriceListRow.prices))
        ):
            catalog.price_lists[price_list.code] = PriceList(
                code=price_list.code,
                name=price_list.name,
                prices={p.sku: p.price for p in price_list.prices},
                direction=PriceDirection(price_list.direction),
                valid_from=price_list.valid_from,
                valid_to=price_list.valid_to,
            )
        for group_row in session.scalars(select(CustomerGroupRow)):
            catalog.customer_groups[group_row.code] = CustomerGroup(
                group_row.code, group_row.name, group_row.price_list
            )
        for row in session.scalars(select(CustomerRow)):
            catalog.customers[row.code] = Customer(
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
    return catalog


def load_stored_store(database: Database, code: str | None = None) -> StoredStore:
    with database.session() as session:
        query = select(StoreRow)
        if code is not None:
            query = query.where(StoreRow.code == code)
        row = session.scalars(query.order_by(StoreRow.code)).first()
        if row is None:
            raise NotFound("no store in this database: import one with 'cassa store import FOLDER'")
        tills = list(
            session.scalars(select(TillRow).where(TillRow.store == row.code).order_by(TillRow.code))
        )
        return StoredStore(row, tills)
