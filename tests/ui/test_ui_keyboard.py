"""The physical keyboard and the keyboard-wedge scanner: keys reach the screen's keypad
whatever has the focus, Esc closes a dialog, a failed scan clears the field and sounds."""

from __future__ import annotations

import threading

from ui_support import manager_approves

from cassa.ui.app import Screen, TillApp
from cassa.ui.keyboard import KeyPress, keypad_key
from cassa.ui.sale import KeypadContext, LineRow


def wedge(app: TillApp, code: str) -> None:
    """A scanner: each character's key, then Enter, as the browser reports them."""
    for character in code:
        app.keyboard.press(KeyPress(character))
    app.keyboard.press(KeyPress("Enter"))


def names(app: TillApp) -> list[str]:
    return [r.name for r in app.sale.rows if isinstance(r, LineRow)]


def test_scans_with_no_field_focused_each_sell_their_item(selling: TillApp) -> None:
    wedge(selling, "8001234000011")
    wedge(selling, "8001234000059")
    wedge(selling, "BAG-TOTE")
    assert names(selling) == ["Cioccolato al latte", "Scarpe da corsa 42", "Borsa shopper"]
    assert selling.sale.selected == 3
    assert selling.sale.entry == ""


def test_a_scans_keys_redraw_nothing_only_its_enter_does(selling: TillApp) -> None:
    drawn: list[str] = []
    selling.subscribe(lambda: drawn.append(selling.sale.entry))
    for character in "8001234000011":
        selling.keyboard.press(KeyPress(character))
    assert drawn == []  # thirteen keys, no redraw: the field shows them once they pause
    selling.keyboard.press(KeyPress("Enter"))
    assert names(selling) == ["Cioccolato al latte"]
    assert drawn
    assert set(drawn) == {""}  # every redraw came with the sale, none with a key


def test_a_key_typed_by_hand_shows_once_the_keys_pause(selling: TillApp) -> None:
    shown = threading.Event()
    selling.subscribe(shown.set)
    selling.keyboard.press(KeyPress("B"))
    assert selling.sale.entry == "B"
    assert shown.wait(timeout=30)  # the pause's redraw, not a scan's Enter


def test_keys_typed_into_a_focused_field_are_the_fields_own(selling: TillApp) -> None:
    selling.keyboard.focus(True)
    wedge(selling, "8001234000011")  # the field has them; its Enter submits them itself
    assert names(selling) == []
    assert selling.sale.entry == ""
    selling.keyboard.focus(False)
    wedge(selling, "8001234000011")
    assert names(selling) == ["Cioccolato al latte"]


def test_a_failed_scan_clears_the_entry_signals_and_the_next_scan_stands_alone(
    selling: TillApp,
) -> None:
    wedge(selling, "8001234000012")  # a wrong check digit
    assert selling.sale.entry == ""
    assert selling.sale.scan_failed
    assert selling.alerts == 1
    assert selling.notice is not None
    assert selling.notice.kind == "error"
    wedge(selling, "8001234000059")
    assert names(selling) == ["Scarpe da corsa 42"]
    assert not selling.sale.scan_failed
    assert selling.alerts == 1


def test_a_scan_that_needs_a_manager_is_no_failed_scan(selling: TillApp) -> None:
    wedge(selling, "8001234000127")
    selling.sale.set_context(KeypadContext.LIST_PRICE)
    for key in "100":
        selling.keyboard.press(KeyPress(key))
    selling.keyboard.press(KeyPress("Enter"))
    assert selling.approval.open
    assert selling.alerts == 0
    manager_approves(selling)
    assert selling.sale.totals.total == "100,00"


def test_enter_with_nothing_typed_does_nothing(selling: TillApp) -> None:
    selling.keyboard.press(KeyPress("Enter"))
    assert selling.sale.dialog is None
    assert selling.notice is None


def test_backspace_and_the_numeric_pad_edit_what_is_typed(selling: TillApp) -> None:
    for key in ("Numpad 8", "0", "0", "9", "Backspace"):
        selling.keyboard.press(KeyPress(key))
    assert selling.sale.entry == "800"


def test_keys_with_ctrl_or_alt_type_nothing(selling: TillApp) -> None:
    selling.keyboard.press(KeyPress("A", ctrl=True))
    selling.keyboard.press(KeyPress("V", meta=True))
    assert selling.sale.entry == ""


def test_the_keyboard_types_the_quantity_in_the_quantity_context(selling: TillApp) -> None:
    wedge(selling, "JUICE-APPLE")
    selling.sale.set_context(KeypadContext.QUANTITY)
    for key in ("2", "Numpad Decimal", "5", "Enter"):
        selling.keyboard.press(KeyPress(key))
    assert selling.sale.totals.total_quantity == "2,50"
    assert selling.sale.context is KeypadContext.CODE


def test_with_a_dialog_open_the_keys_do_not_reach_the_sale(selling: TillApp) -> None:
    selling.sale.open_customers()
    wedge(selling, "8001234000011")
    assert names(selling) == []
    selling.keyboard.press(KeyPress("Escape"))
    assert selling.sale.dialog is None


def test_esc_closes_the_managers_approval(selling: TillApp) -> None:
    wedge(selling, "8001234000127")
    selling.sale.set_context(KeypadContext.LIST_PRICE)
    selling.sale.buffer = "100"
    selling.sale.enter()
    assert selling.approval.open
    selling.keyboard.press(KeyPress("Escape"))
    assert not selling.approval.open
    assert selling.sale.totals.total == "149,00"


def test_the_keyboard_types_the_amount_in_the_payment_window(selling: TillApp) -> None:
    wedge(selling, "8001234000059")
    assert selling.sale.approve()
    assert selling.screen is Screen.PAYMENT
    selling.keyboard.press(KeyPress("Delete"))
    for key in ("1", "0", "0", "Enter"):  # Enter pays the amount in cash
        selling.keyboard.press(KeyPress(key))
    assert selling.payment.checkout is not None
    assert selling.payment.checkout.settled


def test_keys_that_type_nothing_are_named_so() -> None:
    assert keypad_key("Arrow Left") is None
    assert keypad_key("F5") is None
    assert keypad_key("Numpad 7") == "7"
    assert keypad_key("Enter") == "enter"
    assert keypad_key("-") == "-"


def test_the_function_keys_of_the_layout_run_their_tiles(selling: TillApp) -> None:
    assert selling.layout.keys["F5"] == "park"
    wedge(selling, "8001234000011")
    selling.keyboard.press(KeyPress("F5"))  # park
    assert selling.sale.document() is None
    selling.keyboard.press(KeyPress("F6"))  # resume: the parked receipts' list
    assert selling.sale.dialog == "parked"
    selling.keyboard.press(KeyPress("F12"))  # a dialog is open: no key acts behind it
    assert selling.screen is Screen.SALE
    selling.keyboard.press(KeyPress("Escape"))
    wedge(selling, "8001234000011")
    selling.keyboard.press(KeyPress("F12"))  # approve: the payment window
    assert selling.screen is Screen.PAYMENT
    selling.keyboard.press(KeyPress("Enter"))  # the keypad's Enter pays what is proposed
    assert selling.payment.settled
    selling.keyboard.press(KeyPress("F12"))
    assert selling.payment.paid is not None


def test_a_function_key_whose_tile_cannot_act_now_does_nothing(selling: TillApp) -> None:
    selling.keyboard.press(KeyPress("F8"))  # discard, with no receipt open
    assert selling.sale.dialog is None
    selling.keyboard.press(KeyPress("F12"))  # approve an empty receipt
    assert selling.screen is Screen.SALE
    assert selling.notice is None
