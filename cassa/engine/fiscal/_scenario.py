"""Scenario actions for the country packs: tax mechanisms, signed printing, closings, audit.

Registered in the scenario runner's action table (`cassa.engine.scenario`), which
imports this module.

    - set_reverse_charge: {on: true}
    - set_line_reverse_charge: {line: 2, on: false}
    - set_customer_reverse_charge: {code: EDIL02, on: true}
    - set_split_payment: {on: true}
    - issue_invoice_instead: {}
    - expect_tax: {reverse_charge: true, split_payment: false, lines: [{vat_code: N6.3}],
                   mentions: ["Operazione soggetta a inversione contabile"]}
    - printer: {language: fr}                   # a simulated receipt printer for this till
    - print_document: {}                        # the current approved document, copy 1
    - reprint: {}                               # a duplicate (permission `reprint`)
    - expect_printed: {copy: 2, contains: ["DUPLICATA", "Duplicata n° 1"]}
    - expect_print_history: {copies: [{print_number: 1}, {print_number: 2, duplicate_id: 1}]}
    - fiscal_closing: {period: month}
    - expect_fiscal_closings: [{period: day, documents: 2, total: 35.00, grand_total: 35.00}]
    - expect_chain: {ok: true}                  # `cassa audit verify` on this database
    - expect_z_reports: [{receipts: 2, agrees: true}]
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from cassa.engine.errors import InvalidInput
from cassa.engine.fiscal._chain import verify_chains
from cassa.engine.scenario import ExpectationFailed, action, differences, expect
from cassa.engine.taxes import document_mentions, mechanisms
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.devices.printing.service import DocumentPrinting
    from cassa.engine.scenario import ScenarioRun

__all__ = ["ExpectationFailed"]


# -- tax mechanisms ---------------------------------------------------------------------------
@action("set_reverse_charge")
def _set_reverse_charge(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.taxes.set_reverse_charge(bool(args.get("on", True)))


@action("convert_document")
def _convert_document(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.taxes.convert(str(args["type"]))


@action("set_line_reverse_charge")
def _set_line_reverse_charge(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.taxes.set_line_reverse_charge(int(args["line"]), bool(args.get("on", True)))


@action("set_customer_reverse_charge")
def _set_customer_reverse_charge(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.taxes.set_customer_reverse_charge(str(args["code"]), bool(args.get("on", True)))


@action("set_split_payment")
def _set_split_payment(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.taxes.set_split_payment(bool(args.get("on", True)))


@action("issue_invoice_instead")
def _issue_invoice_instead(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.taxes.issue_invoice_instead()


@action("expect_tax")
def _expect_tax(run: ScenarioRun, args: dict[str, Any]) -> object:
    till = run.till
    document = till.document()
    actual: dict[str, Any] = {
        "type": document.type.value,
        "reverse_charge": document.reverse_charge,
        "split_payment": document.split_payment,
        "split_payment_manual": document.split_payment_manual,
        "lines": [
            {
                "sku": line.sku,
                "reverse_charge": line.reverse_charge,
                "split_payment": line.split_payment,
                "vat_code": line.vat_code,
                "vat_percent": line.vat_percent,
                "list_price": line.list_price,
            }
            for line in document.lines
        ],
        "mentions": document_mentions(mechanisms(till), document, locale=run.locale),
        "customers": {  # the customers the step names, as the catalog has them now
            code: {"reverse_charge": customer.reverse_charge} if customer is not None else None
            for code in args.get("customers", {})
            for customer in [till.catalog.find_customer(code)]
        },
    }
    want = dict(args)
    mentions = want.pop("mentions", None)
    expect(differences(want, actual, "tax"))
    if mentions is not None:
        shown = actual["mentions"]
        missing = [m for m in mentions if not any(m in text for text in shown)]
        if missing or (not mentions and shown):
            raise ExpectationFailed(
                _(
                    "mentions: expected '{mentions}', shown '{shown}'",
                    mentions=mentions,
                    shown=shown,
                )
            )
    return None


# -- printing ---------------------------------------------------------------------------------
def _printing(run: ScenarioRun) -> DocumentPrinting:
    printing = run.extras.get("printing")
    if printing is None:
        raise InvalidInput(_("no printer: start one with the step `printer: {{}}`"))
    assert printing is not None
    return printing  # type: ignore[no-any-return]


@action("printer")
def _printer(run: ScenarioRun, args: dict[str, Any]) -> object:
    """A simulated receipt printer for the till, its jobs decoded back to text."""
    from cassa.devices.config import PrintRules
    from cassa.devices.printing.printer import ReceiptPrinter
    from cassa.devices.printing.service import DocumentPrinting
    from cassa.devices.printing.simulator import SimulatedPrinter
    from cassa.engine.money import to_decimal

    backend = SimulatedPrinter()
    omit = args.get("omit_receipt_up_to")
    printing = DocumentPrinting(
        run.till.database,
        ReceiptPrinter(backend),
        run.till.code,
        PrintRules(omit_receipt_up_to=to_decimal(str(omit)) if omit is not None else None),
        language=args.get("language", run.locale),
        clock=run.till.now,
    )
    run.till.fiscal.attach_printing(printing)
    run.extras["printing"] = printing
    run.extras["paper"] = backend
    return printing


@action("print_document")
def _print_document(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.fiscal.print_document(
        _printing(run), args.get("number"), customer_asked=bool(args.get("customer_asked"))
    )


@action("reprint")
def _reprint(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.fiscal.reprint(_printing(run), args.get("number"))


@action("expect_printed")
def _expect_printed(run: ScenarioRun, args: dict[str, Any]) -> object:
    from cassa.devices.printing.decoder import decode

    _printing(run)
    paper = run.extras["paper"]
    if not paper.jobs:
        raise ExpectationFailed(_("nothing was printed"))
    index = int(args.get("job", len(paper.jobs))) - 1
    text = decode(paper.jobs[index]).text
    for wanted in args.get("contains", ()):
        if wanted not in text:
            raise ExpectationFailed(
                _("the printout does not show '{wanted}':\n{text}", wanted=wanted, text=text)
            )
    for unwanted in args.get("not_contains", ()):
        if unwanted in text:
            raise ExpectationFailed(
                _("the printout shows '{unwanted}':\n{text}", unwanted=unwanted, text=text)
            )
    if "signature_of" in args:
        signature = run.till.fiscal.signature(str(args["signature_of"]))
        if signature not in text:
            raise ExpectationFailed(
                _("the printout does not show the signature {signature}", signature=signature)
            )
    return None


@action("expect_tse")
def _expect_tse(run: ScenarioRun, args: dict[str, Any]) -> object:
    from cassa.devices.printing.decoder import decode
    from cassa.devices.tse import TseTransaction, signature_valid

    _printing(run)
    paper = run.extras["paper"]
    index = int(args.get("job", len(paper.jobs))) - 1
    codes = decode(paper.jobs[index]).qr_codes if paper.jobs else []
    if not codes:
        raise ExpectationFailed(_("the printout has no TSE QR code"))
    parts = codes[-1].data.split(";")
    if len(parts) != 12 or parts[0] != "V0":
        raise ExpectationFailed(_("the QR code is not a DSFinV-K one: {code}", code=codes[-1].data))
    moment = datetime.fromisoformat
    signed = TseTransaction(
        serial=hashlib.sha256(base64.b64decode(parts[11])).hexdigest(),
        number=int(parts[4]),
        signature_counter=int(parts[5]),
        started_at=moment(parts[6]),
        finished_at=moment(parts[7]),
        process_type=parts[2],
        process_data=parts[3],
        signature=parts[10],
        public_key=parts[11],
        algorithm=parts[8],
        log_time_format=parts[9],
    )
    if not signature_valid(parts[1], signed):
        raise ExpectationFailed(_("the TSE signature on the printout does not verify"))
    actual = {
        "transaction": signed.number,
        "signature_counter": signed.signature_counter,
        "process_data": signed.process_data,
    }
    expect(differences({k: v for k, v in args.items() if k != "job"}, actual, "tse"))
    return None


@action("expect_print_history")
def _expect_print_history(run: ScenarioRun, args: dict[str, Any]) -> object:
    till = run.till
    number = args.get("number") or (till.current.number if till.current else None)
    if number is None:
        raise InvalidInput(_("expect_print_history needs a document number"))
    history = [record.as_json() for record in till.fiscal.print_history(str(number))]
    expect(differences(args.get("copies", []), history, "print history"))
    return None


# -- closings, audit, the fiscal printer's Z reports ----------------------------------------
@action("fiscal_closing")
def _fiscal_closing(run: ScenarioRun, args: dict[str, Any]) -> object:
    day = date.fromisoformat(args["date"]) if "date" in args else None
    return run.till.fiscal.close(str(args.get("period", "day")), day)


@action("expect_fiscal_closings")
def _expect_closings(run: ScenarioRun, args: Any) -> object:
    wanted = args if isinstance(args, list) else args.get("closings", [])
    actual = [closing.as_json() for closing in run.till.fiscal.closings()]
    expect(differences(wanted, actual, "closings"))
    return None


@action("expect_chain")
def _expect_audit(run: ScenarioRun, args: dict[str, Any]) -> object:
    integrity = run.till.fiscal.rules.integrity
    report = verify_chains(
        run.till.database,
        document_types=integrity.document_types if integrity is not None else None,
    )
    if "ok" in args and report.ok != bool(args["ok"]):
        shown = "; ".join(str(p) for p in report.problems) or "no problem"
        raise ExpectationFailed(
            _("audit: expected ok={expected}, found: {shown}", expected=args["ok"], shown=shown)
        )
    if "links" in args:
        expect(differences(args["links"], report.chains, "audit links"))
    return None


@action("expect_z_reports")
def _expect_z_reports(run: ScenarioRun, args: Any) -> object:
    from cassa.engine.reports._fiscal import kept_reports

    wanted = args if isinstance(args, list) else args.get("reports", [])
    actual = [
        {
            "kind": r["kind"],
            "z_number": r["z_number"],
            "receipts": r["fiscal_printer"]["receipts"],
            "amount": r["fiscal_printer"]["amount"],
            "agrees": r["agrees"],
        }
        for r in kept_reports(run.till.database, run.till.code)
    ]
    expect(differences(wanted, actual, "fiscal reports"))
    return None


@action("expect_messages")
def _expect_messages(run: ScenarioRun, args: dict[str, Any]) -> object:
    shown = [m.render(run.locale) for m in run.till.messages]
    for wanted in args.get("contains", ()):
        if not any(wanted in text for text in shown):
            raise ExpectationFailed(
                _("message '{wanted}' not shown (shown: {shown})", wanted=wanted, shown=shown)
            )
    return None
