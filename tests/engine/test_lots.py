"""Lots (seed: Selezione della proprietà/lotto): an item's combinations of property values,
sold by their own EAN or code, changed on a line by their values, stored, exported and
taken back as sold. The demo's night lamp comes in Bianco, Nero, Beige and Albicocca."""

from __future__ import annotations

from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator
from staffing import DEMO_STAFF, logged_in

from cassa.engine.catalog import CatalogData, Item, Lot
from cassa.engine.documents import DocumentStatus
from cassa.engine.errors import CassaError, DocumentStateError, InvalidInput, NotFound
from cassa.engine.export import document_json
from cassa.engine.lines import pricing_line
from cassa.engine.pricing.facts import line_attributes
from cassa.engine.rules.conditions import LINE_ATTRIBUTES, AttrType
from cassa.engine.schemas import load_schema
from cassa.engine.storage.catalog_service import CatalogService
from cassa.engine.storage.db import Database
from cassa.engine.storefiles import StoreData
from cassa.engine.till import Till
from cassa.engine.units import ItemUnits, Unit

LAMP = "LAMP-NIGHT"
WHITE_EAN = "8001234000219"
BEIGE = (("Colore", "Beige"),)
PZ = ItemUnits(Unit("pz"))


def shirt(*lots: Lot) -> Item:
    return Item("SHIRT", "Camicia", "fashion", "22", Decimal("39.00"), PZ, lots=lots)


def lot(code: str, colour: str, size: str, ean: str | None = None) -> Lot:
    return Lot(code, (("Colore", colour), ("Taglia", size)), ean)


CHOCOLATE = Item(
    "CHOC", "Cioccolato", "sweets", "10", Decimal("1.90"), PZ, barcodes=("8001234000011",)
)
SHIRTS = (
    lot("SHIRT-W-M", "Bianco", "M", "4006381333931"),
    lot("SHIRT-W-L", "Bianco", "L"),
    lot("SHIRT-B-M", "Blu", "M"),
)


# -- the catalog ------------------------------------------------------------------------


def test_a_lots_ean_and_code_find_the_item_with_that_lot() -> None:
    catalog = CatalogData()
    catalog.add_item(shirt(*SHIRTS))
    assert catalog.lookup("4006381333931") == (catalog.items["SHIRT"], SHIRTS[0])
    assert catalog.lookup("SHIRT-B-M") == (catalog.items["SHIRT"], SHIRTS[2])
    assert catalog.lookup("SHIRT") == (catalog.items["SHIRT"], None)
    assert catalog.find("SHIRT-W-L").sku == "SHIRT"


def test_the_item_list_shows_each_lot_as_an_entry_of_its_own() -> None:
    catalog = CatalogData()
    catalog.add_item(shirt(*SHIRTS))
    assert [entry_lot for _, entry_lot in catalog.search("camicia").entries] == list(SHIRTS)
    assert [entry_lot for _, entry_lot in catalog.search("blu").entries] == [SHIRTS[2]]
    assert catalog.search("blu").items == [catalog.items["SHIRT"]]


def test_an_items_properties_list_their_values_in_the_catalogs_order() -> None:
    assert shirt(*SHIRTS).properties == (("Colore", ("Bianco", "Blu")), ("Taglia", ("M", "L")))


def test_chosen_values_pick_the_one_lot_having_them_all() -> None:
    item = shirt(*SHIRTS)
    assert item.lot_matching({"Colore": "Blu"}) is SHIRTS[2]  # the only blue one
    assert item.lot_matching({"Colore": "Bianco", "Taglia": "L"}) is SHIRTS[1]


CHOICE_REFUSALS = [
    ({"Colore": "Bianco"}, "several lots of Camicia match: choose Taglia too"),
    ({"Colore": "Blu", "Taglia": "L"}, "no lot of Camicia has Colore Blu, Taglia L"),
    ({"Colore": "Viola"}, "Camicia has no Colore 'Viola' \\(Bianco, Blu\\)"),
    ({"Materiale": "Lino"}, "Camicia has no property 'Materiale'"),
    ({}, "choose a value of Colore, Taglia for Camicia"),
]


