"""The pack's ViewLayout kind, the till's words in both languages, the keypad's arithmetic."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from cassa.engine.errors import InvalidInput
from cassa.engine.yamlsource import DataFileError
from cassa.ui import i18n
from cassa.ui.keypad import parse_number, press
from cassa.ui.layout import DEFAULT_LAYOUT, Aggregate, load_view_layout

ROOT = Path(__file__).resolve().parents[2]
DEMO_PACK = ROOT / "examples" / "demo" / "pack"
TENDERS = {"cash", "card", "voucher", "giftcard", "bank_transfer", "cheque", "meal", "social"}


def test_the_demo_layout_groups_by_item_group_with_sums() -> None:
    layout = load_view_layout(DEMO_PACK, TENDERS | {"sodexo"})
    assert layout.sale.group_by == "item_group"
    assert layout.sale.aggregates == (Aggregate("quantity", "sum"), Aggregate("value", "sum"))
    assert "list_price" in layout.sale.columns
    assert layout.payment.tenders is not None
    assert layout.payment.tenders[:2] == ("cash", "card")
    assert layout.sources == (str(DEMO_PACK / "view-layout.yaml"),)


def test_a_pack_without_a_layout_gets_the_seeds_defaults() -> None:
    layout = load_view_layout(ROOT / "cassa" / "rules" / "it")
    assert layout.sale == DEFAULT_LAYOUT.sale
    assert "list_price" not in layout.sale.columns  # seed: hidden by default
    assert layout.sale.group_by == "none"
    assert not layout.payment.undo  # seed: [Annulla] hidden by default


def _pack_with(tmp_path: Path, text: str) -> Path:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("apiVersion: cassa/v1\nkind: Pack\nname: p\nextends: it\n")
    (pack / "view.yaml").write_text(text)
    return pack


def test_aggregating_a_hidden_column_is_refused_with_its_place(tmp_path: Path) -> None:
    pack = _pack_with(
        tmp_path,
        "apiVersion: cassa/v1\nkind: ViewLayout\nsale:\n"
        "  columns: [name, value]\n"
        "  aggregates: [{column: quantity, function: sum}]\n",
    )
    with pytest.raises(DataFileError) as caught:
        load_view_layout(pack)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{pack / 'view.yaml'}:5:")
    assert "/sale/aggregates/0/column" in str(problem)
    assert "column quantity is not visible" in str(problem)


def test_unknown_columns_tiles_and_tenders_are_refused(tmp_path: Path) -> None:
    pack = _pack_with(
        tmp_path,
        "apiVersion: cassa/v1\nkind: ViewLayout\nsale:\n  columns: [name, colour]\n"
        "payment:\n  tenders: [cash, bitcoin]\n",
    )
    with pytest.raises(DataFileError) as caught:
        load_view_layout(pack, {"cash"})
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "/sale/columns/1" in text
    shutil.rmtree(pack)
    pack = _pack_with(
        tmp_path, "apiVersion: cassa/v1\nkind: ViewLayout\npayment:\n  tenders: [cash, bitcoin]\n"
    )
    with pytest.raises(DataFileError, match="unknown tender 'bitcoin'"):
        load_view_layout(pack, {"cash"})


def test_a_later_pack_replaces_only_the_fields_it_gives(tmp_path: Path) -> None:
    pack = tmp_path / "store"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Pack\nname: store\nextends: {DEMO_PACK}\n"
    )
    (pack / "view.yaml").write_text(
        "apiVersion: cassa/v1\nkind: ViewLayout\nsale:\n  group_by: none\n"
    )
    layout = load_view_layout(pack, TENDERS | {"sodexo"})
    assert layout.sale.group_by == "none"
    assert "list_price" in layout.sale.columns  # from the demo pack
    assert layout.payment.undo


def test_function_keys_are_declared_in_the_layout_and_a_later_pack_replaces_them(
    tmp_path: Path,
) -> None:
    demo = load_view_layout(DEMO_PACK, TENDERS | {"sodexo"})
    assert demo.keys["F5"] == "park"
    assert demo.keys["F12"] == "approve"
    pack = tmp_path / "store"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        f"apiVersion: cassa/v1\nkind: Pack\nname: store\nextends: {DEMO_PACK}\n"
    )
    (pack / "view.yaml").write_text(
        "apiVersion: cassa/v1\nkind: ViewLayout\nshortcuts:\n  F7: discard\n"
    )
    assert load_view_layout(pack, TENDERS | {"sodexo"}).keys == {"F7": "discard"}


def test_a_layout_says_whether_a_repeated_scan_adds_to_its_line(tmp_path: Path) -> None:
    assert DEFAULT_LAYOUT.sale.repeat_scan == "new_line"
    pack = _pack_with(
        tmp_path, "apiVersion: cassa/v1\nkind: ViewLayout\nsale:\n  repeat_scan: add_quantity\n"
    )
    assert load_view_layout(pack).sale.repeat_scan == "add_quantity"
    shutil.rmtree(pack)
    pack = _pack_with(
        tmp_path, "apiVersion: cassa/v1\nkind: ViewLayout\nsale:\n  repeat_scan: merge\n"
    )
    with pytest.raises(DataFileError, match="/sale/repeat_scan"):
        load_view_layout(pack)


def test_a_function_key_that_is_not_one_or_runs_no_tile_is_refused(tmp_path: Path) -> None:
    pack = _pack_with(
        tmp_path,
        "apiVersion: cassa/v1\nkind: ViewLayout\nshortcuts:\n  F13: park\n  F2: fly\n",
    )
    with pytest.raises(DataFileError) as caught:
        load_view_layout(pack)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "/shortcuts" in text
    assert "F13" in text
    assert "/shortcuts/F2" in text


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_word_exists_in_every_language(locale: str) -> None:
    # the tests are strict: a word missing from a catalog raises instead of showing English
    for key in i18n.TEXTS:
        assert i18n.text(locale, key)
    for name in i18n.PERMISSIONS:
        assert i18n.permission(locale, name)


def test_every_word_the_views_use_is_known() -> None:
    import re

    used: set[str] = set()
    for file in (ROOT / "cassa" / "ui").rglob("*.py"):
        used |= set(re.findall(r"\bt\(['\"]([a-z_]+)['\"]", file.read_text()))
    assert used - set(i18n.TEXTS) == set()
    from cassa.ui.layout import COLUMNS, TILES

    for name in TILES:
        assert f"tile_{name}" in i18n.TEXTS
    for name in COLUMNS:
        assert f"column_{name}" in i18n.TEXTS


def test_number_formats() -> None:
    assert i18n.money(Decimal("1234.5"), "it") == "1.234,50"
    assert i18n.money(Decimal("1234.5"), "en") == "1,234.50"
    assert i18n.number(Decimal("4.7"), "it", 3) == "4,700"
    assert i18n.number(Decimal("2.5"), "it", 0) == "3"
    assert i18n.moment(datetime(2026, 7, 5, 10, 30, tzinfo=UTC), "it") == "05/07/2026, 10:30"
    assert i18n.text("en", "aggregate_sum", column="Value") == "Value total"
    assert i18n.engine_message("it", "wrong username or password") == "Utente o password errati"
    assert i18n.engine_message("en", "wrong username or password") == "wrong username or password"


@pytest.mark.parametrize(
    ("text", "key", "result"),
    [
        ("", "1", "1"),
        ("12", "back", "1"),
        ("12", "clear", ""),
        ("12", ",", "12,"),
        ("12,", ",", "12,"),
        ("", ",", "0,"),
        ("1", "00", "100"),
        ("1", "x", "1"),
    ],
)
def test_keypad_keys(text: str, key: str, result: str) -> None:
    assert press(text, key) == result


def test_numbers_typed_with_a_comma_or_a_point() -> None:
    assert parse_number("12,50") == Decimal("12.50")
    assert parse_number("1.234,50") == Decimal("1234.50")
    assert parse_number("12.5") == Decimal("12.5")
    with pytest.raises(InvalidInput, match="must be a number"):
        parse_number("12a")
    with pytest.raises(InvalidInput):
        parse_number("NaN")
