"""Loading a store's master data from YAML and CSV files.

A store folder holds `store.yaml` (kind Store) naming its country pack, tills
and the catalog and customer files. Items and customers may come from YAML or
from CSV (one row each, a header line naming the columns). Every file is
validated against its schema and every cross-reference (item group, unit,
VAT rate, price list, customer group) is checked; all problems are reported
together with file:line:col and nothing is imported when there is one.
"""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Callable, Container, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from cassa.engine.barcodes import is_valid_ean
from cassa.engine.catalog import (
    CatalogData,
    Customer,
    CustomerGroup,
    CustomerKind,
    Item,
    ItemGroup,
    ItemType,
    Lot,
    PriceList,
    SetComponent,
    lot_problems,
)
from cassa.engine.country import CountrySettings, country_from_pack
from cassa.engine.packs import API_VERSION, load_pack, resolve_pack_path
from cassa.engine.schemas import validate_document
from cassa.engine.tax import PriceDirection
from cassa.engine.tax_ids import passed_checks
from cassa.engine.units import ItemUnits, Unit, UnitConversion
from cassa.engine.yamlsource import DataFileError, Problem, SourceDocument, load_yaml

__all__ = [
    "FLOOR",
    "MAX_CSV_BYTES",
    "MAX_CSV_LINE",
    "MAX_CSV_ROWS",
    "TRANSIT",
    "CatalogBuilder",
    "CsvRow",
    "OpenedStore",
    "StoreData",
    "TillInfo",
    "WarehouseInfo",
    "csv_rows",
    "customer_spec",
    "item_spec",
    "load_store",
    "open_store",
    "warehouses_of",
]

# A CSV file is read as boundedly as a YAML one: a million items take about 100 MB.
MAX_CSV_BYTES = 2 * 1024 * 1024 * 1024
MAX_CSV_ROWS = 5_000_000
MAX_CSV_LINE = 64 * 1024  # characters of one row; no item or customer needs more
_CSV_LISTS = {"barcodes", "groups"}
_CSV_BOOLEANS = {"discountable", "name_editable", "reverse_charge", "split_payment", "domestic"}
_TRUE = {"1", "true", "yes", "y", "si", "sì"}
_FALSE = {"0", "false", "no", "n"}


@dataclass(frozen=True)
class TillInfo:
    code: str
    name: str


@dataclass(frozen=True)
class WarehouseInfo:
    """A warehouse of the store (cassa.engine.stock): the shop floor is always there."""

    code: str
    name: str
    kind: str = "storage"  # floor, storage, transit


FLOOR = "FLOOR"  # the shop floor, where a till sells from
TRANSIT = "TRANSIT"  # goods dispatched to the store and not yet received


def warehouses_of(spec: Any) -> list[WarehouseInfo]:
    """The store's warehouses: the shop floor first, those it declares, goods in transit."""
    declared = {w["code"]: w for w in spec.get("warehouses", [])}
    floor = declared.pop(FLOOR, {})
    return [
        WarehouseInfo(FLOOR, floor.get("name", "Shop floor"), "floor"),
        *(WarehouseInfo(code, w.get("name", code)) for code, w in declared.items()),
        WarehouseInfo(TRANSIT, "In transit", "transit"),
    ]


@dataclass
class StoreData:
    code: str
    name: str
    address: str
    vat_number: str
    pack: str  # resolved path of the country pack
    timezone: str
    tills: list[TillInfo]
    country: CountrySettings
    catalog: CatalogData = field(default_factory=CatalogData)
    warehouses: list[WarehouseInfo] = field(default_factory=list)


def load_store(path: Path | str) -> StoreData:
    """A store folder read whole into memory: its CSV files too (small stores, pack tests;
    `cassa store import` streams a large one into the database instead)."""
    opened = open_store(path)
    problems = list(opened.problems)
    for file, kind, at in opened.csv_files:
        problems.extend(opened.builder.read(file, kind, opened.store_doc, at))
    problems.extend(opened.builder.check_references())
    if problems:
        raise DataFileError(problems)
    return opened.data()


