"""What a person types, checked once for every way in.

The till's commands, scenario files, the command line and the till's fields all
read quantities, amounts, percentages, texts and codes through these functions,
so a value is refused the same way wherever it is typed, with a message in the
reader's language, before anything is stored or any money moves.

The bounds are the storage's: amounts and quantities are kept as integer
millionths in 64-bit columns (`storage.types.ExactDecimal`), so a value needs at
most six decimals and must stay far enough below 9.2 × 10¹² that a day's sums
still fit. Texts are refused rather than cleaned when they hold something no
database keeps alike: SQLite stores a NUL or a lone surrogate, PostgreSQL
refuses both, and a till must behave the same on either.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from cassa.engine.errors import InvalidInput
from cassa.i18n import Source, Text, _

__all__ = [
    "MAX_AMOUNT",
    "MAX_ARGUMENT",
    "MAX_CODE",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_QUANTITY",
    "PLACES",
    "amount",
    "check_amount",
    "code",
    "day",
    "moment",
    "number",
    "percent",
    "quantity",
    "text",
]

PLACES = 6  # the storage keeps millionths
MAX_AMOUNT = Decimal(10) ** 10 - 1  # per figure; a day's sums of them still fit 64 bits
MAX_QUANTITY = Decimal(10) ** 6 - 1
MAX_NAME = 200
MAX_NOTE = 500
MAX_CODE = 64
MAX_ARGUMENT = 128 * 1024  # Linux's own limit on one argument of a command
_MAX_NUMBER_TEXT = 40  # longer digits are typing errors, and Decimal need not parse 1 MB

# A plain decimal as people and files write it: no NaN, Infinity, underscores or spaces
# inside (Decimal itself would take "1_000", " nan " and "Infinity").
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
# Controls (C0, DEL, C1) and the Unicode line and paragraph separators; a note may
# keep line breaks and tabs.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACE = re.compile(r"\s")


def _shown(value: object) -> str:
    """The refused value, short and printable, for the message."""
    if isinstance(value, str):
        shown = value
    elif isinstance(value, Decimal | int | float):
        shown = str(value)  # NaN, not Decimal('NaN')
    else:
        shown = repr(value)
    shown = _SURROGATE.sub("\ufffd", shown)
    shown = _CONTROL.sub("\ufffd", shown)
    return shown if len(shown) <= 24 else shown[:23] + "…"


def _label(what: Text | str) -> Text:
    """What the value is, for the message; plain English is translated where the
    catalogs have it (the screens name their fields that way)."""
    return what if isinstance(what, Text) else Text(what, source=Source.UNMARKED)


def number(value: object, what: Text | str) -> Decimal:
    """`value` (an int, a Decimal or a plain decimal string) as an exact finite Decimal
    with at most six decimals and at most ten digits before the point."""
    what = _label(what)
    if isinstance(value, Decimal):
        found = value
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > 10**20:
            raise InvalidInput(_("{what} is too large", what=what))
        found = Decimal(value)
    elif isinstance(value, str):
        typed = value.strip()
        if len(typed) > _MAX_NUMBER_TEXT or not _NUMBER.fullmatch(typed):
            raise InvalidInput(
                _("{what} must be a number, not “{value}”", what=what, value=_shown(value))
            )
        try:
            found = Decimal(typed)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise InvalidInput(
                _("{what} must be a number, not “{value}”", what=what, value=_shown(value))
            ) from None
    else:  # floats too: 0.1 is not a tenth, money and quantities are never binary
        raise InvalidInput(
            _("{what} must be a number, not “{value}”", what=what, value=_shown(value))
        )
    if not found.is_finite():
        raise InvalidInput(
            _("{what} must be a number, not “{value}”", what=what, value=_shown(value))
        )
    if found.adjusted() >= 10:  # ten digits before the point at most
        raise InvalidInput(_("{what} is too large", what=what))
    if found != 0 and found.adjusted() < -PLACES - 1:
        raise InvalidInput(_("{what} has more than {places} decimals", what=what, places=PLACES))
    exact = found.normalize()
    if exact != 0 and -int(exact.as_tuple().exponent) > PLACES:
        raise InvalidInput(_("{what} has more than {places} decimals", what=what, places=PLACES))
    return found


def amount(
    value: object, what: Text | None = None, *, negative: bool = False, zero: bool = True
) -> Decimal:
    """An amount or a price: up to MAX_AMOUNT, never below zero unless `negative`."""
    what = what or _("the amount")
    found = number(value, what)
    check_amount(found, what)
    if found < 0 and not negative:
        raise InvalidInput(_("{what} cannot be negative", what=what))
    if found == 0 and not zero:
        raise InvalidInput(_("{what} must be above zero", what=what))
    return found


def check_amount(value: Decimal, what: Text) -> Decimal:
    """A figure the till computed (a line's total, a document's) within what it stores."""
    if abs(value) > MAX_AMOUNT:
        raise InvalidInput(_("{what} cannot exceed {limit}", what=what, limit=MAX_AMOUNT))
    return value


def quantity(value: object, what: Text | None = None, *, negative: bool = True) -> Decimal:
    """A quantity: up to MAX_QUANTITY either way (returns and buy-backs are negative)."""
    what = what or _("the quantity")
    found = number(value, what)
    if abs(found) > MAX_QUANTITY:
        raise InvalidInput(_("{what} cannot exceed {limit}", what=what, limit=MAX_QUANTITY))
    if found < 0 and not negative:
        raise InvalidInput(_("{what} cannot be negative", what=what))
    return found


def percent(value: object, what: Text | None = None) -> Decimal:
    """A percentage from 0 to 100."""
    what = what or _("the percentage")
    found = number(value, what)
    if not 0 <= found <= 100:
        raise InvalidInput(_("{what} must be between 0 and 100", what=what))
    return found


def text(
    value: object,
    what: Text,
    *,
    limit: int = MAX_NAME,
    required: bool = True,
    lines: bool = False,
) -> str:
    """A name, description or note: NFC, trimmed, within `limit` characters, without
    control characters (line breaks and tabs kept when `lines`) or broken characters."""
    if not isinstance(value, str):
        raise InvalidInput(_("{what} must be text", what=what))
    if len(value) > 4 * limit:  # refuse a megabyte before normalising it
        raise InvalidInput(_("{what} is longer than {limit} characters", what=what, limit=limit))
    if _SURROGATE.search(value):
        raise InvalidInput(_("{what} contains a character that is not text", what=what))
    if (_CONTROL_BUT_LINES if lines else _CONTROL).search(value):
        raise InvalidInput(_("{what} contains a control character", what=what))
    cleaned = unicodedata.normalize("NFC", value).strip()
    if len(cleaned) > limit:
        raise InvalidInput(_("{what} is longer than {limit} characters", what=what, limit=limit))
    if required and not cleaned:
        raise InvalidInput(_("{what} is empty", what=what))
    return cleaned


def code(value: object, what: Text, *, limit: int = MAX_CODE) -> str:
    """A code, number or barcode someone types or scans: one word of printable text."""
    found = text(value, what, limit=limit)
    if _SPACE.search(found):
        raise InvalidInput(_("{what} cannot contain spaces", what=what))
    return found


def moment(value: object, what: Text | None = None) -> datetime:
    """An ISO date-time with its UTC offset (2026-07-05T10:30:00+02:00)."""
    what = what or _("the moment")
    typed = text(value, what, limit=40)
    try:
        found = datetime.fromisoformat(typed)
    except ValueError:
        raise InvalidInput(
            _(
                "{what} must be a date and time such as 2026-07-05T10:30:00+02:00, not “{value}”",
                what=what,
                value=_shown(value),
            )
        ) from None
    if found.tzinfo is None:
        raise InvalidInput(_("{what} needs a UTC offset, e.g. +02:00", what=what))
    return found


def day(value: object, what: Text | None = None) -> date:
    """A date written YYYY-MM-DD."""
    what = what or _("the date")
    typed = text(value, what, limit=40)
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise InvalidInput(
            _("{what} must be a date YYYY-MM-DD, not “{value}”", what=what, value=_shown(value))
        ) from None
