"""What a pack's conditions and lists refer to, checked so that no typo leaves a rule dead.

Every condition leaf of every document (promotions, tender rules, tax
mechanisms, reminders, layouts) is found in the YAML itself, with its
position, and its values are checked against what they name:

- `schedules`, `coupons` and `manual` name rules of the pack that have a
  schedule, a coupon or a manual pick;
- enumerated attributes (`customer.kind`, `clock.weekday`, `line.item_type`,
  `document.type`) take one of their values: `busines` is an error, not a rule
  that never applies;
- `line.vat_code`, `document.currency` and `operator.roles` name VAT rates,
  currencies and roles the pack declares;
- SKUs, item groups, customers and customer groups are asked of the store's
  catalog through `KnownCodes`, a narrow interface: `catalog_codes` asks the
  catalog's `missing_*` (cassa.engine.catalog.CatalogReferences): from memory,
  or from the database with one query per kind.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from cassa.engine.rules.conditions import ATTRIBUTE_VALUES, Op
from cassa.engine.yamlsource import Problem, SourceDocument

if TYPE_CHECKING:
    from cassa.engine.catalog import CatalogReferences
    from cassa.engine.packs import Pack
    from cassa.engine.rules.rulepack import RulePack

__all__ = [
    "CatalogReference",
    "KnownCodes",
    "catalog_codes",
    "condition_leaves",
    "condition_problems",
    "condition_references",
]

LABELS = {
    "items": "SKU",
    "groups": "item group",
    "customers": "customer",
    "customer_groups": "customer group",
}
# Attributes whose values are catalog codes, and the kind of code; a name ending in
# ".*" carries its code in the attribute's last segment.
_CATALOG_ATTRIBUTES = {
    "line.sku": "items",
    "line.group": "groups",
    "line.groups": "groups",
    "customer.code": "customers",
    "customer.groups": "customer_groups",
}
_CATALOG_SEGMENTS = {
    "basket.group_value.": "groups",
    "basket.group_quantity.": "groups",
    "basket.sku_quantity.": "items",
}
_RULE_SETS = {"schedules": "schedule", "coupons": "coupon", "manual": "manual pick"}


class KnownCodes(Protocol):
    """The store's catalog as the pack's checks see it."""

    def unknown(self, kind: str, codes: Collection[str]) -> set[str]:
        """Which of `codes` (SKUs, item groups, customers, customer groups) do not exist."""
        ...


@dataclass(frozen=True)
class _CatalogCodes:
    catalog: CatalogReferences

    def unknown(self, kind: str, codes: Collection[str]) -> set[str]:
        ask = {
            "items": self.catalog.missing_skus,
            "groups": self.catalog.missing_groups,
            "customers": self.catalog.missing_customers,
            "customer_groups": self.catalog.missing_customer_groups,
        }[kind]
        return ask(codes) if codes else set()


def catalog_codes(catalog: CatalogReferences) -> KnownCodes:
    """The codes of a catalog, in memory or in the database (one query per kind)."""
    return _CatalogCodes(catalog)


@dataclass(frozen=True)
class CatalogReference:
    document: SourceDocument
    at: str
    kind: str  # items, groups, customers, customer_groups
    code: str


def condition_leaves(document: SourceDocument) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every mapping with an `attr` (a condition leaf) in a document, with its pointer."""
    stack: list[tuple[str, Any]] = [("", document.data)]
    while stack:
        at, node = stack.pop()
        if isinstance(node, Mapping):
            if isinstance(node.get("attr"), str):
                yield at, node
            stack.extend((f"{at}/{key}", value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((f"{at}/{index}", value) for index, value in enumerate(node))


def _values(leaf: Mapping[str, Any], at: str) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of each value a leaf compares with."""
    for op in Op:
        if op.value not in leaf:
            continue
        raw = leaf[op.value]
        if isinstance(raw, list):
            yield from ((f"{at}/{op.value}/{i}", value) for i, value in enumerate(raw))
        else:
            yield f"{at}/{op.value}", raw


def condition_references(pack: Pack) -> list[CatalogReference]:
    """Catalog codes named in the conditions of every document of the pack."""
    found: list[CatalogReference] = []
    for document in pack.documents:
        for at, leaf in condition_leaves(document):
            attr = leaf["attr"]
            kind = _CATALOG_ATTRIBUTES.get(attr)
            if kind is not None:
                found.extend(
                    CatalogReference(document, value_at, kind, value)
                    for value_at, value in _values(leaf, at)
                    if isinstance(value, str)
                )
                continue
            for prefix, kind in _CATALOG_SEGMENTS.items():
                if attr.startswith(prefix):
                    found.append(
                        CatalogReference(document, f"{at}/attr", kind, attr[len(prefix) :])
                    )
    return found


def condition_problems(pack: Pack, result: RulePack) -> list[Problem]:
    """Rule ids, enumerated values and the pack's own codes named in conditions."""
    features = {
        "schedules": {p.id for p in result.promotions if p.schedule is not None},
        "coupons": {p.id for p in result.promotions if p.coupon},
        "manual": {p.id for p in result.promotions if p.manual},
    }
    rule_ids = {p.id for p in result.promotions}
    declared = {
        "line.vat_code": ("VAT rate", set(result.country.vat_rates)),
        "document.currency": ("currency", set(result.country.currencies)),
        "operator.roles": ("role", set(result.roles)),
    }
    problems = []
    for document in pack.documents:
        for at, leaf in condition_leaves(document):
            attr = leaf["attr"]
            for value_at, value in _values(leaf, at):
                if not isinstance(value, str):
                    continue  # the condition's own parser says what is wrong with it
                message = None
                if attr in features and value not in features[attr]:
                    why = "is not a rule" if value not in rule_ids else f"has no {_RULE_SETS[attr]}"
                    message = f"'{value}' {why} of this pack (in {attr})"
                elif attr in ATTRIBUTE_VALUES and value not in ATTRIBUTE_VALUES[attr]:
                    allowed = ", ".join(v for v in ATTRIBUTE_VALUES[attr] if v)
                    message = f"'{value}' is not a value of {attr} (one of: {allowed})"
                elif attr in declared and value not in declared[attr][1]:
                    label, known = declared[attr]
                    listed = ", ".join(sorted(known)) or "none"
                    message = f"no {label} '{value}' in this pack (declared: {listed})"
                if message is not None:
                    problems.append(document.problem(value_at, message))
    return problems
