"""Country settings from a rule pack: currency, rounding, VAT rates, price directions,
the locale of the till and of the paper, and what each document type prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cassa.engine.errors import NotFound
from cassa.engine.money import Currency, RoundingMode, RoundingPolicy
from cassa.engine.packs import Pack, load_pack
from cassa.engine.tax import PriceDirection, VatRate
from cassa.engine.yamlsource import DataFileError, Problem
from cassa.i18n import LANGUAGES, Text, language_of, wording

__all__ = ["CountrySettings", "DocumentWording", "load_country"]

# a country pack's own text, per language: {es: "FACTURA SIMPLIFICADA", en: "..."}
Wording = Mapping[str, str]


@dataclass(frozen=True)
class DocumentWording:
    """What a country prints on a document type: its title and its legal mentions."""

    title: Wording = field(default_factory=dict)
    mentions: tuple[Wording, ...] = ()

    def title_text(self) -> Text | None:
        return wording(self.title) if self.title else None

    def mention_texts(self) -> tuple[Text, ...]:
        return tuple(wording(m) for m in self.mentions)


@dataclass(frozen=True)
class CountrySettings:
    code: str
    name: str
    currency: Currency
    currencies: dict[str, Currency]
    vat_rates: dict[str, VatRate]
    directions: dict[str, PriceDirection]  # document type -> price direction
    pack: str
    # CLDR locale of the till's screens and messages ("es_ES"), and of the paper
    locale: str = "en"
    receipt_locale: str = "en"
    languages: tuple[str, ...] = LANGUAGES  # the languages the operator may switch to
    documents: Mapping[str, DocumentWording] = field(default_factory=dict)  # by document type
    # every receipt is printed, whatever the devices' print rules (Belegausgabepflicht)
    receipt_required: bool = False
    # a customer's tax id must pass one of these (cassa.engine.tax_ids.CHECKS)
    tax_id_checks: tuple[str, ...] = ()

    def vat_rate(self, code: str) -> VatRate:
        rate = self.vat_rates.get(code)
        if rate is None:
            raise NotFound(f"VAT rate '{code}' is not declared in pack {self.pack}")
        return rate

    def direction_for(self, document_type: str) -> PriceDirection:
        return self.directions.get(document_type, PriceDirection.GROSS)


def _rounding(spec: dict[str, Any] | None, fallback: RoundingPolicy) -> RoundingPolicy:
    if not spec:
        return fallback
    increment = spec.get("cash_increment", fallback.cash_increment)
    return RoundingPolicy(
        mode=RoundingMode(spec.get("mode", fallback.mode)),
        cash_increment=Decimal(str(increment)) if increment is not None else None,
    )


def load_country(reference: str | Path) -> CountrySettings:
    return country_from_pack(load_pack(reference))


def country_from_pack(pack: Pack) -> CountrySettings:
    currencies: dict[str, Currency] = {}
    for document in pack.of_kind("Currencies"):
        for entry in document.data["currencies"]:
            currencies[entry["code"]] = Currency(
                entry["code"],
                entry["minor_units"],
                entry.get("symbol", ""),
                _rounding(entry.get("rounding"), RoundingPolicy()),
            )
    countries = pack.of_kind("Country")
    if not countries:
        raise DataFileError([Problem(str(pack.path), 1, 1, "", "the pack declares no Country")])
    source = countries[-1]  # the most specific pack's country wins
    country = source.data
    code = country["currency"]
    if code not in currencies:
        raise DataFileError(
            [source.problem("/currency", f"currency {code} is not declared in the pack chain")]
        )
    currency = currencies[code].with_rounding(
        _rounding(country.get("rounding"), currencies[code].rounding)
    )
    currencies[code] = currency
    rates = {
        r["code"]: VatRate(
            r["code"], Decimal(str(r["percent"])), r.get("label", ""), r.get("nature")
        )
        for r in country["vat_rates"]
    }
    directions = {k: PriceDirection(v) for k, v in country.get("price_directions", {}).items()}
    locale = _locale_of(countries, "locale")
    languages = tuple(
        dict.fromkeys(
            language_of(entry) for entry in country.get("languages", ()) if entry in LANGUAGES
        )
    )
    documents: dict[str, DocumentWording] = {}
    for declared in countries:  # base first: a later pack replaces a type's wording
        for kind, spec in declared.data.get("documents", {}).items():
            documents[kind] = DocumentWording(
                title=spec.get("title", {}), mentions=tuple(spec.get("mentions", ()))
            )
    return CountrySettings(
        code=country["country"],
        name=country.get("name", country["country"]),
        currency=currency,
        currencies=currencies,
        vat_rates=rates,
        directions=directions,
        pack=pack.name,
        locale=locale,
        receipt_locale=_locale_of(countries, "receipt_locale") or locale,
        languages=languages or LANGUAGES,
        documents=documents,
        receipt_required=bool(country.get("receipt_required", False)),
        tax_id_checks=tuple(country.get("tax_id_checks", ())),
    )


def _locale_of(countries: list[Any], key: str) -> str:
    """The most specific pack's locale (a pack that names none keeps the extended one's)."""
    found = [c.data[key] for c in countries if key in c.data]
    return str(found[-1]) if found else ("en" if key == "locale" else "")
