"""The `TaxMechanisms` kind: reverse charge and split payment as pack data.

```yaml
apiVersion: cassa/v1
kind: TaxMechanisms
reverse_charge:
  document_types: [invoice]         # issued under reverse charge; a receipt is refused
  vat_rate: N6.9                    # the VAT rate of a line under reverse charge
  vat_rates: [{when: {attr: line.groups, contains: phones}, vat_rate: N6.5}]
  editable_when: {attr: customer.domestic, eq: true}
  customer_editable_when: {all: [{attr: customer.kind, eq: business}, ...]}
  note: {it: "Inversione contabile ...", en: "Reverse charge ..."}
  refused: {it: "Lo scontrino non può essere generato ...", en: ...}
  generated:                        # copy, copy_locked, off, off_editable (off, may be set)
    - {from: receipt, to: invoice, flag: off}
    - {from: invoice, to: invoice_return, flag: copy_locked}
split_payment:
  document_types: [invoice]
  when: {all: [{attr: customer.kind, eq: business}, {attr: document.total, gte: 15000}, ...]}
  editable_when: {all: [...]}
  mention: {pl: "Mechanizm podzielonej płatności"}
  mention_currencies: [PLN]
```

Sections merge over the pack chain key by key, base first, so a store's pack
overrides one key (a threshold, a wording) or switches a section off with
`enabled: false`. A declared split payment turns reverse charge off for new
documents (seed: "L'attivazione della gestione della scissione dei pagamenti
disattiva la gestione dell'inversione contabile in nuovi documenti").
Every problem is reported at once as `file:line:col: /pointer: message`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cassa.engine.country import CountrySettings
from cassa.engine.packs import Pack
from cassa.engine.rules.conditions import TRUE, Condition, ConditionError, parse_condition
from cassa.engine.yamlsource import Problem, SourceDocument
from cassa.i18n import translate
from cassa.i18n import wording as text_of

__all__ = [
    "Generated",
    "InvoiceRequired",
    "ReverseCharge",
    "SplitPayment",
    "TaxMechanisms",
    "Wording",
    "merged_sections",
    "say",
    "tax_mechanisms",
]

Wording = Mapping[str, str]


def say(wording: Wording, locale: str = "en") -> str:
    """The text in `locale`'s language, else English, else the first language given."""
    return translate(text_of(wording), locale)


@dataclass(frozen=True)
class Generated:
    """The flag on a document generated from another: copied, copied and locked, or off."""

    source: str
    target: str
    flag: str  # copy, copy_locked, off, off_editable


@dataclass(frozen=True)
class LineRate:
    when: Condition  # over line.* attributes
    vat_rate: str


@dataclass(frozen=True)
class ReverseCharge:
    document_types: frozenset[str]
    vat_rate: str
    note: Wording
    refused: Wording
    vat_rates: tuple[LineRate, ...] = ()
    editable_when: Condition = TRUE
    customer_editable_when: Condition = TRUE
    generated: tuple[Generated, ...] = ()


@dataclass(frozen=True)
class SplitPayment:
    document_types: frozenset[str]
    when: Condition
    mention: Wording
    editable_when: Condition = TRUE
    mention_currencies: frozenset[str] = frozenset()
    generated: tuple[Generated, ...] = ()


@dataclass(frozen=True)
class InvoiceRequired:
    """A document of `document_types` meeting `when` must be issued as `becomes` (Spain:
    an invoice, not a simplified one, above 400 EUR for a business): an action the till
    offers, not only a refusal."""

    document_types: frozenset[str]
    becomes: str
    when: Condition
    message: Wording


@dataclass(frozen=True)
class TaxMechanisms:
    """The merged TaxMechanisms of a pack; a section is None when not managed."""

    reverse_charge: ReverseCharge | None = None
    split_payment: SplitPayment | None = None
    invoice_required: InvoiceRequired | None = None
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # for `rules show`

    @property
    def reverse_charge_active(self) -> ReverseCharge | None:
        """Reverse charge for new documents: off while split payment is managed."""
        return None if self.split_payment is not None else self.reverse_charge


_SECTIONS = ("reverse_charge", "split_payment", "invoice_required")
Merged = dict[str, tuple[Any, SourceDocument, str]]


def merged_sections(pack: Pack, kind: str, sections: tuple[str, ...]) -> dict[str, Merged]:
    """Each section's keys merged over the chain, base first, with where each came from."""
    merged: dict[str, Merged] = {}
    for document in pack.of_kind(kind):
        for section in sections:
            spec = document.data.get(section)
            if not isinstance(spec, dict):
                continue
            target = merged.setdefault(section, {})
            for key, value in spec.items():
                target[key] = (value, document, f"/{section}/{key}")
    return merged