@dataclass
class OpenedStore:
    """A store folder with its YAML files read and its CSV files not yet read (so that a
    caller can stream them): `csv_files` as (file, kind, pointer in store.yaml)."""

    store_doc: SourceDocument
    pack_path: Path
    country: CountrySettings
    builder: CatalogBuilder
    csv_files: list[tuple[Path, str, str]]
    problems: list[Problem]

    def data(self) -> StoreData:
        spec = self.store_doc.data
        return StoreData(
            code=spec["code"],
            name=spec["name"],
            address=spec.get("address", ""),
            vat_number=spec.get("vat_number", ""),
            pack=str(self.pack_path),
            timezone=spec.get("timezone", "UTC"),
            tills=[TillInfo(t["code"], t.get("name", t["code"])) for t in spec["tills"]],
            country=self.country,
            catalog=self.builder.catalog,
            warehouses=warehouses_of(spec),
        )


def open_store(path: Path | str) -> OpenedStore:
    """Read store.yaml, its country pack and every YAML file it names (units and groups
    are known before any CSV row is read); raise DataFileError if store.yaml or the pack
    is wrong. Problems of the data files are in `problems`."""
    folder = Path(path)
    store_file = folder / "store.yaml" if folder.is_dir() else folder
    folder = store_file.parent
    store_doc = _single(store_file, "Store", "store")
    spec = store_doc.data
    try:
        pack_path = resolve_pack_path(spec["pack"], relative_to=folder)
        country = country_from_pack(load_pack(pack_path))
    except DataFileError as error:
        raise DataFileError(
            [
                store_doc.problem("/pack", f"country pack '{spec['pack']}' cannot be used:"),
                *error.problems,
            ]
        ) from None
    builder = CatalogBuilder(country)
    problems: list[Problem] = []
    csv_files: list[tuple[Path, str, str]] = []
    for key, kind in (("catalog", "Catalog"), ("customers", "Customers")):
        for index, name in enumerate(spec.get(key, [])):
            at = f"/{key}/{index}"
            if (folder / name).suffix.lower() == ".csv" and (folder / name).exists():
                csv_files.append((folder / name, kind, at))
            else:
                problems.extend(builder.read(folder / name, kind, store_doc, at))
    return OpenedStore(store_doc, pack_path, country, builder, csv_files, problems)


def _single(file: Path, kind: str, schema: str) -> SourceDocument:
    documents = load_yaml(file)
    if len(documents) != 1:
        raise DataFileError([Problem(str(file), 1, 1, "", f"expected one {kind} document")])
    document = documents[0]
    problems = _check(document, kind, schema)
    if problems:
        raise DataFileError(problems)
    return document


def _check(document: SourceDocument, kind: str, schema: str) -> list[Problem]:
    if not isinstance(document.data, dict) or document.data.get("kind") != kind:
        return [document.problem("/kind", f"expected kind: {kind}")]
    if document.data.get("apiVersion") != API_VERSION:
        return [document.problem("/apiVersion", f"apiVersion must be '{API_VERSION}'")]
    return validate_document(document, schema)


def read_csv(file: Path, kind: str, collection: str) -> SourceDocument:
    """A CSV file as a document of `kind` whose `collection` holds one mapping per row.

    Positions point at the CSV cell, so a bad price is reported as file:row:column.
    """
    records: list[dict[str, Any]] = []
    marks: dict[str, tuple[int, int]] = {}
    key_marks: dict[str, tuple[int, int]] = {}
    for row, _, record in csv_rows(file, collection):
        records.append(record)
        row.place_cells()
        marks.update(row.marks)
        key_marks.update(row.key_marks)
    data = {"apiVersion": API_VERSION, "kind": kind, collection: records}
    return SourceDocument(str(file), data, marks, key_marks)


def csv_rows(
    file: Path, collection: str, *, read: Callable[[int], None] | None = None
) -> Iterator[tuple[CsvRow, str, dict[str, Any]]]:
    """The rows of a CSV file one at a time, each as (a document holding the positions of
    its cells, its pointer `/{collection}/N`, its record): a file of a million rows is
    read in constant memory. `read` is told how many bytes each line took."""
    handle = _open_csv(file)
    with handle:
        lines: Iterator[str] = _bounded_lines(handle, str(file))
        if read is not None:
            lines = _counted(lines, read)
        reader = csv.reader(lines)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise DataFileError(
                [Problem(str(file), 1, 1, "", "empty CSV file: a header line is needed")]
            ) from None
        except UnicodeDecodeError:
            raise DataFileError([Problem(str(file), 1, 1, "", "file is not UTF-8 text")]) from None
        except csv.Error as error:
            raise _csv_refusal(file, 1, f"the header line cannot be read: {error}") from None
        index = 0
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if index >= MAX_CSV_ROWS:
                    raise _csv_refusal(
                        file, reader.line_num, f"more than {MAX_CSV_ROWS:,} rows: split the file"
                    )
                at = f"/{collection}/{index}"
                record: dict[str, Any] = {}
                for name, cell in zip(header, row, strict=False):
                    cell = cell.strip()
                    if cell:
                        record[name] = _csv_value(name, cell)
                if len(row) > len(header):
                    record["_extra"] = row[len(header) :]
                yield CsvRow(str(file), at, reader.line_num, header, record), at, record
                index += 1
        except UnicodeDecodeError:
            line = reader.line_num + 1
            raise DataFileError(
                [Problem(str(file), line, 1, "", "file is not UTF-8 text")]
            ) from None
        except csv.Error as error:  # a NUL byte, a cell beyond the csv module's limit
            raise _csv_refusal(
                file, reader.line_num + 1, f"the row cannot be read: {error}"
            ) from None


