"""Running one command-line command on a stored till: the database must exist, the till
opens (with the employee who acts, when the command makes documents), the command's
answer is printed (text as it is, anything else as JSON) and the database closes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cassa.engine.till import Till

__all__ = ["run_on_till"]


def run_on_till(
    args: argparse.Namespace,
    command: Callable[[Till, argparse.Namespace], object],
    *,
    actor: str | None = None,
) -> int:
    """`command(till, args)` on the till `args.till` of store `args.store` in `args.db`;
    `actor` logs in first, their password asked at the terminal."""
    from cassa.engine.storage.db import open_existing_database
    from cassa.engine.till import Till

    database = open_existing_database(args.db)
    try:
        credentials = None
        if actor:
            from cassa.engine.people import Credentials
            from cassa.people_cli import read_secret

            credentials = Credentials(actor, read_secret(f"password of {actor}: "))
        till = Till.open(database, till=args.till, store=args.store, credentials=credentials)
        output = command(till, args)
        if isinstance(output, str):
            print(output, end="")
        else:
            json.dump(output, sys.stdout, indent=2, ensure_ascii=False)
            print()
    finally:
        database.dispose()
    return 0
