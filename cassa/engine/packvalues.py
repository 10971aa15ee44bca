"""What the schemas cannot say about a pack's values, checked before anything is built.

A schema-valid document can still change money or rights without a word: a
second role `cashier` in the same pack widens what cashiers may do, a second
VAT code turns 22 % into 4 %, a validity range that ends before it starts
makes a promotion silently dead, 2027-02-30 passes a pattern and stops a
till when it is read as a date. These checks run on the YAML documents (with
their positions) right after the schema, so the code that builds rules,
roles and tenders only ever sees values that make sense.

- Codes are unique per kind inside one pack (a pack that extends another
  may replace a code: that is how packs are tailored).
- Kinds that hold one set of settings (Country, Security, …) appear once
  per pack.
- Dates exist in the calendar; validity ranges and time windows are in order;
  discount bounds are in order and a multiplied percent stays within 100.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from cassa.engine.yamlsource import Problem, SourceDocument

__all__ = ["ONE_PER_PACK", "UNIQUE_KEYS", "document_problems", "pack_level_problems"]

# kind -> (list field, key of each entry) whose keys must be unique in one pack
UNIQUE_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "Currencies": (("currencies", "code"),),
    "Country": (("vat_rates", "code"),),
    "Promotions": (),  # rule ids: checked while merging, with the rule's own message
    "Coupons": (("coupons", "code"),),
    "PriceGuards": (("items", "sku"), ("groups", "group")),
    "Roles": (("roles", "code"), ("permissions", "name")),
    "Tenders": (("tenders", "code"), ("voucher_kinds", "code")),
    "TenderRules": (("rules", "id"),),
    "SafeRules": (("reminders", "id"),),
}
ONE_PER_PACK = frozenset(
    {
        "Pack",
        "Country",
        "Security",
        "CashRules",
        "ViewLayout",
        "TaxMechanisms",
        "FiscalRules",
        "Orders",
        "TaxFree",
    }
)
_HUNDRED = Decimal(100)


def pack_level_problems(documents: list[SourceDocument]) -> list[Problem]:
    """Codes used twice, and kinds of one document declared twice, in one pack folder."""
    problems: list[Problem] = []
    first_of_kind: dict[str, SourceDocument] = {}
    seen: dict[tuple[str, str, str], tuple[str, int, int]] = {}
    for document in documents:
        kind = document.data["kind"]
        if kind in ONE_PER_PACK:
            if kind in first_of_kind:
                where = _where(first_of_kind[kind], "")
                problems.append(
                    document.problem(
                        "/kind",
                        f"a second {kind} document (the first is at {where}); a pack has one",
                    )
                )
            first_of_kind.setdefault(kind, document)
        for field, key in UNIQUE_KEYS.get(kind, ()):
            entries = document.data.get(field)
            for index, entry in enumerate(entries if isinstance(entries, list) else ()):
                code = entry.get(key) if isinstance(entry, dict) else None
                if not isinstance(code, str):
                    continue
                at = f"/{field}/{index}/{key}"
                first = seen.setdefault((kind, field, code), (document.file, *document.mark(at)))
                if first != (document.file, *document.mark(at)):
                    problems.append(
                        document.problem(
                            at,
                            f"{key} '{code}' is declared twice in this pack (first at "
                            f"{first[0]}:{first[1]}:{first[2]}): the second would silently "
                            "replace the first",
                        )
                    )
    return problems


def document_problems(document: SourceDocument) -> list[Problem]:
    """Dates, ranges and bounds inside one schema-valid document."""
    kind = document.data["kind"]
    if kind == "Promotions":
        return [
            problem
            for index, rule in enumerate(document.data.get("rules", ()))
            for problem in _rule_problems(document, f"/rules/{index}", rule)
        ]
    if kind == "Coupons":
        return [
            problem
            for index, coupon in enumerate(document.data.get("coupons", ()))
            for problem in _validity(document, f"/coupons/{index}", coupon)
        ]
    return []


def _where(document: SourceDocument, at: str) -> str:
    line, column = document.mark(at)
    return f"{document.file}:{line}:{column}"


def _rule_problems(document: SourceDocument, at: str, rule: dict[str, Any]) -> Iterator[Problem]:
    yield from _validity(document, at, rule)
    for discount_at, discount in _discounts(at, rule):
        yield from _discount_problems(document, discount_at, discount)
    for field, key in (("tiers", "min_quantity"), ("thresholds", "min_value")):
        steps: dict[Decimal, int] = {}
        for index, step in enumerate(rule.get(field, ())):
            value = Decimal(str(step[key]))
            if value in steps:
                yield document.problem(
                    f"{at}/{field}/{index}/{key}",
                    f"two {field} start at {value} (the first is {field}[{steps[value]}]): "
                    "which one applies would be left to chance",
                )
            steps.setdefault(value, index)


def _discounts(at: str, rule: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(rule.get("discount"), dict):
        yield f"{at}/discount", rule["discount"]
    for field in ("tiers", "thresholds"):
        for index, step in enumerate(rule.get(field, ())):
            if isinstance(step.get("discount"), dict):
                yield f"{at}/{field}/{index}/discount", step["discount"]
    bundle = rule.get("bundle")
    if isinstance(bundle, dict) and isinstance(bundle.get("discount"), dict):
        yield f"{at}/bundle/discount", bundle["discount"]


def _discount_problems(
    document: SourceDocument, at: str, discount: dict[str, Any]
) -> list[Problem]:
    problems = []
    if "percent" in discount:
        effective = Decimal(str(discount["percent"])) * Decimal(str(discount.get("multiplier", 1)))
        if effective > _HUNDRED:
            problems.append(
                document.problem(
                    f"{at}/multiplier",
                    f"percent x multiplier is {effective.normalize():f} %: a discount above "
                    "100 % would make prices negative",
                )
            )
    low, high = discount.get("min", {}).get("amount"), discount.get("max", {}).get("amount")
    if low is not None and high is not None and Decimal(str(low)) > Decimal(str(high)):
        problems.append(
            document.problem(
                f"{at}/min/amount", f"the minimum discount {low} is above the maximum {high}"
            )
        )
    return problems


def _validity(document: SourceDocument, at: str, spec: dict[str, Any]) -> Iterator[Problem]:
    """Validity dates of a rule, a coupon or a schedule: real dates, in order."""
    yield from _range(document, at, spec)
    schedule = spec.get("schedule")
    if not isinstance(schedule, dict):
        return
    yield from _range(document, f"{at}/schedule", schedule)
    for index, window in enumerate(schedule.get("windows", ())):
        window_at = f"{at}/schedule/windows/{index}"
        if "start" in window:
            yield from _date(document, f"{window_at}/start", window["start"])
        start, end = window.get("from", "00:00"), window.get("to", "24:00")
        if start >= end:
            yield document.problem(
                f"{window_at}/to",
                f"the window ends at {end}, not after it starts at {start}: it would never "
                "be open (a window across midnight is two windows, to 24:00 and from 00:00)",
            )
    for index, day in enumerate(schedule.get("exclude", {}).get("dates", ())):
        yield from _date(document, f"{at}/schedule/exclude/dates/{index}", day)


def _range(document: SourceDocument, at: str, spec: dict[str, Any]) -> Iterator[Problem]:
    found = {}
    for key in ("valid_from", "valid_to"):
        if key in spec:
            problems = list(_date(document, f"{at}/{key}", spec[key]))
            yield from problems
            if not problems:
                found[key] = date.fromisoformat(spec[key])
    if len(found) == 2 and found["valid_from"] > found["valid_to"]:
        yield document.problem(
            f"{at}/valid_to",
            f"valid_to {found['valid_to']} is before valid_from {found['valid_from']}: "
            "the range is reversed",
        )


def _date(document: SourceDocument, at: str, text: Any) -> Iterator[Problem]:
    try:
        date.fromisoformat(str(text))
    except ValueError as error:
        yield document.problem(at, f"{text} is not a date in the calendar ({error})")