@pytest.mark.parametrize(
    ("chosen", "message"), CHOICE_REFUSALS, ids=[m for _, m in CHOICE_REFUSALS]
)
def test_values_matching_no_single_lot_are_refused_saying_why(
    chosen: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        shirt(*SHIRTS).lot_matching(chosen)


CATALOG_REFUSALS = [
    ((lot("S1", "Bianco", "M"), Lot("S2", (("Colore", "Blu"),))), "every lot of SHIRT needs"),
    ((lot("S1", "Bianco", "M"), lot("S2", "Bianco", "M")), "lots S1 and S2 both have"),
    ((lot("S1", "Bianco", "M", "4006381333932"),), "not a valid EAN"),
    ((lot("S1", "Bianco", "M", "8001234000011"),), "belongs to both CHOC and SHIRT"),
    ((lot("CHOC", "Bianco", "M"),), "lot code CHOC of SHIRT is already in use"),
]


@pytest.mark.parametrize(
    ("lots", "message"), CATALOG_REFUSALS, ids=[m for _, m in CATALOG_REFUSALS]
)
def test_the_catalog_refuses_inconsistent_lots(lots: tuple[Lot, ...], message: str) -> None:
    catalog = CatalogData()
    catalog.add_item(CHOCOLATE)
    with pytest.raises(InvalidInput, match=message):
        catalog.add_item(shirt(*lots))
    assert "SHIRT" not in catalog.items


def test_lots_are_stored_with_the_catalog_and_read_back(
    database: Database, demo_store: StoreData, till: Till
) -> None:
    lamp = CatalogService(database).item(LAMP)
    assert lamp is not None
    assert lamp.lots == demo_store.catalog.items[LAMP].lots
    assert [(lt.code, lt.values, lt.ean) for lt in lamp.lots] == [
        ("LAMP-NIGHT-BIANCO", "Bianco", WHITE_EAN),
        ("LAMP-NIGHT-NERO", "Nero", "8001234000226"),
        ("LAMP-NIGHT-BEIGE", "Beige", "8001234000233"),
        ("LAMP-NIGHT-ALBICOCCA", "Albicocca", "8001234000240"),
    ]


def test_the_tills_item_list_finds_a_lot_by_its_value(till: Till) -> None:
    (entry,) = till.catalog.search("beige").entries
    assert (entry[0].sku, entry[1] and entry[1].code) == (LAMP, "LAMP-NIGHT-BEIGE")
    assert [lot and lot.code for _, lot in till.catalog.search("lampada").entries] == [
        "LAMP-NIGHT-BIANCO",
        "LAMP-NIGHT-NERO",
        "LAMP-NIGHT-BEIGE",
        "LAMP-NIGHT-ALBICOCCA",
    ]


# -- the till ---------------------------------------------------------------------------


def test_scanning_a_lots_ean_sells_the_item_from_that_lot(till: Till) -> None:
    line = till.scan(WHITE_EAN, 3)
    assert (line.sku, line.name, line.quantity) == (LAMP, "Lampada da notte", 3)
    assert (line.lot, line.lot_properties) == ("LAMP-NIGHT-BIANCO", (("Colore", "Bianco"),))


def test_typing_a_lots_code_sells_the_item_from_that_lot(till: Till) -> None:
    assert till.scan("LAMP-NIGHT-NERO").lot == "LAMP-NIGHT-NERO"


def test_the_items_own_code_sells_it_without_a_lot(till: Till) -> None:
    for code in (LAMP, "8001234000202"):
        line = till.scan(code)
        assert (line.lot, line.lot_properties) == (None, ())


def test_the_seeds_lamp_changes_from_bianco_to_beige_at_the_same_price(till: Till) -> None:
    till.scan(WHITE_EAN, 3)
    before = till.totals().total
    line = till.choose_properties(1, {"Colore": "Beige"})
    assert (line.lot, line.lot_properties, line.quantity) == ("LAMP-NIGHT-BEIGE", BEIGE, 3)
    assert line.list_price == Decimal("34.90")
    assert till.totals().total == before == Decimal("104.70")


def test_a_lot_is_also_chosen_by_its_code(till: Till) -> None:
    till.scan(LAMP)
    assert till.set_lot(1, "LAMP-NIGHT-ALBICOCCA").lot_properties == (("Colore", "Albicocca"),)


LINE_REFUSALS = [
    ("choose_properties", (1, {"Colore": "Viola"}), "Lampada da notte has no Colore 'Viola'"),
    ("choose_properties", (1, {"Taglia": "M"}), "has no property 'Taglia'"),
    ("choose_properties", (2, {"Colore": "Beige"}), "Cioccolato al latte .* has no properties"),
    ("set_lot", (1, "LAMP-NIGHT-VERDE"), "has no lot 'LAMP-NIGHT-VERDE'"),
    ("set_lot", (2, "LAMP-NIGHT-BEIGE"), "Cioccolato al latte .* has no lots to choose from"),
    ("set_lot", (3, "LAMP-NIGHT-BEIGE"), "Riparazione is not in the catalog"),
    ("set_lot", (4, "LAMP-NIGHT-BEIGE"), "there is no line 4"),
]


@pytest.mark.parametrize(
    ("command", "args", "message"), LINE_REFUSALS, ids=[r[2] for r in LINE_REFUSALS]
)
def test_a_refused_choice_changes_neither_the_line_nor_the_database(
    till: Till, command: str, args: tuple[object, ...], message: str
) -> None:
    till.scan(WHITE_EAN)
    till.scan("CHOC-MILK")
    till.add_non_coded("Riparazione", "5.00", "22")
    before = list(till.document().lines)
    with pytest.raises(CassaError, match=message):
        getattr(till, command)(*args)
    assert till.document().lines == before
    assert till.documents.load(till.document().id).lines == before


def test_an_approved_documents_lot_cannot_be_changed(till: Till) -> None:
    till.scan(WHITE_EAN)
    till.approve()
    with pytest.raises(DocumentStateError, match="is approved and cannot be changed"):
        till.choose_properties(1, {"Colore": "Beige"})


def test_the_lot_is_stored_with_the_line_and_read_back_after_a_restart(
    till: Till, database: Database
) -> None:
    till.scan(WHITE_EAN, 3)
    till.choose_properties(1, {"Colore": "Beige"})
    approved = till.approve()
    restarted = Till.open(database, credentials=DEMO_STAFF["anna"], clock=till.clock)
    stored = restarted.documents.load(approved.id)
    assert stored.status is DocumentStatus.APPROVED
    assert [(ln.lot, ln.lot_properties) for ln in stored.lines] == [("LAMP-NIGHT-BEIGE", BEIGE)]


def test_the_document_json_names_each_lines_lot(till: Till) -> None:
    till.scan("LAMP-NIGHT-BEIGE")
    till.scan("CHOC-MILK")
    approved = till.approve()
    data = document_json(approved, approved.totals(till.currency), till.currency)
    Draft202012Validator(load_schema("document")).validate(data)
    assert [line["lot"] for line in data["lines"]] == [
        {"code": "LAMP-NIGHT-BEIGE", "properties": {"Colore": "Beige"}},
        None,
    ]


def test_rules_see_the_lines_lot(till: Till) -> None:
    line = till.scan("LAMP-NIGHT-BEIGE")
    attributes = line_attributes(pricing_line(line, till.catalog), line.base_quantity)
    assert attributes["line.lot"] == "LAMP-NIGHT-BEIGE"
    assert LINE_ATTRIBUTES["line.lot"] is AttrType.STRING


def test_a_return_takes_the_lot_back_as_sold(till: Till) -> None:
    logged_in(till, till.operator, "manager")  # returns need make_return
    till.scan("LAMP-NIGHT-BEIGE", 2)
    window = till.checkout()
    window.add("cash", window.due("cash"))
    receipt = window.approve().document
    till.returns.start(receipt.number or "")
    taken = till.returns.take(1, 1)
    assert (taken.lot, taken.lot_properties, taken.quantity) == ("LAMP-NIGHT-BEIGE", BEIGE, -1)


def test_an_unknown_lot_code_is_not_an_item(till: Till) -> None:
    with pytest.raises(NotFound, match="no item with barcode or SKU 'LAMP-NIGHT-VERDE'"):
        till.scan("LAMP-NIGHT-VERDE")
