"""Loading a store's master data from YAML and CSV files, and reporting every problem."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cassa.engine import storefiles
from cassa.engine.catalog import CustomerKind, ItemType
from cassa.engine.storefiles import StoreData, TillInfo, load_store, read_csv
from cassa.engine.tax import PriceDirection
from cassa.engine.yamlsource import DataFileError, Problem

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"

STORE = """apiVersion: cassa/v1
kind: Store
code: XX01
name: Test shop
pack: it
tills:
  - {code: T01}
catalog: [catalog.yaml, items.csv]
customers: [customers.yaml]
"""

CATALOG = """apiVersion: cassa/v1
kind: Catalog
units:
  - {code: pz, precision: 0}
  - {code: kg, precision: 3}
groups:
  - {code: food, name: Food}
  - {code: sweets, name: Sweets, parent: food}
items:
  - sku: A1
    name: Apple pie
    group: sweets
    vat: "10"
    price: 4.50
    unit: pz
    barcodes: ["4006381333931"]
price_lists:
  - code: PL1
    name: Friends
    prices:
      A1: 4.00
"""

ITEMS_CSV = """sku,name,group,vat,price,unit,barcodes
B1,Biscuits,sweets,10,1.90,pz,96385074
B2,Flour,food,4,0.99,kg,
"""

CUSTOMERS = """apiVersion: cassa/v1
kind: Customers
groups:
  - {code: FRIENDS, name: Friends, price_list: PL1}
customers:
  - code: C1
    name: Anna
    groups: [FRIENDS]
  - code: B1
    name: Acme S.r.l.
    kind: business
    vat_number: IT01234567897
