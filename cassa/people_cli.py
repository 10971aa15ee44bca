"""`cassa employees …`: the back office's employee list and changes.

Changes act with the rights of an employee named by `--as` (who proves it with
their password) and are recorded in the audit log under their name. A fresh
install has no account at all: the first `add` or `import` needs no `--as`.

Passwords are read from the terminal without echo; when standard input is not a
terminal, one per line (first the `--as` password, then the new one). They are
never taken from the command line, where other users could see them.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from cassa import cli_inputs
from cassa.engine.errors import InvalidInput
from cassa.engine.people import (
    Assignment,
    AuditLog,
    Authority,
    Credentials,
    Employee,
    NewEmployee,
    People,
    authenticate,
    generate_password,
    hash_secret,
    import_employees,
)
from cassa.engine.people._employees import SORT_KEYS
from cassa.engine.storage.db import Database, open_database, open_existing_database
from cassa.engine.storage.models import StoreRow
from cassa.i18n import LANGUAGES, _

__all__ = ["add_commands", "run"]


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default="cassa.db",
        help="SQLite file or SQLAlchemy URL (postgresql://user@host/db); default: %(default)s",
    )


def _acting(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="USERNAME",
        help="the employee making the change (asked for their password)",
    )


def add_commands(commands: Any) -> None:
    employees = commands.add_parser("employees", help="employees, their stores and roles")
    sub = employees.add_subparsers(dest="employees_command", required=True, metavar="COMMAND")

    listing = sub.add_parser("list", help="the employee list, with filters and sorting")
    listing.add_argument("--role")
    listing.add_argument("--store")
    listing.add_argument("--active", choices=["yes", "no"])
    listing.add_argument("--search", help="part of the first or last name")
    listing.add_argument("--sort", default="last_name", choices=SORT_KEYS)
    listing.add_argument("--desc", action="store_true", help="sort in descending order")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--locale", default="en", choices=LANGUAGES)
    _db(listing)

    show = sub.add_parser("show", help="preview one employee")
    show.add_argument("username")
    show.add_argument("--json", action="store_true")
    show.add_argument("--locale", default="en", choices=LANGUAGES)
    _db(show)

    add = sub.add_parser("add", help="register an employee (a store and role are mandatory)")
    add.add_argument("username")
    add.add_argument("--first-name", required=True)
    add.add_argument("--last-name", required=True)
    add.add_argument("--birth-date", required=True, type=cli_inputs.day(), metavar="YYYY-MM-DD")
    add.add_argument(
        "--assign",
        action="append",
        required=True,
        metavar="STORE:ROLE",
        help="a store and the role there (repeat for several stores)",
    )
    add.add_argument("--title", default="")
    add.add_argument("--card", help="card number")
    add.add_argument("--start-date", type=cli_inputs.day(), metavar="YYYY-MM-DD")
    add.add_argument("--end-date", type=cli_inputs.day(), metavar="YYYY-MM-DD")
    add.add_argument(
        "--generate-password",
        action="store_true",
        help="make up the first password and print it once (else it is asked for)",
    )
    _acting(add)
    _db(add)

    assign = sub.add_parser("assign", help="assign a store with a role (or change the role)")
    assign.add_argument("username")
    assign.add_argument("store")
    assign.add_argument("role")
    _acting(assign)
    _db(assign)

    unassign = sub.add_parser("unassign", help="remove the association with a store")
    unassign.add_argument("username")
    unassign.add_argument("store")
    _acting(unassign)
    _db(unassign)

    for name, text in (("activate", "activate an account"), ("deactivate", "deactivate one")):
        command = sub.add_parser(name, help=text)
        command.add_argument("username")
        _acting(command)
        _db(command)

    reset = sub.add_parser(
        "reset-password",
        help="set a password (expired at once when set for someone else) and unlock the account",
    )
    reset.add_argument("username")
    reset.add_argument("--generate", action="store_true", help="make up a password, print it once")
    _acting(reset)
    _db(reset)

    load = sub.add_parser("import", help="import a store folder's employees.yaml (or a file)")
    load.add_argument("path", type=Path)
    _acting(load)
    _db(load)

    audit = sub.add_parser("audit", help="the audit log of security events, newest last")
    audit.add_argument("--limit", type=cli_inputs.whole(_("the limit")), default=50)
    audit.add_argument("--event")
    audit.add_argument("--subject", help="events about this employee")
    audit.add_argument("--json", action="store_true")
    _db(audit)

    sub.add_parser(
        "hash-password", help="print the Argon2id hash of a password, for an employees file"
    )


def run(args: argparse.Namespace) -> int:
    command: str = args.employees_command
    if command == "hash-password":
        print(hash_secret(read_secret("password: ")))
        return 0
    # reading the staff never creates a database; adding to it may
    opening = open_existing_database if command in _READS else open_database
    database = opening(args.db)
    try:
        people = People(database, clock=_clock(database))
        return _COMMANDS[command](people, args)
    finally:
        database.dispose()


_READS = frozenset({"list", "show", "audit"})


def _clock(database: Database) -> Callable[[], datetime]:
    """Now, in the time zone of the database's first store (dates follow it)."""
    with database.session() as session:
        zone = session.scalar(select(StoreRow.timezone).order_by(StoreRow.code))
    timezone = ZoneInfo(zone or "UTC")
    return lambda: datetime.now(timezone)


