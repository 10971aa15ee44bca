"""Employees, the stores they work in and their role there (seed "Gestione dei dipendenti").

Every change goes through `People` with an `Authority`: whose rights are used
(the operator's own, or the manager who approved) and in which stores they
hold them. The seed's rules:

- an employee is assigned to at least one store, with a role there;
- a store can be assigned only by someone who manages it (holds
  `edit_employees` there), and nobody can give a role with permissions they do
  not hold themselves;
- an employee of another store cannot be edited (password, activity, stores)
  unless the pack's Security document allows it (`employees.edit_other_stores`),
  with the seed's message otherwise;
- a password set by someone else is expired at once: its owner chooses a new
  one at the next login.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cassa.engine import inputs
from cassa.engine.errors import InvalidInput, NotFound, PermissionDenied
from cassa.engine.messages import Message
from cassa.engine.people._audit import AuditEvent, AuditLog
from cassa.engine.people._passwords import hash_secret
from cassa.engine.people._permissions import Permission, describe
from cassa.engine.people._policy import PasswordPolicy, SecurityPolicy
from cassa.engine.rules.rulepack import RulePack, load_rule_pack
from cassa.engine.storage.catalog import load_stored_store
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import EmployeeRow, EmployeeStoreRow, StoreRow
from cassa.i18n import _

__all__ = [
    "Assignment",
    "Authority",
    "Employee",
    "NewEmployee",
    "OtherStoreDenied",
    "PasswordState",
    "PasswordStatus",
    "People",
    "StorePacks",
    "policy_of",
]

Clock = Callable[[], datetime]
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
SORT_KEYS = (
    "username",
    "title",
    "first_name",
    "last_name",
    "birth_date",
    "card_number",
    "password_status",
    "stores",
    "start_date",
    "end_date",
    "active",
)


def policy_of(pack: RulePack) -> SecurityPolicy:
    return pack.security or SecurityPolicy()


class OtherStoreDenied(PermissionDenied):
    """The seed's refusal to edit an employee who works in another store."""

    code = "employee_other_store"

    def __init__(self) -> None:
        self.localized = Message("employee_other_store")
        super().__init__(self.localized.text)


@dataclass(frozen=True)
class Assignment:
    store: str
    role: str


class PasswordState(StrEnum):
    NOT_SET = "not_set"
    EXPIRED = "expired"
    VALID = "valid"
    VALID_UNTIL = "valid_until"


@dataclass(frozen=True)
class PasswordStatus:
    state: PasswordState
    until: datetime | None = None

    def message(self) -> Message:
        if self.state is PasswordState.VALID_UNTIL and self.until is not None:
            return Message("password_valid_until", {"date": self.until.date()})
        return Message(f"password_{self.state.value}")

    def render(self, locale: str = "en") -> str:
        return self.message().render(locale)


@dataclass(frozen=True)
class Employee:
    """What anyone may see of an employee: never a hash, a password or a PIN."""

    username: str
    first_name: str
    last_name: str
    title: str = ""
    birth_date: date | None = None
    card_number: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    active: bool = True
    assignments: tuple[Assignment, ...] = ()
    has_password: bool = False
    has_pin: bool = False
    password_changed_at: datetime | None = None
    password_expires_at: datetime | None = None
    failed_logins: int = 0
    locked_until: datetime | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def stores(self) -> tuple[str, ...]:
        return tuple(a.store for a in self.assignments)

    def role_in(self, store: str) -> str | None:
        return next((a.role for a in self.assignments if a.store == store), None)

    def password_status(self, now: datetime) -> PasswordStatus:
        if not self.has_password:
            return PasswordStatus(PasswordState.NOT_SET)
        if self.password_expires_at is None:
            return PasswordStatus(PasswordState.VALID)
        if now >= self.password_expires_at:
            return PasswordStatus(PasswordState.EXPIRED, self.password_expires_at)
        return PasswordStatus(PasswordState.VALID_UNTIL, self.password_expires_at)

    def as_json(self, now: datetime) -> dict[str, Any]:
        status = self.password_status(now)
        return {
            "username": self.username,
            "title": self.title,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "birth_date": _iso(self.birth_date),
            "card_number": self.card_number,
            "start_date": _iso(self.start_date),
            "end_date": _iso(self.end_date),
            "active": self.active,
            "stores": [{"store": a.store, "role": a.role} for a in self.assignments],
            "password_status": status.state.value,
            "password_valid_until": _iso(status.until),
            "locked_until": _iso(self.locked_until),
        }


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class NewEmployee:
    """The seed's form: first and last name, birth date and username are mandatory."""

    username: str
    first_name: str
    last_name: str
    birth_date: date | None
    assignments: tuple[Assignment, ...]
    title: str = ""
    card_number: str | None = None
    start_date: date | None = None  # today when not given
    end_date: date | None = None
    active: bool = True


