"""Pricing a basket without a till or a database: `cassa price` and pack tests.

A basket names lines (SKU, quantity, unit, optional list price and operator
discount), the customer, coupons, loyalty card, manual picks and the moment.
It is priced by the same code the till uses, on a document held in memory.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from cassa.engine.catalog import Catalog
from cassa.engine.documents import (
    Document,
    DocumentTotals,
    DocumentType,
    OperatorDiscount,
    SaleInputs,
)
from cassa.engine.errors import InvalidInput
from cassa.engine.lines import item_line
from cassa.engine.messages import Message
from cassa.engine.money import Currency, to_decimal
from cassa.engine.pricing.engine import RuleExplanation
from cassa.engine.pricing.session import SalePricing
from cassa.engine.pricing.summary import DiscountSummary
from cassa.engine.rules.rulepack import RulePack
from cassa.i18n import _, translate

__all__ = ["PricedBasket", "price_basket", "priced_basket_json"]


@dataclass
class PricedBasket:
    currency: Currency
    document: Document
    totals: DocumentTotals
    summary: DiscountSummary
    messages: list[Message]
    explanations: list[RuleExplanation]


def price_basket(
    pack: RulePack,
    catalog: Catalog,
    basket: dict[str, Any],
    *,
    at: datetime,
    timezone: str = "UTC",
    pricing: SalePricing | None = None,
) -> PricedBasket:
    """Price a basket (schema-valid data) at `at` and explain every rule."""
    now = at.astimezone(ZoneInfo(timezone))
    role = pack.roles.get(basket["role"]) if "role" in basket else None
    if "role" in basket and role is None:
        raise InvalidInput(
            _("role {role} is not declared in pack {name}", role=basket["role"], name=pack.name)
        )
    operator = basket.get("operator", "operator")
    if pricing is None:
        pricing = SalePricing.create(
            pack, catalog, till="T00", store="basket", operator=operator, role=role
        )
    kind = DocumentType(basket.get("document", "receipt"))
    customer = catalog.customer(basket["customer"]) if basket.get("customer") else None
    if basket.get("loyalty_card") and customer is None:
        customer = catalog.card_owner(str(basket["loyalty_card"]))
    document = Document(
        id=str(uuid.uuid4()),
        type=kind,
        store="basket",
        till="T00",
        currency=pack.country.currency.code,
        direction=pack.country.direction_for(kind.value),
        created_at=now,
        operator=operator,
        customer=customer.code if customer else None,
    )
    line_discounts = []
    for spec in basket["lines"]:
        line = item_line(
            catalog.find(str(spec["sku"])),
            to_decimal(spec.get("quantity", 1)),
            spec.get("unit"),
            customer=customer,
            day=now.date(),
            catalog=catalog,
            country=pack.country,
            direction=document.direction,
            operator=operator,
        )
        if "list_price" in spec:
            line = replace(line, list_price=to_decimal(spec["list_price"]), price_source="manual")
        document.lines.append(line)
        if "discount" in spec:
            line_discounts.append((line.id, _operator(spec["discount"])))
    for code in basket.get("coupons", ()):
        pricing.pricer.coupon(code, customer, now)
    document.inputs = SaleInputs(
        coupons=tuple(basket.get("coupons", ())),
        manual=tuple(basket.get("manual", ())),
        loyalty_card=basket.get("loyalty_card"),
        line_discounts=tuple(line_discounts),
        header_discount=_operator(basket["header_discount"])
        if "header_discount" in basket
        else None,
    )
    priced = pricing.reprice(document, now)
    messages = list(pricing.messages)
    explanations = pricing.explain(priced, now)
    pricing.forget(priced)
    return PricedBasket(
        pack.country.currency,
        priced,
        priced.totals(pack.country.currency),
        pricing.summary(priced),
        messages,
        explanations,
    )


def _operator(spec: dict[str, Any]) -> OperatorDiscount:
    return OperatorDiscount.of({k: to_decimal(v) for k, v in spec.items()})


def priced_basket_json(priced: PricedBasket, locale: str = "en") -> dict[str, Any]:
    currency_totals = priced.totals

    def money(value: Decimal) -> str:
        return f"{priced.currency.round(value):.{priced.currency.minor_units}f}"

    summary = priced.summary
    return {
        "currency": priced.document.currency,
        "customer": priced.document.customer,
        "lines": [
            {
                "position": position,
                "sku": t.line.sku,
                "name": t.line.name,
                "quantity": f"{t.line.quantity.normalize():f}",
                "unit": t.line.unit,
                "list_price": money(t.line.list_price),
                "price": money(t.price),
                "value": money(t.value),
                "discount": money(t.discount),
                "adjustments": [
                    {"rule": a.source, "kind": a.kind, "label": a.label, "amount": money(a.amount)}
                    for a in t.line.adjustments
                ],
            }
            for position, t in enumerate(currency_totals.lines, 1)
        ],
        "total": money(currency_totals.total),
        "discount_total": money(currency_totals.discount_total),
        "summary": {
            "value_before": money(summary.value_before),
            "item_discounts": money(summary.item_discounts),
            "item_groups": [
                {
                    "group": g.name,
                    "total": money(g.total),
                    "entries": {k: money(v) for k, v in g.entries.items()},
                }
                for g in summary.item_groups
            ],
            "threshold_discounts": money(summary.threshold_discounts.total),
            "operator_discounts": money(summary.operator_discounts.total),
            "value_after": money(summary.value_after),
        },
        "messages": [m.render(locale) for m in priced.messages],
        "rules": [
            {
                "id": e.rule_id,
                "name": e.name,
                "applied": e.applied,
                "amount": money(e.amount),
                "reasons": [translate(reason, locale) for reason in e.reasons],
                "shortfall": money(e.shortfall) if e.shortfall is not None else None,
                "missing_units": (
                    f"{e.missing_units.normalize():f}" if e.missing_units is not None else None
                ),
                "blocked_by": list(e.blocked_by),
            }
            for e in priced.explanations
        ],
    }
