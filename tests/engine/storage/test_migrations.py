"""The Alembic migrations build exactly the ORM models' schema, and money stays exact."""

from __future__ import annotations

from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, Numeric, Table, inspect, select, text
from sqlalchemy.exc import StatementError

from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.catalog_service import CatalogService
from cassa.engine.storage.db import alembic_config, open_database
from cassa.engine.storage.models import Base, PriceRow
from cassa.engine.storage.types import ExactDecimal

# The item search index is no ORM table: an FTS5 table (and its shadow tables) on SQLite,
# a table with a pg_trgm index on PostgreSQL, made by migration 0009.
SEARCH_INDEX = "item_search"


def schema_differences(database):
    def in_models(obj, name, type_, reflected, compare_to):
        return not (type_ == "table" and name.startswith(SEARCH_INDEX))

    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": in_models}
        )
        return compare_metadata(context, Base.metadata)


def stored_catalog(database):
    """Every item and customer the database holds, as the catalog service reads them."""
    service = CatalogService(database)
    return list(service.all_items()), service.search_customers(limit=1_000)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def stamped_revisions(database) -> list[str]:
    with database.engine.connect() as connection:
        return list(connection.scalars(text("SELECT version_num FROM alembic_version")))


def test_migrating_an_empty_database_gives_the_models_schema(database):
    assert schema_differences(database) == []
    tables = {
        name
        for name in inspect(database.engine).get_table_names()
        if not name.startswith(SEARCH_INDEX)
    }
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    assert stamped_revisions(database) == [head_revision()]


def test_migrating_a_new_sqlite_file_creates_it(tmp_path):
    path = tmp_path / "new" / "till.db"
    path.parent.mkdir()
    database = open_database(str(path))  # a plain path means a SQLite file
    try:
        assert path.exists()
        assert schema_differences(database) == []
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()


def test_migrating_twice_is_harmless(database_url, database, demo_store):
    import_store(database, demo_store)
    before = stored_catalog(database)

    database.migrate()  # the same process again
    again = database_url.open()  # and a later start of the till
    try:
        assert schema_differences(again) == []
        assert stamped_revisions(again) == [head_revision()]
        assert stored_catalog(again) == before
    finally:
        again.dispose()


# -- exact decimals ----------------------------------------------------------------

EXACT_VALUES = [
    "0",
    "0.000001",
    "-0.000001",
    "0.1",
    "0.2",
    "0.3",
    "1.005",
    "19.99",
    "-7.50",
    "50.00",
    "100",
    "1E+3",
    "123456789.123456",
    "9223372036854.775807",  # the largest a 64-bit column holds
    "-9223372036854.775808",
]


@pytest.fixture
def amounts(owner_database):
    """A scratch table with one ExactDecimal column, made by the database's owner."""
    table = Table(
        "scratch_amounts",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("amount", ExactDecimal),
    )
    table.create(owner_database.engine)
    yield table
    table.drop(owner_database.engine)


@pytest.mark.parametrize("value", EXACT_VALUES)
def test_exact_decimal_round_trips_exactly(owner_database, amounts, value):
    with owner_database.engine.begin() as connection:
        connection.execute(amounts.insert().values(id=1, amount=Decimal(value)))
        stored = connection.execute(select(amounts.c.amount)).scalar_one()
        raw = connection.exec_driver_sql("SELECT amount FROM scratch_amounts").scalar_one()
    assert isinstance(stored, Decimal)
    assert stored == Decimal(value)
    assert raw == int(Decimal(value) * 1_000_000)  # an integer count of millionths
    assert "E" not in str(stored)  # read back in plain notation, never 5E+1


def test_exact_decimal_sums_exactly_in_sql(owner_database, amounts):
    values = [Decimal("0.1")] * 10 + [Decimal("0.000001")] * 3
    with owner_database.engine.begin() as connection:
        connection.execute(
            amounts.insert(), [{"id": n, "amount": v} for n, v in enumerate(values, 1)]
        )
        total = connection.exec_driver_sql("SELECT SUM(amount) FROM scratch_amounts").scalar_one()
    assert Decimal(int(total)) / 1_000_000 == Decimal("1.000003")


@pytest.mark.parametrize("value", ["0.0000001", "1.1234567", "-0.00000001", "1E-7"])
def test_exact_decimal_refuses_more_than_six_decimals(owner_database, amounts, value):
    refused = pytest.raises(StatementError, match="more than 6 decimals")
    with refused, owner_database.engine.begin() as c:
        c.execute(amounts.insert().values(id=1, amount=Decimal(value)))
    with owner_database.engine.connect() as connection:
        assert connection.execute(select(amounts.c.amount)).all() == []


def test_money_columns_of_the_models_are_exact():
    """Every Decimal attribute of the models is an ExactDecimal column; nothing is a float."""
    decimals = set()
    for mapper in Base.registry.mappers:
        for name, annotation in mapper.class_.__annotations__.items():
            if "Decimal" in str(annotation):
                column = mapper.columns[name]
                assert isinstance(column.type, ExactDecimal), f"{mapper.class_.__name__}.{name}"
                decimals.add((column.table.name, column.name))
    assert ("document_vat", "gross") in decimals
    assert ("document_lines", "quantity") in decimals
    for table in Base.metadata.tables.values():
        for column in table.columns:
            assert not isinstance(column.type, Numeric), f"{table.name}.{column.name}"


def test_catalog_prices_round_trip_exactly(database, demo_store):
    import_store(database, demo_store)
    loaded = {item.sku: item for item in CatalogService(database).all_items()}

    def prices(items):
        return {
            sku: (item.list_price, [(c.unit.code, c.per_base) for c in item.units.additional])
            for sku, item in items.items()
        }

    assert prices(loaded) == prices(demo_store.catalog.items)  # 0.37 mq per pz included
    with database.session() as session:
        stored = {(r.price_list, r.sku): r.price for r in session.scalars(select(PriceRow))}
    assert stored == {
        (code, sku): price
        for code, price_list in demo_store.catalog.price_lists.items()
        for sku, price in price_list.prices.items()
    }
    voucher = loaded["VOUCHER-50"].list_price
    assert (voucher, str(voucher)) == (Decimal("50"), "50")
