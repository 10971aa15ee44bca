"""Scenario actions for people: login, managers' approvals, permission checks, employees.

Registered in the scenario runner's action table (`cassa.engine.scenario`), which
imports this module. A scenario whose store folder has an `employees.yaml`
gets those employees imported with the store.

    - login: {username: anna, password: cassiera-di-turno}  # or {card: "2943308543399"}
    - manager_approval: {permission: set_list_price, username: marco, password: …}
    - set_list_price: {line: 1, price: 9.90}                 # uses the approval once
    - require: {permission: void_card_payment, amount: 20}  # a check on its own
    - expect_audit: {events: [{event: approval, actor: anna, approver: marco}]}
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cassa.engine.people._audit import AuditLog
from cassa.engine.people._employees import Assignment, NewEmployee
from cassa.engine.people._import import import_store_employees as _import_folder
from cassa.engine.people._staffing import staff
from cassa.engine.scenario import ExpectationFailed, action
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.scenario import ScenarioRun
    from cassa.engine.till import Till

__all__ = ["ExpectationFailed", "audit_mark", "import_store_employees", "staff"]


def import_store_employees(till: Till, folder: Path) -> None:
    """The store folder's employees, if it has an employees.yaml."""
    _import_folder(till.database, folder, store=till.store.code, pack=till.pack, clock=till.now)


def audit_mark(till: Till) -> int:
    return AuditLog(till.database).last_id()


def _permissions(args: dict[str, Any]) -> list[str]:
    if "permissions" in args:
        return [str(p) for p in args["permissions"]]
    return [str(args["permission"])]


@action("login")
def _login(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.login(
        args.get("username"),
        args.get("password"),
        card=args.get("card"),
        pin=args.get("pin"),
        new_password=args.get("new_password"),
    )


@action("logout")
def _logout(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.logout()
    return None


@action("manager_approval")
def _manager_approval(run: ScenarioRun, args: dict[str, Any]) -> object:
    run.till.authorize(
        *_permissions(args),
        username=args.get("username"),
        password=args.get("password"),
        card=args.get("card"),
        pin=args.get("pin"),
        amount=args.get("amount"),
    )
    return None


@action("require")
def _require(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.require(*_permissions(args), amount=args.get("amount"))


@action("add_employee")
def _add_employee(run: ScenarioRun, args: dict[str, Any]) -> object:
    new = NewEmployee(
        username=args["username"],
        first_name=args["first_name"],
        last_name=args["last_name"],
        birth_date=_date(args.get("birth_date")),
        assignments=tuple(Assignment(s["store"], s["role"]) for s in args.get("stores", ())),
        title=args.get("title", ""),
        card_number=args.get("card_number"),
        start_date=_date(args.get("start_date")),
        end_date=_date(args.get("end_date")),
    )
    return run.till.employees().add(new, args["password"], repeat=args.get("repeat"))


@action("assign_employee")
def _assign_employee(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.employees().assign(args["username"], args["store"], args["role"])


@action("unassign_employee")
def _unassign_employee(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.employees().unassign(args["username"], args["store"])


@action("activate_employee")
def _activate_employee(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.employees().activate(args["username"])


@action("deactivate_employee")
def _deactivate_employee(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.employees().deactivate(args["username"])


@action("change_employee_password")
def _change_employee_password(run: ScenarioRun, args: dict[str, Any]) -> object:
    return run.till.employees().change_password(
        args["username"], args["password"], repeat=args.get("repeat")
    )


@action("expect_operator")
def _expect_operator(run: ScenarioRun, args: dict[str, Any]) -> object:
    role = run.till.pricing.role
    actual = {"operator": run.till.operator, "role": role.code if role else None}
    wrong = [f"{k}: expected {v}, got {actual[k]}" for k, v in args.items() if actual[k] != v]
    if wrong:
        raise ExpectationFailed("; ".join(wrong))
    return None


@action("expect_employee")
def _expect_employee(run: ScenarioRun, args: dict[str, Any]) -> object:
    people = run.till.employees().people
    employee = people.get(args["username"])
    actual: dict[str, Any] = {
        "active": employee.active,
        "stores": {a.store: a.role for a in employee.assignments},
        "password_status": employee.password_status(run.till.now()).state.value,
        "locked": employee.locked_until is not None and employee.locked_until > run.till.now(),
    }
    wrong = [
        f"{key}: expected {want}, got {actual[key]}"
        for key, want in args.items()
        if key != "username" and actual[key] != want
    ]
    if wrong:
        raise ExpectationFailed(
            _("employee {username}: {wrong}", username=employee.username, wrong="; ".join(wrong))
        )
    return None


@action("expect_audit")
def _expect_audit(run: ScenarioRun, args: dict[str, Any]) -> object:
    """The events, in this order, among those recorded since the scenario started
    (other events may come between them). With `only: true`, nothing else came."""
    records = AuditLog(run.till.database).events(after_id=run.audit_from)
    wanted: list[dict[str, Any]] = args.get("events", [])
    position = 0
    for index, want in enumerate(wanted):
        while position < len(records) and not _matches(records[position].as_json(), want):
            if args.get("only"):
                break
            position += 1
        if position >= len(records) or not _matches(records[position].as_json(), want):
            shown = [_brief(r.as_json()) for r in records]
            raise ExpectationFailed(
                _(
                    "audit event {value} {want} not recorded in order (recorded: {shown})",
                    value=index + 1,
                    want=want,
                    shown=shown,
                )
            )
        position += 1
    if args.get("only") and position != len(records):
        extra = [_brief(r.as_json()) for r in records[position:]]
        raise ExpectationFailed(_("audit: more events were recorded: {extra}", extra=extra))
    return None


def _matches(record: dict[str, Any], want: dict[str, Any]) -> bool:
    for key, value in want.items():
        actual = record.get(key)
        if key == "amount":
            if actual is None or value is None:
                if actual != value:
                    return False
            elif Decimal(str(actual)) != Decimal(str(value)):
                return False
        elif actual != value:
            return False
    return True


def _brief(record: dict[str, Any]) -> str:
    keys = ("event", "actor", "approver", "subject", "permission", "amount")
    return " ".join(f"{k}={record[k]}" for k in keys if record.get(k) is not None)


def _date(value: Any) -> date | None:
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))
