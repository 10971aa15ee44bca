"""The employee list at a till (the seed's "Dipendenti" tile).

Each action asks the till for its permission first, so a manager's approval
works here as for any other command; the change then uses the rights of
whoever granted it (the operator, or the approving manager) and their stores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cassa.engine.errors import InvalidInput
from cassa.engine.messages import Message
from cassa.engine.people._access import Gate, Grant
from cassa.engine.people._employees import Assignment, Authority, Employee, NewEmployee
from cassa.engine.people._permissions import Permission
from cassa.i18n import _

__all__ = ["EmployeeDesk"]


class EmployeeDesk:
    def __init__(
        self,
        gate: Gate,
        require: Callable[..., Grant],
    ) -> None:
        self.gate = gate
        self.people = gate.people
        self._require = require

    def _authority(self, permission: str, what: str) -> Authority:
        grant = self._require(permission, what=what)
        return self.gate.authority(grant)

    def list(self, **filters: Any) -> list[Employee]:
        """The employee list with the seed's filters (role, active, store, text) and sort."""
        self._require(Permission.EDIT_EMPLOYEES, what="see the employee list")
        return self.people.list(**filters)

    def preview(self, username: str) -> Employee:
        self._require(Permission.EDIT_EMPLOYEES, what=f"see {username}")
        return self.people.get(username)

    def add(
        self,
        new: NewEmployee,
        password: str,
        *,
        repeat: str | None = None,
        pin: str | None = None,
    ) -> Employee:
        by = self._authority(Permission.EDIT_EMPLOYEES, f"add the employee {new.username}")
        return self.people.add(new, password, by=by, repeat=repeat, pin=pin)

    def assign(self, username: str, store: str, role: str) -> Employee:
        by = self._authority(Permission.EDIT_EMPLOYEES, f"assign {username} to {store}")
        return self.people.assign(username, store, role, by=by)

    def unassign(self, username: str, store: str) -> Employee:
        by = self._authority(Permission.EDIT_EMPLOYEES, f"remove {username} from {store}")
        return self.people.unassign(username, store, by=by)

    def activate(self, username: str) -> Employee:
        by = self._authority(Permission.EDIT_EMPLOYEES, f"activate {username}")
        return self.people.set_active(username, True, by=by)

    def deactivate(self, username: str) -> Employee:
        by = self._authority(Permission.EDIT_EMPLOYEES, f"deactivate {username}")
        return self.people.set_active(username, False, by=by)

    def change_password(
        self, username: str, password: str, *, repeat: str | None = None
    ) -> Message:
        by = self._authority(
            Permission.CHANGE_EMPLOYEE_PASSWORD, f"change the password of {username}"
        )
        return self.people.reset_password(username, password, by=by, repeat=repeat)

    def change_own_password(self, old: str, new: str, *, repeat: str | None = None) -> Message:
        """The logged-in employee changes their own password (no permission needed)."""
        if self.gate.employee is None:
            raise InvalidInput(_("log in first to change your own password"))
        return self.people.change_own_password(self.gate.employee.username, old, new, repeat=repeat)

    @staticmethod
    def assignment(store: str, role: str) -> Assignment:
        return Assignment(store, role)
