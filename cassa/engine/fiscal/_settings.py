"""The `FiscalRules` kind: the fiscal printer a country expects, and fiscal integrity.

```yaml
apiVersion: cassa/v1
kind: FiscalRules
fiscal_printer:                      # Italy: the RT printer registers every receipt
  kind: epson_rt
  document_types: [receipt]
  z_report_on_day_closing: true      # closing the day at the till closes the printer's day
  departments: {"22": 1, "10": 2, "4": 3, "5": 4, N2: 5, N4: 6}
integrity:                           # France: a hash chain over approved documents
  document_types: [receipt, invoice]
  short_hash_length: 8
  closings: [day, month, year]
  duplicate_label: {fr: Duplicata n°, en: Duplicate no.}
  signing: required                  # optional (the default): signs when the till has a key
  signed: [closing]                  # add `document` where every receipt must be signed
tse:                                 # Germany: a security module signs every receipt
  document_types: [receipt, invoice]
  fields:                            # printed under the receipt, in this order
    - {value: serial, label: {de: TSE-Seriennummer, en: TSE serial number}}
    - {value: signature_counter, label: {de: Signaturzähler, en: Signature counter}}
  qr_code: true                      # DSFinV-K's QR code of the transaction
```
Sections merge over the pack chain key by key, base first; `enabled: false`
switches a section off in a pack that extends one declaring it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cassa.engine.packs import Pack
from cassa.engine.taxes._settings import Wording, merged_sections, shown
from cassa.engine.yamlsource import Problem

__all__ = [
    "TSE_FIELDS",
    "FiscalPrinterRules",
    "FiscalRules",
    "IntegrityRules",
    "TseRules",
    "fiscal_rules",
]

# what a TSE transaction answers, as a pack names it for the receipt
TSE_FIELDS = (
    "serial",
    "number",
    "signature_counter",
    "start",
    "finish",
    "process_type",
    "process_data",
    "algorithm",
    "signature",
    "public_key",
)


@dataclass(frozen=True)
class FiscalPrinterRules:
    kind: str = "epson_rt"
    document_types: frozenset[str] = frozenset({"receipt"})
    z_report_on_day_closing: bool = True
    departments: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class IntegrityRules:
    document_types: frozenset[str] = frozenset({"receipt", "invoice"})
    short_hash_length: int = 8
    closings: tuple[str, ...] = ("day", "month", "year")
    duplicate_label: Wording = field(default_factory=lambda: {"en": "Duplicate no."})
    # required: the till closes no day without its signing key; optional: it signs when
    # its configuration names a key.
    signing: str = "optional"
    signed: frozenset[str] = frozenset({"closing"})  # the kinds of link that are signed

    @property
    def signing_required(self) -> bool:
        return self.signing == "required"


@dataclass(frozen=True)
class TseRules:
    document_types: frozenset[str] = frozenset({"receipt", "invoice"})
    fields: tuple[tuple[str, Wording], ...] = ()  # (TSE_FIELDS name, label per language)
    qr_code: bool = True


@dataclass(frozen=True)
class FiscalRules:
    fiscal_printer: FiscalPrinterRules | None = None
    integrity: IntegrityRules | None = None
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # for `rules show`
    tse: TseRules | None = None


def fiscal_rules(pack: Pack) -> tuple[FiscalRules, list[Problem]]:
    problems: list[Problem] = []
    merged = merged_sections(pack, "FiscalRules", ("fiscal_printer", "integrity", "tse"))
    values = {
        name: {key: value for key, (value, _, _) in section.items()}
        for name, section in merged.items()
    }
    printer: FiscalPrinterRules | None = None
    integrity: IntegrityRules | None = None
    spec = values.get("fiscal_printer")
    if spec is not None and spec.get("enabled", True):
        printer = FiscalPrinterRules(
            kind=spec.get("kind", "epson_rt"),
            document_types=frozenset(spec.get("document_types", ["receipt"])),
            z_report_on_day_closing=spec.get("z_report_on_day_closing", True),
            departments={str(k): int(v) for k, v in spec.get("departments", {}).items()},
        )
    spec = values.get("integrity")
    if spec is not None and spec.get("enabled", True):
        defaults = IntegrityRules()
        closings = tuple(spec.get("closings", defaults.closings))
        if "day" not in closings and closings:
            _, document, at = merged["integrity"]["closings"]
            problems.append(
                document.problem(at, "monthly and yearly closings need the daily one ('day')")
            )
        integrity = IntegrityRules(
            document_types=frozenset(spec.get("document_types", defaults.document_types)),
            short_hash_length=int(spec.get("short_hash_length", defaults.short_hash_length)),
            closings=closings,
            duplicate_label=dict(spec.get("duplicate_label", defaults.duplicate_label)),
            signing=str(spec.get("signing", defaults.signing)),
            signed=frozenset(spec.get("signed", defaults.signed)),
        )
    tse: TseRules | None = None
    spec = values.get("tse")
    if spec is not None and spec.get("enabled", True):
        tse = TseRules(
            document_types=frozenset(spec.get("document_types", TseRules().document_types)),
            fields=tuple((str(f["value"]), dict(f["label"])) for f in spec.get("fields", ())),
            qr_code=bool(spec.get("qr_code", True)),
        )
    sources = {name: shown(section) for name, section in merged.items()}
    return FiscalRules(printer, integrity, sources, tse), problems
