"""The words and formats a person reads, in their language.

Text shown to a person is written in English in the code, marked for
translation with `_` (`_n` for plurals, `_p` for a context), and comes from the
gettext catalogs in `cassa/i18n/locale/<language>/LC_MESSAGES/cassa.po`
(Babel extracts and updates them; translators edit them with their usual tools).
`_` does not translate: it returns a lazy `Text` (the English message and its
parameters) that the engine can raise or return, and that the till, the printer
or the command line renders in the reader's locale with `translate` (or
`Text.render`). Parameters are formatted for that locale too: amounts, dates and
times by Babel from CLDR, so the screen, the messages and the paper agree.

    raise InvalidInput(_("Voucher {number} has expired", number=number))
    ...
    translate(error.text, "de_DE")   # 'Gutschein V50-000001 ist abgelaufen'
"""

from __future__ import annotations

from cassa.i18n._catalogs import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    MissingTranslation,
    catalog_path,
    language_of,
    strict_catalogs,
)
from cassa.i18n._formats import (
    decimal_symbol,
    format_date,
    format_datetime,
    format_decimal,
    format_money,
    format_percent,
    format_time,
    locale_for,
)
from cassa.i18n._text import Source, Text, _, _n, _p, joined, translate, verbatim, wording

__all__ = [
    "LANGUAGES",
    "SOURCE_LANGUAGE",
    "MissingTranslation",
    "Source",
    "Text",
    "_",
    "_n",
    "_p",
    "catalog_path",
    "decimal_symbol",
    "format_date",
    "format_datetime",
    "format_decimal",
    "format_money",
    "format_percent",
    "format_time",
    "joined",
    "language_of",
    "locale_for",
    "strict_catalogs",
    "translate",
    "verbatim",
    "wording",
]
