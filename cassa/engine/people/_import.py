"""Employees from a store folder's `employees.yaml` (kind Employees).

The file is checked as a whole first (schema, duplicate usernames and cards,
unknown stores and roles, dates, the importer's rights): every problem is
reported as `file:line:col: /pointer: message` and nothing is imported while
one remains. Then one transaction adds the new employees and updates the
others; an employee already registered keeps their password, PIN and lockout.
The file holds Argon2id hashes only, never a password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cassa.engine.errors import NotFound
from cassa.engine.people._audit import AuditEvent
from cassa.engine.people._employees import Authority, Clock, People, StorePacks
from cassa.engine.people._permissions import Permission
from cassa.engine.rules.rulepack import RulePack
from cassa.engine.schemas import validate_document
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import EmployeeRow, EmployeeStoreRow, StoreRow
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument, load_yaml
from cassa.i18n import _

__all__ = [
    "EMPLOYEES_FILE",
    "ImportReport",
    "employees_file",
    "import_employees",
    "import_store_employees",
]

EMPLOYEES_FILE = "employees.yaml"


@dataclass(frozen=True)
class ImportReport:
    added: tuple[str, ...]
    updated: tuple[str, ...]


def employees_file(path: Path | str) -> Path:
    """A store folder's employees file, or the file itself."""
    given = Path(path)
    return given / EMPLOYEES_FILE if given.is_dir() else given


def import_store_employees(
    database: Database, folder: Path | str, *, store: str, pack: RulePack, clock: Clock
) -> ImportReport | None:
    """The employees of a store folder, if it has an employees.yaml, imported by the
    system itself (a scenario, a demo, a benchmark: no employee acts)."""
    if not employees_file(folder).exists():
        return None
    people = People(database, clock=clock, packs=StorePacks(database, {store: pack}))
    return import_employees(people, folder, by=Authority.system("store data"))


def import_employees(people: People, path: Path | str, *, by: Authority) -> ImportReport:
    file = employees_file(path)
    if not file.exists():
        raise NotFound(_("no employees file {file}", file=file))
    documents = load_yaml(file)
    if len(documents) != 1:
        raise DataFileError([Problem(str(file), 1, 1, "", "an employees file holds one document")])
    document = documents[0]
    problems = validate_document(document, "employees")
    if problems:
        raise DataFileError(problems)
    specs: list[dict[str, Any]] = document.data["employees"]
    with people.database.session() as session:
        stores = set(session.scalars(select(StoreRow.code)))
        rows = list(session.scalars(select(EmployeeRow)))
        cards = {row.card_number: row.username for row in rows if row.card_number is not None}
        existing = {row.username: {link.store for link in row.stores} for row in rows}
    packs: dict[str, RulePack] = {}
    for store in sorted({s["store"] for spec in specs for s in spec["stores"]} & stores):
        packs[store] = people.packs(store)
    problems = _check(document, specs, stores, packs, cards, existing, by)
    if problems:
        raise DataFileError(problems)
    now = people.clock()
    added: list[str] = []
    updated: list[str] = []
    with people.database.session() as session, session.begin():
        for spec in specs:
            row = session.get(EmployeeRow, spec["username"])
            created = row is None
            if row is None:
                row = EmployeeRow(username=spec["username"], failed_logins=0, created_at=now)
                session.add(row)
            row.title = spec.get("title", "")
            row.first_name = spec["first_name"]
            row.last_name = spec["last_name"]
            row.birth_date = date.fromisoformat(spec["birth_date"])
            row.card_number = spec.get("card_number")
            row.start_date = _date(spec.get("start_date")) or now.date()
            row.end_date = _date(spec.get("end_date"))
            row.active = spec.get("active", True)
            if row.password_hash is None and "password_hash" in spec:
                row.password_hash = spec["password_hash"]
                row.password_changed_at = now
            if row.pin_hash is None and "pin_hash" in spec:
                row.pin_hash = spec["pin_hash"]
            _assign(row, {s["store"]: s["role"] for s in spec["stores"]})
            (added if created else updated).append(row.username)
            people.audit.record(
                AuditEvent.EMPLOYEE_IMPORTED,
                now,
                session=session,
                actor=by.acting,
                approver=by.approver,
                subject=row.username,
                detail={
                    "file": str(file),
                    "created": created,
                    "stores": {s["store"]: s["role"] for s in spec["stores"]},
                },
            )
    return ImportReport(tuple(added), tuple(updated))


def _assign(row: EmployeeRow, wanted: dict[str, str]) -> None:
    for link in list(row.stores):
        if link.store not in wanted:
            row.stores.remove(link)
        else:
            link.role = wanted[link.store]
    have = {link.store for link in row.stores}
    row.stores.extend(
        EmployeeStoreRow(store=store, role=role)
        for store, role in wanted.items()
        if store not in have
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _check(
    document: SourceDocument,
    specs: list[dict[str, Any]],
    stores: set[str],
    packs: dict[str, RulePack],
    cards: dict[str, str],
    existing: dict[str, set[str]],
    by: Authority,
) -> list[Problem]:
    problems: list[Problem] = []
    seen_users: dict[str, int] = {}
    seen_cards: dict[str, int] = {}
    managed = by.stores(Permission.EDIT_EMPLOYEES)
    for index, spec in enumerate(specs):
        at = f"/employees/{index}"
        username = spec["username"]
        if username in seen_users:
            problems.append(
                document.problem(
                    f"{at}/username",
                    f"username {username} is used twice "
                    f"(first at /employees/{seen_users[username]})",
                )
            )
        seen_users.setdefault(username, index)
        card = spec.get("card_number")
        if card is not None:
            if card in seen_cards:
                problems.append(
                    document.problem(f"{at}/card_number", f"card number {card} is used twice")
                )
            elif cards.get(card, username) != username:
                problems.append(
                    document.problem(
                        f"{at}/card_number", f"card number {card} belongs to {cards[card]}"
                    )
                )
            seen_cards.setdefault(card, index)
        start = _date(spec.get("start_date"))
        end = _date(spec.get("end_date"))
        if start and end and end < start:
            problems.append(
                document.problem(f"{at}/end_date", "the end date comes before the start date")
            )
        named = set()
        for position, link in enumerate(spec["stores"]):
            where = f"{at}/stores/{position}"
            store, role = link["store"], link["role"]
            if store in named:
                problems.append(document.problem(f"{where}/store", f"store {store} is named twice"))
            named.add(store)
            if store not in stores:
                problems.append(
                    document.problem(f"{where}/store", f"no store {store} in this database")
                )
                continue
            pack = packs[store]
            if role not in pack.roles:
                known = ", ".join(sorted(pack.roles)) or "none"
                problems.append(
                    document.problem(
                        f"{where}/role",
                        f"role {role} is not declared in pack {pack.name} (roles: {known})",
                    )
                )
                continue
            if not by.is_system:
                if store not in managed:
                    problems.append(
                        document.problem(
                            f"{where}/store", f"{by.username} does not manage store {store}"
                        )
                    )
                elif pack.roles[role].permissions - by.held.get(store, frozenset()):
                    problems.append(
                        document.problem(
                            f"{where}/role",
                            f"{by.username} may not give the role {role}: it has permissions "
                            f"{by.username} does not hold",
                        )
                    )
        before = existing.get(username)
        if before and not by.is_system and not by.other_stores and not (before & managed):
            problems.append(
                document.problem(
                    f"{at}/username", f"{username} works in another store: not imported"
                )
            )
    return problems
