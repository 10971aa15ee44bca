"""Scenario files: till actions and expectations in YAML, run headless.

A scenario names a store (imported into the database first), a till, an
operator and a moment, then lists steps. Each step is one action (`scan:`,
`approve:` ...) or an `expect:` block; a step may carry `at:` to move the
clock and `expect_error:` when the action must be refused. Actions are looked
up in one table, so later features add actions without touching the runner.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cassa.engine.errors import CassaError, InvalidInput, NotFound
from cassa.engine.export import document_json
from cassa.engine.packs import API_VERSION
from cassa.engine.people import Credentials
from cassa.engine.receipt_text import ReceiptHeader, render_receipt
from cassa.engine.schemas import validate_document
from cassa.engine.storage.catalog import import_store
from cassa.engine.storage.db import Database, open_database
from cassa.engine.storefiles import load_store
from cassa.engine.till import Till
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument, load_yaml
from cassa.i18n import _

__all__ = [
    "ACTIONS",
    "CredentialsNeeded",
    "ExpectationFailed",
    "ScenarioResult",
    "StepFailure",
    "differences",
    "expect",
    "is_new_database",
    "run_scenario",
    "run_scenario_file",
    "same_value",
]


class SettableClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@dataclass
class ScenarioRun:
    till: Till
    clock: SettableClock
    locale: str = "en"
    document_ids: list[str] = field(default_factory=list)
    audit_from: int = 0  # the audit log's last id before the first step
    extras: dict[str, Any] = field(default_factory=dict)  # state kept by other packages' actions
    cleanups: list[Callable[[], None]] = field(default_factory=list)  # run after the last step

    def remember_current(self) -> None:
        current = self.till.current
        if current is not None and current.id not in self.document_ids:
            self.document_ids.append(current.id)


Action = Callable[[ScenarioRun, dict[str, Any]], object]
ACTIONS: dict[str, Action] = {}


class ExpectationFailed(CassaError):
    """An `expect_*` step found the till other than the scenario says."""

    code = "expectation"


def same_value(want: Any, actual: Any) -> bool:
    """Numbers by value (`50` matches "50.00"); anything else as printed."""
    if isinstance(want, bool) or want is None or isinstance(actual, bool):
        return bool(want == actual)
    try:
        return Decimal(str(want)) == Decimal(str(actual))
    except (InvalidOperation, ValueError):
        return str(want) == str(actual)


def differences(want: Any, actual: Any, where: str = "") -> list[str]:
    """What differs between an expected subset (dicts, lists, values) and the actual data."""
    if isinstance(want, dict):
        if not isinstance(actual, dict):
            return [f"{where or '/'}: expected a mapping, got {actual!r}"]
        problems = []
        for key, value in want.items():
            if key not in actual:
                problems.append(f"{where}/{key}: missing")
            else:
                problems.extend(differences(value, actual[key], f"{where}/{key}"))
        return problems
    if isinstance(want, list):
        if not isinstance(actual, list):
            return [f"{where or '/'}: expected a list, got {actual!r}"]
        if len(want) != len(actual):
            return [f"{where or '/'}: expected {len(want)} items, got {len(actual)}: {actual}"]
        return [
            p
            for i, (w, a) in enumerate(zip(want, actual, strict=True))
            for p in differences(w, a, f"{where}/{i}")
        ]
    return [] if same_value(want, actual) else [f"{where or '/'}: expected {want}, got {actual}"]


def expect(problems: list[str]) -> None:
    """Fail the step with every difference found."""
    if problems:
        raise ExpectationFailed("; ".join(problems))


def action(name: str) -> Callable[[Action], Action]:
    """Register a scenario action under the key scenario files use."""

    def register(handler: Action) -> Action:
        ACTIONS[name] = handler
        return handler

    return register


@action("open_day")
def _open_day(run: ScenarioRun, args: dict[str, Any]) -> object:
    from cassa.engine.cash import counts_from

    return run.till.open_day(
        args.get("float", 0),
        deposits=counts_from(args.get("deposits")),
        counts=counts_from(args.get("counts")),
    )


@action("close_day")
def _close_day(run: ScenarioRun, args: dict[str, Any]) -> object:
    from cassa.engine.cash import counts_from

    run.extras["closing"] = run.till.close_day(
        counts=counts_from(args.get("counts")), withdrawals=counts_from(args.get("withdrawals"))
    )
    return None


@action("new_document")
def _new_document(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.new_document(args.get("type", "receipt"))


@action("scan")
def _scan(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.scan(str(args["code"]), args.get("quantity", 1), args.get("unit"))


@action("add_non_coded")
def _add_non_coded(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.add_non_coded(
        args["description"],
        args["price"],
        str(args["vat"]),
        args.get("quantity", 1),
        args.get("unit", "pz"),
    )


@action("set_quantity")
def _set_quantity(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.set_quantity(args["line"], args["quantity"], args.get("unit"))


@action("set_customer")
def _set_customer(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.set_customer(args.get("code"), recalculate=args.get("recalculate", True))


@action("set_line_name")
def _set_line_name(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.set_line_name(args["line"], args["name"])


@action("set_lot")
def _set_lot(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.set_lot(args["line"], str(args["lot"]))


@action("choose_properties")
def _choose_properties(run: ScenarioRun, args: dict[str, Any]) -> object:
    values = {str(name): str(value) for name, value in args["properties"].items()}
    return run.till.choose_properties(args["line"], values)


@action("set_list_price")
def _set_list_price(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.set_list_price(args["line"], args["price"])


@action("set_line_note")
def _set_line_note(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.set_line_note(args["line"], args["note"])


@action("set_handled_by")
def _set_handled_by(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.set_handled_by(args["line"], args["employee"])


@action("delete_line")
def _delete_line(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.delete_line(args["line"])
    return None


@action("enter_coupon")
def _enter_coupon(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.enter_coupon(str(args["code"]))
    return None


@action("remove_coupon")
def _remove_coupon(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.remove_coupon(str(args["code"]))
    return None


@action("present_loyalty_card")
def _present_loyalty_card(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.present_loyalty_card(str(args["card"]))
    return None


@action("pick_manual_promotion")
def _pick_manual_promotion(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.pick_manual_promotion(args["rule"])
    return None


@action("unpick_manual_promotion")
def _unpick_manual_promotion(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.unpick_manual_promotion(args["rule"])
    return None


@action("discount_line")
def _discount_line(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.discount_line(
        args["line"],
        percent=args.get("percent"),
        amount=args.get("amount"),
        price=args.get("price"),
    )


@action("discount_document")
def _discount_document(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.discount_document(percent=args.get("percent"), amount=args.get("amount"))
    return None


@action("park")
def _park(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.park()


@action("resume")
def _resume(run: ScenarioRun, args: dict[str, Any]) -> object:
    """Resume a parked document: `position` in the parked list, the newest by default."""
    parked = run.till.parked()
    if not parked:
        raise NotFound(_("there is no parked document to resume"))
    position = int(args.get("position", len(parked)))
    if not 1 <= position <= len(parked):
        raise NotFound(
            _(
                "there is no parked document {position} (there are {count})",
                position=position,
                count=len(parked),
            )
        )
    return run.till.resume(parked[position - 1].id)


@action("approve")
def _approve(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.approve()


@action("discard")
def _discard(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.discard(str((args or {}).get("reason", "")))
    return None


STEP_KEYS = {"at", "expect_error", "comment"}


@dataclass(frozen=True)
class StepFailure:
    step: int
    line: int
    action: str
    message: str

    def __str__(self) -> str:
        return f"step {self.step} (line {self.line}, {self.action}): {self.message}"


@dataclass
class ScenarioResult:
    name: str
    file: str
    failures: list[StepFailure]
    documents: list[dict[str, Any]]
    steps: int

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_json(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "file": self.file,
            "passed": self.passed,
            "steps": self.steps,
            "failures": [
                {"step": f.step, "line": f.line, "action": f.action, "message": f.message}
                for f in self.failures
            ],
            "documents": self.documents,
        }


def load_scenario(path: Path | str) -> SourceDocument:
    documents = load_yaml(path)
    if len(documents) != 1:
        raise DataFileError([Problem(str(path), 1, 1, "", "a scenario file holds one document")])
    document = documents[0]
    if not isinstance(document.data, dict) or document.data.get("kind") != "Scenario":
        raise DataFileError([document.problem("/kind", "expected kind: Scenario")])
    if document.data.get("apiVersion") != API_VERSION:
        raise DataFileError(
            [document.problem("/apiVersion", f"apiVersion must be '{API_VERSION}'")]
        )
    problems = validate_document(document, "scenario")
    for index, step in enumerate(document.data.get("steps", [])):
        if not isinstance(step, dict):
            continue
        actions = [key for key in step if key not in STEP_KEYS]
        if len(actions) != 1:
            problems.append(
                document.problem(
                    f"/steps/{index}",
                    f"a step holds exactly one action, found {len(actions)}: "
                    f"{', '.join(actions) or 'none'}",
                )
            )
    if problems:
        raise DataFileError(problems)
    return document


class CredentialsNeeded(InvalidInput):
    """A scenario run on a database of the user's needs someone to log in."""

    code = "credentials_needed"


