"""Which tenders a document may be paid with, and why: the pack's TenderRules.

The payment step builds the sale's context fact (the same attributes promotions
see: document.*, customer.*, basket.*, clock.*, till.*, operator.*, plus
`document.total`, the gross amount to pay), asks a matcher which rules hold,
and turns them into one option per tender: the currencies it may take, the
currencies refused and the rules (with their notices) that refused them.

`PythonTenderMatcher` evaluates the condition trees with
`cassa.engine.rules.conditions.evaluate`; a matcher on the durable-rules engine
only has to offer the same `match(context) -> rule ids`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from cassa.engine.catalog import Catalog
from cassa.engine.documents import Document
from cassa.engine.lines import pricing_line
from cassa.engine.messages import Message, PackMessage
from cassa.engine.payments._settings import Tender, TenderRule
from cassa.engine.pricing.facts import FlatView, SaleContext, context_attributes
from cassa.engine.rules.conditions import evaluate
from cassa.engine.rules.context_matcher import ContextMatcher
from cassa.i18n import SOURCE_LANGUAGE

__all__ = [
    "DurableTenderMatcher",
    "PythonTenderMatcher",
    "TenderMatcher",
    "TenderOption",
    "rule_notice",
    "tender_context",
    "tender_options",
]


class TenderMatcher(Protocol):
    def match(self, context: Mapping[str, Any]) -> frozenset[str]: ...


class DurableTenderMatcher:
    """The pack's tender rules matched on the durable-rules engine."""

    def __init__(self, rules: Iterable[TenderRule]) -> None:
        self.matcher = ContextMatcher("tender-rules", ((rule.id, rule.when) for rule in rules))

    def match(self, context: Mapping[str, Any]) -> frozenset[str]:
        return self.matcher.match(context)


class PythonTenderMatcher:
    """Holds each rule whose `when` is true on the context: the reference the
    engine's matches are checked against."""

    def __init__(self, rules: Iterable[TenderRule]) -> None:
        self.rules = tuple(rules)

    def match(self, context: Mapping[str, Any]) -> frozenset[str]:
        view = FlatView(context)
        return frozenset(rule.id for rule in self.rules if evaluate(rule.when, view))


@dataclass(frozen=True)
class TenderOption:
    """A tender in the payment window: the currencies it may take now, and why not others."""

    tender: Tender
    currencies: tuple[str, ...]
    refused: tuple[str, ...]
    rules: tuple[str, ...]  # ids of the rules that refuse something
    notices: tuple[Message, ...]
    caps: tuple[TenderRule, ...] = ()  # rules that cap what this tender may pay

    @property
    def allowed(self) -> bool:
        return bool(self.currencies)

    def why_not(self, currency: str, locale: str = "en") -> str:
        notes = "; ".join(n.render(locale) for n in self.notices)
        rules = ", ".join(self.rules)
        return (
            f"{self.tender.name} in {currency} is not allowed for this document "
            f"(rule {rules}){': ' + notes if notes else ''}"
        )

    def as_json(self, locale: str = "en") -> dict[str, Any]:
        return {
            "tender": self.tender.code,
            "type": self.tender.type.value,
            "name": self.tender.name,
            "allowed": self.allowed,
            "currencies": list(self.currencies),
            "refused_currencies": list(self.refused),
            "rules": list(self.rules),
            "notices": [n.render(locale) for n in self.notices],
        }


def rule_notice(rule: TenderRule) -> Message:
    if rule.message is not None:
        return Message(rule.message)
    return PackMessage("tender_rule_notice", texts=((SOURCE_LANGUAGE, rule.notice or rule.name),))


def tender_context(
    document: Document,
    sale: SaleContext,
    catalog: Catalog,
    total: Decimal,
) -> dict[str, Any]:
    lines = [pricing_line(line, catalog) for line in document.lines]
    context = context_attributes(lines, sale)
    context["document.total"] = total
    return context


def cash_document_context(sale: SaleContext, amount: Decimal) -> dict[str, Any]:
    context = context_attributes([], sale)
    context["document.total"] = amount
    return context


def tender_options(
    tenders: Iterable[Tender],
    rules: Sequence[TenderRule],
    matched: frozenset[str],
) -> list[TenderOption]:
    holding = [rule for rule in rules if rule.id in matched]
    options = []
    for tender in tenders:
        if not tender.active:
            continue
        allowed: list[str] = []
        refused: list[str] = []
        refusing: list[TenderRule] = []
        for currency in tender.currencies:
            against = [rule for rule in holding if rule.refuses(tender, currency)]
            if against:
                refused.append(currency)
                refusing.extend(r for r in against if r not in refusing)
            else:
                allowed.append(currency)
        options.append(
            TenderOption(
                tender,
                tuple(allowed),
                tuple(refused),
                tuple(r.id for r in refusing),
                tuple(rule_notice(r) for r in refusing),
                tuple(rule for rule in holding if rule.caps(tender)),
            )
        )
    return options


def sale_context_for(
    till: Any, document_type: str, now: datetime, customer: str | None = None
) -> SaleContext:
    """The context of a document that has no lines (a cash in / cash out)."""
    pricing = till.pricing
    found = pricing.catalog.find_customer(customer)
    context: SaleContext = pricing.pricer.sale_context(
        now=now,
        document_type=document_type,
        till=till.code,
        store=till.store.code,
        operator=till.operator,
        operator_roles=frozenset([pricing.role.code]) if pricing.role else frozenset(),
        customer=found,
    )
    return context
