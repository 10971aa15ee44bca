"""The catalog as the till looks it up: items by barcode or SKU, search, prices, customers.

Each behaviour holds for both catalogs: the store's files in memory (CatalogData) and
the database's catalog service (CatalogService, on SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from decimal import Decimal

import pytest
from backends import BACKENDS, database_on

from cassa.engine.catalog import (
    Catalog,
    CatalogData,
    Customer,
    CustomerGroup,
    CustomerKind,
    Item,
    ItemGroup,
    ItemType,
    PriceList,
    ResolvedPrice,
    SearchResult,
)
from cassa.engine.errors import InvalidInput, NotFound
from cassa.engine.storage.catalog import import_catalog
from cassa.engine.storage.catalog_service import CatalogService
from cassa.engine.storage.db import Database
from cassa.engine.tax import PriceDirection
from cassa.engine.units import ItemUnits, Unit

PZ = ItemUnits(Unit("pz", "pz"))  # the database keeps a unit by its code
SUMMER_DAY = date(2026, 7, 5)
WINTER_DAY = date(2026, 1, 15)


def make_item(sku: str, name: str, price: str, *barcodes: str, **extra: object) -> Item:
    return Item(
        sku=sku,
        name=name,
        group=str(extra.pop("group", "shoes")),
        vat_code="22",
        list_price=Decimal(price),
        units=PZ,
        barcodes=barcodes,
        **extra,  # type: ignore[arg-type]
    )


SHOE = make_item("SHOE-RUN-42", "Scarpe da corsa 42", "89.90", "8001234000059")
BAG = make_item("BAG-TOTE", "Borsa shopper", "24.90", "8001234000066", group="bags")
BERRIES = make_item("STRAWBERRY", "Fragole", "6.50", "20123451", "8001234000035", group="fruit")


def shop() -> CatalogData:
    catalog = CatalogData()
    catalog.item_groups.update(
        {
            "fashion": ItemGroup("fashion", "Moda"),
            "shoes": ItemGroup("shoes", "Scarpe", "fashion"),
            "bags": ItemGroup("bags", "Borse", "fashion"),
            "fruit": ItemGroup("fruit", "Frutta"),
        }
    )
    catalog.add_items([SHOE, BAG, BERRIES])
    catalog.price_lists.update(
        {
            "VIP": PriceList("VIP", "Clienti VIP", {"SHOE-RUN-42": Decimal("79.00")}),
            "TRADE": PriceList(
                "TRADE",
                "Rivenditori",
                {"SHOE-RUN-42": Decimal("70.00"), "BAG-TOTE": Decimal("20.00")},
            ),
            "SUMMER": PriceList(
                "SUMMER",
                "Estate",
                {"SHOE-RUN-42": Decimal("75.00")},
                valid_from=date(2026, 6, 1),
                valid_to=date(2026, 8, 31),
            ),
            "NETLIST": PriceList(
                "NETLIST", "Netto", {"BAG-TOTE": Decimal("18.00")}, PriceDirection.NET
            ),
        }
    )
    catalog.customer_groups.update(
        {
            "TRADE": CustomerGroup("TRADE", "Rivenditori", "TRADE"),
            "LOYAL": CustomerGroup("LOYAL", "Fedeltà"),
            "SEASON": CustomerGroup("SEASON", "Stagionali", "SUMMER"),
            "GHOST": CustomerGroup("GHOST", "Listino mancante", "NOWHERE"),
        }
    )
    return catalog


KEPT_IN = [pytest.param("files", id="files"), *BACKENDS]  # in memory, or each database


class Databases(dict[str, Database]):
    """A database per backend, opened when first asked for."""

    def __init__(self, stack: ExitStack, tmp: pytest.TempPathFactory) -> None:
        super().__init__()
        self.stack, self.tmp = stack, tmp

    def __missing__(self, backend: str) -> Database:
        url = self.stack.enter_context(database_on(backend, self.tmp.mktemp(backend)))
        opened = self[backend] = url.open()
        self.stack.callback(opened.dispose)
        return opened


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """One database per backend for the module's tests (each test imports its catalog)."""
    with ExitStack() as stack:
        yield Databases(stack, tmp_path_factory)


def kept_in(request: pytest.FixtureRequest, data: CatalogData) -> Catalog:
    """The catalog as the files give it, or imported into the parameter's database."""
    if request.param == "files":
        return data
    database = request.getfixturevalue("databases")[request.param]
    import_catalog(database, data)
    return CatalogService(database, data.price_direction)