AskCredentials = Callable[[], "Credentials"]


def is_new_database(database_url: str) -> bool:
    """Whether the URL names an SQLite file that does not exist yet: a run creating
    it owns it, and staffs it itself like a database of its own."""
    if "://" not in database_url:
        return not Path(database_url).exists()
    if database_url.startswith("sqlite:///"):
        return not Path(database_url.removeprefix("sqlite:///")).exists()
    return False


def run_scenario_file(
    path: Path | str,
    database_url: str | None = None,
    *,
    credentials: AskCredentials | None = None,
    own_database: bool | None = None,
) -> ScenarioResult:
    """Run a scenario on a database of its own, which it staffs itself (a temporary
    one, or `database_url` when that file does not exist yet or `own_database` says
    so); or on another `database_url`, as the employee whose credentials
    `credentials()` gives."""
    document = load_scenario(path)
    if own_database is None:
        own_database = database_url is not None and is_new_database(database_url)
    if database_url is not None and not own_database:
        if credentials is None:
            raise CredentialsNeeded(
                _("a scenario on an existing database runs as an employee: give your credentials")
            )
        given = credentials()
        database = open_database(database_url)
        try:
            return run_scenario(document, database, credentials=given)
        finally:
            database.dispose()
    if database_url is not None:  # a file the run creates, and keeps: its own
        database = open_database(database_url)
        try:
            return run_scenario(document, database)
        finally:
            database.dispose()
    with tempfile.TemporaryDirectory(prefix="cassa-scenario-") as folder:
        database = open_database(str(Path(folder) / "scenario.db"))
        try:
            return run_scenario(document, database)
        finally:
            database.dispose()


