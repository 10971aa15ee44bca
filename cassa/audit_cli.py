"""`cassa audit …`: the fiscal hash chain, its closings and print history, from the database.

```sh
cassa audit verify [--db cassa.db] [--json] [--closing FILE]
                                              # exit 1 naming the first document not matching;
                                              # FILE: closings exported earlier (the anchor)
cassa audit export --out FILE [--till T01] [--db]  # the last signed closing of each till
cassa audit closings [--till T01] [--db]      # daily, monthly, yearly closings, grand totals
cassa audit history NUMBER [--db] [--json]    # a document's copies: duplicates, signatures
```
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cassa.engine.errors import InvalidInput
from cassa.engine.fiscal import key_id, verify_chains
from cassa.i18n import _

__all__ = ["add_commands", "run"]


def add_commands(commands: Any) -> None:
    audit = commands.add_parser("audit", help="fiscal integrity: verify the hash chain, closings")
    sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = sub.add_parser(
        "verify", help="walk every till's hash chain; exit 1 naming the first mismatch"
    )
    verify.add_argument(
        "--closing",
        type=Path,
        help="closings exported earlier (cassa audit export): the chain must still hold them",
    )
    export = sub.add_parser(
        "export", help="write the last signed closing of each till (and its public key) to FILE"
    )
    export.add_argument("--out", type=Path, required=True, help="the file to write")
    export.add_argument("--till", help="one till (default: every till with a closing)")
    closings = sub.add_parser("closings", help="the daily, monthly and yearly closings")
    closings.add_argument("--till", help="one till (default: every till of the store)")
    history = sub.add_parser("history", help="a document's print history (duplicates)")
    history.add_argument("number")
    for parser in (verify, export, closings, history):
        parser.add_argument(
            "--db",
            default="cassa.db",
            help="SQLite file or SQLAlchemy URL (postgresql://user@host/db); default: %(default)s",
        )
        parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from cassa.engine.storage.db import open_existing_database

    database = open_existing_database(args.db)
    try:
        if args.audit_command == "verify":
            return _verify(database, args)
        if args.audit_command == "export":
            return _export(database, args)
        return _with_till(database, args)
    finally:
        database.dispose()


def _chained_types(database: Any) -> tuple[set[str] | None, set[str]]:
    """The document types the stores' packs put in the chain (None: no pack says), and
    the kinds of link their packs require signed."""
    from sqlalchemy import select

    from cassa.engine.rules.rulepack import load_rule_pack
    from cassa.engine.storage.models import StoreRow
    from cassa.engine.yamlsource import DataFileError

    with database.session() as session:
        packs = [str(p) for p in session.scalars(select(StoreRow.pack)).all()]
    types: set[str] = set()
    signed: set[str] = set()
    found = False
    for pack in packs:
        try:
            integrity = load_rule_pack(pack).fiscal
        except DataFileError:
            continue
        if integrity is not None and integrity.integrity is not None:
            found = True
            types |= integrity.integrity.document_types
            if integrity.integrity.signing_required:
                signed |= integrity.integrity.signed
    return (types if found else None), signed


def _verify(database: Any, args: argparse.Namespace) -> int:
    from cassa.engine.fiscal._export import read_anchors

    anchors = read_anchors(args.closing) if args.closing is not None else []
    types, signed = _chained_types(database)
    report = verify_chains(database, document_types=types, signed_kinds=signed, anchors=anchors)
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        return 0 if report.ok else 1
    for till, links in sorted(report.chains.items()):
        print(f"till {till}: {links} links")
    for anchor in anchors:
        print(
            f"till {anchor.chain}: checked against the exported closing at link "
            f"{anchor.sequence}, key {key_id(anchor.public_key)}"
        )
    if report.ok:
        if not report.chains:
            print("no fiscal chain in this database")
        else:
            print(
                "the fiscal chain is intact: every document, duplicate, closing and money row "
                "matches"
            )
            if not anchors:
                print(
                    "checked against the database alone: keep exported closings "
                    "(cassa audit export) to find a chain rewritten or cut short"
                )
        return 0
    first = report.first
    assert first is not None
    print(f"FAILED: {len(report.problems)} problem(s)")
    for problem in report.problems:
        print(f"  {problem}")
    print(f"first document that does not match: {first.document or '(none named)'}")
    return 1


def _export(database: Any, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from cassa.engine.fiscal._export import export_closings

    exported = export_closings(database, datetime.now(UTC), args.till)
    try:
        args.out.write_text(json.dumps(exported, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:
        raise InvalidInput(
            _("{out}: {value}", out=args.out, value=error.strerror or error)
        ) from error
    for closing in exported["closings"]:
        print(
            f"till {closing['till']}: closing at link {closing['sequence']}, "
            f"key {closing['key_id']}, written to {args.out}"
        )
    return 0


def _with_till(database: Any, args: argparse.Namespace) -> int:
    from cassa.engine.till import Till

    till = Till.open(database, till=getattr(args, "till", None))
    desk = till.fiscal
    if args.audit_command == "closings":
        rows = [closing.as_json() for closing in desk.closings()]
        if args.json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
            return 0
        for row in rows:
            print(
                f"{row['till']} {row['period']:<5} {row['label']:<10} "
                f"{row['documents']:>5} documents  total {row['total']:>12}  "
                f"grand total {row['grand_total']:>14}  signature {row['signature']}"
            )
        return 0
    records = [record.as_json() for record in desk.print_history(args.number)]
    if args.json:
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    for record in records:
        duplicate = (
            f"duplicate {record['duplicate_id']}" if record["duplicate_id"] else "original  "
        )
        print(
            f"{record['document']} print {record['print_number']} {duplicate} "
            f"till {record['till']} {record['operator']} {record['created_at']} "
            f"signature {record['signature']} approved prints {record['approved_prints']}"
        )
    return 0