@pytest.fixture(params=KEPT_IN)
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return kept_in(request, shop())


# --- find -------------------------------------------------------------------------------------


def test_an_item_is_found_by_its_ean13(catalog: Catalog) -> None:
    assert catalog.find("8001234000059") == SHOE


def test_an_item_is_found_by_each_of_its_barcodes(catalog: Catalog) -> None:
    assert catalog.find("8001234000035") == BERRIES
    assert catalog.find("20123451") == BERRIES


def test_an_item_is_found_by_its_sku(catalog: Catalog) -> None:
    assert catalog.find("BAG-TOTE") == BAG


def test_spaces_around_a_scanned_code_are_ignored(catalog: Catalog) -> None:
    assert catalog.find("  8001234000066\n") == BAG


def test_a_barcode_with_a_wrong_check_digit_asks_to_scan_again(catalog: Catalog) -> None:
    with pytest.raises(NotFound) as raised:
        catalog.find("8001234000058")
    assert raised.value.message == "barcode 8001234000058 has a wrong check digit: scan it again"


def test_an_ean8_with_a_wrong_check_digit_asks_to_scan_again(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="wrong check digit"):
        catalog.find("20123452")


def test_an_unknown_valid_barcode_is_not_found(catalog: Catalog) -> None:
    with pytest.raises(NotFound) as raised:
        catalog.find("4006381333931")
    assert raised.value.message == "no item with barcode or SKU '4006381333931'"


def test_an_unknown_sku_is_not_found(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="no item with barcode or SKU 'NOPE'"):
        catalog.find("NOPE")


def test_a_number_of_another_length_is_looked_up_as_a_sku(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="no item with barcode or SKU '12345'"):
        catalog.find("12345")


@pytest.fixture(params=KEPT_IN)
def legacy(request: pytest.FixtureRequest) -> Catalog:
    data = CatalogData()
    data.add_item(make_item("12345678", "Legacy code", "1.00"))
    return kept_in(request, data)


def test_a_digit_only_sku_is_found_even_if_it_looks_like_a_bad_barcode(legacy: Catalog) -> None:
    assert legacy.find("12345678") == make_item("12345678", "Legacy code", "1.00")


# --- adding items -----------------------------------------------------------------------------


def test_an_item_with_an_invalid_barcode_cannot_be_added() -> None:
    catalog = CatalogData()
    with pytest.raises(InvalidInput, match="item X: barcode 8001234000058 is not a valid"):
        catalog.add_item(make_item("X", "X", "1.00", "8001234000058"))
    assert catalog.items == {}


def test_a_barcode_cannot_belong_to_two_items() -> None:
    catalog = shop()
    with pytest.raises(
        InvalidInput, match="barcode 8001234000059 belongs to both SHOE-RUN-42 and X"
    ):
        catalog.add_item(make_item("X", "X", "1.00", "8001234000059"))


def test_an_item_can_be_added_again_with_its_own_barcode() -> None:
    catalog = shop()
    cheaper = make_item("SHOE-RUN-42", "Scarpe da corsa 42", "69.90", "8001234000059")
    catalog.add_item(cheaper)
    assert catalog.find("8001234000059").list_price == Decimal("69.90")


# --- search -----------------------------------------------------------------------------------


def test_search_finds_items_by_part_of_the_name_ignoring_case(catalog: Catalog) -> None:
    assert catalog.search("SCARPE").items == [SHOE]
    assert catalog.search("borsa").items == [BAG]


def test_search_finds_items_by_part_of_the_sku(catalog: Catalog) -> None:
    assert catalog.search("run").items == [SHOE]


def test_search_finds_items_by_part_of_a_barcode(catalog: Catalog) -> None:
    assert catalog.search("2012345").items == [BERRIES]
    assert catalog.search(" 000066 ").items == [BAG]


def test_search_lists_every_match_in_catalog_order(catalog: Catalog) -> None:
    assert catalog.search("8001234").items == [SHOE, BAG, BERRIES]


def test_search_without_a_match_is_empty(catalog: Catalog) -> None:
    assert catalog.search("caviale") == SearchResult(())


def test_one_or_two_letters_find_items_by_part_of_their_sku_or_name(catalog: Catalog) -> None:
    assert catalog.search("pe").items == [SHOE, BAG]  # Scar*pe*, Borsa shop*pe*r
    assert catalog.search("G-").items == [BAG]  # BA*G-*TOTE
    assert catalog.search("x").items == []


