"""The `TaxFree` kind: whether and from what amount a country issues TAX FREE forms.

```yaml
apiVersion: cassa/v1
kind: TaxFree
forms:
  minimum_total: "70.01"        # a receipt's gross total, in the country's currency
  excluded_residence: [IT, FR]  # travellers resident there get no form (the VAT area)
```
A pack without the kind issues no forms. Keys merge over the pack chain, base first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from cassa.engine.packs import Pack
from cassa.engine.taxes._settings import merged_sections, shown
from cassa.engine.yamlsource import Problem

__all__ = ["TaxFreeSettings", "tax_free_settings"]


@dataclass(frozen=True)
class TaxFreeSettings:
    minimum_total: Decimal = Decimal(0)
    excluded_residence: frozenset[str] = frozenset()
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # for `rules show`


def tax_free_settings(pack: Pack) -> tuple[TaxFreeSettings | None, list[Problem]]:
    """The pack's merged TaxFree (None when the pack has none) and its problems."""
    if not pack.of_kind("TaxFree"):
        return None, []
    merged = merged_sections(pack, "TaxFree", ("forms",))
    forms = merged.get("forms", {})
    problems: list[Problem] = []
    minimum = Decimal(0)
    if "minimum_total" in forms:
        value, document, at = forms["minimum_total"]
        try:
            minimum = Decimal(str(value))
        except InvalidOperation:
            problems.append(document.problem(at, f"'{value}' is not an amount"))
    excluded = forms.get("excluded_residence", ((), None, ""))[0]
    settings = TaxFreeSettings(
        minimum_total=minimum,
        excluded_residence=frozenset(str(code) for code in excluded),
        sources={name: shown(section) for name, section in merged.items()},
    )
    return settings, problems
