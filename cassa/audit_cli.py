"""`cassa audit …`: the fiscal hash chain, its closings and print history, from the database.

```sh
cassa audit verify [--db cassa.db] [--json]   # exit 1 naming the first document not matching
cassa audit closings [--till T01] [--db]      # daily, monthly, yearly closings, grand totals
cassa audit history NUMBER [--db] [--json]    # a document's copies: duplicates, signatures
```
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cassa.engine.fiscal import verify_chains

__all__ = ["add_commands", "run"]


def add_commands(commands: Any) -> None:
    audit = commands.add_parser("audit", help="fiscal integrity: verify the hash chain, closings")
    sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = sub.add_parser(
        "verify", help="walk every till's hash chain; exit 1 naming the first mismatch"
    )
    closings = sub.add_parser("closings", help="the daily, monthly and yearly closings")
    closings.add_argument("--till", help="one till (default: every till of the store)")
    history = sub.add_parser("history", help="a document's print history (duplicates)")
    history.add_argument("number")
    for parser in (verify, closings, history):
        parser.add_argument(
            "--db",
            default="cassa.db",
            help="SQLite file or SQLAlchemy URL (postgresql://user@host/db); default: %(default)s",
        )
        parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from cassa.engine.storage.db import open_database

    database = open_database(args.db)
    try:
        if args.audit_command == "verify":
            return _verify(database, args)
        return _with_till(database, args)
    finally:
        database.dispose()


def _chained_types(database: Any) -> set[str] | None:
    """The document types the stores' packs put in the chain (None: no pack says)."""
    from sqlalchemy import select

    from cassa.engine.rules.rulepack import load_rule_pack
    from cassa.engine.storage.models import StoreRow
    from cassa.engine.yamlsource import DataFileError

    with database.session() as session:
        packs = [str(p) for p in session.scalars(select(StoreRow.pack)).all()]
    types: set[str] = set()
    found = False
    for pack in packs:
        try:
            integrity = load_rule_pack(pack).fiscal
        except DataFileError:
            continue
        if integrity is not None and integrity.integrity is not None:
            found = True
            types |= integrity.integrity.document_types
    return types if found else None


def _verify(database: Any, args: argparse.Namespace) -> int:
    report = verify_chains(database, document_types=_chained_types(database))
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        return 0 if report.ok else 1
    for till, links in sorted(report.chains.items()):
        print(f"till {till}: {links} links")
    if report.ok:
        if not report.chains:
            print("no fiscal chain in this database")
        else:
            print("the fiscal chain is intact: every document, duplicate and closing matches")
        return 0
    first = report.first
    assert first is not None
    print(f"FAILED: {len(report.problems)} problem(s)")
    for problem in report.problems:
        print(f"  {problem}")
    print(f"first document that does not match: {first.document or '(none named)'}")
    return 1


def _with_till(database: Any, args: argparse.Namespace) -> int:
    from cassa.engine.till import Till

    till = Till.open(database, till=getattr(args, "till", None), operator="audit")
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