def test_nothing_typed_lists_the_catalog_from_the_top(catalog: Catalog) -> None:
    assert catalog.search("").items == [SHOE, BAG, BERRIES]


def test_a_search_gives_at_most_its_limit_and_says_there_is_more(catalog: Catalog) -> None:
    assert catalog.search("8001234", limit=2) == SearchResult(((SHOE, None), (BAG, None)), True)
    assert catalog.search("8001234", limit=3) == SearchResult(
        ((SHOE, None), (BAG, None), (BERRIES, None)), False
    )


@pytest.mark.parametrize("typed", ["%", "_", "\\", '"', "50%", "a_b", '"sc'])
def test_wildcards_and_quotes_typed_are_looked_for_as_they_are(
    catalog: Catalog, typed: str
) -> None:
    assert catalog.search(typed).items == []


# --- groups and customers ---------------------------------------------------------------------


def test_a_group_path_runs_from_the_group_to_its_root(catalog: Catalog) -> None:
    assert catalog.group_path("shoes") == ["shoes", "fashion"]
    assert catalog.group_path("fruit") == ["fruit"]


@pytest.fixture(params=KEPT_IN)
def cycle(request: pytest.FixtureRequest) -> Catalog:
    data = CatalogData(item_groups={"a": ItemGroup("a", "A", "b"), "b": ItemGroup("b", "B", "a")})
    return kept_in(request, data)


def test_a_group_path_stops_at_a_cycle(cycle: Catalog) -> None:
    assert cycle.group_path("a") == ["a", "b"]


MARIA = Customer("C0001", "Maria Rossi", loyalty_card="4000123400017")
BIANCHI = Customer("B0001", "Bianchi Edilizia", CustomerKind.BUSINESS, "IT09876543217")
ZETA = Customer("Z9", "Zeta Srl", CustomerKind.BUSINESS, "IT01122334455", address="Via Émile")


@pytest.fixture(params=KEPT_IN)
def customers(request: pytest.FixtureRequest) -> Catalog:
    return kept_in(request, CatalogData(customers={c.code: c for c in (ZETA, MARIA, BIANCHI)}))


def test_customers_are_found_by_code_and_loyalty_card(customers: Catalog) -> None:
    assert customers.customer("C0001") == MARIA
    assert customers.find_customer("C0001") == MARIA
    assert customers.card_owner(" 4000123400017 ") == MARIA
    with pytest.raises(NotFound, match="no customer with code 'C9'"):
        customers.customer("C9")
    assert customers.find_customer("C9") is None
    assert customers.find_customer(None) is None
    assert customers.card_owner("123") is None
    assert customers.card_owner("") is None


def test_customers_are_searched_by_code_name_vat_number_or_card_in_name_order(
    customers: Catalog,
) -> None:
    assert customers.search_customers() == [BIANCHI, MARIA, ZETA]
    assert customers.search_customers("ROSSI") == [MARIA]
    assert customers.search_customers("it0") == [BIANCHI, ZETA]
    assert customers.search_customers("400012340") == [MARIA]
    assert customers.search_customers("", kind=CustomerKind.BUSINESS, limit=1) == [BIANCHI]
    assert customers.search_customers("100%") == []


def test_a_changed_customer_is_what_the_catalog_gives_from_then_on(customers: Catalog) -> None:
    changed = dataclasses.replace(BIANCHI, reverse_charge=True)
    customers.save_customer(changed)
    assert customers.customer("B0001") == changed


def test_vouchers_and_buy_backs_are_never_discountable() -> None:
    assert make_item("A", "A", "1.00").ever_discountable
    assert not make_item("A", "A", "1.00", discountable=False).ever_discountable
    assert not make_item("V", "Voucher", "50.00", type=ItemType.VOUCHER).ever_discountable
    assert not make_item("B", "Buy-back", "30.00", type=ItemType.BUY_BACK).ever_discountable


# --- price_of ---------------------------------------------------------------------------------


def test_without_a_customer_the_item_price_applies(catalog: Catalog) -> None:
    assert catalog.price_of(SHOE, None, SUMMER_DAY) == ResolvedPrice(
        Decimal("89.90"), PriceDirection.GROSS, "item"
    )


