"""Checking who someone is: username and password, or card number (and PIN).

One function serves logins and managers' approvals. Every attempt leaves an
audit row; failures count towards the lockout of the account; a wrong secret,
an unknown username or card and a locked account get the same answer after the
same work (no one learns which accounts exist). Failed card logins pause card
logins for a while, at one till and, for unknown cards, everywhere.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from cassa.engine.errors import CassaError, InvalidInput, PermissionDenied
from cassa.engine.people._audit import AuditEvent
from cassa.engine.people._employees import Employee, People, _set_password, employee_of
from cassa.engine.people._passwords import hash_secret, needs_rehash, verify_secret
from cassa.engine.people._policy import CardLogin, SecurityPolicy
from cassa.engine.storage.models import AuditEventRow, EmployeeRow
from cassa.i18n import _

__all__ = ["Credentials", "LoginRefused", "PasswordExpired", "authenticate"]

log = logging.getLogger("cassa.people.auth")
Purpose = Literal["login", "approval", "password"]


@dataclass(frozen=True)
class Credentials:
    """A username and password, or a card number (with a PIN when the pack asks).
    Secrets never appear in a repr, a log line or an error message."""

    username: str | None = None
    password: str | None = field(default=None, repr=False)
    card: str | None = field(default=None, repr=False)
    pin: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        by_password = self.username is not None or self.password is not None
        if by_password == (self.card is not None):
            raise InvalidInput(_("give a username and a password, or a card number"))
        if by_password and not (self.username and self.password):
            raise InvalidInput(_("give both the username and the password"))

    @property
    def method(self) -> str:
        return "card" if self.card is not None else "password"


class LoginRefused(PermissionDenied):
    code = "login_refused"


class PasswordExpired(LoginRefused):
    code = "password_expired"


@dataclass
class _Outcome:
    employee: Employee | None = None
    error: LoginRefused | None = None


_WRONG = _("wrong username or password")
_WRONG_CARD = _("wrong card number or PIN")
_UNKNOWN = "unknown username or card"  # the audit's words for why an attempt failed
_WRONG_SECRET = "wrong secret"


def authenticate(
    people: People,
    credentials: Credentials,
    *,
    store: str | None = None,
    till: str | None = None,
    purpose: Purpose = "login",
    roles: Collection[str] | None = None,
    new_password: str | None = None,
    repeat: str | None = None,
) -> Employee:
    """The employee these credentials belong to, if they may work now (in `store`).

    With `roles`, the employee's role in `store` must be one of them. An expired
    password is refused unless `new_password` replaces it at once (seed "Scaduta").
    With purpose "password", `new_password` replaces the password in any case (the
    employee changes their own); failures count towards the lockout as for a login.
    """
    now = people.clock()
    policy = _policy(people, credentials, store)
    outcome = _Outcome()
    with people.database.session() as session, session.begin():
        row = _lookup(session, credentials)
        approval = purpose == "approval"
        failure = AuditEvent.APPROVAL_FAILED if approval else AuditEvent.LOGIN_FAILED
        refused = AuditEvent.APPROVAL_FAILED if approval else AuditEvent.LOGIN_REFUSED

        def record(event: AuditEvent, subject: str | None, why: str) -> None:
            people.audit.record(
                event,
                now,
                session=session,
                subject=subject,
                store=store,
                till=till,
                detail={"method": credentials.method, "purpose": purpose, "why": why},
            )

        wrong = _WRONG if credentials.card is None else _WRONG_CARD
        paused = _card_pause(session, credentials, policy, now, till)
        if credentials.card is not None and policy.card_login is CardLogin.DISABLED:
            record(refused, row.username if row else None, "card login disabled")
            outcome.error = LoginRefused("card login is disabled: use username and password")
        elif paused is not None:
            record(refused, None, paused)
            outcome.error = LoginRefused(
                _(
                    "too many failed card logins: use your username and password, or try "
                    "the card again in {minutes} minutes",
                    minutes=policy.card_throttle.minutes,
                )
            )
        elif row is None:
            _secret_ok(None, credentials, policy)  # the same time as a real check
            record(failure, None, _UNKNOWN)
            outcome.error = LoginRefused(wrong)
        elif row.locked_until is not None and _aware(row.locked_until) > now:
            # The same answer, after the same work, as a wrong secret: a lock tells
            # nobody that the account exists, nor whether the guess was right.
            _secret_ok(row, credentials, policy)
            record(refused, row.username, "locked")
            outcome.error = LoginRefused(wrong)
        elif not _secret_ok(row, credentials, policy):
            if row.locked_until is not None:  # the lock has run out: a fresh count
                row.failed_logins, row.locked_until = 0, None
            row.failed_logins += 1
            record(failure, row.username, _WRONG_SECRET)
            outcome.error = LoginRefused(wrong)
            if row.failed_logins >= policy.lockout.max_failures:
                row.locked_until = now + timedelta(minutes=policy.lockout.minutes)
                record(AuditEvent.ACCOUNT_LOCKED, row.username, f"{row.failed_logins} failures")
        else:
            row.failed_logins, row.locked_until = 0, None
            password = credentials.password
            if password is not None and row.password_hash and needs_rehash(row.password_hash):
                row.password_hash = hash_secret(password)
            why = _not_allowed(row, now, store, roles)
            expired = (
                credentials.password is not None
                and row.password_expires_at is not None
                and now >= _aware(row.password_expires_at)
            )
            if why is not None:
                record(refused, row.username, why)
                outcome.error = LoginRefused(why)
            elif expired and new_password is None:
                record(refused, row.username, "password expired")
                outcome.error = PasswordExpired(
                    f"the password of {row.username} has expired: choose a new one"
                )
            else:
                if new_password is not None and (expired or purpose == "password"):
                    if new_password == credentials.password:
                        raise InvalidInput(_("the new password must differ from the old one"))
                    _set_password(row, new_password, repeat, now, policy, expired=False)
                    people.audit.record(
                        AuditEvent.PASSWORD_CHANGED, now, session=session, subject=row.username
                    )
                if purpose == "login":
                    record(AuditEvent.LOGIN, row.username, "ok")
                outcome.employee = employee_of(row)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.employee is not None
    return outcome.employee


def _policy(people: People, credentials: Credentials, store: str | None) -> SecurityPolicy:
    """The store's policy at a till; else the policy of the employee's own stores."""
    if store is not None:
        return people.policy_for((), preferred=store)
    stores: tuple[str, ...] = ()
    if credentials.username is not None:
        with suppress(CassaError):  # an unknown username: the default policy
            stores = people.get(credentials.username).stores
    return people.policy_for(stores)


def _lookup(session: Session, credentials: Credentials) -> EmployeeRow | None:
    if credentials.card is not None:
        card = credentials.card.strip()
        if not card:
            return None
        return session.scalar(
            select(EmployeeRow).where(EmployeeRow.card_number == card).with_for_update()
        )
    assert credentials.username is not None
    # FOR UPDATE: two tills failing at once both count (PostgreSQL; SQLite locks anyway).
    return session.get(EmployeeRow, credentials.username.strip().lower(), with_for_update=True)


def _secret_ok(row: EmployeeRow | None, credentials: Credentials, policy: SecurityPolicy) -> bool:
    """Whether the secret matches; without a row the same work is done, to fail."""
    if credentials.password is not None:
        return verify_secret(row.password_hash if row else None, credentials.password)
    if policy.card_login is CardLogin.CARD_AND_PIN:
        if credentials.pin is None:
            return False
        return verify_secret(row.pin_hash if row else None, credentials.pin)
    return row is not None  # the card alone identifies its holder


_FAILED = (AuditEvent.LOGIN_FAILED.value, AuditEvent.APPROVAL_FAILED.value)
_COUNTED = (_UNKNOWN, _WRONG_SECRET)  # a card someone tried, not a refusal of ours


def _card_pause(
    session: Session,
    credentials: Credentials,
    policy: SecurityPolicy,
    now: datetime,
    till: str | None,
) -> str | None:
    """Why card logins pause now, or None: too many failed card logins at this till,
    or with unknown cards anywhere, within the pack's window (audit rows, so every
    till of the store counts them alike)."""
    if credentials.card is None:
        return None
    limits = policy.card_throttle
    since = now - timedelta(minutes=limits.minutes)
    rows = session.execute(
        select(AuditEventRow.till, AuditEventRow.subject, AuditEventRow.detail).where(
            AuditEventRow.at >= since, AuditEventRow.event.in_(_FAILED)
        )
    ).all()
    here = unknown = 0
    for row_till, subject, detail in rows:
        facts = json.loads(detail) if detail else {}
        if facts.get("method") != "card" or facts.get("why") not in _COUNTED:
            continue
        here += row_till == till and till is not None
        unknown += subject is None
    if here >= limits.per_till:
        return f"card logins paused at till {till}: {here} failures in {limits.minutes} minutes"
    if unknown >= limits.unknown_cards:
        return f"card logins paused: {unknown} unknown cards in {limits.minutes} minutes"
    return None


def _not_allowed(
    row: EmployeeRow, now: datetime, store: str | None, roles: Collection[str] | None
) -> str | None:
    today = now.date()
    if not row.active:
        return f"the account of {row.username} is deactivated"
    if row.start_date > today:
        return f"the employment of {row.username} starts on {row.start_date.isoformat()}"
    if row.end_date is not None and row.end_date < today:
        return f"the employment of {row.username} ended on {row.end_date.isoformat()}"
    if store is not None:
        role = next((s.role for s in row.stores if s.store == store), None)
        if role is None:
            return f"{row.username} does not work in store {store}"
        if roles is not None and role not in roles:
            return f"the role {role} of {row.username} is not declared in this store's pack"
    return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
