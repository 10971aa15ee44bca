"""The append-only audit log of security events.

Every login, failed login, approval, refused permission and change to an
employee adds one row. Nothing in Cassa updates or deletes a row: the ORM
refuses it here (flushes and UPDATE/DELETE statements on the table), and the
migration adds database triggers that abort it for any other client too.
No row ever holds a password, a PIN or a hash.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session

from cassa.engine.storage.db import Database
from cassa.engine.storage.models import AuditEventRow

__all__ = ["AuditEvent", "AuditLog", "AuditRecord", "AuditTampering"]

log = logging.getLogger("cassa.people.audit")


class AuditEvent(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"  # wrong or unknown credentials
    LOGIN_REFUSED = "login_refused"  # right credentials, but not allowed now (locked, inactive…)
    ACCOUNT_LOCKED = "account_locked"
    LOGOUT = "logout"
    APPROVAL = "approval"  # a manager's approval was used for one action
    APPROVAL_FAILED = "approval_failed"  # the approver's credentials or rights were refused
    PERMISSION_REFUSED = "permission_refused"
    PERMISSION_USED = "permission_used"  # the operator's own role allowed an action
    EMPLOYEE_ADDED = "employee_added"
    EMPLOYEE_IMPORTED = "employee_imported"
    EMPLOYEE_ASSIGNED = "employee_assigned"
    EMPLOYEE_UNASSIGNED = "employee_unassigned"
    EMPLOYEE_ACTIVATED = "employee_activated"
    EMPLOYEE_DEACTIVATED = "employee_deactivated"
    PASSWORD_CHANGED = "password_changed"  # by the employee
    PASSWORD_RESET = "password_reset"  # by someone else
    EMPLOYEE_EDIT_REFUSED = "employee_edit_refused"
    TERMINAL_SETTLEMENT = "terminal_settlement"  # the card terminal's batch closed
    DOCUMENT_DISCARDED = "document_discarded"  # an open document with lines, and why


class AuditTampering(RuntimeError):
    """Code tried to change or delete an audit row."""


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    event: str
    actor: str | None = None
    approver: str | None = None
    subject: str | None = None
    permission: str | None = None
    amount: Decimal | None = None
    store: str | None = None
    till: str | None = None
    document_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "event": self.event,
            "actor": self.actor,
            "approver": self.approver,
            "subject": self.subject,
            "permission": self.permission,
            "amount": None if self.amount is None else str(self.amount),
            "store": self.store,
            "till": self.till,
            "document_id": self.document_id,
            "detail": self.detail,
        }


class AuditLog:
    def __init__(self, database: Database) -> None:
        self.database = database

    def record(
        self,
        event: AuditEvent,
        at: datetime,
        *,
        session: Session | None = None,
        actor: str | None = None,
        approver: str | None = None,
        subject: str | None = None,
        permission: str | None = None,
        amount: Decimal | None = None,
        store: str | None = None,
        till: str | None = None,
        document_id: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Add one event: in `session`'s transaction when given, else in its own."""
        row = AuditEventRow(
            at=at,
            event=event.value,
            actor=actor,
            approver=approver,
            subject=subject,
            permission=permission,
            amount=amount,
            store=store,
            till=till,
            document_id=document_id,
            detail=json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False),
        )
        if session is not None:
            session.add(row)
        else:
            with self.database.session() as own, own.begin():
                own.add(row)
        log.info(
            "%s actor=%s approver=%s subject=%s permission=%s amount=%s till=%s",
            event.value,
            actor,
            approver,
            subject,
            permission,
            amount,
            till,
        )

    def events(
        self,
        *,
        after_id: int | None = None,
        event: str | None = None,
        subject: str | None = None,
        limit: int | None = None,
    ) -> list[AuditRecord]:
        """Events oldest first (the newest `limit` ones when a limit is given)."""
        query = select(AuditEventRow)
        if after_id is not None:
            query = query.where(AuditEventRow.id > after_id)
        if event is not None:
            query = query.where(AuditEventRow.event == event)
        if subject is not None:
            query = query.where(AuditEventRow.subject == subject)
        if limit is not None:
            query = query.order_by(AuditEventRow.id.desc()).limit(limit)
        else:
            query = query.order_by(AuditEventRow.id)
        with self.database.session() as session:
            rows = list(session.scalars(query))
        if limit is not None:
            rows.reverse()
        return [_record(row) for row in rows]

    def last_id(self) -> int:
        with self.database.session() as session:
            found = session.scalar(select(AuditEventRow.id).order_by(AuditEventRow.id.desc()))
            return found or 0


def _record(row: AuditEventRow) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        event=row.event,
        actor=row.actor,
        approver=row.approver,
        subject=row.subject,
        permission=row.permission,
        amount=row.amount,
        store=row.store,
        till=row.till,
        document_id=row.document_id,
        detail=json.loads(row.detail) if row.detail else {},
    )


# -- the ORM refuses to change history -------------------------------------------------


@event.listens_for(Session, "before_flush")
def _refuse_changed_audit_rows(session: Session, _context: Any, _instances: Any) -> None:
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, AuditEventRow) and (
            row in session.deleted or session.is_modified(row, include_collections=False)
        ):
            raise AuditTampering("the audit log is append-only: rows cannot change or go")


@event.listens_for(Session, "do_orm_execute")
def _refuse_audit_statements(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) == AuditEventRow.__tablename__:
        raise AuditTampering("the audit log is append-only: rows cannot change or go")