def test_a_customer_without_price_lists_pays_the_item_price(catalog: Catalog) -> None:
    anna = Customer("C1", "Anna", groups=("LOYAL",))
    assert catalog.price_of(SHOE, anna, SUMMER_DAY).source == "item"


def test_the_customer_own_price_list_comes_first(catalog: Catalog) -> None:
    customer = Customer("B1", "Bianchi", CustomerKind.BUSINESS, "IT1", ("TRADE",), price_list="VIP")
    price = catalog.price_of(SHOE, customer, SUMMER_DAY)
    assert (price.amount, price.source) == (Decimal("79.00"), "price_list:VIP")


def test_the_group_price_list_applies_when_the_own_list_lacks_the_item(catalog: Catalog) -> None:
    customer = Customer("B1", "Bianchi", groups=("TRADE",), price_list="VIP")
    price = catalog.price_of(BAG, customer, SUMMER_DAY)
    assert (price.amount, price.source) == (Decimal("20.00"), "price_list:TRADE")


def test_group_price_lists_are_tried_in_the_order_the_groups_are_listed(
    catalog: Catalog,
) -> None:
    season_first = Customer("C1", "Anna", groups=("LOYAL", "SEASON", "TRADE"))
    trade_first = Customer("C2", "Bruno", groups=("TRADE", "SEASON"))
    assert catalog.price_of(SHOE, season_first, SUMMER_DAY).source == "price_list:SUMMER"
    assert catalog.price_of(SHOE, trade_first, SUMMER_DAY).source == "price_list:TRADE"


def test_the_item_price_applies_when_no_list_prices_the_item(catalog: Catalog) -> None:
    customer = Customer("C1", "Anna", groups=("SEASON",), price_list="VIP")
    assert catalog.price_of(BERRIES, customer, SUMMER_DAY) == ResolvedPrice(
        Decimal("6.50"), PriceDirection.GROSS, "item"
    )


def test_a_price_list_counts_only_while_valid(catalog: Catalog) -> None:
    customer = Customer("C1", "Anna", price_list="SUMMER")
    assert catalog.price_of(SHOE, customer, SUMMER_DAY).amount == Decimal("75.00")
    assert catalog.price_of(SHOE, customer, WINTER_DAY).amount == Decimal("89.90")


def test_an_expired_own_list_falls_back_to_the_group_list(catalog: Catalog) -> None:
    customer = Customer("C1", "Anna", groups=("TRADE",), price_list="SUMMER")
    assert catalog.price_of(SHOE, customer, WINTER_DAY).source == "price_list:TRADE"


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (date(2026, 5, 31), False),
        (date(2026, 6, 1), True),
        (date(2026, 8, 31), True),
        (date(2026, 9, 1), False),
    ],
)
def test_a_price_list_is_valid_from_its_first_to_its_last_day_inclusive(
    day: date, valid: bool
) -> None:
    assert shop().price_lists["SUMMER"].valid_on(day) is valid


def test_a_price_list_without_dates_is_always_valid() -> None:
    assert shop().price_lists["VIP"].valid_on(date(1999, 1, 1))
    assert PriceList("X", "X", {}, valid_from=date(2026, 1, 1)).valid_on(date(2099, 1, 1))
    assert not PriceList("X", "X", {}, valid_to=date(2026, 1, 1)).valid_on(date(2026, 1, 2))


def test_a_price_keeps_the_direction_of_its_price_list(catalog: Catalog) -> None:
    customer = Customer("B1", "Bianchi", price_list="NETLIST")
    assert catalog.price_of(BAG, customer, SUMMER_DAY) == ResolvedPrice(
        Decimal("18.00"), PriceDirection.NET, "price_list:NETLIST"
    )


@pytest.fixture(params=KEPT_IN)
def net_prices(request: pytest.FixtureRequest) -> Catalog:
    data = CatalogData(price_direction=PriceDirection.NET)
    data.add_item(BAG)
    return kept_in(request, data)


def test_the_item_price_has_the_catalog_direction(net_prices: Catalog) -> None:
    assert net_prices.price_of(BAG, None, SUMMER_DAY).direction is PriceDirection.NET


def test_unknown_price_lists_and_groups_are_skipped(catalog: Catalog) -> None:
    customer = Customer("C1", "Anna", groups=("GHOST", "NOGROUP", "TRADE"), price_list="NOWHERE")
    assert catalog.price_of(SHOE, customer, SUMMER_DAY).source == "price_list:TRADE"