"""


def write_store(folder: Path, **files: str) -> Path:
    """A small valid store in `folder`; keyword arguments replace its files."""
    contents = {
        "store.yaml": STORE,
        "catalog.yaml": CATALOG,
        "items.csv": ITEMS_CSV,
        "customers.yaml": CUSTOMERS,
    }
    contents.update({name.replace("_", "."): text for name, text in files.items()})
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def store_problems(folder: Path) -> list[Problem]:
    with pytest.raises(DataFileError) as raised:
        load_store(folder)
    return raised.value.problems


def located(problems: list[Problem]) -> dict[tuple[str, int, int], str]:
    return {(Path(p.file).name, p.line, p.column): p.message for p in problems}


# --- the demo store ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> StoreData:
    return load_store(DEMO)


def test_the_demo_store_loads_with_its_header(demo: StoreData) -> None:
    assert (demo.code, demo.name) == ("MI01", "Bottega Demo Milano")
    assert demo.vat_number == "IT01234567897"
    assert demo.timezone == "Europe/Rome"
    assert demo.tills == [TillInfo("T01", "Cassa 1"), TillInfo("T02", "Cassa 2")]
    assert Path(demo.pack).name == "pack"
    assert demo.country.pack == "demo-milano"


def test_the_demo_store_uses_the_italian_pack(demo: StoreData) -> None:
    assert demo.country.code == "IT"
    assert demo.country.currency.code == "EUR"
    assert "22" in demo.country.vat_rates


def test_the_demo_catalog_joins_yaml_and_csv_items(demo: StoreData) -> None:
    catalog = demo.catalog
    assert {"TILE-CER-01", "EARRING-GOLD", "BATHMAT-01"} <= set(catalog.items)
    assert {"CHOC-MILK", "JUICE-APPLE", "STRAWBERRY", "BUYBACK-GOLD"} <= set(catalog.items)
    assert catalog.price_direction is PriceDirection.GROSS


def test_the_demo_tile_has_pieces_and_square_metres(demo: StoreData) -> None:
    tile = demo.catalog.items["TILE-CER-01"]
    assert tile.list_price == Decimal("2.40")
    assert tile.units.codes() == ["pz", "mq"]
    assert tile.units.base.precision == 0
    assert tile.units.additional[0].per_base == Decimal("0.37")
    assert tile.units.quantity(Decimal("11.0"), "mq").base_quantity == 30


def test_csv_cells_become_typed_item_fields(demo: StoreData) -> None:
    strawberries = demo.catalog.items["STRAWBERRY"]
    assert strawberries.list_price == Decimal("6.50")
    assert strawberries.vat_code == "4"
    assert strawberries.units.base.code == "kg"
    assert strawberries.units.base.precision == 3
    assert strawberries.barcodes == ("8001234000035", "20123451")
    fitting = demo.catalog.items["SRV-FITTING"]
    assert fitting.type is ItemType.SERVICE
    assert fitting.discountable is False
    assert fitting.name_editable is True
    assert fitting.barcodes == ()


def test_the_demo_item_groups_form_a_tree(demo: StoreData) -> None:
    assert demo.catalog.group_path("tiles") == ["tiles", "home"]
    assert demo.catalog.item_groups["sweets"].parent == "food"


def test_the_demo_price_lists_and_customers_are_loaded(demo: StoreData) -> None:
    catalog = demo.catalog
    assert catalog.price_lists["WHOLESALE"].prices["TILE-CER-01"] == Decimal("2.10")
    summer = catalog.price_lists["SUMMER26"]
    assert (summer.valid_from, summer.valid_to) == (date(2026, 6, 1), date(2026, 8, 31))
    assert catalog.customer_groups["TRADE"].price_list == "WHOLESALE"
    bianchi = catalog.customer("B0001")
    assert bianchi.kind is CustomerKind.BUSINESS
    assert bianchi.vat_number == "IT09876543217"
    assert bianchi.groups == ("TRADE",)
    assert catalog.customer("C0001").loyalty_card == "4000123400017"


def test_the_demo_items_are_found_by_barcode(demo: StoreData) -> None:
    assert demo.catalog.find("20123451").sku == "STRAWBERRY"
    assert demo.catalog.find("8001234000110").sku == "TILE-CER-01"


def test_a_store_can_be_loaded_from_its_store_file(tmp_path: Path) -> None:
    folder = write_store(tmp_path / "shop")
    store = load_store(folder / "store.yaml")
    assert store.code == "XX01"
    assert store.tills == [TillInfo("T01", "T01")]
    assert store.timezone == "UTC"
    assert sorted(store.catalog.items) == ["A1", "B1", "B2"]
    assert store.catalog.customers["B1"].kind is CustomerKind.BUSINESS


# --- broken stores ----------------------------------------------------------------------------


def test_an_unknown_item_group_in_the_csv_is_reported_at_its_cell(tmp_path: Path) -> None:
    items = "sku,name,group,vat,price,unit\nB1,Biscuits,candy,10,1.90,pz\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert (
        str(problem) == f"{tmp_path / 'items.csv'}:2:3: /items/0/group: unknown item group 'candy'"
    )


def test_an_unknown_parent_group_is_reported(tmp_path: Path) -> None:
    catalog = CATALOG.replace("parent: food", "parent: bakery")
    (problem,) = store_problems(write_store(tmp_path, catalog_yaml=catalog))
    assert (problem.line, problem.pointer) == (8, "/groups/1/parent")
    assert problem.message == "unknown item group 'bakery'"


def test_a_bad_ean_check_digit_in_the_csv_is_reported_at_its_row_and_column(
    tmp_path: Path,
) -> None:
    items = "sku,name,group,vat,price,unit,barcodes\nB1,Biscuits,sweets,10,1.90,pz,96385075\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert str(problem) == (
        f"{tmp_path / 'items.csv'}:2:7: /items/0/barcodes: "
        "barcode 96385075 has a wrong EAN check digit"
    )


def test_a_bad_ean_among_several_barcodes_in_a_csv_cell_is_named(tmp_path: Path) -> None:
    items = (
        "sku,name,group,vat,price,unit,barcodes\n"
        "B1,Biscuits,sweets,10,1.90,pz,96385074\n"
        "B2,Wafers,sweets,10,2.10,pz,5901234123457|4006381333932\n"
    )
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert (Path(problem.file).name, problem.line, problem.column) == ("items.csv", 3, 7)
    assert problem.message == "barcode 4006381333932 has a wrong EAN check digit"


def test_a_bad_ean_in_yaml_is_reported_at_the_barcode(tmp_path: Path) -> None:
    catalog = CATALOG.replace("4006381333931", "4006381333932")
    (problem,) = store_problems(write_store(tmp_path, catalog_yaml=catalog))
    assert (problem.line, problem.column, problem.pointer) == (16, 16, "/items/0/barcodes/0")


def test_a_barcode_on_two_items_is_reported(tmp_path: Path) -> None:
    items = "sku,name,group,vat,price,unit,barcodes\nB1,Biscuits,sweets,10,1.90,pz,4006381333931\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert problem.message == "barcode 4006381333931 already belongs to A1"
    assert (Path(problem.file).name, problem.line) == ("items.csv", 2)


def test_a_duplicate_sku_is_reported_where_it_is_repeated(tmp_path: Path) -> None:
    items = ITEMS_CSV + "B1,Biscuits again,sweets,10,2.00,pz,\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert str(problem) == f"{tmp_path / 'items.csv'}:4:1: /items/2/sku: SKU B1 is defined twice"


def test_a_sku_in_both_yaml_and_csv_is_a_duplicate(tmp_path: Path) -> None:
    items = "sku,name,group,vat,price,unit\nA1,Apple pie too,sweets,10,4.50,pz\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert problem.message == "SKU A1 is defined twice"


# The Italian pack's rates and natures (N6.x: reverse charge), as a refusal lists them.
IT_RATES = "22, 10, 5, 4, N1, N2, N3, N4, N5, " + ", ".join(f"N6.{n}" for n in range(1, 10))


def test_an_unknown_vat_code_lists_the_rates_of_the_pack(tmp_path: Path) -> None:
    items = "sku,name,group,vat,price,unit\nB1,Biscuits,sweets,21,1.90,pz\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert str(problem) == (
        f"{tmp_path / 'items.csv'}:2:4: /items/0/vat: VAT rate '21' is not in pack it ({IT_RATES})"
    )


def test_an_unknown_unit_is_reported(tmp_path: Path) -> None:
    items = "sku,name,group,vat,price,unit\nB1,Biscuits,sweets,10,1.90,box\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert (problem.line, problem.column, problem.message) == (2, 6, "unknown unit 'box'")


def test_an_additional_unit_must_be_known_and_above_zero(tmp_path: Path) -> None:
    catalog = CATALOG.replace(
        "    unit: pz\n",
        "    unit: pz\n    additional_units:\n      - {unit: mq, per_base: 1}\n"
        "      - {unit: kg, per_base: 0}\n",
    )
    problems = store_problems(write_store(tmp_path, catalog_yaml=catalog))
    assert [(p.pointer, p.message) for p in problems] == [
        ("/items/0/additional_units/0/unit", "unknown unit 'mq'"),
        ("/items/0/additional_units/1/per_base", "must be above 0"),
    ]


def test_a_price_with_more_than_six_decimals_is_refused(tmp_path: Path) -> None:
    items = "sku,name,group,vat,price,unit\nB1,Biscuits,sweets,10,1.1234567,pz\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert (problem.line, problem.column) == (2, 5)
    assert problem.message == "a price may have at most 6 decimals"


def test_a_price_with_a_decimal_comma_is_reported_at_its_cell(tmp_path: Path) -> None:
    items = 'sku,name,group,vat,price,unit\nB1,Biscuits,sweets,10,"1,90",pz\n'
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert (problem.line, problem.column, problem.pointer) == (2, 5, "/items/0/price")


def test_a_csv_flag_that_is_not_yes_or_no_is_reported(tmp_path: Path) -> None:
    items = "sku,name,group,vat,price,unit,discountable\nB1,Biscuits,sweets,10,1.90,pz,maybe\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert (problem.line, problem.column) == (2, 7)
    assert problem.message == "'maybe' is not of type 'boolean'"


def test_a_csv_row_with_more_cells_than_the_header_is_reported(tmp_path: Path) -> None:
    items = "sku,name,group,vat,price,unit\nB1,Biscuits,sweets,10,1.90,pz,extra\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert (problem.line, problem.column) == (2, 7)
    assert problem.message.startswith("unknown field '_extra'")


def test_a_csv_row_without_a_required_column_is_reported_at_its_row(tmp_path: Path) -> None:
    items = "sku,name,group,vat,price\nB1,Biscuits,sweets,10,1.90\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert (problem.line, problem.column) == (2, 1)
    assert problem.message == "'unit' is a required property"


def test_a_business_customer_needs_a_vat_number(tmp_path: Path) -> None:
    customers = CUSTOMERS.replace("    vat_number: IT01234567897\n", "")
    (problem,) = store_problems(write_store(tmp_path, customers_yaml=customers))
    assert str(problem) == (
        f"{tmp_path / 'customers.yaml'}:9:5: /customers/1: a business customer needs a vat_number"
    )


def test_unknown_customer_groups_and_price_lists_are_reported(tmp_path: Path) -> None:
    customers = (
        CUSTOMERS.replace("price_list: PL1", "price_list: NOPE")
        + "  - code: C2\n    name: Bob\n    groups: [VIP]\n    price_list: ZZ\n"
    )
    problems = store_problems(write_store(tmp_path, customers_yaml=customers))
    assert [(p.line, p.message) for p in problems] == [
        (4, "unknown price list 'NOPE'"),
        (15, "unknown customer group 'VIP'"),
        (16, "unknown price list 'ZZ'"),
    ]


def test_a_customer_code_defined_twice_is_reported(tmp_path: Path) -> None:
    customers = CUSTOMERS + "  - code: C1\n    name: Anna again\n"
    (problem,) = store_problems(write_store(tmp_path, customers_yaml=customers))
    assert (problem.line, problem.message) == (13, "customer C1 is defined twice")


def test_a_price_list_for_an_unknown_sku_is_reported_at_its_key(tmp_path: Path) -> None:
    catalog = CATALOG.replace("      A1: 4.00\n", "      A1: 4.00\n      GHOST: 1.00\n")
    (problem,) = store_problems(write_store(tmp_path, catalog_yaml=catalog))
    assert (problem.line, problem.column, problem.pointer) == (22, 7, "/price_lists/0/prices/GHOST")
    assert problem.message == "unknown SKU 'GHOST'"


def test_an_impossible_price_list_date_is_reported(tmp_path: Path) -> None:
    catalog = CATALOG.replace(
        "    name: Friends\n", "    name: Friends\n    valid_from: 2026-02-30\n"
    )
    (problem,) = store_problems(write_store(tmp_path, catalog_yaml=catalog))
    assert (problem.line, problem.column, problem.pointer) == (20, 17, "/price_lists/0/valid_from")
    assert "2026-02-30" in problem.message


def test_a_missing_catalog_file_is_reported_at_the_store_file(tmp_path: Path) -> None:
    folder = write_store(tmp_path)
    (folder / "items.csv").unlink()
    (problem,) = store_problems(folder)
    assert (
        str(problem) == f"{folder / 'store.yaml'}:8:25: /catalog/1: file items.csv does not exist"
    )


def test_a_store_file_with_an_unknown_field_is_reported(tmp_path: Path) -> None:
    (problem,) = store_problems(write_store(tmp_path, store_yaml=STORE + "manager: Anna\n"))
    assert (problem.line, problem.column) == (10, 1)
    assert problem.message.startswith("unknown field 'manager'")


def test_a_store_with_an_unknown_pack_says_so(tmp_path: Path) -> None:
    store = STORE.replace("pack: it", "pack: atlantis")
    problems = store_problems(write_store(tmp_path, store_yaml=store))
    assert str(problems[0]) == (
        f"{tmp_path / 'store.yaml'}:5:7: /pack: country pack 'atlantis' cannot be used:"
    )
    assert "no rule pack here" in problems[1].message


def test_a_store_with_a_broken_pack_lists_the_pack_problems(tmp_path: Path) -> None:
    pack = tmp_path / "mypack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "apiVersion: cassa/v1\nkind: Pack\nname: mypack\nextends: it\nx: 1\n", encoding="utf-8"
    )
    store = STORE.replace("pack: it", "pack: ../mypack")
    problems = store_problems(write_store(tmp_path / "shop", store_yaml=store))
    assert len(problems) == 2
    assert problems[1].message.startswith("unknown field 'x'")


def test_a_store_pack_may_be_a_folder_beside_the_store(tmp_path: Path) -> None:
    pack = tmp_path / "shop" / "mypack"
    pack.mkdir(parents=True)
    (pack / "pack.yaml").write_text(
        "apiVersion: cassa/v1\nkind: Pack\nname: mypack\nextends: it\n", encoding="utf-8"
    )
    store = load_store(
        write_store(tmp_path / "shop", store_yaml=STORE.replace("pack: it", "pack: mypack"))
    )
    assert store.country.pack == "mypack"
    assert Path(store.pack) == pack.resolve()


def test_a_store_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    (problem,) = store_problems(write_store(tmp_path, store_yaml=CATALOG))
    assert problem.message == "expected kind: Store"


def test_a_store_file_with_two_documents_is_refused(tmp_path: Path) -> None:
    (problem,) = store_problems(write_store(tmp_path, store_yaml=STORE + "---\n" + STORE))
    assert problem.message == "expected one Store document"


def test_a_csv_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    folder = write_store(tmp_path)
    (folder / "items.csv").write_bytes(
        "sku,name,group,vat,price,unit\nB1,Caffè,food,10,1.90,pz\n".encode("cp1252")
    )
    (problem,) = store_problems(folder)
    assert str(problem) == f"{folder / 'items.csv'}:1:1: /: file is not UTF-8 text"


def test_an_empty_csv_file_is_reported(tmp_path: Path) -> None:
    (problem,) = store_problems(write_store(tmp_path, items_csv=""))
    assert problem.message == "empty CSV file: a header line is needed"


def test_all_problems_of_a_store_are_reported_together(tmp_path: Path) -> None:
    items = (
        "sku,name,group,vat,price,unit,barcodes\n"
        "B1,Biscuits,candy,10,1.90,pz,96385074\n"  # unknown group
        "B2,Flour,food,4,0.99,kg,96385075\n"  # bad EAN check digit
        "B1,Biscuits again,sweets,10,2.00,pz,\n"  # duplicate SKU
        "B3,Wine,food,21,7.00,pz,\n"  # unknown VAT code
    )
    customers = CUSTOMERS.replace("    vat_number: IT01234567897\n", "")  # business, no VAT no.
    problems = store_problems(write_store(tmp_path, items_csv=items, customers_yaml=customers))
    assert located(problems) == {
        ("items.csv", 4, 1): "SKU B1 is defined twice",
        ("items.csv", 2, 3): "unknown item group 'candy'",
        ("items.csv", 3, 7): "barcode 96385075 has a wrong EAN check digit",
        ("items.csv", 5, 4): f"VAT rate '21' is not in pack it ({IT_RATES})",
        ("customers.yaml", 9, 5): "a business customer needs a vat_number",
    }


def test_a_yaml_syntax_error_does_not_hide_the_problems_of_other_files(tmp_path: Path) -> None:
    customers = CUSTOMERS.replace("    vat_number: IT01234567897\n", "")
    folder = write_store(tmp_path, catalog_yaml=CATALOG + "oops: [\n", customers_yaml=customers)
    messages = [p.message for p in store_problems(folder)]
    assert any(m.startswith("YAML syntax error") for m in messages)
    assert "a business customer needs a vat_number" in messages


# --- lots -----------------------------------------------------------------------------------


def catalog_with_lamp(lots: str) -> str:
    """The small catalog and, from line 17, a lamp whose lots (from line 24) are `lots`."""
    lamp = (
        '  - sku: L1\n    name: Lamp\n    group: food\n    vat: "22"\n    price: 30\n'
        "    unit: pz\n    lots:\n"
    )
    return CATALOG.replace("price_lists:\n", lamp + lots + "price_lists:\n")


def lamp_problems(tmp_path: Path, lots: str) -> dict[tuple[str, int, int], str]:
    return located(store_problems(write_store(tmp_path, catalog_yaml=catalog_with_lamp(lots))))


def test_an_items_lots_load_with_their_properties_and_eans(tmp_path: Path) -> None:
    lots = (
        '      - {code: L1-W, properties: {Colore: Bianco, Watt: 40}, ean: "5901234123457"}\n'
        "      - {code: L1-B, properties: {Colore: Nero, Watt: 40}}\n"
    )
    store = load_store(write_store(tmp_path, catalog_yaml=catalog_with_lamp(lots)))
    lamp = store.catalog.items["L1"]
    assert [(lot.code, lot.properties, lot.ean) for lot in lamp.lots] == [
        ("L1-W", (("Colore", "Bianco"), ("Watt", "40")), "5901234123457"),
        ("L1-B", (("Colore", "Nero"), ("Watt", "40")), None),
    ]
    assert store.catalog.lookup("5901234123457") == (lamp, lamp.lots[0])


def test_a_lot_ean_used_twice_is_reported_at_the_second_lot(tmp_path: Path) -> None:
    lots = (
        '      - {code: L1-W, properties: {Colore: Bianco}, ean: "5901234123457"}\n'
        '      - {code: L1-B, properties: {Colore: Nero}, ean: "5901234123457"}\n'
    )
    assert lamp_problems(tmp_path, lots) == {
        ("catalog.yaml", 25, 55): "EAN 5901234123457 already belongs to L1 lot L1-W"
    }


def test_a_lot_ean_of_another_item_is_reported(tmp_path: Path) -> None:
    lots = '      - {code: L1-W, properties: {Colore: Bianco}, ean: "4006381333931"}\n'
    assert lamp_problems(tmp_path, lots) == {
        ("catalog.yaml", 24, 57): "EAN 4006381333931 already belongs to A1"
    }


def test_a_lot_ean_with_a_wrong_check_digit_is_reported(tmp_path: Path) -> None:
    lots = '      - {code: L1-W, properties: {Colore: Bianco}, ean: "5901234123458"}\n'
    assert lamp_problems(tmp_path, lots) == {
        ("catalog.yaml", 24, 57): "EAN 5901234123458 has a wrong check digit"
    }


def test_a_property_value_that_is_a_list_is_reported_at_the_value(tmp_path: Path) -> None:
    lots = "      - {code: L1-W, properties: {Colore: [Bianco, Nero]}}\n"
    problems = lamp_problems(tmp_path, lots)
    assert problems[("catalog.yaml", 24, 43)] == (
        "['Bianco', 'Nero'] is not of type 'string', 'integer'"
    )


def test_properties_that_are_not_a_mapping_are_reported(tmp_path: Path) -> None:
    problems = lamp_problems(tmp_path, "      - {code: L1-W, properties: Bianco}\n")
    assert problems[("catalog.yaml", 24, 34)] == "'Bianco' is not of type 'object'"


def test_every_lot_of_an_item_names_the_same_properties(tmp_path: Path) -> None:
    lots = (
        "      - {code: L1-W, properties: {Colore: Bianco, Taglia: M}}\n"
        "      - {code: L1-B, properties: {Colore: Nero}}\n"
    )
    assert lamp_problems(tmp_path, lots) == {
        ("catalog.yaml", 25, 34): (
            "lot L1-B has the properties Colore; every lot of L1 needs Colore, Taglia"
        )
    }


def test_two_lots_with_the_same_values_are_reported(tmp_path: Path) -> None:
    lots = (
        "      - {code: L1-W, properties: {Colore: Bianco}}\n"
        "      - {code: L1-X, properties: {Colore: Bianco}}\n"
    )
    assert lamp_problems(tmp_path, lots) == {
        ("catalog.yaml", 25, 34): "lots L1-W and L1-X both have Colore: Bianco"
    }


def test_a_lot_code_that_is_an_sku_is_reported(tmp_path: Path) -> None:
    lots = "      - {code: A1, properties: {Colore: Bianco}}\n"
    assert lamp_problems(tmp_path, lots) == {("catalog.yaml", 24, 16): "lot code A1 is also an SKU"}


def test_a_csv_row_holds_no_lots(tmp_path: Path) -> None:
    """A lot is a list of property mappings: lots are declared in a YAML catalog."""
    items = "sku,name,group,vat,price,unit,lots\nB1,Biscuits,sweets,10,1.90,pz,B1-X\n"
    (problem,) = store_problems(write_store(tmp_path, items_csv=items))
    assert (problem.line, problem.column, problem.pointer) == (2, 7, "/items/0/lots")


# --- read_csv ---------------------------------------------------------------------------------


def test_read_csv_skips_blank_rows_and_keeps_cell_positions(tmp_path: Path) -> None:
    file = tmp_path / "items.csv"
    file.write_text(
        "\ufeffsku, name ,barcodes,discountable\n"
        "A, Apple ,96385074|4006381333931,Sì\n"
        ",,,\n"
        "B,Bread,,no\n",
        encoding="utf-8",
    )
    document = read_csv(file, "Catalog", "items")
    assert document.data["items"] == [
        {
            "sku": "A",
            "name": "Apple",
            "barcodes": ["96385074", "4006381333931"],
            "discountable": True,
        },
        {"sku": "B", "name": "Bread", "discountable": False},
    ]
    assert document.mark("/items/1/name") == (4, 2)
    assert document.mark("/items/1") == (4, 1)
    assert document.data["kind"] == "Catalog"


# --- a CSV file is read within bounds ---------------------------------------------------------


def csv_refusal(file: Path) -> str:
    with pytest.raises(DataFileError) as raised:
        read_csv(file, "Catalog", "items")
    (problem,) = raised.value.problems
    return str(problem)


def test_a_named_pipe_given_as_a_csv_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "items.csv"
    os.mkfifo(pipe)
    assert csv_refusal(pipe) == f"{pipe}:1:1: /: cannot read it: a regular file is needed"


def test_a_csv_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storefiles, "MAX_CSV_BYTES", 1024 * 1024)
    file = tmp_path / "items.csv"
    file.write_text(ITEMS_CSV + "B3,Bread,food,4,1.00,pz,\n" * 50_000, encoding="utf-8")
    assert csv_refusal(file) == f"{file}:1:1: /: file is larger than 1 MiB: it is not read"


def test_a_csv_with_more_rows_than_the_limit_is_refused_at_the_first_row_too_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storefiles, "MAX_CSV_ROWS", 2)
    file = tmp_path / "items.csv"
    file.write_text(ITEMS_CSV + "B3,Bread,food,4,1.00,pz,\n", encoding="utf-8")
    assert csv_refusal(file) == f"{file}:4:1: /: more than 2 rows: split the file"


def test_a_file_without_line_breaks_is_refused_at_its_first_long_line(tmp_path: Path) -> None:
    file = tmp_path / "items.csv"
    file.write_text(ITEMS_CSV + "x" * (storefiles.MAX_CSV_LINE + 10), encoding="utf-8")
    assert csv_refusal(file) == (
        f"{file}:4:1: /: a line longer than 65,536 characters: is this a CSV file?"
    )


def test_a_cell_beyond_the_csv_limit_is_refused_at_its_row_not_a_traceback(
    tmp_path: Path,
) -> None:
    file = tmp_path / "items.csv"
    endless = '"' + ("x" * 1000 + "\n") * 200  # a quote never closed: one cell of 200 lines
    file.write_text(ITEMS_CSV + "B3," + endless, encoding="utf-8")
    refusal = csv_refusal(file)
    assert refusal.startswith(f"{file}:")
    assert "the row cannot be read: field larger than field limit" in refusal


def test_a_byte_order_mark_before_the_csv_header_changes_nothing(tmp_path: Path) -> None:
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    plain.write_text(ITEMS_CSV, encoding="utf-8")
    marked.write_bytes(b"\xef\xbb\xbf" + ITEMS_CSV.encode())
    assert read_csv(marked, "Catalog", "items").data == read_csv(plain, "Catalog", "items").data