def _csv_refusal(file: Path, line: int, message: str) -> DataFileError:
    return DataFileError([Problem(str(file), line, 1, "", message)])


def _open_csv(file: Path) -> Any:
    """A regular file of at most MAX_CSV_BYTES, opened as UTF-8 text (a BOM is skipped);
    a named pipe or a device is refused without reading from it."""
    try:
        status = os.stat(file)
        if not stat.S_ISREG(status.st_mode):
            raise _csv_refusal(file, 1, "cannot read it: a regular file is needed")
        if status.st_size > MAX_CSV_BYTES:
            limit = MAX_CSV_BYTES // (1024 * 1024)
            raise _csv_refusal(file, 1, f"file is larger than {limit} MiB: it is not read")
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        return os.fdopen(descriptor, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise _csv_refusal(file, 1, f"cannot read file: {error.strerror}") from None


def _bounded_lines(handle: Any, file: str) -> Iterator[str]:
    """The file's lines, none read whole beyond MAX_CSV_LINE (a file with no line
    breaks is refused at its first long line, not held in memory)."""
    number = 0
    while True:
        line = handle.readline(MAX_CSV_LINE + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_CSV_LINE:
            raise DataFileError(
                [
                    Problem(
                        file,
                        number,
                        1,
                        "",
                        f"a line longer than {MAX_CSV_LINE:,} characters: is this a CSV file?",
                    )
                ]
            )
        yield line


class CsvRow(SourceDocument):
    """A row of a CSV file as a document: its cells' positions are worked out when a
    problem asks for one (a valid row of a million never needs them)."""

    def __init__(
        self, file: str, at: str, line: int, header: list[str], record: dict[str, Any]
    ) -> None:
        super().__init__(file, {})
        self.at, self.line, self.header, self.record = at, line, header, record

    def place_cells(self) -> None:
        if self.marks:
            return
        self.marks[self.at] = (self.line, 1)
        for column, name in enumerate(self.header, start=1):
            if name in self.record:
                self.marks[f"{self.at}/{name}"] = (self.line, column)
        if "_extra" in self.record:
            self.marks[f"{self.at}/_extra"] = (self.line, len(self.header) + 1)
        self.key_marks.update(self.marks)

    def mark(self, at: str, *, key: bool = False) -> tuple[int, int]:
        self.place_cells()
        return super().mark(at, key=key)


def _counted(lines: Iterator[str], read: Callable[[int], None]) -> Iterator[str]:
    for line in lines:
        read(len(line.encode()))
        yield line


def _csv_value(name: str, cell: str) -> Any:
    if name in _CSV_LISTS:
        return [part.strip() for part in cell.split("|") if part.strip()]
    if name in _CSV_BOOLEANS:
        lowered = cell.casefold()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return cell


class CatalogBuilder:
    def __init__(self, country: CountrySettings) -> None:
        self.country = country
        self.catalog = CatalogData()
        self.units: dict[str, Unit] = {}
        self.item_sources: list[tuple[SourceDocument, str, Item]] = []
        self.customer_sources: list[tuple[SourceDocument, str, Customer]] = []
        self.price_list_sources: list[tuple[SourceDocument, str, PriceList]] = []
        self.group_sources: list[tuple[SourceDocument, str, ItemGroup]] = []
        self.customer_group_sources: list[tuple[SourceDocument, str, CustomerGroup]] = []

    def read(self, file: Path, kind: str, store: SourceDocument, at: str) -> list[Problem]:
        if not file.exists():
            return [store.problem(at, f"file {file.name} does not exist")]
        try:
            if file.suffix.lower() == ".csv":
                documents = [read_csv(file, kind, "items" if kind == "Catalog" else "customers")]
            else:
                documents = load_yaml(file)
        except DataFileError as error:  # reported together with the other files' problems
            return list(error.problems)
        problems: list[Problem] = []
        for document in documents:
            found = _check(document, kind, kind.lower())
            problems.extend(found)
            if not found:
                problems.extend(self.add(document))
        return problems

    def add(self, document: SourceDocument) -> list[Problem]:
        data = document.data
        problems: list[Problem] = []
        if data["kind"] == "Catalog":
            if "price_direction" in data:
                self.catalog.price_direction = PriceDirection(data["price_direction"])
            for unit in data.get("units", []):
                self.units[unit["code"]] = Unit(
                    unit["code"], unit.get("name", unit["code"]), unit["precision"]
                )
            for index, group in enumerate(data.get("groups", [])):
                item_group = ItemGroup(
                    group["code"],
                    group["name"],
                    group.get("parent"),
                    _decimal_or_none(group.get("reorder_level")),
                )
                self.group_sources.append((document, f"/groups/{index}", item_group))
                self.catalog.item_groups[item_group.code] = item_group
            for index, spec in enumerate(data.get("items", [])):
                at = f"/items/{index}"
                if spec["sku"] in self.catalog.items:
                    problems.append(
                        document.problem(f"{at}/sku", f"SKU {spec['sku']} is defined twice")
                    )
                    continue
                self.item_sources.append((document, at, item_spec(spec)))  # units checked later
                self.catalog.items[spec["sku"]] = self.item_sources[-1][2]
            for index, spec in enumerate(data.get("price_lists", [])):
                price_list = PriceList(
                    code=spec["code"],
                    name=spec["name"],
                    prices={sku: Decimal(str(p)) for sku, p in spec["prices"].items()},
                    direction=PriceDirection(spec.get("direction", self.catalog.price_direction)),
                    valid_from=_date(document, f"/price_lists/{index}", "valid_from", problems),
                    valid_to=_date(document, f"/price_lists/{index}", "valid_to", problems),
                )
                self.price_list_sources.append((document, f"/price_lists/{index}", price_list))
                self.catalog.price_lists[price_list.code] = price_list
        else:
            for index, group in enumerate(data.get("groups", [])):
                customer_group = CustomerGroup(
                    group["code"], group["name"], group.get("price_list")
                )
                self.customer_group_sources.append((document, f"/groups/{index}", customer_group))
                self.catalog.customer_groups[customer_group.code] = customer_group
            for index, spec in enumerate(data.get("customers", [])):
                at = f"/customers/{index}"
                if spec["code"] in self.catalog.customers:
                    problems.append(
                        document.problem(f"{at}/code", f"customer {spec['code']} is defined twice")
                    )
                    continue
                customer = customer_spec(spec)
                self.customer_sources.append((document, at, customer))
                self.catalog.customers[customer.code] = customer
        return problems

    def check_references(self) -> list[Problem]:
        problems = self.check_group_parents()
        catalog = self.catalog
        barcodes: dict[str, str] = {}  # item and lot EANs alike
        lot_codes: dict[str, str] = {}
        finished: list[Item] = []
        for document, at, draft in self.item_sources:
            item, found = self.check_item(
                document, at, _spec_of(document, at), draft, barcodes, lot_codes, catalog.items
            )
            problems.extend(found)
            finished.append(item)
        if not problems:
            catalog.items.clear()
            catalog.add_items(finished)
        for document, at, price_list in self.price_list_sources:
            for sku in price_list.prices:
                if sku not in catalog.items:
                    problems.append(
                        document.problem(f"{at}/prices/{sku}", f"unknown SKU '{sku}'", key=True)
                    )
        problems.extend(self.check_customer_groups())
        cards: dict[str, str] = {}
        for document, at, customer in self.customer_sources:
            problems.extend(self.customer_problems(document, at, customer, cards))
        return problems

    def check_group_parents(self) -> list[Problem]:
        return [
            document.problem(f"{at}/parent", f"unknown item group '{group.parent}'")
            for document, at, group in self.group_sources
            if group.parent is not None and group.parent not in self.catalog.item_groups
        ]

    def check_customer_groups(self) -> list[Problem]:
        return [
            document.problem(f"{at}/price_list", f"unknown price list '{group.price_list}'")
            for document, at, group in self.customer_group_sources
            if group.price_list and group.price_list not in self.catalog.price_lists
        ]

    def customer_problems(
        self,
        document: SourceDocument,
        at: str,
        customer: Customer,
        cards: MutableMapping[str, str],
    ) -> list[Problem]:
        """What is wrong with a customer: unknown groups or price list, a business without
        a VAT number, a loyalty card another customer holds (`cards`: holders so far)."""
        catalog = self.catalog
        problems = [
            document.problem(f"{at}/groups/{index}", f"unknown customer group '{group_code}'")
            for index, group_code in enumerate(customer.groups)
            if group_code not in catalog.customer_groups
        ]
        if customer.price_list and customer.price_list not in catalog.price_lists:
            problems.append(
                document.problem(f"{at}/price_list", f"unknown price list '{customer.price_list}'")
            )
        if customer.kind is CustomerKind.BUSINESS and not customer.vat_number:
            problems.append(document.problem(at, "a business customer needs a vat_number"))
        checks = self.country.tax_id_checks
        if customer.vat_number and checks and not passed_checks(customer.vat_number, checks):
            problems.append(
                document.problem(
                    f"{at}/vat_number",
                    f"{customer.vat_number} is not a valid {' or '.join(checks)}",
                )
            )
        card = customer.loyalty_card
        if card and cards.setdefault(card, customer.code) != customer.code:
            problems.append(
                document.problem(
                    f"{at}/loyalty_card", f"loyalty card {card} already belongs to {cards[card]}"
                )
            )
        return problems

    def check_item(
        self,
        document: SourceDocument,
        at: str,
        spec: dict[str, Any],
        draft: Item,
        barcodes: MutableMapping[str, str],
        lot_codes: MutableMapping[str, str],
        skus: Container[str],
    ) -> tuple[Item, list[Problem]]:
        """The item of a validated spec with everything wrong with it: its group, VAT rate,
        units and price; its barcodes (check digit, on no other item: `barcodes` holds the
        owners known so far, and takes this item's); its lots (see `_check_lots`)."""
        item, problems = self._finish_item(document, at, spec, draft)
        for index, code in enumerate(item.barcodes):
            where = (
                f"{at}/barcodes/{index}" if document.file.endswith(".yaml") else f"{at}/barcodes"
            )
            if not is_valid_ean(code):
                problems.append(
                    document.problem(where, f"barcode {code} has a wrong EAN check digit")
                )
            elif barcodes.setdefault(code, item.sku) != item.sku:
                problems.append(
                    document.problem(where, f"barcode {code} already belongs to {barcodes[code]}")
                )
        problems.extend(self._check_lots(document, at, item, barcodes, lot_codes, skus))
        return item, problems

    def _check_lots(
        self,
        document: SourceDocument,
        at: str,
        item: Item,
        barcodes: MutableMapping[str, str],
        lot_codes: MutableMapping[str, str],
        skus: Container[str],
    ) -> list[Problem]:
        """An item's lots: the same properties on each, distinct values, codes that are no
        SKU and no other lot's, EANs with their check digit and on no other item or lot."""
        problems = [document.problem(f"{at}/{where}", m) for where, m in lot_problems(item)]
        for index, lot in enumerate(item.lots):
            where = f"{at}/lots/{index}"
            if lot.code != item.sku and lot.code in skus:
                problems.append(
                    document.problem(f"{where}/code", f"lot code {lot.code} is also an SKU")
                )
            elif lot_codes.setdefault(lot.code, item.sku) != item.sku:
                problems.append(
                    document.problem(
                        f"{where}/code",
                        f"lot code {lot.code} already belongs to {lot_codes[lot.code]}",
                    )
                )
            if lot.ean is None:
                continue
            if not is_valid_ean(lot.ean):
                problems.append(
                    document.problem(f"{where}/ean", f"EAN {lot.ean} has a wrong check digit")
                )
            elif barcodes.setdefault(lot.ean, item.sku) != item.sku or lot.ean in item.barcodes:
                problems.append(
                    document.problem(
                        f"{where}/ean", f"EAN {lot.ean} already belongs to {barcodes[lot.ean]}"
                    )
                )
            else:
                barcodes[lot.ean] = f"{item.sku} lot {lot.code}"
        return problems

    def _finish_item(
        self, document: SourceDocument, at: str, spec: dict[str, Any], draft: Item
    ) -> tuple[Item, list[Problem]]:
        problems: list[Problem] = []
        if draft.group not in self.catalog.item_groups:
            problems.append(document.problem(f"{at}/group", f"unknown item group '{draft.group}'"))
        if draft.vat_code not in self.country.vat_rates:
            known = ", ".join(self.country.vat_rates)
            problems.append(
                document.problem(
                    f"{at}/vat",
                    f"VAT rate '{draft.vat_code}' is not in pack {self.country.pack} ({known})",
                )
            )
        base = self.units.get(spec["unit"])
        if base is None:
            problems.append(document.problem(f"{at}/unit", f"unknown unit '{spec['unit']}'"))
            base = Unit(spec["unit"])
        conversions: list[UnitConversion] = []
        for index, extra in enumerate(spec.get("additional_units", [])):
            unit = self.units.get(extra["unit"])
            if unit is None:
                problems.append(
                    document.problem(
                        f"{at}/additional_units/{index}/unit", f"unknown unit '{extra['unit']}'"
                    )
                )
                continue
            factor = Decimal(str(extra["per_base"]))
            if factor <= 0:
                problems.append(
                    document.problem(f"{at}/additional_units/{index}/per_base", "must be above 0")
                )
                continue
            conversions.append(UnitConversion(unit, factor))
        exponent = Decimal(str(spec["price"])).as_tuple().exponent
        if isinstance(exponent, int) and exponent < -6:
            problems.append(document.problem(f"{at}/price", "a price may have at most 6 decimals"))
        item = Item(
            sku=draft.sku,
            name=draft.name,
            group=draft.group,
            vat_code=draft.vat_code,
            list_price=draft.list_price,
            units=ItemUnits(base, tuple(conversions)),
            type=draft.type,
            barcodes=draft.barcodes,
            discountable=draft.discountable,
            name_editable=draft.name_editable,
            reverse_charge=draft.reverse_charge,
            split_payment=draft.split_payment,
            lots=draft.lots,
            cost=draft.cost,
            reorder_level=draft.reorder_level,
            components=draft.components,
            insert_components=draft.insert_components,
            component_change=draft.component_change,
        )
        return item, problems


def _date(document: SourceDocument, at: str, key: str, problems: list[Problem]) -> date | None:
    """The date under `key` of the mapping at `at`; None (and a problem) if not a real date."""
    text = _spec_of(document, at).get(key)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        problems.append(document.problem(f"{at}/{key}", f"{text} is not a valid date ({error})"))
        return None


def _spec_of(document: SourceDocument, at: str) -> dict[str, Any]:
    node: Any = document.data
    for part in at.split("/")[1:]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    assert isinstance(node, dict)
    return node


def customer_spec(spec: dict[str, Any]) -> Customer:
    return Customer(
        code=spec["code"],
        name=spec["name"],
        kind=CustomerKind(spec.get("kind", "retail")),
        vat_number=spec.get("vat_number"),
        groups=tuple(spec.get("groups", [])),
        loyalty_card=spec.get("loyalty_card"),
        price_list=spec.get("price_list"),
        address=spec.get("address", ""),
        domestic=spec.get("domestic", True),
        reverse_charge=spec.get("reverse_charge", False),
    )


def _decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def item_spec(spec: dict[str, Any]) -> Item:
    return Item(
        sku=spec["sku"],
        name=spec["name"],
        group=spec["group"],
        vat_code=str(spec["vat"]),
        list_price=Decimal(str(spec["price"])),
        units=ItemUnits(Unit(spec["unit"])),
        type=ItemType(spec.get("type", "goods")),
        barcodes=tuple(spec.get("barcodes", [])),
        discountable=spec.get("discountable", True),
        name_editable=spec.get("name_editable", False),
        reverse_charge=spec.get("reverse_charge", False),
        split_payment=spec.get("split_payment", False),
        cost=_decimal_or_none(spec.get("cost")),
        reorder_level=_decimal_or_none(spec.get("reorder_level")),
        components=tuple(
            SetComponent(str(c["sku"]), Decimal(str(c.get("quantity", 1))))
            for c in spec.get("components", [])
        ),
        insert_components=spec.get("insert_components", False),
        component_change=spec.get("component_change", "blocked"),
        lots=tuple(
            Lot(
                code=lot["code"],
                properties=tuple((name, str(value)) for name, value in lot["properties"].items()),
                ean=lot.get("ean"),
            )
            for lot in spec.get("lots", [])
        ),
    )
