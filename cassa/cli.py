"""The `cassa` command line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cassa.engine.errors import CassaError
from cassa.engine.yamlsource import DataFileError

if TYPE_CHECKING:
    from cassa.engine.storage.db import Database
    from cassa.engine.storage.store_import import ImportProgress

__all__ = ["main"]


def demo_store_path() -> Path:
    """The demo store shipped with Cassa (examples/demo in a checkout)."""
    return Path(str(resources.files("cassa") / "demo"))


def _db_option(parser: argparse.ArgumentParser, default: str | None = "cassa.db") -> None:
    parser.add_argument(
        "--db",
        default=default,
        help="SQLite file or SQLAlchemy URL (postgresql://user@host/db); default: %(default)s",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cassa", description="Cassa point of sale")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="sell a demo receipt on the demo store and print it")
    _db_option(demo)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply every migration")
    _db_option(upgrade)

    store = commands.add_parser("store", help="store master data")
    store_commands = store.add_subparsers(dest="store_command", required=True)
    check = store_commands.add_parser("check", help="validate a store folder without importing it")
    check.add_argument("folder", type=Path)
    load = store_commands.add_parser("import", help="validate a store folder and import it")
    load.add_argument("folder", type=Path)
    _db_option(load)

    scenario = commands.add_parser("scenario", help="run till scenarios headless")
    scenario_commands = scenario.add_subparsers(dest="scenario_command", required=True)
    run = scenario_commands.add_parser(
        "run", help="run scenario files and check their expectations"
    )
    run.add_argument("files", nargs="+", type=Path)
    run.add_argument("--json", action="store_true", help="print the results and documents as JSON")
    _db_option(run, default=None)
    run.add_argument(
        "--as",
        dest="actor",
        metavar="USERNAME",
        help="with --db: the employee the scenario runs as (their password is asked for)",
    )

    from cassa.rules_cli import add_commands

    add_commands(commands)
    from cassa.devices_cli import add_commands as add_device_commands

    add_device_commands(commands)
    from cassa.people_cli import add_commands as add_people_commands

    add_people_commands(commands)
    from cassa.reports_cli import add_commands as add_report_commands

    add_report_commands(commands)
    from cassa.till_cli import add_commands as add_till_commands

    add_till_commands(commands)
    from cassa.orders_cli import add_commands as add_order_commands

    add_order_commands(commands)
    from cassa.audit_cli import add_commands as add_audit_commands

    add_audit_commands(commands)
    from cassa.stock_cli import add_commands as add_stock_commands

    add_stock_commands(commands)

    document = commands.add_parser("document", help="stored documents")
    document_commands = document.add_subparsers(dest="document_command", required=True)
    show = document_commands.add_parser("show", help="print a stored document by number")
    show.add_argument("number")
    show.add_argument("--json", action="store_true")
    _db_option(show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        _check_words(words)
    except CassaError as error:
        print(f"cassa: {error.message}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(words)
    try:
        return _dispatch(args)
    except DataFileError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s); nothing was applied", file=sys.stderr)
        return 1
    except CassaError as error:
        print(f"cassa: {error.message}", file=sys.stderr)
        return 1


def _check_words(words: list[str]) -> None:
    """Every argument is text any database keeps alike: bytes of argv that are not UTF-8
    reach Python as lone surrogates, which SQLite would store and PostgreSQL refuse."""
    from cassa.engine import inputs
    from cassa.i18n import _

    for number, word in enumerate(words, start=1):
        inputs.text(
            word,
            _("argument {number}", number=number),
            limit=inputs.MAX_ARGUMENT,
            required=False,
            lines=True,
        )


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from cassa.demo_sale import run_demo

        print(run_demo(args.db, demo_store_path()), end="")
        return 0
    if args.command == "db":
        from cassa.engine.storage.db import open_database

        open_database(args.db).dispose()
        print(f"database {args.db} is at the newest schema")
        return 0
    if args.command == "store":
        return _store(args)
    if args.command == "scenario":
        return _scenario(args)
    if args.command == "document":
        return _document(args)
    if args.command == "devices":
        from cassa.devices_cli import run as run_devices

        return run_devices(args)
    if args.command == "employees":
        from cassa.people_cli import run as run_people

        return run_people(args)
    if args.command == "till":
        from cassa.till_cli import run as run_till

        return run_till(args)
    if args.command == "report":
        from cassa.reports_cli import run as run_reports

        return run_reports(args)
    if args.command == "order":
        from cassa.orders_cli import run as run_orders

        return run_orders(args)
    if args.command == "audit":
        from cassa.audit_cli import run as run_audit

        return run_audit(args)
    if args.command == "stock":
        from cassa.stock_cli import run as run_stock

        return run_stock(args)
    if args.command in ("rules", "price", "explain", "schemas"):
        from cassa.rules_cli import run

        return run(args)
    raise AssertionError(args.command)


def _store(args: argparse.Namespace) -> int:
    """`store check` imports into a throwaway database: the same checks as an import,
    in the same constant memory, whatever the size of the files."""
    import tempfile

    from cassa.engine.storage.db import open_database
    from cassa.engine.storage.store_import import import_store_folder

    with tempfile.TemporaryDirectory(prefix="cassa-check-") as scratch:
        checking = args.store_command == "check"
        url = str(Path(scratch) / "check.db") if checking else args.db
        database = open_database(url)
        try:
            try:
                report = import_store_folder(database, args.folder, progress=_progress_bar())
            except KeyboardInterrupt:
                print("\ninterrupted: nothing was imported", file=sys.stderr)
                return 130
            finally:
                _clear_progress()
            summary = (
                f"store {report.store}: {report.items} items, {report.customers} customers, "
                f"{report.price_lists} price lists"
            )
            if checking:
                print(f"valid {summary}")
                return 0
            print(f"imported {summary} in {report.seconds:.1f} s")
            return _check_store_pack(database)
        finally:
            database.dispose()


def _check_store_pack(database: Database) -> int:
    """Check the store's rule pack against the catalog just imported, once, so that the
    tills open without reading every item."""
    from cassa.engine.storage.catalog import load_stored_store
    from cassa.engine.storage.catalog_service import catalog_service
    from cassa.engine.storage.store_packs import store_pack

    stored = load_stored_store(database)
    try:
        store_pack(stored.pack, catalog_service(database, stored.price_direction))
    except DataFileError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            f"the store's rule pack {stored.pack} does not fit this catalog: "
            "the tills will not open until the pack or the catalog is corrected",
            file=sys.stderr,
        )
        return 1
    return 0


def _progress_bar() -> Callable[[ImportProgress], None] | None:
    """A progress line on a terminal (none when the output goes to a file or a pipe)."""
    if not sys.stderr.isatty():
        return None

    def show(state: ImportProgress) -> None:
        elapsed = max(time.monotonic() - state.started, 1e-6)
        share = f"{min(state.read / state.size, 1):4.0%}" if state.size else ""
        print(
            f"\r{state.what or 'store'}: {state.rows:,} rows {share} "
            f"({state.rows / elapsed:,.0f}/s)   ",
            end="",
            file=sys.stderr,
            flush=True,
        )

    return show


def _clear_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def _scenario(args: argparse.Namespace) -> int:
    import getpass

    from cassa.engine.people import Credentials
    from cassa.engine.scenario import is_new_database, run_scenario_file

    given = args.db is not None and not is_new_database(args.db)
    if given and not sys.stdin.isatty():
        # A database of the user's: someone must log in, and a password is typed, never piped.
        print(
            "cassa: a scenario on an existing --db runs as an employee who logs in at a "
            "terminal; without --db, or with a new file, it runs on a database of its own",
            file=sys.stderr,
        )
        return 2
    remembered: list[Credentials] = []

    def ask() -> Credentials:
        if not remembered:  # asked once for all the files
            username = args.actor or input("username: ")
            remembered.append(Credentials(username, getpass.getpass(f"password of {username}: ")))
        return remembered[0]

    results = [
        run_scenario_file(file, args.db, credentials=ask, own_database=not given)
        for file in args.files
    ]
    if args.json:
        json.dump([r.as_json() for r in results], sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        for result in results:
            mark = "PASS" if result.passed else "FAIL"
            print(f"{mark} {result.file}: {result.name} ({result.steps} steps)")
            for failure in result.failures:
                print(f"  {failure}")
        passed = sum(r.passed for r in results)
        print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(r.passed for r in results) else 1


def _document(args: argparse.Namespace) -> int:
    from cassa.engine.country import load_country
    from cassa.engine.export import document_json
    from cassa.engine.receipt_text import ReceiptHeader, render_receipt
    from cassa.engine.storage.catalog import load_stored_store
    from cassa.engine.storage.db import open_existing_database
    from cassa.engine.storage.documents import DocumentStore

    database = open_existing_database(args.db)
    try:
        document = DocumentStore(database).find_by_number(args.number)
        store = load_stored_store(database, document.store)
    finally:
        database.dispose()
    country = load_country(store.pack)
    totals = document.totals(country.currency)
    if args.json:
        output: Any = document_json(document, totals, country.currency)
        print(json.dumps(output, indent=2, ensure_ascii=False))
    else:
        header = ReceiptHeader(store.name, store.address, store.vat_number, store.timezone)
        print(render_receipt(document, totals, country, header), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
