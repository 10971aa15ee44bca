"""Patterns that packs declare (voucher, gift card and cheque numbers), run on RE2.

RE2 matches in time linear in the length of the text, whatever the pattern:
nested repetitions such as `^(a+)+$`, which take Python's `re` seconds on a
few dozen characters (6.7 s on a 26-character voucher number), cannot make a
till hang. No time limit is involved, so a busy machine never refuses a number
a quiet one accepts. The price is RE2's syntax: backreferences and look-around
are not available, and a pattern that needs them is refused when the pack
loads, at its line and column.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

__all__ = ["PatternError", "compile_pattern", "fullmatch"]

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # errors are reported as pack problems, not on stderr


class PatternError(ValueError):
    """A pattern RE2 cannot run; the message says why."""


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any:
    """The compiled pattern; PatternError when RE2 refuses it."""
    try:
        return re2.compile(pattern, options=_OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", errors="replace")
        raise PatternError(
            f"not a pattern this till can run: {reason} (backreferences and look-around "
            "are not supported)"
        ) from None


def fullmatch(pattern: str, text: str) -> Any:
    """The match of the whole `text` (with its named groups), or None."""
    return compile_pattern(pattern).fullmatch(text)
