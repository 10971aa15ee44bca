"""The lazy message: what to say, translated only when someone reads it.

The engine does not know who reads its refusals, notices and printouts, so it
never translates: it returns a `Text`, the English message and its parameters,
and whoever shows it renders it in the reader's locale. Parameters keep their
types until then (a Decimal, an amount of money, a moment, another Text) and
are written for that locale too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from cassa.i18n._catalogs import (
    SOURCE_LANGUAGE,
    MissingTranslation,
    catalog_for,
    is_strict,
    language_of,
)
from cassa.i18n._formats import (
    format_date,
    format_datetime,
    format_decimal,
    format_money,
    format_time,
)

__all__ = ["Source", "Text", "_", "_n", "_p", "joined", "translate", "verbatim", "wording"]

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Source(StrEnum):
    CATALOG = "catalog"  # a message of the gettext catalogs
    WORDING = "wording"  # a rule pack's own text per language (data, not code)
    VERBATIM = "verbatim"  # a name or text from the data, shown as it is written
    # English from code not marked with `_` yet: translated where the catalogs have it
    UNMARKED = "unmarked"


@runtime_checkable
class _Amount(Protocol):
    """Money (cassa.engine.money.Money): an amount in a currency with its decimals."""

    @property
    def amount(self) -> Decimal: ...

    @property
    def currency(self) -> Any: ...


@dataclass(frozen=True)
class Text:
    """A message to show a person: rendered in a locale by `render` (or `translate`)."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: int | None = None
    context: str | None = None
    source: Source = Source.CATALOG
    texts: tuple[tuple[str, str], ...] = ()  # WORDING: (language, text)

    def render(self, locale: str = SOURCE_LANGUAGE) -> str:
        return translate(self, locale)

    def format(self, **params: Any) -> Text:
        """The same message with (more) parameters."""
        return replace(self, params={**self.params, **params})

    def __str__(self) -> str:
        return self.render(SOURCE_LANGUAGE)


def _(msgid: str, /, **params: Any) -> Text:
    """A message of the catalogs, its id the English text: `_("{count} lines", count=3)`."""
    return Text(msgid, params)


def _n(singular: str, plural: str, count: int, /, **params: Any) -> Text:
    """A message whose words follow a number, given to the text as `{count}`."""
    return Text(singular, {"count": count, **params}, plural=plural, count=count)


def _p(context: str, msgid: str, /, **params: Any) -> Text:
    """A message whose English is shared by two meanings ("Discard" a document, "Close" a
    window): the context keeps their translations apart."""
    return Text(msgid, params, context=context)


def verbatim(text: str) -> Text:
    """Text from the data (an item's name, a number): shown as it is, in every language."""
    return Text(text, source=Source.VERBATIM)


def joined(parts: Sequence[Text | str], separator: str = ", ") -> Text:
    """Texts one after the other (`1 of GLOSS, 2 of group bags`), each in the reader's
    language when rendered."""
    names = {f"part{index}": part for index, part in enumerate(parts)}
    template = separator.join("{" + name + "}" for name in names)
    return Text(template, names, source=Source.VERBATIM)


def wording(texts: Mapping[str, str], /, **params: Any) -> Text:
    """A text a rule pack gives per language (`{it: ..., en: ...}`)."""
    first = next(iter(texts.values()), "")
    return Text(
        texts.get(SOURCE_LANGUAGE, first), params, source=Source.WORDING, texts=tuple(texts.items())
    )


def translate(text: Text | str, locale: str = SOURCE_LANGUAGE) -> str:
    """The one function through which text reaches a person: `text` in `locale`, its
    parameters formatted for it. A plain string is data and comes back unchanged."""
    if isinstance(text, str):
        return text
    if text.source is Source.VERBATIM:  # with parameters: a list of other texts
        return _fill(text.msgid, text.params, locale) if text.params else text.msgid
    language = language_of(locale)
    if text.source is Source.WORDING:
        texts = dict(text.texts)
        template = texts.get(language) or texts.get(SOURCE_LANGUAGE) or text.msgid
    elif text.source is Source.UNMARKED:
        template = catalog_for(language).translations.gettext(text.msgid)
    else:
        template = _template(text, language)
    return _fill(template, text.params, locale)


def _template(text: Text, language: str) -> str:
    catalog = catalog_for(language)
    if is_strict() and not catalog.has(text.msgid, text.context):
        raise MissingTranslation(
            f"{text.msgid!r}{f' ({text.context})' if text.context else ''} "
            f"is not in the {language} catalog"
        )
    translations = catalog.translations
    if text.plural is not None:
        count = text.count or 0
        if text.context is not None:
            return translations.npgettext(text.context, text.msgid, text.plural, count)
        return translations.ngettext(text.msgid, text.plural, count)
    if text.context is not None:
        return translations.pgettext(text.context, text.msgid)
    return translations.gettext(text.msgid)


def _fill(template: str, params: Mapping[str, Any], locale: str) -> str:
    if not params and "{" not in template and "}" not in template:
        return template

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]  # {{ or }}
        if name not in params:
            return match.group(0)
        return _value(params[name], locale)

    return _PLACEHOLDER.sub(substitute, template)


def _value(value: Any, locale: str) -> str:
    """A parameter as the reader's locale writes it."""
    if isinstance(value, Text):
        return translate(value, locale)
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        # a whole number in a message is a count, a line, a year or a document's number:
        # written without group separators ("receipt 1234", not "receipt 1.234")
        return format_decimal(value, locale, grouping=False)
    if isinstance(value, Decimal):
        return format_decimal(value, locale)
    if isinstance(value, datetime):
        return format_datetime(value, locale)
    if isinstance(value, date):
        return format_date(value, locale)
    if isinstance(value, time):
        return format_time(value, locale)
    if isinstance(value, _Amount) and hasattr(value.currency, "minor_units"):
        currency = value.currency
        return format_money(value.amount, locale, currency.minor_units, currency=currency.code)
    return str(value)