def read_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput(_("no {what} on standard input", what=prompt.rstrip(": ")))
    return line.rstrip("\r\n")


def _authority(people: People, args: argparse.Namespace) -> Authority:
    actor: str | None = args.actor
    if actor is None:
        if people.exists():
            raise InvalidInput(
                _("say who makes this change: --as USERNAME (an employee with the permission)")
            )
        return Authority.system("first setup")
    password = read_secret(f"password of {actor}: ")
    employee = authenticate(people, Credentials(actor, password))
    return people.authority(employee.username)


def _new_password(args: argparse.Namespace, generate: bool) -> tuple[str, str | None]:
    if generate:
        return generate_password(), None
    password = read_secret("new password: ")
    repeat = read_secret("repeat the new password: ") if sys.stdin.isatty() else None
    return password, repeat


def _stores(employee: Employee) -> str:
    return ", ".join(f"{a.store} ({a.role})" for a in employee.assignments) or "-"


def _list(people: People, args: argparse.Namespace) -> int:
    active = None if args.active is None else args.active == "yes"
    found = people.list(
        role=args.role,
        active=active,
        store=args.store,
        text=args.search,
        sort=args.sort,
        descending=args.desc,
    )
    now = people.clock()
    if args.json:
        print(json.dumps([e.as_json(now) for e in found], indent=2, ensure_ascii=False))
        return 0
    rows = [
        (
            "username",
            "title",
            "first name",
            "last name",
            "card",
            "password",
            "stores (roles)",
            "end date",
            "active",
        )
    ]
    for e in found:
        rows.append(
            (
                e.username,
                e.title,
                e.first_name,
                e.last_name,
                e.card_number or "",
                e.password_status(now).render(args.locale),
                _stores(e),
                e.end_date.isoformat() if e.end_date else "",
                "yes" if e.active else "no",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    print(f"{len(found)} employee(s)")
    return 0


def _show(people: People, args: argparse.Namespace) -> int:
    employee = people.get(args.username)
    now = people.clock()
    if args.json:
        print(json.dumps(employee.as_json(now), indent=2, ensure_ascii=False))
        return 0
    status = employee.password_status(now)
    fields = [
        ("username", employee.username),
        ("name", employee.full_name),
        ("birth date", employee.birth_date),
        ("card number", employee.card_number or "-"),
        ("start date", employee.start_date),
        ("end date", employee.end_date or "-"),
        ("active", "yes" if employee.active else "no"),
        ("stores (roles)", _stores(employee)),
        ("password", status.render(args.locale)),
        ("locked until", employee.locked_until or "-"),
    ]
    for label, value in fields:
        print(f"{label + ':':16} {value}")
    return 0


def _assignments(values: list[str]) -> tuple[Assignment, ...]:
    found = []
    for value in values:
        store, _ignored, role = value.partition(":")
        if not store or not role:
            raise InvalidInput(_("--assign takes STORE:ROLE, not '{value}'", value=value))
        found.append(Assignment(store, role))
    return tuple(found)


def _add(people: People, args: argparse.Namespace) -> int:
    by = _authority(people, args)
    password, repeat = _new_password(args, args.generate_password)
    new = NewEmployee(
        username=args.username,
        first_name=args.first_name,
        last_name=args.last_name,
        birth_date=args.birth_date,
        assignments=_assignments(args.assign),
        title=args.title,
        card_number=args.card,
        start_date=args.start_date,
        end_date=args.end_date,
    )
    employee = people.add(new, password, by=by, repeat=repeat)
    print(f"added {employee.username} ({employee.full_name}): {_stores(employee)}")
    _tell_password(employee.username, password if args.generate_password else None, by)
    return 0


def _tell_password(username: str, generated: str | None, by: Authority) -> None:
    if generated is not None:
        print(f"first password of {username} (shown once): {generated}")
    if by.username != username and not by.is_system:
        print(f"{username} chooses a new password at the next login")


def _assign(people: People, args: argparse.Namespace) -> int:
    employee = people.assign(args.username, args.store, args.role, by=_authority(people, args))
    print(f"{employee.username} now works in: {_stores(employee)}")
    return 0


def _unassign(people: People, args: argparse.Namespace) -> int:
    employee = people.unassign(args.username, args.store, by=_authority(people, args))
    print(f"{employee.username} now works in: {_stores(employee)}")
    return 0


def _activate(people: People, args: argparse.Namespace) -> int:
    employee = people.set_active(args.username, True, by=_authority(people, args))
    print(f"{employee.username} is active")
    return 0


def _deactivate(people: People, args: argparse.Namespace) -> int:
    employee = people.set_active(args.username, False, by=_authority(people, args))
    print(f"{employee.username} is deactivated")
    return 0


def _reset_password(people: People, args: argparse.Namespace) -> int:
    by = _authority(people, args)
    password, repeat = _new_password(args, args.generate)
    message = people.reset_password(args.username, password, by=by, repeat=repeat)
    print(message.render("en"))
    _tell_password(args.username, password if args.generate else None, by)
    return 0


def _import(people: People, args: argparse.Namespace) -> int:
    report = import_employees(people, args.path, by=_authority(people, args))
    print(
        f"imported employees from {args.path}: {len(report.added)} added, "
        f"{len(report.updated)} updated (passwords kept)"
    )
    return 0


def _audit(people: People, args: argparse.Namespace) -> int:
    records = AuditLog(people.database).events(
        event=args.event, subject=args.subject, limit=args.limit
    )
    if args.json:
        print(json.dumps([r.as_json() for r in records], indent=2, ensure_ascii=False))
        return 0
    for record in records:
        parts = [
            f"{k}={v}"
            for k, v in (
                ("actor", record.actor),
                ("approver", record.approver),
                ("subject", record.subject),
                ("permission", record.permission),
                ("amount", record.amount),
                ("till", record.till),
            )
            if v is not None
        ]
        print(f"{record.at.isoformat(timespec='seconds')}  {record.event:22} {' '.join(parts)}")
    return 0


_COMMANDS: dict[str, Callable[[People, argparse.Namespace], int]] = {
    "list": _list,
    "show": _show,
    "add": _add,
    "assign": _assign,
    "unassign": _unassign,
    "activate": _activate,
    "deactivate": _deactivate,
    "reset-password": _reset_password,
    "import": _import,
    "audit": _audit,
}