@dataclass(frozen=True)
class Authority:
    """Whose rights an employee change uses, and where they hold which permissions."""

    username: str | None  # None: the system itself (first setup, scenario data)
    held: Mapping[str, frozenset[str]] = field(default_factory=dict)  # store -> permissions
    other_stores: bool = False  # the pack lets them edit employees of other stores
    actor: str | None = None  # who is at the keyboard, when a manager approved for them

    @classmethod
    def system(cls, label: str) -> Authority:
        return cls(None, {}, True, label)

    @property
    def is_system(self) -> bool:
        return self.username is None

    @property
    def acting(self) -> str | None:
        return self.actor or self.username

    @property
    def approver(self) -> str | None:
        return self.username if self.actor and self.actor != self.username else None

    def stores(self, permission: str) -> frozenset[str]:
        return frozenset(s for s, p in self.held.items() if permission in p)


class StorePacks:
    """The rule pack of each store, loaded once (a store's roles live in its pack)."""

    def __init__(self, database: Database, known: Mapping[str, RulePack] | None = None) -> None:
        self.database = database
        self._packs: dict[str, RulePack] = dict(known or {})

    def __call__(self, store: str) -> RulePack:
        if store not in self._packs:
            self._packs[store] = load_rule_pack(load_stored_store(self.database, store).pack)
        return self._packs[store]


