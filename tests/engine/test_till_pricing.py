"""The till prices through the rule pack after every change, and keeps what was entered."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from staffing import DEMO_STAFF

from cassa.engine.errors import InvalidInput, PermissionDenied
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till
from cassa.engine.yamlsource import DataFileError

ROOT = Path(__file__).resolve().parents[2]


def rules_of(till: Till, position: int) -> list[str]:
    return sorted({a.source for a in till.document().lines[position - 1].adjustments})


def test_changing_a_quantity_re_prices_the_line(till: Till) -> None:
    till.scan("NOTEBOOK-A5", 2)
    assert rules_of(till, 1) == []
    till.set_quantity(1, 3)
    assert rules_of(till, 1) == ["notebooks-3-for-less"]
    till.set_quantity(1, 2)
    assert rules_of(till, 1) == []


def test_what_the_screen_shows_is_what_is_stored(till: Till) -> None:
    till.scan("NOTEBOOK-A5", 3)
    till.scan("CHOC-MILK")
    till.present_loyalty_card("4000123400017")
    stored = till.documents.load(till.document().id)
    assert stored.lines == till.document().lines
    assert stored.inputs == till.document().inputs


def test_a_parked_receipt_resumes_with_its_coupons_and_discounts(
    till: Till, database: Database
) -> None:
    till.scan("BAG-TOTE")
    till.enter_coupon("WELCOME-5A7Q")
    till.discount_document(percent=5)
    parked = till.park()
    restarted = Till.open(database, credentials=DEMO_STAFF["anna"], clock=till.clock)
    resumed = restarted.resume(parked.id)
    assert resumed.inputs.coupons == ("WELCOME-5A7Q",)
    assert resumed.totals(restarted.currency).total == Decimal("22.47")
    restarted.scan("NOTEBOOK-A5")
    assert sorted({a.source for a in restarted.document().lines[0].adjustments}) == [
        "fashion-welcome-5",
        "operator:anna",
    ]


def test_a_single_use_coupon_is_used_up_by_the_first_approved_receipt(
    till: Till, database: Database
) -> None:
    other = Till.open(database, till="T02", credentials=DEMO_STAFF["marco"], clock=till.clock)
    other.open_day(0)
    for each in (till, other):
        each.scan("BAG-TOTE")
        each.enter_coupon("WELCOME-5A7Q")
    till.approve()
    with pytest.raises(InvalidInput, match="has already been used"):
        other.approve()
    assert other.document().status.value == "draft"
    other.remove_coupon("WELCOME-5A7Q")
    assert other.approve().number == "S/T02/2026/000001"


def test_a_coupon_whose_promotion_gave_nothing_is_not_used_up(till: Till) -> None:
    till.scan("NOTEBOOK-A5")
    till.enter_coupon("WELCOME-5A7Q")
    till.approve()
    till.scan("BAG-TOTE")
    till.enter_coupon("WELCOME-5A7Q")
    assert rules_of(till, 1) == ["fashion-welcome-5"]


def test_an_unknown_or_repeated_coupon_is_refused(till: Till) -> None:
    till.scan("BAG-TOTE")
    with pytest.raises(InvalidInput, match="no coupon with code NOPE"):
        till.enter_coupon("NOPE")
    till.enter_coupon("WELCOME-5A7Q")
    with pytest.raises(InvalidInput, match="already on this document"):
        till.enter_coupon("WELCOME-5A7Q")


def test_a_manual_promotion_needs_its_permission(database: Database, till: Till) -> None:
    cashier = till  # anna, a cashier
    cashier.scan("BAG-TOTE")
    with pytest.raises(PermissionDenied, match="needs the permission staff_discount"):
        cashier.pick_manual_promotion("staff-20")
    assert cashier.manual_promotions() == [("staff-20", "Sconto personale -20%", True)]
    manager = Till.open(database, till="T02", credentials=DEMO_STAFF["lucia"], clock=till.clock)
    manager.open_day(0)
    manager.scan("BAG-TOTE")
    manager.pick_manual_promotion("staff-20")
    assert manager.totals().total == Decimal("19.92")


def test_changing_the_customer_drops_the_manual_promotions(database: Database, till: Till) -> None:
    manager = Till.open(database, credentials=DEMO_STAFF["lucia"], clock=till.clock)
    manager.scan("BAG-TOTE")
    manager.pick_manual_promotion("staff-20")
    manager.set_customer("C0001")
    assert manager.document().inputs.manual == ()
    assert manager.totals().total == Decimal("24.90")


def store_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(ROOT / "examples" / "demo", folder)
    return folder


def test_a_broken_pack_never_replaces_the_pack_in_force(tmp_path: Path, database: Database) -> None:
    folder = store_copy(tmp_path)
    import_store(database, load_store(folder))
    till = Till.open(database)
    till.open_day(0)
    till.scan("NOTEBOOK-A5", 3)
    rules = folder / "pack" / "promotions.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("percent: 10}}]", "percent: ten}}]"))
    with pytest.raises(DataFileError, match=r"promotions\.yaml"):
        till.reload_rules()
    assert [p.id for p in till.pack.promotions if p.id == "notebooks-3-for-less"]
    till.scan("NOTEBOOK-A5", 3)
    assert rules_of(till, 2) == ["notebooks-3-for-less"]


def test_a_fixed_pack_is_taken_into_use_and_re_prices_the_open_sale(
    tmp_path: Path, database: Database
) -> None:
    folder = store_copy(tmp_path)
    import_store(database, load_store(folder))
    till = Till.open(database)
    till.open_day(0)
    till.scan("NOTEBOOK-A5", 3)
    rules = folder / "pack" / "promotions.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("min_quantity: 3", "min_quantity: 4")
    )
    till.reload_rules()
    assert rules_of(till, 1) == []