def run_scenario(
    document: SourceDocument, database: Database, *, credentials: Credentials | None = None
) -> ScenarioResult:
    """Without `credentials` the database is the run's own: the scenario's operator is
    employed there with its role and logs in; with them, they log in instead."""
    spec = document.data
    here = Path(document.file).parent
    if "store" in spec:
        import_store(database, load_store(here / spec["store"]))
    clock = SettableClock(datetime.fromisoformat(spec["at"]))
    till = Till.open(database, till=spec.get("till"), clock=clock)
    if till.pack.fiscal is not None and till.pack.fiscal.integrity is not None:
        # A scenario signs its closings with a key of its own, made for the run.
        from cassa.engine.fiscal import MemorySigner

        till.signer = MemorySigner()
    if "store" in spec and credentials is None:
        _people.import_store_employees(till, here / spec["store"])
    if credentials is None and spec.get("role"):
        credentials = _people.staff(till, spec["operator"], spec["role"])
    if credentials is not None:
        till.log_in(credentials)
    run = ScenarioRun(till, clock, locale=spec.get("locale", "en"))
    run.audit_from = _people.audit_mark(till)
    failures: list[StepFailure] = []
    steps = spec.get("steps", [])
    for index, step in enumerate(steps):
        line = document.mark(f"/steps/{index}")[0]
        action = next(key for key in step if key not in STEP_KEYS)
        if "at" in step:
            clock.moment = datetime.fromisoformat(step["at"])
        failure = _run_step(run, action, step, index + 1, line)
        run.remember_current()
        if failure is not None:
            failures.append(failure)
            if action != "expect":
                break  # later steps build on this one
    for cleanup in run.cleanups:
        cleanup()
    return ScenarioResult(
        name=spec.get("name", Path(document.file).stem),
        file=document.file,
        failures=failures,
        documents=_documents(run),
        steps=len(steps),
    )


