"""Staffing a database a run owns: a scenario's or a test's operator, with a role.

Credentials are the only way to a role at a till, so a run that names an operator
and a role employs them on its own database, with a password made for the run,
and logs in with it. Never used on a database someone works with.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cassa.engine.errors import NotFound
from cassa.engine.people._auth import Credentials
from cassa.engine.people._employees import Assignment, Authority, NewEmployee, People, StorePacks
from cassa.engine.people._passwords import generate_password

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = ["staff"]


def staff(till: Till, username: str, role: str) -> Credentials:
    """The scenario's operator, employed in the till's store with `role` and a password
    made for this run. Only on the run's own database: it adds or changes an employee."""
    people = People(
        till.database, clock=till.now, packs=StorePacks(till.database, {till.store.code: till.pack})
    )
    by = Authority.system("scenario")
    # Long and with every character class, so any pack's password rules accept it.
    password = f"{generate_password(24)}-aA7"
    try:
        employee = people.get(username)
    except NotFound:
        new = NewEmployee(
            username=username,
            first_name=username,
            last_name="(scenario)",
            birth_date=date(1970, 1, 1),
            assignments=(Assignment(till.store.code, role),),
            start_date=date(1970, 1, 1),
        )
        people.add(new, password, by=by)
    else:
        if employee.role_in(till.store.code) != role:
            people.assign(username, till.store.code, role, by=by)
        people.reset_password(username, password, by=by)
    return Credentials(username, password)
