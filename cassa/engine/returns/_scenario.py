"""Scenario actions for returns (registered in `cassa.engine.scenario`'s action table).

- start_return: {number: S/T01/2026/000001}  # a return of that approved document
- return_line: {line: 1, quantity: 2}         # line 1 of the original; all that is left
- put_back: {line: 1}                         #   by default
- expect_returnable: [{line: 1, sold: 3, returned: 2, left: 1}]
- expect_return: {type: receipt_return, origin: S/T01/2026/000001, reverse_charge: true}
- expect_fiscal_record: {number: CQS/T01/2026/000001, kind: refund, status: printed,
                         refund_of: S/T01/2026/000001}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cassa.engine.scenario import ExpectationFailed, action, differences, expect
from cassa.engine.storage.models import FiscalRecordRow
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.scenario import ScenarioRun

__all__: list[str] = []


@action("start_return")
def _start_return(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.returns.start(str(args["number"]))


@action("return_line")
def _return_line(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.returns.take(int(args["line"]), args.get("quantity"))


@action("put_back")
def _put_back(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.returns.put_back(int(args["line"]))
    return None


@action("expect_returnable")
def _expect_returnable(run: ScenarioRun, args: Any) -> object:
    actual = [
        {
            "line": r.position,
            "sku": r.line.sku,
            "sold": r.sold,
            "returned": r.returned,
            "left": r.left,
        }
        for r in run.till.returns.returnable()
    ]
    expect(differences(list(args), actual, "returnable"))
    return None


@action("expect_return")
def _expect_return(run: ScenarioRun, args: dict[str, Any]) -> object:
    document = run.till.document()
    actual = {
        "type": document.type.value,
        "origin": document.origin_number,
        "customer": document.customer,
        "reverse_charge": document.reverse_charge,
        "split_payment": document.split_payment,
    }
    expect(differences(dict(args), actual, "return"))
    return None


@action("expect_fiscal_record")
def _expect_fiscal_record(run: ScenarioRun, args: dict[str, Any]) -> object:
    """What the fiscal records say of a document; `refund_of` names the original, whose
    registered numbers (Z, receipt number, day, printer serial) the refund must carry."""
    from cassa.devices.fiscal.base import FiscalReceipt
    from cassa.devices.fiscal.records import fiscal_record

    number = str(args.get("number") or run.till.document().number)
    record = fiscal_record(run.till.database, number)
    if record is None:
        raise ExpectationFailed(_("{number} was never sent to the fiscal printer", number=number))
    want = {k: v for k, v in args.items() if k in ("kind", "status")}
    expect(differences(want, {"kind": record.kind, "status": record.status}, f"fiscal {number}"))
    if "payments" in args:  # what the receipt sent to the printer was paid with
        with run.till.database.session() as session:
            row = session.get(FiscalRecordRow, record.document_id)
            assert row is not None
            paid = FiscalReceipt.from_json(row.request).payments
        actual = [{"tender": p.tender, "amount": p.amount} for p in paid]
        expect(differences(list(args["payments"]), actual, f"fiscal {number} payments"))
    if "refund_of" in args:
        original = fiscal_record(run.till.database, str(args["refund_of"]))
        if original is None or not original.printed:
            raise ExpectationFailed(
                _("{expected} is not registered by the printer", expected=args["refund_of"])
            )
        with run.till.database.session() as session:
            row = session.get(FiscalRecordRow, record.document_id)
            assert row is not None
            sent = FiscalReceipt.from_json(row.request).refund_of
            refund_of = row.refund_of
        if sent != original.reference() or refund_of != original.document_id:
            raise ExpectationFailed(
                _(
                    "{number} refunds {sent}, not {expected} ({reference})",
                    number=number,
                    sent=sent,
                    expected=args["refund_of"],
                    reference=original.reference(),
                )
            )
        simulator = run.extras.get("fiscal_simulator")
        if simulator is not None:
            reference = (original.z_number, original.fiscal_number, original.reference().day)
            if not any(d.kind == "refund" and d.refund_of == reference for d in simulator.memory):
                raise ExpectationFailed(
                    _("the printer's memory holds no refund of {reference}", reference=reference)
                )
    return None
