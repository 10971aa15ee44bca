"""A till's door: who is logged in, what their role allows, and managers' approvals.

`Gate.require(...)` is the one check every command calls before it does what a
permission guards. It passes when the operator's role holds every permission
asked for; otherwise a manager's approval must be waiting for exactly those
permissions (and the amount and document, when the approval names them). An
approval is used once, by the first action that needs it, and runs out after
the pack's `approvals.valid_seconds`. Refusals and approvals are recorded in
the audit log with both people, the action and the amount.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from cassa.engine.errors import ConfigurationError, InvalidInput, PermissionDenied
from cassa.engine.people._audit import AuditEvent
from cassa.engine.people._auth import Credentials, authenticate
from cassa.engine.people._employees import Authority, Employee, People, StorePacks, policy_of
from cassa.engine.people._permissions import describe
from cassa.engine.people._policy import SecurityPolicy
from cassa.engine.rules.rulepack import Role, RulePack
from cassa.engine.storage.db import Database
from cassa.i18n import Text, _, _n

__all__ = ["ApprovalRequired", "Gate", "Grant", "PendingApproval"]


@dataclass(frozen=True)
class Grant:
    """Why an action was allowed: the operator's own role, or a manager's approval."""

    permissions: tuple[str, ...]
    operator: str
    approved_by: str | None = None
    amount: Decimal | None = None


class ApprovalRequired(PermissionDenied):
    """The operator lacks permissions: a manager may approve them for this one action."""

    code = "approval_required"

    def __init__(
        self, message: str | Text, permissions: tuple[str, ...], amount: Decimal | None
    ) -> None:
        super().__init__(message)
        self.permissions = permissions
        self.amount = amount


@dataclass(frozen=True)
class PendingApproval:
    permissions: frozenset[str]
    approver: str
    operator: str
    amount: Decimal | None
    document_id: str | None
    expires_at: datetime

    def covers(
        self,
        missing: Sequence[str],
        *,
        operator: str,
        amount: Decimal | None,
        document_id: str | None,
        now: datetime,
    ) -> bool:
        return (
            set(missing) <= self.permissions
            and operator == self.operator
            and now < self.expires_at
            and (self.amount is None or self.amount == amount)
            and (self.document_id is None or self.document_id == document_id)
        )


class Gate:
    def __init__(
        self,
        database: Database,
        pack: RulePack,
        *,
        store: str,
        till: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.pack = pack
        self.store = store
        self.till = till
        self.clock = clock
        self.people = People(database, clock=clock, packs=StorePacks(database, {store: pack}))
        self.audit = self.people.audit
        self.employee: Employee | None = None
        self.role: Role | None = None  # the logged-in employee's, the only one require() uses
        self.pending: PendingApproval | None = None

    def use_pack(self, pack: RulePack) -> None:
        """The till reloaded its rules: roles, permissions and policy follow."""
        self.pack = pack
        self.people.packs = StorePacks(self.people.database, {self.store: pack})
        if self.role is not None:
            self.role = pack.roles.get(self.role.code)

    @property
    def policy(self) -> SecurityPolicy:
        return policy_of(self.pack)

    # -- login -------------------------------------------------------------------
    def login(
        self, credentials: Credentials, *, new_password: str | None = None
    ) -> tuple[Employee, Role]:
        employee = authenticate(
            self.people,
            credentials,
            store=self.store,
            till=self.till,
            roles=self.pack.roles.keys(),
            new_password=new_password,
        )
        role_code = employee.role_in(self.store)
        assert role_code is not None  # authenticate checked the assignment
        self.employee = employee
        self.role = self.pack.roles[role_code]
        self.pending = None
        return employee, self.role

    def logout(self, operator: str) -> None:
        if self.employee is not None:
            self.audit.record(
                AuditEvent.LOGOUT,
                self.clock(),
                actor=operator,
                subject=self.employee.username,
                store=self.store,
                till=self.till,
            )
        self.employee = None
        self.role = None
        self.pending = None

    # -- permissions -------------------------------------------------------------------
    def check_known(self, permissions: Sequence[str]) -> None:
        unknown = [p for p in permissions if p not in self.pack.permissions]
        if unknown:
            raise ConfigurationError(
                _(
                    "unknown permission {unknown}: pack {name} knows {permissions}",
                    unknown=", ".join(unknown),
                    name=self.pack.name,
                    permissions=", ".join(sorted(self.pack.permissions)),
                )
            )

    def require(
        self,
        permissions: Sequence[str],
        *,
        operator: str,
        amount: Decimal | None = None,
        approval: Credentials | None = None,
        document_id: str | None = None,
        what: str | None = None,
    ) -> Grant:
        """Allow the action, or raise ApprovalRequired (recorded in the audit log).
        `what` names the action as a verb phrase ("open the drawer") for the message."""
        if not permissions:
            raise ValueError("require() needs at least one permission")
        self.check_known(permissions)
        # Only the role of the employee who logged in counts, whatever else says otherwise.
        held = self.role.permissions if self.role is not None else frozenset()
        missing = tuple(p for p in permissions if p not in held)
        if not missing:
            for permission in permissions:
                self.audit.record(
                    AuditEvent.PERMISSION_USED,
                    self.clock(),
                    actor=operator,
                    permission=permission,
                    amount=amount,
                    store=self.store,
                    till=self.till,
                    document_id=document_id,
                    detail={"action": what or describe(permission)},
                )
            return Grant(tuple(permissions), operator, amount=amount)
        if approval is not None:
            self.authorize(
                missing, approval, operator=operator, amount=amount, document_id=document_id
            )
        now = self.clock()
        pending = self.pending
        if pending is not None and pending.covers(
            missing, operator=operator, amount=amount, document_id=document_id, now=now
        ):
            self.pending = None
            for permission in missing:
                self.audit.record(
                    AuditEvent.APPROVAL,
                    now,
                    actor=operator,
                    approver=pending.approver,
                    permission=permission,
                    amount=amount,
                    store=self.store,
                    till=self.till,
                    document_id=document_id,
                    detail={"action": what or describe(permission)},
                )
            return Grant(tuple(permissions), operator, pending.approver, amount)
        for permission in missing:
            self.audit.record(
                AuditEvent.PERMISSION_REFUSED,
                now,
                actor=operator,
                permission=permission,
                amount=amount,
                store=self.store,
                till=self.till,
                document_id=document_id,
                detail={"action": what or describe(permission)},
            )
        message = _n(
            "{who} may not {action}: needs the permission {permissions} (a manager can approve)",
            "{who} may not {action}: needs the permissions {permissions} (a manager can approve)",
            len(missing),
            who=operator or _("the operator"),
            action=what or describe(missing[0]),
            permissions=", ".join(missing),
        )
        raise ApprovalRequired(message, missing, amount)

    def authorize(
        self,
        permissions: Sequence[str],
        credentials: Credentials,
        *,
        operator: str,
        amount: Decimal | None = None,
        document_id: str | None = None,
    ) -> PendingApproval:
        """A manager approves the next action needing these permissions, with their own
        credentials; the approval replaces any earlier one that was not used."""
        if not permissions:
            raise ValueError("authorize() needs at least one permission")
        self.check_known(permissions)
        self.pending = None
        approver = authenticate(
            self.people, credentials, store=self.store, till=self.till, purpose="approval"
        )
        now = self.clock()
        role = self.pack.roles.get(approver.role_in(self.store) or "")
        lacking = [p for p in permissions if role is None or p not in role.permissions]
        why = None
        if approver.username == operator:
            why = f"{approver.username} cannot approve their own action"
        elif lacking:
            why = (
                f"{approver.username} may not approve: needs the permission "
                f"{' and '.join(lacking)} in store {self.store}"
            )
        if why is not None:
            self.audit.record(
                AuditEvent.APPROVAL_FAILED,
                now,
                actor=operator,
                approver=approver.username,
                permission=",".join(permissions),
                amount=amount,
                store=self.store,
                till=self.till,
                document_id=document_id,
                detail={"why": why},
            )
            raise PermissionDenied(why)
        self.pending = PendingApproval(
            frozenset(permissions),
            approver.username,
            operator,
            amount,
            document_id,
            now + timedelta(seconds=self.policy.approval_valid_seconds),
        )
        return self.pending

    def authority(self, grant: Grant) -> Authority:
        """Whose rights an employee change uses: the approving manager's, else the
        logged-in operator's."""
        if grant.approved_by is not None:
            return self.people.authority(grant.approved_by, actor=grant.operator)
        if self.employee is None:
            raise InvalidInput(_("log in first"))
        return self.people.authority(self.employee.username)
