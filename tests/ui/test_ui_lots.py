"""Lots at the sale screen (seed: Selezione della proprietà/lotto): the item list shows each
lot as an entry, the line's details show its properties and [Seleziona proprietà], whose
window offers each property's values; [Pulisci] clears them and [Seleziona] changes the lot."""

from __future__ import annotations

import flet as ft
from ui_support import texts

from cassa.ui.app import TillApp
from cassa.ui.sale import LineDetail, LineRow
from cassa.ui.views.dialogs import current_dialog
from cassa.ui.views.sale import _detail

COLOURS = ("Bianco", "Nero", "Beige", "Albicocca")


def lines(app: TillApp) -> list[LineRow]:
    return [r for r in app.sale.rows if isinstance(r, LineRow)]


def detail(app: TillApp) -> LineDetail:
    found = app.sale.detail()
    assert found is not None, "no line is selected"
    return found


def spans(control: object) -> list[str]:
    """The words a view shows in rich text (beside a text's own value)."""
    found = [span.text.strip() for span in getattr(control, "spans", None) or () if span.text]
    for child in (getattr(control, "content", None), *getattr(control, "controls", ())):
        if isinstance(child, ft.Control):
            found += spans(child)
    return found


def buttons(control: object) -> list[str]:
    """The words of every button a view shows (a button's content is its text)."""
    content = getattr(control, "content", None)
    found = [content] if isinstance(control, ft.Button) and isinstance(content, str) else []
    for child in (content, *getattr(control, "controls", ())):
        if isinstance(child, ft.Control):
            found += buttons(child)
    return found


def test_the_seeds_night_lamp_changes_from_bianco_to_beige(selling: TillApp) -> None:
    sale = selling.sale
    assert sale.submit_entry("3*8001234000219")  # three lamps, the lot Colore Bianco
    white = detail(selling)
    assert (white.properties, white.ean) == ((("Colore", "Bianco"),), "8001234000219")
    assert sale.open_properties()
    assert sale.dialog == "properties"
    choice = sale.property_choice()
    assert choice is not None
    assert (choice.name, choice.item_type, choice.vat_rate) == ("Lampada da notte", "Merce", "22%")
    ((name, chips),) = choice.properties
    assert name == "Colore"
    assert [(value, chosen) for value, chosen, _ in chips] == [
        ("Bianco", True),
        ("Nero", False),
        ("Beige", False),
        ("Albicocca", False),
    ]
    sale.pick_property("Colore", "Beige")
    assert sale.select_properties()
    assert sale.dialog is None
    (row,) = lines(selling)
    assert (row.name, row.lot, row.quantity, row.value) == (
        "Lampada da notte",
        "Beige",
        "3",
        "104,70",
    )
    beige = detail(selling)
    assert (beige.properties, beige.ean) == ((("Colore", "Beige"),), "8001234000233")


def test_clear_empties_the_choice_and_select_then_asks_for_a_value(selling: TillApp) -> None:
    sale = selling.sale
    assert sale.submit_entry("LAMP-NIGHT-NERO")
    assert sale.open_properties()
    sale.clear_properties()
    assert sale.chosen_properties == {}
    assert not sale.select_properties()
    assert selling.notice is not None
    assert "Scegli un valore di Colore" in selling.notice.text
    assert sale.dialog == "properties"  # still open: the cashier picks a colour
    assert lines(selling)[0].lot == "Nero"


def test_an_item_without_lots_offers_no_properties(selling: TillApp) -> None:
    sale = selling.sale
    assert sale.submit_entry("8001234000011")
    assert not detail(selling).has_lots
    assert not sale.open_properties()
    assert sale.dialog is None
    assert selling.notice is not None
    assert "non ha proprietà da scegliere" in selling.notice.text


def test_an_ambiguous_search_lists_each_lot_as_its_own_item(selling: TillApp) -> None:
    sale = selling.sale
    assert sale.submit_entry("lampada")
    assert sale.dialog == "items"
    assert [c.title for c in sale.item_choices()] == [f"Lampada da notte · {c}" for c in COLOURS]
    assert sale.choose_item("LAMP-NIGHT-ALBICOCCA")
    assert lines(selling)[0].lot == "Albicocca"


def test_a_search_for_a_lots_value_sells_that_lot_at_once(selling: TillApp) -> None:
    assert selling.sale.submit_entry("albicocca")
    assert selling.sale.dialog is None
    assert [(r.sku, r.lot) for r in lines(selling)] == [("LAMP-NIGHT", "Albicocca")]


def test_the_items_own_code_sells_it_without_a_lot(selling: TillApp) -> None:
    assert selling.sale.submit_entry("LAMP-NIGHT")
    assert lines(selling)[0].lot == ""
    assert detail(selling).has_lots


def test_the_line_details_show_the_lot_and_the_button(selling: TillApp) -> None:
    selling.set_locale("en")
    selling.sale.submit_entry("8001234000233")
    shown = _detail(selling, selling.sale)
    assert "1. Lampada da notte" in texts(shown)
    assert spans(shown) == ["Colore: Beige"]  # beside the name
    assert "Choose properties" in buttons(shown)


def test_the_line_details_say_when_no_lot_is_chosen(selling: TillApp) -> None:
    selling.sale.submit_entry("LAMP-NIGHT")
    assert spans(_detail(selling, selling.sale)) == ["Nessun lotto scelto"]


def test_an_item_without_lots_shows_no_properties_button(selling: TillApp) -> None:
    selling.sale.submit_entry("8001234000011")
    shown = _detail(selling, selling.sale)
    assert spans(shown) == []
    assert "Seleziona proprietà" not in buttons(shown)


def test_the_properties_window_shows_the_item_and_each_colour(selling: TillApp) -> None:
    sale = selling.sale
    sale.submit_entry("8001234000219")
    sale.open_properties()
    dialog = current_dialog(selling)
    assert isinstance(dialog, ft.AlertDialog)
    assert isinstance(dialog.title, ft.Text)
    assert dialog.title.value == "Seleziona proprietà"
    shown = texts(dialog.content)
    assert "Lampada da notte" in shown
    assert "LAMP-NIGHT  ·  Tipo: Merce  ·  Aliquota IVA: 22%" in shown
    assert all(colour in shown for colour in COLOURS)
    assert [word for button in dialog.actions for word in buttons(button)][-2:] == [
        "Pulisci",
        "Seleziona",
    ]
