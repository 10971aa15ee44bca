"""The physical keyboard, and the keyboard-wedge scanner that types like one.

The browser reports every key pressed on the page, whatever has the focus. When a
text field has it, the field takes the keys itself and nothing here acts but Esc and
the function keys. Otherwise the keys go to the screen's keypad: digits, the decimal
comma, Backspace and Enter everywhere an amount is typed, and on the sale screen any
character, so a scanner's digits and Enter sell the item even when the cashier last
touched a line or a tile (Flutter takes the focus from the search field at each Enter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cassa.ui.app import TillApp

__all__ = ["KeyPress", "Keyboard", "keypad_key"]


@dataclass(frozen=True)
class KeyPress:
    """A key as the browser names it ("8", "A", "Enter", "Numpad 5", "F2") and its modifiers."""

    key: str
    ctrl: bool = False
    alt: bool = False
    meta: bool = False
    shift: bool = False

    @property
    def plain(self) -> bool:
        return not (self.ctrl or self.alt or self.meta)


_NAMED = {
    "Enter": "enter",
    "Numpad Enter": "enter",
    "Backspace": "back",
    "Delete": "clear",
    "Numpad Decimal": ",",
    "Numpad Comma": ",",
    "Numpad Multiply": "*",
    "Numpad Subtract": "-",
    "Numpad Add": "+",
    "Space": " ",
}


def keypad_key(key: str) -> str | None:
    """What the key types: a character, or a keypad key ("enter", "back", "clear");
    None for keys that type nothing (arrows, modifiers, function keys)."""
    if key in _NAMED:
        return _NAMED[key]
    if key.startswith("Numpad ") and key[-1].isdigit():
        return key[-1]
    if len(key) == 1:
        return key
    return None


class Keyboard:
    """Routes the page's keys: Esc and function keys first, then the screen's keypad."""

    def __init__(self, app: TillApp) -> None:
        self.app = app
        self.typing = False  # a text field has the focus: the keys are its own

    def focus(self, typing: bool) -> None:
        """A text field took (True) or left (False) the focus."""
        self.typing = typing

    def press(self, event: KeyPress) -> None:
        app = self.app
        if event.key == "Escape":
            app.escape()
            return
        action = app.layout.keys.get(event.key) if event.plain else None
        if action is not None:
            app.run_key_action(action)
            return
        if self.typing or not event.plain or app.dialog_open:
            return
        typed = keypad_key(event.key)
        if typed is None:
            return
        target: Callable[[str], None] | None = app.keypads().get(app.screen)
        if target is not None:
            target(typed)
