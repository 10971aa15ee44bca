"""What someone who can write the database (but has no till's key) does to it.

`unguarded` lifts the database's guards for a while and puts them back exactly as
they were, so `verify` has to find the change in the data, not in the guards.
`rechain` recomputes every hash of a chain from a link on, as the published
format allows; it keeps the old signatures (it has no key) or signs with the
attacker's own key.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, text

from cassa.engine.fiscal import (
    GENESIS,
    HASHED,
    MemorySigner,
    chain_hash,
    link_record,
    signed_message,
)
from cassa.engine.fiscal._canonical import rows_of
from cassa.engine.storage.db import Database
from cassa.engine.storage.guards import APPEND_ONLY, FROZEN, sqlite_triggers

GUARDED = [guarded.table for guarded in APPEND_ONLY] + list(FROZEN)


@contextlib.contextmanager
def unguarded(owner: Database) -> Iterator[Connection]:
    """A connection of the owner with every guard lifted, put back when it ends."""
    with owner.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            for name, _ in sqlite_triggers():
                connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
            yield connection
            for _, statement in sqlite_triggers():
                connection.exec_driver_sql(statement)
        else:
            for table in GUARDED:
                connection.exec_driver_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            yield connection
            for table in GUARDED:
                connection.exec_driver_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def rechain(connection: Connection, chain: str, *, signer: MemorySigner | None = None) -> None:
    """Recompute the chain's hashes over what the tables hold now, from its first link."""
    from sqlalchemy.orm import Session

    with Session(bind=connection) as session:
        found = rows_of(session, HASHED["fiscal_chain"], "fiscal_chain", '"chain" = :c', c=chain)
        previous = GENESIS
        for link in sorted(found, key=lambda r: r["sequence"]):
            link["previous_hash"] = previous
            record = link_record(session, link)
            digest = chain_hash(previous, record)
            values: dict[str, Any] = {"p": previous, "h": digest, "c": chain, "s": link["sequence"]}
            sign = ""
            if signer is not None and link["signature"] is not None:
                message = signed_message(chain, link["sequence"], digest, signer.public_key)
                values["sig"] = signer.sign(message).hex()
                values["key"] = signer.public_key
                sign = ', "signature" = :sig, "public_key" = :key'
            session.execute(
                text(
                    f'UPDATE fiscal_chain SET "previous_hash" = :p, "hash" = :h{sign} '
                    'WHERE "chain" = :c AND "sequence" = :s'
                ),
                values,
            )
            previous = digest
        session.flush()
