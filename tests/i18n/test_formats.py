"""Numbers, money, dates and times by CLDR: one format for screen, messages and paper."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cassa.i18n import (
    format_date,
    format_datetime,
    format_decimal,
    format_money,
    format_percent,
    format_time,
    locale_for,
)

NBSP, NNBSP = "\xa0", "\u202f"


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        ("it", "1.234,50"),
        ("en", "1,234.50"),
        ("de", "1.234,50"),
        ("es", "1.234,50"),
        ("fr", f"1{NNBSP}234,50"),
        ("pl", f"1{NBSP}234,50"),
        ("de_CH", "1'234.50"),
    ],
)
def test_an_amount_takes_the_separators_of_its_locale(locale: str, written: str) -> None:
    assert format_money(Decimal("1234.5"), locale, 2) == written


def test_an_amount_is_rounded_half_up_to_its_currencys_decimals() -> None:
    assert format_money(Decimal("2.345"), "it", 2) == "2,35"
    assert format_money(Decimal("1234"), "it", 0) == "1.234"
    assert format_decimal(Decimal("1.5"), "it", 3) == "1,500"
    assert format_decimal(Decimal("1.500"), "de") == "1,500"


def test_an_amount_with_its_currency_puts_the_symbol_where_the_locale_does() -> None:
    assert format_money(Decimal("5"), "it", 2, currency="EUR") == f"5,00{NBSP}€"
    assert format_money(Decimal("5"), "en", 2, currency="EUR") == "€5.00"
    assert format_money(Decimal("5"), "pl", 2, currency="PLN") == f"5,00{NBSP}zł"


def test_a_percentage_is_written_by_the_locale() -> None:
    assert format_percent(Decimal("12.5"), "it") == "12,5%"
    assert format_percent(Decimal("12.5"), "de") == f"12,5{NBSP}%"


def test_days_and_times_follow_the_locale() -> None:
    day = date(2026, 7, 5)
    at = datetime(2026, 7, 5, 9, 5, tzinfo=UTC)
    assert [format_date(day, locale) for locale in ("it", "de", "pl", "es", "fr")] == [
        "05/07/2026",
        "05.07.2026",
        "5.07.2026",
        "5/7/2026",
        "05/07/2026",
    ]
    assert format_time(at, "de") == "09:05"
    assert format_datetime(at, "de") == "05.07.2026, 09:05"


def test_a_language_spoken_in_a_country_takes_the_countrys_formats_when_cldr_has_them() -> None:
    assert locale_for("en", "IT") == "en_IT"
    assert format_money(Decimal("1234.5"), locale_for("en", "DE"), 2) == "1.234,50"
    assert locale_for("it", "PL") == "it"  # CLDR has no Italian of Poland
    assert locale_for("de", None) == "de"
