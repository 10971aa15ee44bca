"""The discount summary of a document, grouped as the seed shows it.

Sections: item discounts (promotions and bundles on lines) grouped by each
rule's discount group ("other" when it has none), basket-threshold discounts
(header discounts by value, gifts), and the operator's discounts; then the
value before and after discounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from cassa.engine.documents import Adjustment

__all__ = ["DiscountSummary", "SummaryGroup", "discount_summary"]

ZERO = Decimal(0)
HEADER_KINDS = {"basket_threshold", "gift"}


@dataclass
class SummaryGroup:
    name: str
    total: Decimal = ZERO
    entries: dict[str, Decimal] = field(default_factory=dict)  # rule label -> amount

    def add(self, label: str, amount: Decimal) -> None:
        self.total += amount
        self.entries[label] = self.entries.get(label, ZERO) + amount


@dataclass
class DiscountSummary:
    value_before: Decimal
    item_discounts: Decimal
    item_groups: list[SummaryGroup]
    threshold_discounts: SummaryGroup
    operator_discounts: SummaryGroup
    value_after: Decimal


def discount_summary(
    values: Iterable[tuple[Decimal, tuple[Adjustment, ...]]], groups_by_rule: dict[str, str]
) -> DiscountSummary:
    """`values` holds each line's list value and its adjustments."""
    before = ZERO
    item_groups: dict[str, SummaryGroup] = {}
    threshold = SummaryGroup("basket threshold")
    operator = SummaryGroup("operator")
    for value, adjustments in values:
        before += value
        for adjustment in adjustments:
            label = adjustment.label or adjustment.source
            if adjustment.source.startswith("operator:"):
                operator.add(adjustment.kind, adjustment.amount)
            elif adjustment.kind in HEADER_KINDS:
                threshold.add(label, adjustment.amount)
            else:
                name = groups_by_rule.get(adjustment.source) or "other"
                item_groups.setdefault(name, SummaryGroup(name)).add(label, adjustment.amount)
    ordered = sorted(item_groups.values(), key=lambda g: (g.name == "other", g.name))
    item_total = sum((g.total for g in ordered), ZERO)
    return DiscountSummary(
        value_before=before,
        item_discounts=item_total,
        item_groups=ordered,
        threshold_discounts=threshold,
        operator_discounts=operator,
        value_after=before - item_total - threshold.total - operator.total,
    )
