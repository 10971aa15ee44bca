"""Documents as JSON-ready dicts, in the shape of schemas/document.schema.json.

Amounts and quantities are strings ("12.50"), so no consumer ever reads them
as binary floating point.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cassa.engine.documents import Document, DocumentTotals
from cassa.engine.money import Currency

__all__ = ["document_json"]


def _amount(value: Decimal, currency: Currency) -> str:
    return f"{currency.round(value):.{currency.minor_units}f}"


def _quantity(value: Decimal) -> str:
    return (
        format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    )


def document_json(document: Document, totals: DocumentTotals, currency: Currency) -> dict[str, Any]:
    def money(value: Decimal) -> str:
        return _amount(value, currency)

    return {
        "id": document.id,
        "type": document.type.value,
        "status": document.status.value,
        "number": document.number,
        "store": document.store,
        "till": document.till,
        "operator": document.operator,
        "customer": document.customer,
        "currency": document.currency,
        "direction": document.direction.value,
        "created_at": document.created_at.isoformat(),
        "approved_at": document.approved_at.isoformat() if document.approved_at else None,
        "reverse_charge": document.reverse_charge,
        "split_payment": document.split_payment,
        # A generated document (a return, an invoice of a receipt) names the document it
        # comes from; an invoice of a receipt is paid by that receipt and is not new sales.
        "origin": {"id": document.origin_id, "number": document.origin_number}
        if document.origin_id is not None
        else None,
        "paid_by_origin": document.paid_by_origin,
        **(
            {
                "order": {
                    "pickup_point": document.pickup_point,
                    "expected_date": document.expected_date.isoformat()
                    if document.expected_date
                    else None,
                    "recipient": document.recipient,
                }
            }
            if document.type.is_order
            else {}
        ),
        "lines": [
            {
                "position": position,
                "sku": t.line.sku,
                "name": t.line.name,
                "item_type": t.line.item_type.value,
                "group": t.line.group,
                "quantity": _quantity(t.line.quantity),
                "unit": t.line.unit,
                "base_quantity": _quantity(t.line.base_quantity),
                "list_price": money(t.line.list_price),
                "price": money(t.price),
                "discount": money(t.discount),
                "value": money(t.value),
                "vat_code": t.line.vat_code,
                "adjustments": [
                    {
                        "source": a.source,
                        "kind": a.kind,
                        "amount": money(a.amount),
                        "label": a.label,
                    }
                    for a in t.line.adjustments
                ],
                "note": t.line.note,
                "handled_by": t.line.handled_by,
                "price_source": t.line.price_source,
                "reverse_charge": t.line.reverse_charge,
                "split_payment": t.line.split_payment,
                "origin_line": t.line.origin_line,
                "lot": {"code": t.line.lot, "properties": dict(t.line.lot_properties)}
                if t.line.lot is not None
                else None,
            }
            for position, t in enumerate(totals.lines, 1)
        ],
        "totals": {
            "total": money(totals.total),
            "net": money(totals.net_total),
            "vat": money(totals.vat_total),
            "discount": money(totals.discount_total),
            "cash": money(totals.cash_total),
            "quantity": str(totals.total_quantity),
        },
        "vat": [
            {
                "code": s.rate.code,
                "percent": _quantity(s.rate.percent),
                "net": money(s.net),
                "vat": money(s.vat),
                "gross": money(s.gross),
            }
            for s in totals.vat
        ],
    }
