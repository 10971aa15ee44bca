"""Numbers, money, dates and times written for a locale, by Babel from CLDR.

One function per kind of value, used by the screen, the messages and the
printer alike. A locale is a CLDR identifier: a language ("it") or a language
in a country ("en_IT": English words, the country's number and date formats).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

__all__ = [
    "decimal_symbol",
    "format_date",
    "format_datetime",
    "format_decimal",
    "format_money",
    "format_percent",
    "format_time",
    "locale_for",
]


@cache
def _locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


@cache
def locale_for(language: str, country: str | None = None) -> str:
    """The locale of `language` spoken in `country` when CLDR knows it ("en", "IT" ->
    "en_IT": English words with Italian numbers and dates), else the language's own."""
    language = _locale(language).language
    if country:
        try:
            return str(Locale.parse(f"{language}_{country.upper()}"))
        except (ValueError, UnknownLocaleError):
            pass
    return language


@cache
def _pattern(locale: str, places: int, grouping: bool) -> babel_numbers.NumberPattern:
    pattern = babel_numbers.parse_pattern(_locale(locale).decimal_formats[None].pattern)
    pattern.frac_prec = (places, places)
    if not grouping:
        pattern.grouping = (1000, 1000)  # wider than any group: no separator
    return pattern


def format_decimal(
    value: Decimal | int, locale: str, places: int | None = None, *, grouping: bool = True
) -> str:
    """`value` with exactly `places` decimals (rounded half up), or as many as it has."""
    number = Decimal(value)
    if places is None:
        places = max(0, -int(number.as_tuple().exponent))
    else:
        quantum = Decimal(1).scaleb(-places) if places > 0 else Decimal(1)
        number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return str(_pattern(locale, places, grouping).apply(number, _locale(locale)))


def format_money(
    value: Decimal, locale: str, places: int = 2, *, currency: str | None = None
) -> str:
    """An amount with the currency's decimals; with `currency`, its symbol where the
    locale puts it ("1.234,50 €", "€1,234.50", "1 234,50 zł")."""
    if currency is None:
        return format_decimal(value, locale, places)
    return babel_numbers.format_currency(
        value,
        currency,
        locale=_locale(locale),
        currency_digits=False,
        format=_currency_pattern(locale, places),
    )


@cache
def _currency_pattern(locale: str, places: int) -> babel_numbers.NumberPattern:
    pattern = babel_numbers.parse_pattern(_locale(locale).currency_formats["standard"].pattern)
    pattern.frac_prec = (places, places)
    return pattern


def decimal_symbol(locale: str) -> str:
    """The locale's decimal separator: what the keypad's "," key types."""
    return str(_locale(locale).number_symbols["latn"]["decimal"])


def format_percent(value: Decimal | int, locale: str, places: int | None = None) -> str:
    """`value` in percent units (12.5 -> "12,5 %" in Italian)."""
    number = Decimal(value)
    if places is None:
        places = max(0, -int(number.as_tuple().exponent))
    pattern = babel_numbers.parse_pattern(_locale(locale).percent_formats[None].pattern)
    pattern.frac_prec = (places, places)
    return str(pattern.apply(number / 100, _locale(locale)))


def format_date(value: date, locale: str) -> str:
    """A day with a four-digit year, in the locale's order ("05/07/2026", "5.07.2026")."""
    return babel_dates.format_skeleton("yMMdd", value, locale=_locale(locale))


def format_time(value: datetime | time, locale: str) -> str:
    """Hours and minutes ("10:30", "10:30 AM")."""
    return babel_dates.format_time(value, "short", locale=_locale(locale))


def format_datetime(value: datetime, locale: str) -> str:
    """A day and a time: `format_date` and `format_time` joined as the locale joins them."""
    pattern = _locale(locale).datetime_formats["short"]
    return str(pattern).format(format_time(value, locale), format_date(value, locale))
