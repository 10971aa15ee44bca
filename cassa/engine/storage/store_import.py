"""Importing a store folder into the database: streamed, in batches, all or nothing.

`cassa store import FOLDER` reads store.yaml and the YAML files it names whole (units,
groups, price lists: small), and streams its CSV files a row at a time: each row is
checked as it is read, and its item goes to the database with the next batch (Core bulk
inserts). What must be unique across rows (SKUs, barcodes, lot codes and EANs, customer
codes, loyalty cards) is checked against what earlier batches wrote, by index, so memory
stays the same for a thousand items or a million.

Everything happens in one transaction: the tills keep the catalog they had until the
import commits, and a refusal (any problem: all of them are reported, at most
`MAX_PROBLEMS`) or a crash (even SIGKILL) leaves the database exactly as it was. An
import is not resumed: it is run again. On SQLite the import holds the database's write
lock until it commits, so tills cannot save a sale meanwhile: import while they are
closed (PostgreSQL tills go on selling).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from cassa.engine.catalog import Customer, Item
from cassa.engine.schemas import validate_part
from cassa.engine.storage.catalog import CatalogWriter
from cassa.engine.storage.db import Database
from cassa.engine.storage.models import BarcodeRow, CustomerRow, ItemLotRow, ItemRow, table_of
from cassa.engine.storefiles import (
    CatalogBuilder,
    OpenedStore,
    csv_rows,
    customer_spec,
    item_spec,
    open_store,
)
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument

__all__ = ["MAX_PROBLEMS", "ImportProgress", "ImportReport", "import_store_folder"]

MAX_PROBLEMS = 1_000  # a file wrong on every row says so a thousand times, then counts
_BATCH = 2_000


@dataclass
class ImportProgress:
    """How far an import is: rows checked, and bytes of its CSV files read, so far."""

    what: str = ""  # "items", "customers"
    rows: int = 0
    read: int = 0
    size: int = 0  # bytes in the CSV files
    started: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class ImportReport:
    store: str
    items: int
    customers: int
    price_lists: int
    seconds: float


Progress = Callable[[ImportProgress], None]


def import_store_folder(
    database: Database,
    folder: Path | str,
    *,
    progress: Progress | None = None,
    batch: int = _BATCH,
) -> ImportReport:
    """Replace the database's store data with the folder's; raise DataFileError with
    every problem (nothing changed) or return what was imported."""
    opened = open_store(folder)
    csv_size = sum(file.stat().st_size for file, _, _ in opened.csv_files)
    state = ImportProgress(size=csv_size)
    with database.engine.begin() as connection:
        run = _Import(connection, opened, state, progress, batch)
        run.all()
        if run.problems:
            raise _Refused(run.problems, run.more)
        return ImportReport(
            opened.store_doc.data["code"],
            run.writer.items_written,
            run.writer.customers_written,
            len(opened.builder.catalog.price_lists),
            time.monotonic() - state.started,
        )


class _Refused(DataFileError):
    def __init__(self, problems: list[Problem], more: int) -> None:
        if more:
            last = problems[-1]
            problems = [*problems, Problem(last.file, 1, 1, "", f"and {more} more problems")]
        super().__init__(problems)


class _Import:
    def __init__(
        self,
        connection: Connection,
        opened: OpenedStore,
        state: ImportProgress,
        progress: Progress | None,
        batch: int,
    ) -> None:
        self.connection = connection
        self.opened = opened
        self.builder: CatalogBuilder = opened.builder
        self.state = state
        self.progress = progress
        self.batch = batch
        self.writer = CatalogWriter(connection, batch=batch)
        self.problems: list[Problem] = []
        self.more = 0
        # SKUs of items refused for their own problems: not reported again as unknown
        self.refused: set[str] = set()

    def report(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(problem)
            else:
                self.more += 1

    def all(self) -> None:
        self.report(self.opened.problems)
        self.report(self.builder.check_group_parents())
        self.report(self.builder.check_customer_groups())
        data = self.opened.data()
        catalog = data.catalog
        writer = self.writer
        writer.clear()
        writer.store(data)
        writer.groups(catalog.item_groups.values())
        writer.flush()
        self._items(self._yaml_items())
        for file, kind, at in self.opened.csv_files:
            if kind == "Catalog":
                self._items(self._csv_records(file, "items", "catalog", at))
        self._price_lists()
        for group in catalog.customer_groups.values():
            writer.customer_group(group)
        writer.flush()
        self._customers(
            (document, at, customer) for document, at, customer in self.builder.customer_sources
        )
        for file, kind, at in self.opened.csv_files:
            if kind == "Customers":
                self._customers(self._csv_customers(file, at))
        writer.finish()
        self._tell()

    # -- items -----------------------------------------------------------------------------
    def _yaml_items(self) -> Iterator[tuple[SourceDocument, str, dict[str, Any], Item]]:
        for document, at, draft in self.builder.item_sources:
            node: Any = document.data
            for part in at.split("/")[1:]:
                node = node[int(part)] if isinstance(node, list) else node[part]
            yield document, at, node, draft

    def _csv_records(
        self, file: Path, collection: str, schema: str, at: str
    ) -> Iterator[tuple[SourceDocument, str, dict[str, Any], Item]]:
        self.state.what = collection
        for document, where, record in csv_rows(file, collection, read=self._read):
            found = validate_part(
                document, schema, f"/properties/{collection}/items", where, record
            )
            if found:
                self.report(found)
                if isinstance(record.get("sku"), str):
                    self.refused.add(record["sku"])
                continue
            yield document, where, record, item_spec(record)

    def _read(self, characters: int) -> None:
        self.state.read += characters

    def _items(self, rows: Iterable[tuple[SourceDocument, str, dict[str, Any], Item]]) -> None:
        for chunk in _chunked(rows, self.batch):
            self._item_batch(chunk)

    def _item_batch(
        self, chunk: Sequence[tuple[SourceDocument, str, dict[str, Any], Item]]
    ) -> None:
        """Check a batch against itself and what earlier batches wrote, then write it."""
        skus = [draft.sku for _, _, _, draft in chunk]
        codes = [
            c for _, _, _, d in chunk for c in (*d.barcodes, *(lt.ean for lt in d.lots if lt.ean))
        ]
        lot_codes = [lot.code for _, _, _, d in chunk for lot in d.lots]
        known_skus = self._existing(ItemRow, "sku", [*skus, *lot_codes])
        barcodes = dict(self._owners(BarcodeRow, "code", codes))
        barcodes.update(
            (ean, f"{sku} lot {code}")
            for ean, sku, code in self._rows(
                select(_LOTS.c.ean, _LOTS.c.sku, _LOTS.c.code), _LOTS.c.ean, codes
            )
        )
        lots = dict(self._owners(ItemLotRow, "code", [*lot_codes, *skus]))
        seen: set[str] = set()
        for document, at, spec, draft in chunk:
            self.state.rows += 1
            if draft.sku in known_skus or draft.sku in seen:
                self.report([document.problem(f"{at}/sku", f"SKU {draft.sku} is defined twice")])
                continue
            if draft.sku in lots:
                self.report(
                    [
                        document.problem(
                            f"{at}/sku", f"SKU {draft.sku} is also a lot code of {lots[draft.sku]}"
                        )
                    ]
                )
                continue
            seen.add(draft.sku)
            item, found = self.builder.check_item(
                document, at, spec, draft, barcodes, lots, _Either(known_skus, seen)
            )
            self.report(found)
            if found:
                self.refused.add(item.sku)
            else:  # written even after a problem: later rows are checked against it
                self.writer.item(item)
        self.writer.flush()
        self._tell()

    # -- price lists and customers ---------------------------------------------------------
    def _price_lists(self) -> None:
        for document, at, price_list in self.builder.price_list_sources:
            skus = list(price_list.prices)
            missing = set(skus) - self._existing(ItemRow, "sku", skus) - self.refused
            self.report(
                document.problem(f"{at}/prices/{sku}", f"unknown SKU '{sku}'", key=True)
                for sku in skus
                if sku in missing
            )
            if not missing:
                self.writer.price_list(price_list)

    def _csv_customers(self, file: Path, at: str) -> Iterator[tuple[SourceDocument, str, Customer]]:
        self.state.what = "customers"
        for document, where, record in csv_rows(file, "customers", read=self._read):
            found = validate_part(
                document, "customers", "/properties/customers/items", where, record
            )
            if found:
                self.report(found)
                continue
            yield document, where, customer_spec(record)

    def _customers(self, rows: Iterable[tuple[SourceDocument, str, Customer]]) -> None:
        for chunk in _chunked(rows, self.batch):
            codes = [customer.code for _, _, customer in chunk]
            cards = [c.loyalty_card for _, _, c in chunk if c.loyalty_card]
            known = self._existing(CustomerRow, "code", codes)
            holders = dict(self._owners(CustomerRow, "loyalty_card", cards, owner="code"))
            seen: set[str] = set()
            for document, at, customer in chunk:
                self.state.rows += 1
                if customer.code in known or customer.code in seen:
                    self.report(
                        [
                            document.problem(
                                f"{at}/code", f"customer {customer.code} is defined twice"
                            )
                        ]
                    )
                    continue
                seen.add(customer.code)
                found = self.builder.customer_problems(document, at, customer, holders)
                self.report(found)
                if not found:
                    self.writer.customer(customer)
            self.writer.flush()
            self._tell()

    # -- reading what earlier batches wrote ----------------------------------------------------
    def _existing(self, model: Any, column: str, values: Sequence[str]) -> set[str]:
        table = table_of(model)
        return {row[0] for row in self._rows(select(table.c[column]), table.c[column], values)}

    def _owners(
        self, model: Any, column: str, values: Sequence[str], owner: str = "sku"
    ) -> Iterator[tuple[str, str]]:
        table = table_of(model)
        for row in self._rows(select(table.c[column], table.c[owner]), table.c[column], values):
            yield row[0], row[1]

    def _rows(self, query: Any, column: Any, values: Sequence[str]) -> Iterator[Any]:
        unique = sorted(set(values))
        for start in range(0, len(unique), 500):
            yield from self.connection.execute(query.where(column.in_(unique[start : start + 500])))

    def _tell(self) -> None:
        if self.progress is not None:
            self.progress(self.state)


class _Either:
    """Membership in any of several sets."""

    def __init__(self, *sets: set[str]) -> None:
        self.sets = sets

    def __contains__(self, value: object) -> bool:
        return any(value in found for found in self.sets)


_LOTS = table_of(ItemLotRow)


def _chunked(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
