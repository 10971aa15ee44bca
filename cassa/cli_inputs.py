"""The command line's typed options, read by `cassa.engine.inputs` as the till reads them.

Each is an argparse `type=`: a value refused there stops the command before it
opens anything, with argparse's usage line and the same message the till gives.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from cassa.engine import inputs
from cassa.engine.errors import InvalidInput
from cassa.i18n import Text, _

__all__ = ["amount", "code", "day", "moment", "seconds", "text", "whole"]

T = TypeVar("T")


def _argument(read: Callable[[str], T], name: str) -> Callable[[str], T]:
    def parse(value: str) -> T:
        try:
            return read(value)
        except InvalidInput as error:
            raise argparse.ArgumentTypeError(error.message) from None

    parse.__name__ = name  # argparse names the type in its own messages
    return parse


def _what(what: Text | None) -> Text:
    return what or _("the value")


def amount(what: Text | None = None) -> Callable[[str], Decimal]:
    return _argument(lambda v: inputs.amount(v, what or _("the amount"), negative=True), "amount")


def moment(what: Text | None = None) -> Callable[[str], datetime]:
    return _argument(lambda v: inputs.moment(v, what), "moment")


def day(what: Text | None = None) -> Callable[[str], date]:
    return _argument(lambda v: inputs.day(v, what), "date")


def code(what: Text | None = None) -> Callable[[str], str]:
    return _argument(lambda v: inputs.code(v, _what(what)), "code")


def text(what: Text | None = None, *, limit: int = inputs.MAX_NAME) -> Callable[[str], str]:
    return _argument(lambda v: inputs.text(v, _what(what), limit=limit), "text")


def whole(what: Text | None = None, *, low: int = 0, high: int = 10**9) -> Callable[[str], int]:
    """A whole number from `low` to `high` (an id, a limit, a port)."""

    def read(value: str) -> int:
        found = inputs.number(value, _what(what))
        if found != found.to_integral_value() or not low <= found <= high:
            raise InvalidInput(
                _(
                    "{what} must be a whole number from {low} to {high}",
                    what=_what(what),
                    low=low,
                    high=high,
                )
            )
        return int(found)

    return _argument(read, "whole number")


def seconds(what: Text | None = None) -> Callable[[str], float]:
    """A duration in seconds, above zero and at most a week; a float for the clock."""

    def read(value: str) -> float:
        found = inputs.number(value, _what(what))
        if not 0 < found <= 7 * 24 * 3600:
            raise InvalidInput(
                _("{what} must be a number of seconds up to a week", what=_what(what))
            )
        return float(found)

    return _argument(read, "seconds")
