"""People: employees, their stores and roles, passwords, permissions, approvals, audit.

- `Permission`: the closed list of permission names a pack's roles may list.
- `People`: employees and their stores/roles; every change with an `Authority`.
- `authenticate` / `Credentials`: username + password, or card (+ PIN), with lockout.
- `Gate`: a till's logged-in operator, `require(...)` checks and managers' approvals.
- `AuditLog`: the append-only log of security events.
"""

from cassa.engine.people._access import ApprovalRequired, Gate, Grant, PendingApproval
from cassa.engine.people._audit import AuditEvent, AuditLog, AuditRecord, AuditTampering
from cassa.engine.people._auth import Credentials, LoginRefused, PasswordExpired, authenticate
from cassa.engine.people._desk import EmployeeDesk
from cassa.engine.people._employees import (
    Assignment,
    Authority,
    Employee,
    NewEmployee,
    OtherStoreDenied,
    PasswordState,
    PasswordStatus,
    People,
    StorePacks,
    policy_of,
)
from cassa.engine.people._import import (
    EMPLOYEES_FILE,
    ImportReport,
    employees_file,
    import_employees,
    import_store_employees,
)
from cassa.engine.people._passwords import (
    PARAMETERS,
    generate_password,
    hash_secret,
    verify_secret,
)
from cassa.engine.people._permissions import BUILTIN_PERMISSIONS, Permission, describe
from cassa.engine.people._policy import (
    CardLogin,
    CardThrottle,
    LockoutPolicy,
    PasswordPolicy,
    SecurityPolicy,
    security_policy,
)
from cassa.engine.people._staffing import staff

__all__ = [
    "BUILTIN_PERMISSIONS",
    "EMPLOYEES_FILE",
    "PARAMETERS",
    "ApprovalRequired",
    "Assignment",
    "AuditEvent",
    "AuditLog",
    "AuditRecord",
    "AuditTampering",
    "Authority",
    "CardLogin",
    "CardThrottle",
    "Credentials",
    "Employee",
    "EmployeeDesk",
    "Gate",
    "Grant",
    "ImportReport",
    "LockoutPolicy",
    "LoginRefused",
    "NewEmployee",
    "OtherStoreDenied",
    "PasswordExpired",
    "PasswordPolicy",
    "PasswordState",
    "PasswordStatus",
    "PendingApproval",
    "People",
    "Permission",
    "SecurityPolicy",
    "StorePacks",
    "authenticate",
    "describe",
    "employees_file",
    "generate_password",
    "hash_secret",
    "import_employees",
    "import_store_employees",
    "policy_of",
    "security_policy",
    "staff",
    "verify_secret",
]