def _run_step(
    run: ScenarioRun, action: str, step: dict[str, Any], number: int, line: int
) -> StepFailure | None:
    args = step[action] or {}
    expected_error = step.get("expect_error")
    try:
        if action == "expect":
            problems = check_expectations(run, args)
            return StepFailure(number, line, action, "; ".join(problems)) if problems else None
        ACTIONS[action](run, args)
    except CassaError as error:
        render = getattr(error, "render", None)  # an error with a catalog message
        shown = render(run.locale) if callable(render) else error.message
        if expected_error is None:
            return StepFailure(number, line, action, f"refused: {shown}")
        # the scenario names the refusal in the pack's language or in the code's English
        wanted = str(expected_error).casefold()
        if wanted not in shown.casefold() and wanted not in error.message.casefold():
            return StepFailure(
                number,
                line,
                action,
                f"expected an error containing {expected_error!r}, got {shown!r}",
            )
        return None
    if expected_error is not None:
        return StepFailure(
            number, line, action, f"expected an error containing {expected_error!r}, none came"
        )
    return None


def _documents(run: ScenarioRun) -> list[dict[str, Any]]:
    result = []
    for document_id in run.document_ids:
        try:
            stored = run.till.documents.load(document_id)
        except NotFound:
            continue  # a document discarded before it was ever stored
        result.append(document_json(stored, stored.totals(run.till.currency), run.till.currency))
    return result


# -- expectations -----------------------------------------------------------------
_TOTALS = {
    "total": "total",
    "net_total": "net_total",
    "vat_total": "vat_total",
    "discount_total": "discount_total",
    "cash_total": "cash_total",
    "total_quantity": "total_quantity",
}
_LINE_FIELDS = {"sku", "name", "unit", "vat_code", "note", "handled_by", "price_source", "lot"}
_LINE_NUMBERS = {"quantity", "base_quantity", "list_price"}
_LINE_TOTALS = {"price", "value", "discount"}
_LINE_RULES = "rules"


def _same(expected: Any, actual: Any) -> bool:
    """Numbers compare by value; an expected string compares the printed form."""
    if isinstance(expected, bool) or expected is None:
        return bool(expected == actual)
    if isinstance(expected, str):
        return expected == str(actual)
    if isinstance(expected, int | Decimal) and isinstance(actual, int | Decimal):
        return Decimal(expected) == Decimal(actual)
    return bool(expected == actual)


