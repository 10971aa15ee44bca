"""Tills with someone logged in, for tests: a role comes only with credentials."""

from __future__ import annotations

from cassa.engine.people import Credentials, staff
from cassa.engine.till import Till

# The demo store's staff (examples/demo/employees.yaml), as the README lists them.
DEMO_STAFF = {
    "marco": Credentials("marco", "responsabile-milano"),  # manager
    "lucia": Credentials("lucia", "seconda-responsabile"),  # manager
    "anna": Credentials("anna", "cassiera-di-turno"),  # cashier
    "bruno": Credentials("bruno", "assistente-estivo"),  # assistant
}
ANNA = DEMO_STAFF["anna"]


def logged_in(till: Till, username: str, role: str) -> Till:
    """`till` with `username` employed in its store as `role` (on the test's own
    database) and logged in with the password made for them."""
    till.log_in(staff(till, username, role))
    return till
