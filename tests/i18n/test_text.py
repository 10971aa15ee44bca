"""Lazy messages: the engine says what, the reader's locale decides the words and formats."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cassa.engine.errors import InvalidInput
from cassa.engine.messages import Message
from cassa.engine.money import Currency, Money
from cassa.engine.payments import LocalizedError
from cassa.i18n import MissingTranslation, _, _p, translate, verbatim, wording

EUR = Currency("EUR", 2, "€")


def test_a_message_is_rendered_in_the_language_of_whoever_reads_it() -> None:
    message = _("wrong username or password")
    assert translate(message, "it") == "Utente o password errati"
    assert translate(message, "de") == "Benutzer oder Passwort falsch"
    assert translate(message, "es_ES") == "usuario o contraseña incorrectos"
    assert str(message) == "wrong username or password"


def test_a_language_that_does_not_ship_reads_english() -> None:
    assert translate(_("wrong username or password"), "ja") == "wrong username or password"
    assert translate(_("wrong username or password"), "not a locale") == (
        "wrong username or password"
    )


def test_parameters_are_written_as_the_readers_locale_writes_them() -> None:
    reached = Message(
        "drawer_balance_limit", {"limit": Money("1000", EUR), "balance": Money("1234.5", EUR)}
    )
    assert "1.000,00\xa0€" in reached.render("it")
    assert "1.234,50\xa0€" in reached.render("de")
    assert "€1,234.50" in reached.render("en")
    until = Message("password_valid_until", {"date": date(2026, 7, 5)})
    assert until.render("it") == "Valida al 05/07/2026"
    assert until.render("de") == "Gültig bis 05.07.2026"
    assert until.render("pl") == "Ważne do 5.07.2026"


def test_a_parameter_that_is_a_message_is_translated_too() -> None:
    failed = Message("z_report_failed", {"error": _("wrong username or password")})
    assert failed.render("fr") == "Z : utilisateur ou mot de passe incorrect"


def test_an_engine_refusal_carries_its_message_and_renders_it_for_the_operator() -> None:
    with pytest.raises(InvalidInput, match="the amount must be above zero") as raised:
        raise InvalidInput(_("the amount must be above zero"))
    assert raised.value.render("it") == "L'importo deve essere maggiore di zero"
    assert raised.value.render("pl") == "kwota musi być większa od zera"


def test_a_refusal_of_the_payment_window_reads_in_the_operators_language() -> None:
    error = LocalizedError(
        _("The action is not available for voucher number {number}", number="V50-000001")
    )
    assert error.message == "The action is not available for voucher number V50-000001"
    assert error.render("es") == "La acción no está disponible para el vale número V50-000001"


def test_one_english_word_with_two_meanings_keeps_two_translations() -> None:
    assert translate(_p("close", "Close"), "it") == "Chiudi"
    assert translate(_("Close"), "it") == "Chiusura"


def test_a_message_missing_from_the_catalogs_fails_the_tests_instead_of_showing_english() -> None:
    with pytest.raises(MissingTranslation, match="not in the it catalog"):
        translate(_("a sentence nobody translated"), "it")


def test_data_is_shown_as_written_in_every_language() -> None:
    assert translate(verbatim("Scarpe da corsa"), "de") == "Scarpe da corsa"
    assert translate("S/T01/2026/000001", "pl") == "S/T01/2026/000001"


def test_a_packs_own_wording_is_read_in_the_language_it_gives_else_english() -> None:
    note = wording({"es": "Factura simplificada", "en": "Simplified invoice"})
    assert translate(note, "es_ES") == "Factura simplificada"
    assert translate(note, "de") == "Simplified invoice"
    assert translate(wording({"it": "Solo italiano"}), "fr") == "Solo italiano"


def test_a_moment_is_a_date_and_a_time_of_the_locale() -> None:
    at = datetime(2026, 7, 5, 15, 30, tzinfo=UTC)
    assert translate(_("Closed at {when}", when=at), "it") == "Chiuso il 05/07/2026, 15:30"
    assert translate(_("Closed at {when}", when=at), "en") == "Closed at 7/5/2026, 3:30\u202fPM"


def test_a_decimal_keeps_its_places_and_takes_the_locales_separators() -> None:
    text = _("Unknown outcome: {count}", count=Decimal("1234.50"))
    assert translate(text, "de") == "Ausgang unbekannt: 1.234,50"
    assert translate(text, "en") == "Unknown outcome: 1,234.50"