def check_expectations(run: ScenarioRun, expect: dict[str, Any]) -> list[str]:
    till = run.till
    problems: list[str] = []
    if "parked" in expect and len(till.parked()) != expect["parked"]:
        problems.append(f"parked documents: expected {expect['parked']}, got {len(till.parked())}")
    if "no_document" in expect:
        if expect["no_document"] != (till.current is None):
            problems.append(f"open document: expected {'none' if expect['no_document'] else 'one'}")
        return problems
    if set(expect) - {"parked"} == set():
        return problems
    document = till.document()
    totals = document.totals(till.currency)
    header = {
        "status": document.status.value,
        "type": document.type.value,
        "number": document.number,
        "customer": document.customer,
        "line_count": len(document.lines),
    }
    for key, actual in header.items():
        if key in expect and not _same(expect[key], actual):
            problems.append(f"{key}: expected {expect[key]}, got {actual}")
    for key, attribute in _TOTALS.items():
        if key in expect:
            actual = getattr(totals, attribute)
            if not _same(expect[key], actual):
                problems.append(f"{key}: expected {expect[key]}, got {actual}")
    if "lines" in expect:
        if len(expect["lines"]) != len(totals.lines):
            problems.append(f"lines: expected {len(expect['lines'])}, got {len(totals.lines)}")
        for position, (wanted, line_totals) in enumerate(
            zip(expect["lines"], totals.lines, strict=False), 1
        ):
            values: dict[str, Any] = {}
            for key in wanted:
                if key in _LINE_FIELDS or key in _LINE_NUMBERS:
                    values[key] = getattr(line_totals.line, key)
                elif key in _LINE_TOTALS:
                    values[key] = getattr(line_totals, key)
                elif key == _LINE_RULES:
                    values[key] = sorted({a.source for a in line_totals.line.adjustments})
                elif key == "properties":  # the lot's values, e.g. {Colore: Beige}
                    values[key] = dict(line_totals.line.lot_properties)
            for key, want in wanted.items():
                if key == _LINE_RULES:
                    if sorted(want) != values[key]:
                        problems.append(
                            f"line {position} rules: expected {sorted(want)}, got {values[key]}"
                        )
                    continue
                if not _same(want, values.get(key)):
                    problems.append(
                        f"line {position} {key}: expected {want}, got {values.get(key)}"
                    )
    if "vat" in expect:
        actual_vat = {s.rate.code: s for s in totals.vat}
        for wanted in expect["vat"]:
            summary = actual_vat.get(str(wanted["code"]))
            if summary is None:
                problems.append(f"vat {wanted['code']}: no such rate on the document")
                continue
            for key in ("net", "vat", "gross"):
                if key in wanted and not _same(wanted[key], getattr(summary, key)):
                    problems.append(
                        f"vat {wanted['code']} {key}: "
                        f"expected {wanted[key]}, got {getattr(summary, key)}"
                    )
    if "messages" in expect:
        shown = [m.render(run.locale) for m in till.messages]
        for wanted_text in expect["messages"]:
            if not any(wanted_text in text for text in shown):
                problems.append(f"message {wanted_text!r} not shown (shown: {shown})")
    if "receipt_contains" in expect:
        store = till.store
        text = render_receipt(
            document,
            totals,
            till.country,
            ReceiptHeader(store.name, store.address, store.vat_number, store.timezone),
            mentions=till.taxes.mentions(document, run.locale),
        )
        for wanted_text in expect["receipt_contains"]:
            if wanted_text not in text:
                problems.append(f"receipt does not show {wanted_text!r}")
    if expect.get("stored"):
        stored = till.documents.load(document.id)
        if stored.lines != document.lines or stored.status is not document.status:
            problems.append("the stored document differs from the one on screen")
    return problems


# Payments, cash, safe and reports actions (checkout, pay, cash_in, safe_deposit…) and
# people's actions (login, manager_approval, require, employees…) register on import.
# Country packs' actions (reverse charge, split payment, signed printing, closings),
# returns' actions (start_return, return_line …) and invoices of receipts' too.
from cassa.engine import _buyback_scenario as _buyback  # noqa: E402, F401
from cassa.engine.fiscal import _scenario as _country  # noqa: E402, F401
from cassa.engine.invoicing import _scenario as _invoicing  # noqa: E402, F401
from cassa.engine.orders import _scenario as _orders  # noqa: E402, F401
from cassa.engine.payments import _scenario as _money  # noqa: E402, F401
from cassa.engine.people import _scenario as _people  # noqa: E402
from cassa.engine.returns import _scenario as _returns  # noqa: E402, F401
from cassa.engine.stock import _scenario as _stock  # noqa: E402, F401
from cassa.engine.taxfree import _scenario as _tax_free  # noqa: E402, F401
