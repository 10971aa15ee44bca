"""The numeric keypad: what a key does to the text it edits, and reading what was typed."""

from __future__ import annotations

from decimal import Decimal

from cassa.engine import inputs
from cassa.i18n import Text

__all__ = ["KEYS", "parse_number", "press"]

KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", "0", ",", "back")


def press(text: str, key: str) -> str:
    """The text after pressing `key`: a digit, "00", "," (or ".") once, "back", "clear"."""
    if key == "clear":
        return ""
    if key == "back":
        return text[:-1]
    if key in (",", "."):
        if "," in text or "." in text:
            return text
        return (text or "0") + ","
    if key == "00" or (len(key) == 1 and key.isdigit()):
        return text + key
    return text


def parse_number(text: str, what: str | Text = "the amount") -> Decimal:
    """A number typed on the keypad or the keyboard: "12,50" or "12.50", read as every
    other way in reads numbers (cassa.engine.inputs)."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    return inputs.number(cleaned, what)
