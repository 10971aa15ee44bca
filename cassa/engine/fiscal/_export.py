"""Closings kept off the till: the last signed closing of each chain, as a JSON file.

`cassa audit export --out FILE` writes, per till, the last closing link: its sequence,
hash, signature, the public key that checks it (and its id), and the closing's figures
(totals, perpetual grand totals). Whoever keeps the file can later run
`cassa audit verify --closing FILE`: a chain rewritten or truncated up to that closing,
or signed since with another key, no longer matches it (`_chain.Anchor`).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from cassa.engine.errors import InvalidInput, NotFound
from cassa.engine.fiscal._canonical import rows_of
from cassa.engine.fiscal._chain import CLOSING_COLUMNS, PERPETUAL_COLUMNS, Anchor
from cassa.engine.fiscal._signing import key_id
from cassa.engine.storage.db import Database
from cassa.i18n import _

__all__ = ["FORMAT", "export_closings", "read_anchors"]

FORMAT = "cassa-closings/1"


def export_closings(database: Database, now: datetime, till: str | None = None) -> dict[str, Any]:
    """The last signed closing of every chain (or of `till`'s), ready to be written as JSON."""
    closings = []
    with database.session() as session:
        where = "\"kind\" = 'closing'" + (' AND "chain" = :till' if till else "")
        chains = [
            str(c)
            for (c,) in session.execute(
                text(f'SELECT DISTINCT "chain" FROM fiscal_chain WHERE {where}'), {"till": till}
            ).all()
        ]
        for chain in sorted(chains):
            link = session.execute(
                text(
                    'SELECT "sequence", "hash", "signature", "public_key", "closing_id", "at" '
                    'FROM fiscal_chain WHERE "chain" = :c AND "kind" = \'closing\' '
                    'ORDER BY "sequence" DESC LIMIT 1'
                ),
                {"c": chain},
            ).one()
            sequence, digest, signature, public_key, closing_id, _ignored = link
            if signature is None or public_key is None:
                raise InvalidInput(
                    _(
                        "the last closing of till {chain} (link {sequence}) is not "
                        "signed: configure the till's signing key and close a day "
                        "first",
                        chain=chain,
                        sequence=sequence,
                    )
                )
            figures = rows_of(
                session,
                (*CLOSING_COLUMNS, *PERPETUAL_COLUMNS),
                "fiscal_closings",
                '"id" = :id',
                id=closing_id,
            )
            closings.append(
                {
                    "till": chain,
                    "sequence": int(sequence),
                    "hash": str(digest),
                    "signature": str(signature),
                    "public_key": str(public_key),
                    "key_id": key_id(str(public_key)),
                    "closing": figures[0] if figures else None,
                }
            )
    if not closings:
        if till:
            raise NotFound(_("no closing to export for till {till}: close a day first", till=till))
        raise NotFound(_("no closing to export: close a day first"))
    return {"format": FORMAT, "exported_at": now.isoformat(), "closings": closings}


def read_anchors(path: Path) -> list[Anchor]:
    """The closings of an export file, as anchors for `verify_chains`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(
            _("{path}: {value}", path=path, value=error.strerror or error)
        ) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(
            _("{path} is not an exported closings file (not JSON)", path=path)
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(
            _("{path} is not an exported closings file ({format})", path=path, format=FORMAT)
        )
    anchors = []
    for index, entry in enumerate(data.get("closings") or []):
        try:
            anchors.append(
                Anchor(
                    chain=str(entry["till"]),
                    sequence=int(entry["sequence"]),
                    hash=str(entry["hash"]),
                    public_key=str(entry["public_key"]),
                    signature=str(entry["signature"]),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInput(
                _(
                    "{path}: closing {value} is incomplete ({error})",
                    path=path,
                    value=index + 1,
                    error=error,
                )
            ) from error
    if not anchors:
        raise InvalidInput(_("{path} holds no closing", path=path))
    return anchors
