"""Scenario actions for invoices of receipts (registered in `cassa.engine.scenario`'s table).

- invoice_receipt: {number: S/T01/2026/000001, customer: EDIL02}  # opens the invoice
- expect_invoice: {origin: S/T01/2026/000001, customer: EDIL02, direction: gross,
                   reverse_charge: false, reverse_charge_selectable: false,
                   split_payment: false, split_payment_selectable: false,
                   paid_by: S/T01/2026/000001}       # the current invoice (or `number:`)
- expect_invoice: {receipt: S/T01/2026/000001, invoice: FV/T01/2026/000001}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from cassa.engine.invoicing._desk import SETTLEMENT, invoice_of
from cassa.engine.scenario import action, differences, expect
from cassa.engine.storage.models import PaymentRow
from cassa.engine.taxes import generated_flags, mechanisms

if TYPE_CHECKING:
    from cassa.engine.scenario import ScenarioRun

__all__: list[str] = []


@action("invoice_receipt")
def _invoice_receipt(run: ScenarioRun, args: dict[str, Any]) -> object:
    customer = args.get("customer")
    return run.till.invoicing.from_receipt(
        str(args["number"]), str(customer) if customer is not None else None
    )


@action("expect_invoice")
def _expect_invoice(run: ScenarioRun, args: dict[str, Any]) -> object:
    """An invoice of a receipt as it stands (the current document, or the one numbered
    `number`); with `receipt`, which invoice that receipt has (`invoice: null`: none)."""
    till = run.till
    want = dict(args)
    if "receipt" in want:
        receipt = till.documents.find_by_number(str(want.pop("receipt")))
        expect(
            differences(
                want, {"invoice": invoice_of(till, receipt)}, f"invoice of {receipt.number}"
            )
        )
        return None
    number = want.pop("number", None)
    document = till.documents.find_by_number(str(number)) if number else till.document()
    actual: dict[str, Any] = {
        "type": document.type.value,
        "number": document.number,
        "status": document.status.value,
        "origin": document.origin_number,
        "customer": document.customer,
        "direction": document.direction.value,
        "reverse_charge": document.reverse_charge,
        "split_payment": document.split_payment,
        "paid_by_origin": document.paid_by_origin,
        "total": document.totals(till.currency).total,
    }
    if document.origin_id is not None:
        origin = till.documents.load(document.origin_id)
        flags = generated_flags(mechanisms(till), origin, document.type.value)
        actual["reverse_charge_selectable"] = flags.reverse_charge_editable
        actual["split_payment_selectable"] = flags.split_payment_editable
    with till.database.session() as session:
        actual["paid_by"] = session.scalar(
            select(PaymentRow.reference).where(
                PaymentRow.document_id == document.id, PaymentRow.kind == SETTLEMENT
            )
        )
    expect(differences(want, actual, f"invoice {document.number or document.id}"))
    return None
