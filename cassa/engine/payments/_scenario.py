"""Scenario actions for payments, cash, shifts, the safe, vouchers and reports.

Registered in the scenario runner's action table (`cassa.engine.scenario`), which
imports this module. Devices are the real simulators of `cassa.devices` on
loopback: `card_terminal` starts a payment terminal simulator (scripted
outcomes), `fiscal_printer` an RT fiscal printer simulator; both stop when the
scenario ends.

    - checkout: {}
    - pay: {tender: card, amount: 309.95}
    - pay: {tender: cash}                        # what is left
    - approve_payment: {}
    - expect_paid: {change: 0, movements: [{tender: cash, direction: in, amount: 50.00}]}
    - cash_in: {amount: 50, description: fondo cassa}
    - safe_deposit: {amount: 200}
    - close_day: {counts: [{tender: cash, amount: 820}], withdrawals: [...]}
    - expect_report: {till_summary: {sales: {documents: 1}}}
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from cassa.engine.cash import counts_from
from cassa.engine.errors import InvalidInput
from cassa.engine.payments._checkout import Checkout, PaidDocument, PaymentDevices
from cassa.engine.payments._errors import CardOutcomeUnknown
from cassa.engine.scenario import (
    ExpectationFailed,
    action,
    differences,
    expect,
    same_value,
)
from cassa.engine.storage.models import CardTransactionRow, CashMovementRow, PaymentRow
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.scenario import ScenarioRun

__all__ = ["ExpectationFailed"]


def _window(run: ScenarioRun) -> Checkout:
    window = run.till.payment_window
    current = run.till.current
    if window is None or window.closed or current is None or window.document.id != current.id:
        window = run.till.checkout()
    return window


def _devices(run: ScenarioRun) -> PaymentDevices:
    if run.till.payment_devices is None:
        run.till.payment_devices = PaymentDevices(status_wait=5.0)
    return run.till.payment_devices


# -- devices -----------------------------------------------------------------------------------
class _StatusSwitch:
    """The TCP terminal client, with a switch that makes status queries fail (a terminal
    that went away after taking the sale)."""

    def __init__(self, terminal: Any) -> None:
        self.terminal = terminal
        self.status_down = False

    def sale(self, transaction_id: str, amount: Decimal, currency: str) -> Any:
        return self.terminal.sale(transaction_id, amount, currency)

    def void(self, transaction_id: str, original_id: str) -> Any:
        return self.terminal.void(transaction_id, original_id)

    def refund(
        self, transaction_id: str, amount: Decimal, currency: str, original_id: str | None = None
    ) -> Any:
        return self.terminal.refund(transaction_id, amount, currency, original_id)

    def settle(self, transaction_id: str, currency: str) -> Any:
        return self.terminal.settle(transaction_id, currency)

    def status(self, transaction_id: str) -> Any:
        if self.status_down:
            from cassa.devices.terminal.base import TerminalError

            raise TerminalError(_("payment terminal cannot be reached: connection refused"))
        return self.terminal.status(transaction_id)


@action("card_terminal")
def _card_terminal(run: ScenarioRun, args: dict[str, Any]) -> object:
    """Start the terminal simulator (once) and script its next outcomes:
    approve, decline, timeout, lost_answer; `status_down` makes status queries fail."""
    from cassa.devices.config import TerminalConfig
    from cassa.devices.terminal.simulator import TerminalSimulator
    from cassa.devices.terminal.tcp import TcpPaymentTerminal

    simulator = run.extras.get("terminal_simulator")
    if simulator is None:
        simulator = TerminalSimulator(hang=float(args.get("hang", 0.3)))
        simulator.start()
        run.cleanups.append(simulator.stop)
        run.extras["terminal_simulator"] = simulator
        client = TcpPaymentTerminal(
            TerminalConfig(simulator.host, simulator.port, timeout=float(args.get("timeout", 2))),
            status_timeout=2.0,
        )
        run.extras["terminal"] = _StatusSwitch(client)
        _devices(run).terminal = run.extras["terminal"]
    simulator.script(*args.get("script", ()))
    run.extras["terminal"].status_down = bool(args.get("status_down", False))
    return simulator


@action("fiscal_printer")
def _fiscal_printer(run: ScenarioRun, args: dict[str, Any]) -> object:
    """Start the RT fiscal printer simulator and fiscalize every paid receipt on it; its
    departments are the pack's (FiscalRules), `departments:` renumbers some."""
    from cassa.devices.config import DevicesConfig, FiscalPrinterConfig
    from cassa.devices.fiscal.epson_rt import EpsonRtPrinter
    from cassa.devices.fiscal.records import Fiscalization
    from cassa.devices.fiscal.simulator import RtSimulator
    from cassa.engine.fiscal import with_pack_defaults

    simulator = RtSimulator(timezone=run.till.store.timezone)
    simulator.start()
    run.cleanups.append(simulator.stop)
    run.extras["fiscal_simulator"] = simulator
    config = FiscalPrinterConfig(
        url=simulator.url,
        serial_number=simulator.serial,
        departments=dict(args.get("departments", {})),
    )
    rules = run.till.pack.fiscal
    if rules is not None and rules.fiscal_printer is not None:
        completed = with_pack_defaults(DevicesConfig(run.till.code, fiscal_printer=config), rules)
        assert completed.fiscal_printer is not None
        config = completed.fiscal_printer
    printer = EpsonRtPrinter(config)
    _devices(run).fiscal = Fiscalization(run.till.database, printer, run.till.code, run.till.now)
    return simulator


