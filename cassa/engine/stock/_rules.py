"""The `StockRules` kind: what a sale below the stock on hand does, per item group.

```yaml
apiVersion: cassa/v1
kind: StockRules
negative_stock:
  default: allow          # allow | warn | refuse
  groups: {food: refuse, fashion: warn}
```
A group's policy applies to its subgroups unless they declare their own; keys merge over
the pack chain, base first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from cassa.engine.catalog import CatalogReferences
from cassa.engine.packs import Pack
from cassa.engine.yamlsource import Problem

__all__ = ["NegativeStock", "StockRules", "stock_rules"]


class NegativeStock(StrEnum):
    ALLOW = "allow"
    WARN = "warn"
    REFUSE = "refuse"


@dataclass(frozen=True)
class StockRules:
    default: NegativeStock = NegativeStock.ALLOW
    groups: dict[str, NegativeStock] = field(default_factory=dict)

    def negative(self, group: str | None, path: Callable[[str], list[str]]) -> NegativeStock:
        """The policy of an item group: its own, its nearest ancestor's, or the default."""
        if group is not None and self.groups:
            for code in path(group):
                if code in self.groups:
                    return self.groups[code]
        return self.default


def stock_rules(
    pack: Pack, catalog: CatalogReferences | None = None
) -> tuple[StockRules, list[Problem]]:
    default = NegativeStock.ALLOW
    groups: dict[str, NegativeStock] = {}
    problems: list[Problem] = []
    for document in pack.of_kind("StockRules"):
        spec = document.data.get("negative_stock") or {}
        if "default" in spec:
            default = NegativeStock(spec["default"])
        for code, policy in (spec.get("groups") or {}).items():
            groups[code] = NegativeStock(policy)
            if catalog is not None and catalog.missing_groups([code]):
                problems.append(
                    document.problem(
                        f"/negative_stock/groups/{code}", f"unknown item group '{code}'"
                    )
                )
    return StockRules(default, groups), problems
