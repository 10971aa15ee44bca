"""Pricing one till's documents: re-price after every change, incrementally."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from cassa.engine.catalog import Catalog, Customer
from cassa.engine.documents import Document
from cassa.engine.lines import pricing_line
from cassa.engine.messages import Message
from cassa.engine.pricing.applicator import PricingResult
from cassa.engine.pricing.engine import Pricer, RuleExplanation
from cassa.engine.pricing.facts import SaleContext
from cassa.engine.pricing.summary import DiscountSummary, discount_summary
from cassa.engine.rules.rulepack import Role, RulePack

__all__ = ["SalePricing"]


@dataclass
class SalePricing:
    pack: RulePack
    catalog: Catalog
    pricer: Pricer
    till: str
    store: str
    operator: str
    role: Role | None = None
    last: PricingResult | None = None
    messages: list[Message] = field(default_factory=list)
    priced: str | None = None  # the document the last pricing and its messages are about

    @classmethod
    def create(
        cls,
        pack: RulePack,
        catalog: Catalog,
        *,
        till: str,
        store: str,
        operator: str,
        role: Role | None,
    ) -> SalePricing:
        return cls(pack, catalog, Pricer(pack, catalog), till, store, operator, role)

    def context(self, document: Document, now: datetime) -> SaleContext:
        customer = self.catalog.find_customer(document.customer)
        return self.pricer.sale_context(
            now=now,
            document_type=document.type.value,
            till=self.till,
            store=self.store,
            operator=self.operator,
            operator_roles=frozenset([self.role.code]) if self.role else frozenset(),
            customer=customer,
            inputs=document.inputs,
            reverse_charge=document.reverse_charge,
            split_payment=document.split_payment,
        )

    def reprice(self, document: Document, now: datetime) -> Document:
        """The document with every line's adjustments as the rules give them now."""
        lines = [pricing_line(line, self.catalog) for line in document.lines]
        result = self.pricer.price(
            document.id, lines, self.context(document, now), role=self.role, inputs=document.inputs
        )
        self.last = result
        self.messages = result.messages
        self.priced = document.id
        repriced = []
        for line in document.lines:
            adjustments = result.adjustments.get(line.id, ())
            repriced.append(
                line if line.adjustments == adjustments else replace(line, adjustments=adjustments)
            )
        return replace(document, lines=repriced)

    def explain(self, document: Document, now: datetime) -> list[RuleExplanation]:
        lines = [pricing_line(line, self.catalog) for line in document.lines]
        context = self.context(document, now)
        result = self.pricer.price(
            document.id, lines, context, role=self.role, inputs=document.inputs, explain=True
        )
        return self.pricer.explain(lines, context, result)

    def summary(self, document: Document) -> DiscountSummary:
        groups = {p.id: p.discount_group for p in self.pack.promotions}
        values = [
            (
                self.pack.country.currency.round(line.list_price * line.base_quantity),
                line.adjustments,
            )
            for line in document.lines
        ]
        return discount_summary(values, groups)

    def messages_for(self, document: Document, now: datetime) -> list[Message]:
        """What the rules say about this document ("spend 12 € more"), never about the one
        priced before it: a resumed document is priced again for its messages (its
        discounts stay as they were until it changes, as the seed says)."""
        if self.priced != document.id:
            self.reprice(document, now)
        return list(self.messages)

    def forget(self, document: Document) -> None:
        self.pricer.close(document.id)
        if self.priced == document.id:
            self.priced = None
            self.messages = []

    def customer(self, document: Document) -> Customer | None:
        return self.catalog.find_customer(document.customer)