# -- the payment window --------------------------------------------------------------------
@action("checkout")
def _checkout(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.checkout()


def _card_ids(run: ScenarioRun) -> set[str]:
    with run.till.database.session() as session:
        return set(
            session.scalars(
                select(CardTransactionRow.id).where(CardTransactionRow.till == run.till.code)
            )
        )


def _remember_card(run: ScenarioRun, before: set[str]) -> None:
    new = _card_ids(run) - before
    if new:
        run.extras["last_card"] = sorted(new)[-1]


@action("pay")
def _pay(run: ScenarioRun, args: dict[str, Any]) -> object:
    window = _window(run)
    detail = {k: v for k, v in args.items() if k in ("accept_invalid", "cashing_date")}
    before = _card_ids(run)
    try:
        return window.add(
            str(args.get("tender", "cash")),
            args.get("amount"),
            currency=args.get("currency"),
            number=str(args["number"]) if "number" in args else None,
            **detail,
        )
    except CardOutcomeUnknown as unknown:
        run.extras["unknown_card"] = unknown.transaction_id
        raise
    finally:
        _remember_card(run, before)


@action("confirm_card")
def _confirm_card(run: ScenarioRun, args: dict[str, Any]) -> object:
    """The operator's answer to "was the card payment completed?"."""
    window = _window(run)
    transaction = args.get("transaction") or run.extras.get("unknown_card")
    if transaction is None:
        raise InvalidInput(_("no card payment waits for the operator's answer"))
    return window.confirm_card(str(transaction), bool(args.get("completed", True)))


@action("clear_payments")
def _clear_payments(run: ScenarioRun, args: dict[str, Any]) -> object:
    _window(run).clear()
    return None


@action("undo_payment")
def _undo_payment(run: ScenarioRun, args: dict[str, Any]) -> object:
    _window(run).undo()
    return None


@action("voucher_change")
def _voucher_change(run: ScenarioRun, args: dict[str, Any]) -> object:
    _window(run).voucher_change(str(args.get("to", "cash")), args.get("number"))
    return None


@action("close_payment")
def _close_payment(run: ScenarioRun, args: dict[str, Any]) -> object:
    _window(run).close()
    return None


@action("approve_payment")
def _approve_payment(run: ScenarioRun, args: dict[str, Any]) -> object:
    paid = _window(run).approve()
    run.extras["paid"] = paid
    return paid


@action("expect_payment")
def _expect_payment(run: ScenarioRun, args: dict[str, Any]) -> object:
    """The payment window: to_pay, paid, remaining, change, settled, payments, tenders
    allowed or refused, notices (in the scenario's locale)."""
    window = _window(run)
    data = window.as_json(run.locale)
    actual: dict[str, Any] = {
        **data,
        "tenders_allowed": [t["tender"] for t in data["tenders"] if t["allowed"]],
        "tenders_refused": [
            t["tender"] for t in data["tenders"] if not t["allowed"] or t["refused_currencies"]
        ],
    }
    wanted = dict(args)
    problems = []
    if "notices" in wanted:
        for text in wanted.pop("notices"):
            if not any(text in shown for shown in actual["notices"]):
                problems.append(f"notice {text!r} not shown (shown: {actual['notices']})")
    if "due" in wanted:
        for tender, amount in wanted.pop("due").items():
            code, _, currency = str(tender).partition(":")
            due = window.due(code, currency or None)
            if not same_value(amount, due):
                problems.append(f"due {tender}: expected {amount}, got {due}")
    if "by_tender" in wanted:
        totals = {f"{t}:{c}": str(v) for (t, c), v in window.totals_by_tender().items()}
        problems.extend(differences(wanted.pop("by_tender"), totals, "/by_tender"))
    problems.extend(differences(wanted, actual))
    expect(problems)
    return None


def _movements(run: ScenarioRun, document_id: str) -> list[dict[str, Any]]:
    with run.till.database.session() as session:
        rows = session.scalars(
            select(CashMovementRow)
            .where(CashMovementRow.document_id == document_id)
            .order_by(CashMovementRow.direction, CashMovementRow.tender, CashMovementRow.amount)
        ).all()
        return [
            {
                "direction": r.direction,
                "reason": r.reason,
                "tender": r.tender,
                "currency": r.currency,
                "amount": str(r.amount),
                "amount_system": str(r.amount_system),
            }
            for r in rows
        ]


@action("expect_paid")
def _expect_paid(run: ScenarioRun, args: dict[str, Any]) -> object:
    """The last approved payment: number, change, forfeit, rounding, drawer, the payments
    and cash movements stored (movements in order: in before out, then by tender)."""
    paid: PaidDocument | None = run.extras.get("paid")
    if paid is None:
        raise ExpectationFailed(_("no payment was approved"))
    settlement = paid.settlement
    with run.till.database.session() as session:
        payments = [
            {
                "kind": r.kind,
                "tender": r.tender,
                "currency": r.currency,
                "amount": str(r.amount),
                "amount_system": str(r.amount_system),
                "reference": r.reference,
            }
            for r in session.scalars(
                select(PaymentRow)
                .where(PaymentRow.document_id == paid.document.id)
                .order_by(PaymentRow.position)
            )
        ]
    actual: dict[str, Any] = {
        "number": paid.document.number,
        "status": paid.document.status.value,
        "change": settlement.change,
        "change_to": settlement.change_to,
        "forfeit": settlement.forfeit,
        "rounding": settlement.rounding,
        "drawer_opened": paid.drawer_opened,
        "debit_note": paid.debit_note,
        "total": paid.document.totals(run.till.currency).total,
        "payments": payments,
        "movements": _movements(run, paid.document.id),
        "messages": [m.render(run.locale) for m in paid.messages],
    }
    wanted = dict(args)
    problems = []
    if "messages" in wanted:
        for text in wanted.pop("messages"):
            if not any(text in shown for shown in actual["messages"]):
                problems.append(f"message {text!r} not shown (shown: {actual['messages']})")
    problems.extend(differences(wanted, actual))
    expect(problems)
    return None


@action("expect_card")
def _expect_card(run: ScenarioRun, args: dict[str, Any]) -> object:
    """The last card transaction: state, resolution, who resolved it, how many times the
    terminal simulator charged it (a payment) or carried it out (also a void or refund)."""
    last = run.extras.get("last_card")
    with run.till.database.session() as session:
        row = session.get(CardTransactionRow, last) if last else None
        if row is None:
            raise ExpectationFailed(_("there is no card transaction"))
        simulator = run.extras.get("terminal_simulator")
        actual = {
            "state": row.state,
            "kind": row.kind,
            "amount": str(row.amount),
            "resolution": row.resolution,
            "resolved_by": row.resolved_by,
            "charged": simulator.charged(row.id) if simulator is not None else None,
            "executed": simulator.executed(row.id) if simulator is not None else None,
            "attached": row.payment_id is not None,
        }
    expect(differences(dict(args), actual))
    return None


# -- cash, shifts, safe ---------------------------------------------------------------------
def _money_args(args: dict[str, Any]) -> dict[str, Any]:
    return {
        "tender": str(args.get("tender", "cash")),
        "currency": args.get("currency"),
        "payer_kind": args.get("payer_kind"),
        "payer": args.get("payer"),
        "description": str(args.get("description", "")),
    }


@action("cash_in")
def _cash_in(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.cash.cash_in(args["amount"], number=args.get("number"), **_money_args(args))


@action("cash_out")
def _cash_out(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.cash.cash_out(args["amount"], number=args.get("number"), **_money_args(args))


@action("open_shift")
def _open_shift(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.cash.open_shift(
        counts=counts_from(args.get("counts")), deposits=counts_from(args.get("deposits"))
    )


@action("close_shift")
def _close_shift(run: ScenarioRun, args: dict[str, Any]) -> object:
    closing = run.till.cash.close_shift(
        cashier=args.get("cashier"),
        counts=counts_from(args.get("counts")),
        withdrawals=counts_from(args.get("withdrawals")),
    )
    run.extras["closing"] = closing
    return closing


@action("safe_deposit")
def _safe_deposit(run: ScenarioRun, args: dict[str, Any]) -> object:
    values = _money_args(args)
    values["payer_kind"] = args.get("payer_kind", "employee")
    moved = run.till.cash.safe_deposit(args["amount"], **values)
    run.extras["safe"] = moved
    return moved


@action("safe_withdrawal")
def _safe_withdrawal(run: ScenarioRun, args: dict[str, Any]) -> object:
    moved = run.till.cash.safe_withdrawal(args["amount"], **_money_args(args))
    run.extras["safe"] = moved
    return moved


@action("void_card")
def _void_card(run: ScenarioRun, args: dict[str, Any]) -> object:
    transaction = args.get("transaction")
    if transaction is None:
        approved = [
            t for t in run.till.cash.card_transactions() if t.state == "approved" and
            t.kind == "payment"
        ]  # fmt: skip
        if not approved:
            raise InvalidInput(_("there is no approved card payment to void"))
        transaction = approved[-1].id
    before = _card_ids(run)
    try:
        return run.till.cash.void_card(str(transaction))
    finally:
        _remember_card(run, before)


@action("close_card_batch")
def _close_card_batch(run: ScenarioRun, args: dict[str, Any] | None) -> object:
    """Close the terminal's batch (seed: Rapporto di spedizione); `expect_card_batch`
    reads it."""
    batch = run.till.cash.close_card_batch((args or {}).get("currency"))
    run.extras["card_batch"] = batch
    return batch


@action("terminal_sale")
def _terminal_sale(run: ScenarioRun, args: dict[str, Any]) -> object:
    """A sale typed on the terminal by hand, past the till: the till never records it."""
    terminal = run.extras.get("terminal")
    if terminal is None:
        raise InvalidInput(_("start the card terminal first (card_terminal)"))
    currency = str(args.get("currency") or run.till.currency.code)
    return terminal.terminal.sale(
        f"by-hand-{len(run.extras.setdefault('by_hand', []))}",
        Decimal(str(args["amount"])),
        currency,
    )


@action("expect_card_batch")
def _expect_card_batch(run: ScenarioRun, args: dict[str, Any]) -> object:
    batch = run.extras.get("card_batch")
    if batch is None:
        raise ExpectationFailed(_("no card batch was closed (close_card_batch)"))
    actual = {key: value for key, value in batch.as_json().items() if key not in ("id", "at")}
    expect(differences(dict(args), actual, "card batch"))
    return None


@action("manual_refund")
def _manual_refund(run: ScenarioRun, args: dict[str, Any]) -> object:
    before = _card_ids(run)
    try:
        return run.till.cash.manual_refund(args["amount"], currency=args.get("currency"))
    finally:
        _remember_card(run, before)


@action("open_drawer")
def _open_drawer(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.cash.open_drawer()


@action("expect_cash")
def _expect_cash(run: ScenarioRun, args: dict[str, Any]) -> object:
    """The drawer now: `balance` ({tender or tender:CUR: expected}), the cash documents
    (`documents`: [{type, reason, amount, tender}]), `reminders` shown (texts)."""
    desk = run.till.cash
    problems: list[str] = []
    if "balance" in args:
        held = {f"{t}:{c}": str(b.expected) for (t, c), b in desk.balance().items()}
        system = desk.settings.currency.code
        for key, want in args["balance"].items():
            name = key if ":" in key else f"{key}:{system}"
            if not same_value(want, held.get(name, "0")):
                problems.append(f"balance {key}: expected {want}, got {held.get(name, '0')}")
    if "documents" in args:
        documents = [
            {
                "number": d.number,
                "type": d.kind,
                "reason": d.reason,
                "tender": d.tender,
                "currency": d.currency,
                "amount": str(d.amount),
                "description": d.description,
            }
            for d in desk.documents()
        ]
        problems.extend(differences(args["documents"], documents, "/documents"))
    if "reminders" in args:
        shown = [m.render(run.locale) for m in desk.reminders()]
        for text in args["reminders"]:
            if not any(text in message for message in shown):
                problems.append(f"reminder {text!r} not shown (shown: {shown})")
    if args.get("no_reminders"):
        shown = [m.render(run.locale) for m in desk.reminders()]
        if shown:
            problems.append(f"expected no reminder, shown: {shown}")
    expect(problems)
    return None


@action("expect_closing")
def _expect_closing(run: ScenarioRun, args: dict[str, Any]) -> object:
    """The last day or shift closing: its lines, the documents and safe deposits it wrote."""
    closing = run.extras.get("closing")
    if closing is None:
        raise ExpectationFailed(_("nothing was closed"))
    actual = closing.as_json()
    actual["documents_written"] = len(closing.documents)
    actual["safe_written"] = len(closing.safe)
    expect(differences(dict(args), actual))
    return None


@action("expect_safe")
def _expect_safe(run: ScenarioRun, args: dict[str, Any]) -> object:
    """The safe's window (`lines`: [{tender, currency, opening, deposits, withdrawals,
    closing}]) and its transaction list (`transactions`: [{type, amount, …}])."""
    desk = run.till.cash
    day = date.fromisoformat(args["date"]) if "date" in args else None
    view = desk.safe(day).as_json()
    problems = []
    if "lines" in args:
        problems.extend(differences(args["lines"], view["lines"], "/lines"))
    if "transactions" in args:
        listed = [t.as_json() for t in desk.safe_transactions()]
        problems.extend(differences(args["transactions"], listed, "/transactions"))
    expect(problems)
    return None


# -- vouchers and gift cards ------------------------------------------------------------------
@action("issue_vouchers")
def _issue_vouchers(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.cash.vouchers.issue(
        str(args["kind"]), [str(n) for n in args["numbers"]], value=args.get("value")
    )


@action("sell_voucher")
def _sell_voucher(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.cash.vouchers.sell(str(args["number"]))


@action("top_up_gift_card")
def _top_up_gift_card(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.cash.vouchers.top_up(str(args["number"]), args["amount"])


@action("block_voucher")
def _block_voucher(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.cash.vouchers.block(str(args["number"]))


@action("deactivate_gift_card")
def _deactivate_gift_card(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.cash.vouchers.deactivate(str(args["number"]))


@action("expect_voucher")
def _expect_voucher(run: ScenarioRun, args: dict[str, Any]) -> object:
    """A voucher or gift card: its status and balance."""
    found = run.till.cash.vouchers.get(str(args["number"])).as_json()
    expect(differences({k: v for k, v in args.items() if k != "number"}, found))
    return None


# -- reports -----------------------------------------------------------------------------------
@action("fiscal_daily_report")
def _fiscal_daily_report(run: ScenarioRun, args: dict[str, Any]) -> object:
    report = run.till.reports.fiscal_daily()
    run.extras["fiscal"] = report
    return report


@action("expect_report")
def _expect_report(run: ScenarioRun, args: dict[str, Any]) -> object:
    """Reports as `cassa report` prints them, compared as subsets: `till_summary` (of the
    last day), `store_summary` (with `date_from`/`date_to`), `safe`, `fiscal_daily` (the
    last daily report: the step's, or the one the day closing made)."""
    reports = run.till.reports
    problems = []
    for name, want in args.items():
        wanted = dict(want)
        if name == "till_summary":
            actual = reports.till_summary(wanted.pop("day_id", None)).as_json()
        elif name == "store_summary":
            start = wanted.pop("date_from", None)
            end = wanted.pop("date_to", None)
            actual = reports.store_summary(
                date.fromisoformat(start) if start else None,
                date.fromisoformat(end) if end else None,
            ).as_json()
        elif name == "safe":
            actual = reports.safe().as_json()
        elif name == "fiscal_daily":
            from cassa.engine.reports._fiscal import last_daily_report

            report = run.extras.get("fiscal") or last_daily_report(run.till.database, run.till.code)
            if report is None:
                raise ExpectationFailed(_("no fiscal daily report was made"))
            actual = report.as_json()
        else:
            raise InvalidInput(_("no report named {name}", name=name))
        problems.extend(differences(wanted, actual, f"/{name}"))
    expect(problems)
    return None