def shown(section: Merged) -> dict[str, Any]:
    """A merged section as `rules show` prints it: values and the file:line of each key."""
    out: dict[str, Any] = {key: value for key, (value, _, _) in section.items()}
    first: dict[str, int] = {}
    for _, document, at in section.values():
        line = document.mark(at)[0]
        first[document.file] = min(line, first.get(document.file, line))
    out["from"] = [f"{file}:{line}" for file, line in first.items()]
    return out


def _enabled(section: Merged | None) -> bool:
    return section is not None and bool(section.get("enabled", (True,))[0])


class _Reader:
    """Reads one merged section, collecting problems at the position of each key."""

    def __init__(self, section: Merged, name: str, problems: list[Problem]) -> None:
        self.section, self.name, self.problems = section, name, problems

    def problem(self, key: str, message: str) -> None:
        if key in self.section:
            _, document, at = self.section[key]
            self.problems.append(document.problem(at, message))
        else:
            document = next(iter(self.section.values()))[1]
            self.problems.append(document.problem(f"/{self.name}", message))

    def value(self, key: str, default: Any = None, *, required: bool = False) -> Any:
        if key in self.section:
            return self.section[key][0]
        if required:
            self.problem(key, f"{self.name} needs '{key}'")
        return default

    def condition(self, key: str, subject: str = "context") -> Condition:
        if key not in self.section:
            return TRUE
        raw, document, at = self.section[key]
        try:
            return parse_condition(raw, "line" if subject == "line" else "context", at)
        except ConditionError as error:
            self.problems.append(document.problem(error.at, error.message))
            return TRUE

    def rate(self, key: str, raw: Any, country: CountrySettings, at: str | None = None) -> str:
        code = str(raw)
        if code not in country.vat_rates:
            known = ", ".join(country.vat_rates)
            message = f"VAT rate '{code}' is not declared in the Country of the pack ({known})"
            if at is None:
                self.problem(key, message)
            else:
                _, document, _ = self.section[key]
                self.problems.append(document.problem(at, message))
        return code

    def generated(self) -> tuple[Generated, ...]:
        return tuple(Generated(g["from"], g["to"], g["flag"]) for g in self.value("generated", ()))

    def wording(self, key: str) -> Wording:
        return dict(self.value(key, {}, required=True))


def tax_mechanisms(pack: Pack, country: CountrySettings) -> tuple[TaxMechanisms, list[Problem]]:
    """The pack's merged TaxMechanisms and every problem found in them."""
    problems: list[Problem] = []
    merged = merged_sections(pack, "TaxMechanisms", _SECTIONS)
    sources = {name: shown(section) for name, section in merged.items()}
    reverse: ReverseCharge | None = None
    split: SplitPayment | None = None
    section = merged.get("reverse_charge")
    if section is not None and _enabled(section):
        read = _Reader(section, "reverse_charge", problems)
        rates = []
        _, _, rates_at = section.get("vat_rates", (None, None, "/reverse_charge/vat_rates"))
        for index, spec in enumerate(read.value("vat_rates", ())):
            at = f"{rates_at}/{index}"
            document = section["vat_rates"][1]
            try:
                when = parse_condition(spec["when"], "line", f"{at}/when")
            except ConditionError as error:
                problems.append(document.problem(error.at, error.message))
                continue
            code = read.rate("vat_rates", spec["vat_rate"], country, f"{at}/vat_rate")
            rates.append(LineRate(when, code))
        reverse = ReverseCharge(
            document_types=frozenset(read.value("document_types", ["invoice"])),
            vat_rate=read.rate("vat_rate", read.value("vat_rate", "", required=True), country),
            note=read.wording("note"),
            refused=read.wording("refused"),
            vat_rates=tuple(rates),
            editable_when=read.condition("editable_when"),
            customer_editable_when=read.condition("customer_editable_when"),
            generated=read.generated(),
        )
    section = merged.get("split_payment")
    if section is not None and _enabled(section):
        read = _Reader(section, "split_payment", problems)
        if "when" not in section:
            read.problem("when", "split_payment needs 'when': the conditions that set it")
        split = SplitPayment(
            document_types=frozenset(read.value("document_types", ["invoice"])),
            when=read.condition("when"),
            mention=read.wording("mention"),
            editable_when=read.condition("editable_when"),
            mention_currencies=frozenset(read.value("mention_currencies", [country.currency.code])),
            generated=read.generated(),
        )
    if "reverse_charge" in sources:
        sources["reverse_charge"]["in_force"] = reverse is not None and split is None
    if "split_payment" in sources:
        sources["split_payment"]["in_force"] = split is not None
    required: InvoiceRequired | None = None
    section = merged.get("invoice_required")
    if section is not None and _enabled(section):
        read = _Reader(section, "invoice_required", problems)
        required = InvoiceRequired(
            document_types=frozenset(read.value("document_types", ["receipt"])),
            becomes=read.value("becomes", "invoice"),
            when=read.condition("when"),
            message=read.wording("message"),
        )
    return TaxMechanisms(reverse, split, required, sources), problems