class People:
    def __init__(
        self,
        database: Database,
        *,
        clock: Clock,
        packs: Callable[[str], RulePack] | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.packs = packs or StorePacks(database)
        self.audit = AuditLog(database)

    # -- reading -----------------------------------------------------------------
    def get(self, username: str) -> Employee:
        with self.database.session() as session:
            return employee_of(self._row(session, username))

    def exists(self) -> bool:
        """Whether any employee is registered (a fresh install has none)."""
        with self.database.session() as session:
            return session.scalar(select(EmployeeRow.username).limit(1)) is not None

    def list(
        self,
        *,
        role: str | None = None,
        active: bool | None = None,
        store: str | None = None,
        text: str | None = None,
        sort: str = "last_name",
        descending: bool = False,
    ) -> list[Employee]:
        """The seed's employee list: filters by role, activity, store and name; any sort."""
        if sort not in SORT_KEYS:
            raise InvalidInput(
                _(
                    "cannot sort by '{sort}': choose one of {keys}",
                    sort=sort,
                    keys=", ".join(SORT_KEYS),
                )
            )
        with self.database.session() as session:
            rows = session.scalars(select(EmployeeRow).options(selectinload(EmployeeRow.stores)))
            employees = [employee_of(row) for row in rows]
        wanted = text.casefold() if text else None
        found = [
            e
            for e in employees
            if (active is None or e.active is active)
            and (store is None or store in e.stores)
            and (role is None or any(_has_role(a, role, store) for a in e.assignments))
            and (
                wanted is None
                or any(wanted in v.casefold() for v in (e.first_name, e.last_name, e.username))
            )
        ]
        now = self.clock()

        def value(employee: Employee) -> Any:
            if sort == "password_status":
                return employee.password_status(now).state.value
            if sort == "stores":
                return ", ".join(f"{a.store} ({a.role})" for a in employee.assignments)
            return getattr(employee, sort)

        by_name = sorted(found, key=lambda e: e.username)
        known = [e for e in by_name if value(e) is not None]
        empty = [e for e in by_name if value(e) is None]  # always last, like an empty cell
        return sorted(known, key=value, reverse=descending) + empty

    def authority(self, username: str, *, actor: str | None = None) -> Authority:
        """The rights `username` holds in each of their stores, from the stores' packs."""
        employee = self.get(username)
        held: dict[str, frozenset[str]] = {}
        other_stores = False
        for assignment in employee.assignments:
            pack = self.packs(assignment.store)
            role = pack.roles.get(assignment.role)
            held[assignment.store] = role.permissions if role else frozenset()
            if role and Permission.EDIT_EMPLOYEES in role.permissions:
                other_stores = other_stores or policy_of(pack).edit_other_stores
        return Authority(username, held, other_stores, actor or username)

    def policy_for(self, stores: Iterable[str], preferred: str | None = None) -> SecurityPolicy:
        """The policy of the store where one logs in, else of all the employee's stores."""
        if preferred is not None:
            return policy_of(self.packs(preferred))
        return _strictest(self.packs(store) for store in sorted(stores))

    # -- changes -----------------------------------------------------------------
    # SQLite transactions here start with BEGIN IMMEDIATE: nothing inside one may
    # open a second session, so packs are looked up before, and refusals are
    # recorded after the rollback.
    @contextmanager
    def _changing(self, by: Authority) -> Iterator[Session]:
        try:
            with self.database.session() as session, session.begin():
                yield session
        except _Refused as refused:
            self.audit.record(
                AuditEvent.EMPLOYEE_EDIT_REFUSED,
                self.clock(),
                actor=by.acting,
                approver=by.approver,
                subject=refused.subject,
                permission=refused.permission,
                detail={"why": refused.error.message},
            )
            raise refused.error from None

    def add(
        self,
        new: NewEmployee,
        password: str,
        *,
        by: Authority,
        repeat: str | None = None,
        pin: str | None = None,
    ) -> Employee:
        """Register an employee with a first password, expired at once (the seed's "Scaduta")."""
        self._require(by, Permission.EDIT_EMPLOYEES, subject=new.username)
        username = normalize_username(new.username)
        new = replace(  # within the columns on every database, no control characters
            new,
            title=inputs.text(new.title, _("the title"), limit=32, required=False),
            first_name=inputs.text(new.first_name, _("the first name"), limit=100, required=False),
            last_name=inputs.text(new.last_name, _("the last name"), limit=100, required=False),
        )
        today = self.clock().date()
        problems = []
        for what, value in (("first name", new.first_name), ("last name", new.last_name)):
            if not value.strip():
                problems.append(f"the {what} is mandatory")
        if new.birth_date is None:
            problems.append("the birth date is mandatory")
        elif new.birth_date >= today:
            problems.append("the birth date must be in the past")
        start = new.start_date or today
        if new.end_date is not None and new.end_date < start:
            problems.append("the end date comes before the start date")
        if not new.assignments:
            problems.append("assign at least one store with a role (the assignment is mandatory)")
        if problems:
            raise InvalidInput("; ".join(problems))
        packs = self._packs_of(a.store for a in new.assignments)
        policy = _strictest(packs.values())
        now = self.clock()
        with self._changing(by) as session:
            if session.get(EmployeeRow, username) is not None:
                raise InvalidInput(_("the username {username} is already taken", username=username))
            card = _card(new.card_number)
            self._check_card_free(session, card, username)
            for assignment in new.assignments:
                _check_assignable(packs[assignment.store], assignment, by, username)
            row = EmployeeRow(
                username=username,
                title=new.title.strip(),
                first_name=new.first_name.strip(),
                last_name=new.last_name.strip(),
                birth_date=new.birth_date,
                card_number=card,
                start_date=start,
                end_date=new.end_date,
                active=new.active,
                failed_logins=0,
                created_at=now,
                stores=[EmployeeStoreRow(store=a.store, role=a.role) for a in new.assignments],
            )
            _set_password(row, password, repeat, now, policy, expired=not by.is_system)
            if pin is not None:
                _set_pin(row, pin, policy)
            session.add(row)
            self.audit.record(
                AuditEvent.EMPLOYEE_ADDED,
                now,
                session=session,
                actor=by.acting,
                approver=by.approver,
                subject=username,
                detail={"stores": {a.store: a.role for a in new.assignments}},
            )
            session.flush()
            return employee_of(row)

    def assign(self, username: str, store: str, role: str, *, by: Authority) -> Employee:
        """Assign a store with a role (or change the role there)."""
        self._require(by, Permission.EDIT_EMPLOYEES, subject=username)
        pack = self._packs_of([store])[store]
        now = self.clock()
        with self._changing(by) as session:
            row = self._row(session, username)
            _check_scope(row, by, Permission.EDIT_EMPLOYEES)
            _check_assignable(pack, Assignment(store, role), by, row.username)
            existing = next((s for s in row.stores if s.store == store), None)
            if existing is not None:
                existing.role = role
            else:
                row.stores.append(EmployeeStoreRow(store=store, role=role))
            self.audit.record(
                AuditEvent.EMPLOYEE_ASSIGNED,
                now,
                session=session,
                actor=by.acting,
                approver=by.approver,
                subject=row.username,
                store=store,
                detail={"role": role},
            )
            session.flush()
            return employee_of(row)

    def unassign(self, username: str, store: str, *, by: Authority) -> Employee:
        """Remove the association with a store; the last one cannot go."""
        self._require(by, Permission.EDIT_EMPLOYEES, subject=username)
        now = self.clock()
        with self._changing(by) as session:
            row = self._row(session, username)
            _check_scope(row, by, Permission.EDIT_EMPLOYEES)
            link = next((s for s in row.stores if s.store == store), None)
            if link is None:
                raise NotFound(
                    _(
                        "{username} is not assigned to store {store}",
                        username=row.username,
                        store=store,
                    )
                )
            if not by.is_system and store not in by.stores(Permission.EDIT_EMPLOYEES):
                raise _Refused(
                    PermissionDenied(
                        f"{by.username} may not remove store {store}: they do not manage it"
                    ),
                    row.username,
                )
            if len(row.stores) == 1:
                raise InvalidInput(
                    _(
                        "{username} must keep at least one store: assign another one first",
                        username=row.username,
                    )
                )
            row.stores.remove(link)
            self.audit.record(
                AuditEvent.EMPLOYEE_UNASSIGNED,
                now,
                session=session,
                actor=by.acting,
                approver=by.approver,
                subject=row.username,
                store=store,
            )
            session.flush()
            return employee_of(row)

    def set_active(self, username: str, active: bool, *, by: Authority) -> Employee:
        """Activate or deactivate: only a manager of one of the employee's stores (seed)."""
        self._require(by, Permission.EDIT_EMPLOYEES, subject=username)
        now = self.clock()
        with self._changing(by) as session:
            row = self._row(session, username)
            if not active and row.username == by.username:
                raise InvalidInput(_("nobody can deactivate their own account"))
            _check_scope(row, by, Permission.EDIT_EMPLOYEES)
            row.active = active
            if active:
                row.failed_logins, row.locked_until = 0, None
            self.audit.record(
                AuditEvent.EMPLOYEE_ACTIVATED if active else AuditEvent.EMPLOYEE_DEACTIVATED,
                now,
                session=session,
                actor=by.acting,
                approver=by.approver,
                subject=row.username,
            )
            session.flush()
            return employee_of(row)

    def reset_password(
        self,
        username: str,
        password: str,
        *,
        by: Authority,
        repeat: str | None = None,
        pin: str | None = None,
    ) -> Message:
        """Someone with `change_employee_password` sets a password; set for someone else
        it is expired at once, so its owner chooses a new one at the next login (the
        system's own setup excepted). Unlocks the account."""
        self._require(by, Permission.CHANGE_EMPLOYEE_PASSWORD, subject=username)
        policy = _strictest(self._packs_of(self.get(username).stores).values())
        now = self.clock()
        with self._changing(by) as session:
            row = self._row(session, username)
            _check_scope(row, by, Permission.CHANGE_EMPLOYEE_PASSWORD)
            expired = not by.is_system and row.username != by.username
            _set_password(row, password, repeat, now, policy, expired=expired)
            if pin is not None:
                _set_pin(row, pin, policy)
            self.audit.record(
                AuditEvent.PASSWORD_RESET,
                now,
                session=session,
                actor=by.acting,
                approver=by.approver,
                subject=row.username,
            )
        return Message("password_changed")

    def change_own_password(
        self, username: str, old: str, new: str, *, repeat: str | None = None
    ) -> Message:
        """The employee changes their own password, proving the old one (a wrong one
        counts towards the lockout like a failed login)."""
        from cassa.engine.people._auth import Credentials, authenticate

        authenticate(
            self, Credentials(username, old), purpose="password", new_password=new, repeat=repeat
        )
        return Message("password_changed")

    # -- checks ------------------------------------------------------------------
    def _row(self, session: Session, username: str) -> EmployeeRow:
        row = session.get(EmployeeRow, normalize_username(username))
        if row is None:
            raise NotFound(_("no employee with username '{username}'", username=username))
        return row

    def _packs_of(self, stores: Iterable[str]) -> dict[str, RulePack]:
        wanted = sorted(set(stores))
        with self.database.session() as session:
            known = set(session.scalars(select(StoreRow.code).where(StoreRow.code.in_(wanted))))
        for store in wanted:
            if store not in known:
                raise NotFound(_("no store {store} in this database", store=store))
        return {store: self.packs(store) for store in wanted}

    def _require(self, by: Authority, permission: str, *, subject: str) -> None:
        if by.is_system or by.stores(permission):
            return
        self.audit.record(
            AuditEvent.EMPLOYEE_EDIT_REFUSED,
            self.clock(),
            actor=by.acting,
            approver=by.approver,
            subject=subject,
            permission=permission,
        )
        raise PermissionDenied(
            _(
                "{username} may not {describe}: needs the permission {permission}",
                username=by.username,
                describe=describe(permission),
                permission=permission,
            )
        )

    def _check_card_free(self, session: Session, card: str | None, username: str) -> None:
        if card is None:
            return
        owner = session.scalar(select(EmployeeRow.username).where(EmployeeRow.card_number == card))
        if owner is not None and owner != username:
            raise InvalidInput(_("the card number {card} belongs to another employee", card=card))


class _Refused(Exception):
    """A refusal found inside a transaction: recorded in the audit log after its rollback."""

    def __init__(
        self, error: PermissionDenied, subject: str, permission: str = Permission.EDIT_EMPLOYEES
    ) -> None:
        super().__init__(error.message)
        self.error, self.subject, self.permission = error, subject, permission


def _check_scope(row: EmployeeRow, by: Authority, permission: str) -> None:
    """The seed's cross-store restriction: only employees of one's own stores."""
    if by.is_system or by.other_stores:
        return
    if {s.store for s in row.stores} & by.stores(permission):
        return
    raise _Refused(OtherStoreDenied(), row.username, permission)


def _check_assignable(pack: RulePack, assignment: Assignment, by: Authority, subject: str) -> None:
    role = pack.roles.get(assignment.role)
    if role is None:
        known = ", ".join(sorted(pack.roles)) or "none"
        raise NotFound(
            _(
                "role {role} is not declared in pack {name} of store {store} (roles: {known})",
                role=assignment.role,
                name=pack.name,
                store=assignment.store,
                known=known,
            )
        )
    if by.is_system:
        return
    if assignment.store not in by.stores(Permission.EDIT_EMPLOYEES):
        raise _Refused(
            PermissionDenied(
                f"{by.username} may not assign store {assignment.store}: "
                "only a manager of that store can (permission edit_employees there)"
            ),
            subject,
        )
    beyond = sorted(role.permissions - by.held.get(assignment.store, frozenset()))
    if beyond:
        raise _Refused(
            PermissionDenied(
                f"{by.username} may not give the role {role.code}: it has permissions "
                f"{by.username} does not hold ({', '.join(beyond)})"
            ),
            subject,
        )


def _strictest(packs: Iterable[RulePack]) -> SecurityPolicy:
    """For an employee of stores with several packs, every pack's password rules at once."""
    policies = [policy_of(p) for p in packs]
    if not policies:
        return SecurityPolicy()
    if len(policies) == 1:
        return policies[0]
    expiries = [p.passwords.expires_after_days for p in policies if p.passwords.expires_after_days]
    passwords = PasswordPolicy(
        min_length=max(p.passwords.min_length for p in policies),
        max_length=min(p.passwords.max_length for p in policies),
        require=frozenset().union(*(p.passwords.require for p in policies)),
        expires_after_days=min(expiries) if expiries else None,
    )
    return replace(
        policies[0],
        passwords=passwords,
        pin_min_length=max(p.pin_min_length for p in policies),
    )


def _has_role(assignment: Assignment, role: str, store: str | None) -> bool:
    return assignment.role == role and (store is None or assignment.store == store)


def normalize_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InvalidInput(
            _(
                "'{username}' is not a valid username: 2 to 64 letters, digits, '.', '_' or '-'",
                username=username,
            )
        )
    return name


def _card(card: str | None) -> str | None:
    return card.strip() or None if card is not None else None


def _set_password(
    row: EmployeeRow,
    password: str,
    repeat: str | None,
    now: datetime,
    policy: SecurityPolicy,
    *,
    expired: bool,
) -> None:
    if repeat is not None and repeat != password:
        raise InvalidInput(_("the two passwords differ"))
    problems = policy.passwords.problems(password, row.username)
    if problems:
        raise InvalidInput("; ".join(problems))
    row.password_hash = hash_secret(password)
    row.password_changed_at = now
    days = policy.passwords.expires_after_days
    row.password_expires_at = now if expired else (now + timedelta(days=days) if days else None)
    row.failed_logins, row.locked_until = 0, None


def _set_pin(row: EmployeeRow, pin: str, policy: SecurityPolicy) -> None:
    if not pin.isdigit() or len(pin) < policy.pin_min_length:
        raise InvalidInput(
            _(
                "a PIN is made of at least {pin_min_length} digits",
                pin_min_length=policy.pin_min_length,
            )
        )
    row.pin_hash = hash_secret(pin)


def employee_of(row: EmployeeRow) -> Employee:
    return Employee(
        username=row.username,
        first_name=row.first_name,
        last_name=row.last_name,
        title=row.title,
        birth_date=row.birth_date,
        card_number=row.card_number,
        start_date=row.start_date,
        end_date=row.end_date,
        active=row.active,
        assignments=tuple(Assignment(s.store, s.role) for s in row.stores),
        has_password=row.password_hash is not None,
        has_pin=row.pin_hash is not None,
        password_changed_at=row.password_changed_at,
        password_expires_at=row.password_expires_at,
        failed_logins=row.failed_logins,
        locked_until=row.locked_until,
    )
