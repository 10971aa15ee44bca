"""Country settings from a rule pack: currency, rounding, VAT rates, price directions,
the locale of the till and of the paper, and what each document type prints."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cassa.engine.errors import NotFound
from cassa.engine.money import Currency, RoundingMode, RoundingPolicy
from cassa.engine.packs import Pack, load_pack
from cassa.engine.tax import PriceDirection, VatRate
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument
from cassa.i18n import LANGUAGES, Text, _, language_of, wording

__all__ = [
    "DEFAULT_NUMBERING",
    "CountrySettings",
    "DocumentWording",
    "document_number",
    "load_country",
    "numbering_problem",
]

# a country pack's own text, per language: {es: "FACTURA SIMPLIFICADA", en: "..."}
Wording = Mapping[str, str]


# a document number's parts: the type's prefix, the till, the year, the sequence (zero
# padded to N digits with {sequence:0N}); the till, the year and the sequence are required
# so that two tills, two years or two documents never share a number, and the prefix
# first so that a number tells its type
NUMBER_PART = re.compile(r"\{(prefix|till|year|sequence)(?::0([1-9]))?\}")
DEFAULT_NUMBERING = "{prefix}/{till}/{year}/{sequence:06}"


def document_number(pattern: str, prefix: str, till: str, year: int, sequence: int) -> str:
    """A number written by its pattern: "FS-{till}-{year}-{sequence:04}" -> FS-T01-2026-0007."""
    values = {"prefix": prefix, "till": till, "year": str(year)}

    def part(match: re.Match[str]) -> str:
        name, width = match.group(1), match.group(2)
        if name == "sequence":
            return f"{sequence:0{int(width or 1)}d}"
        return values[name]

    return NUMBER_PART.sub(part, pattern)


def numbering_problem(pattern: str) -> str | None:
    """Why a numbering pattern cannot number documents, or None."""
    rest = NUMBER_PART.sub("", pattern)
    if "{" in rest or "}" in rest:
        return "a numbering names only {prefix}, {till}, {year} and {sequence} (or {sequence:0N})"
    if not re.match(r"\{prefix\}(?![A-Za-z])(?!\{(?:prefix|till)\})", pattern):
        # the origin of a return or an invoice is told by its number's leading letters
        return "a numbering begins with {prefix}, then something that is not a letter"
    named = {m.group(1) for m in NUMBER_PART.finditer(pattern)}
    missing = [name for name in ("till", "year", "sequence") if name not in named]
    if missing:
        return "a numbering needs " + ", ".join(f"{{{n}}}" for n in missing)
    return None


@dataclass(frozen=True)
class DocumentWording:
    """What a country prints on a document type: its title, its legal mentions, fixed
    lines above and below it, and how its numbers are written."""

    title: Wording = field(default_factory=dict)
    mentions: tuple[Wording, ...] = ()
    header: tuple[Wording, ...] = ()
    footer: tuple[Wording, ...] = ()
    numbering: str | None = None  # a pattern of NUMBER_PART; None: DEFAULT_NUMBERING

    def title_text(self) -> Text | None:
        return wording(self.title) if self.title else None

    def mention_texts(self) -> tuple[Text, ...]:
        return tuple(wording(m) for m in self.mentions)

    def header_texts(self) -> tuple[Text, ...]:
        return tuple(wording(m) for m in self.header)

    def footer_texts(self) -> tuple[Text, ...]:
        return tuple(wording(m) for m in self.footer)


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
            raise NotFound(
                _("VAT rate '{code}' is not declared in pack {pack}", code=code, pack=self.pack)
            )
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


def _increment_problems(
    document: SourceDocument, at: str, spec: dict[str, Any] | None, minor_units: int
) -> list[Problem]:
    """A cash increment is a positive number of the currency's minor units: 0 would
    divide by zero at the first cash payment, 0.003 € could never be handed over."""
    if not spec or spec.get("cash_increment") is None:
        return []
    increment = Decimal(str(spec["cash_increment"]))
    minor = Decimal(1).scaleb(-minor_units)
    if increment <= 0 or increment % minor:
        return [
            document.problem(
                f"{at}/cash_increment",
                f"cash_increment {spec['cash_increment']} is not a positive multiple of the "
                f"currency's smallest unit {minor}",
            )
        ]
    return []


def _payable_problems(pack: Pack, source: SourceDocument, currency: Currency) -> list[Problem]:
    """Cash totals rounded to the increment must be payable with the declared coins."""
    increment = currency.rounding.cash_increment
    declared = [
        document.data["denominations"][currency.code]
        for document in pack.of_kind("Tenders")
        if currency.code in document.data.get("denominations", {})
    ]
    coins = [Decimal(str(value)) for value in (declared[-1] if declared else ())]
    if not increment or not coins:
        return []
    minor = Decimal(1).scaleb(-currency.minor_units)
    step = math.gcd(*(int(coin / minor) for coin in coins)) * minor
    if increment % step:
        at = "/rounding/cash_increment" if "rounding" in source.data else "/currency"
        return [
            source.problem(
                at,
                f"cash totals rounded to {increment} cannot be paid with the declared "
                f"{currency.code} banknotes and coins (they make steps of {step})",
            )
        ]
    return []


def country_from_pack(pack: Pack) -> CountrySettings:
    currencies: dict[str, Currency] = {}
    problems: list[Problem] = []
    for document in pack.of_kind("Currencies"):
        for index, entry in enumerate(document.data["currencies"]):
            problems.extend(
                _increment_problems(
                    document,
                    f"/currencies/{index}/rounding",
                    entry.get("rounding"),
                    entry["minor_units"],
                )
            )
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
    problems.extend(
        _increment_problems(
            source, "/rounding", country.get("rounding"), currencies[code].minor_units
        )
    )
    if problems:
        raise DataFileError(problems)
    currency = currencies[code].with_rounding(
        _rounding(country.get("rounding"), currencies[code].rounding)
    )
    problems.extend(_payable_problems(pack, source, currency))
    if problems:
        raise DataFileError(problems)
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
    wrong: list[Problem] = []
    for declared in countries:  # base first: a later pack replaces a type's wording
        for kind, spec in declared.data.get("documents", {}).items():
            numbering = spec.get("numbering")
            why = numbering_problem(str(numbering)) if numbering is not None else None
            if why is not None:
                wrong.append(declared.problem(f"/documents/{kind}/numbering", why))
            documents[kind] = DocumentWording(
                title=spec.get("title", {}),
                mentions=tuple(spec.get("mentions", ())),
                header=tuple(spec.get("header", ())),
                footer=tuple(spec.get("footer", ())),
                numbering=str(numbering) if numbering is not None else None,
            )
    if wrong:
        raise DataFileError(wrong)
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
