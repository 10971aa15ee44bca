"""The till's view layout, declared in the rule pack (kind `ViewLayout`, seed: Gestione viste).

Which columns the document's lines show and in which order, which action
tiles the sale screen offers, whether lines are grouped by item group with
aggregates on each group's header (sum, average, maximum, minimum of a
visible column), which tender tiles the payment window shows, and which function
keys run which tile. Packs are
read base first; a later document replaces the fields it gives. A layout
that aggregates a hidden column or names an unknown tender is refused when it
loads, with `file:line:col: /pointer: message`, like every other pack error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cassa.engine.packs import load_pack
from cassa.engine.yamlsource import DataFileError, Problem

__all__ = [
    "COLUMNS",
    "DEFAULT_LAYOUT",
    "TILES",
    "Aggregate",
    "PaymentLayout",
    "SaleLayout",
    "ViewLayout",
    "load_view_layout",
]

COLUMNS = (
    "position",
    "sku",
    "name",
    "quantity",
    "unit",
    "list_price",
    "price",
    "discount",
    "value",
    "handled_by",
)
TILES = (
    "customer",
    "coupons",
    "manual_promotions",
    "loyalty_card",
    "discount_summary",
    "line_discount",
    "header_discount",
    "list_price",
    "park",
    "resume",
    "discard",
    "cash_in_out",
    "till_summary",
    "safe",
    "close_day",
    "logout",
    "functions",
    "open_drawer",
)
# Sixteen tiles fit the sale screen at 1366x768; the rest are on the functions screen.
DEFAULT_TILES = tuple(t for t in TILES if t not in ("safe", "open_drawer"))
FUNCTIONS = ("sum", "average", "max", "min")


@dataclass(frozen=True)
class Aggregate:
    column: str  # quantity, list_price, price, discount, value
    function: str  # sum, average, max, min


@dataclass(frozen=True)
class SaleLayout:
    # the seed hides the list price column by default
    columns: tuple[str, ...] = ("position", "name", "quantity", "unit", "price", "value")
    group_by: str = "none"  # none, item_group
    aggregates: tuple[Aggregate, ...] = ()
    tiles: tuple[str, ...] = DEFAULT_TILES
    customer_address: bool = False
    # a repeated scan of an item: a new line (seed default) or more on its line
    repeat_scan: str = "new_line"  # new_line, add_quantity


@dataclass(frozen=True)
class PaymentLayout:
    tenders: tuple[str, ...] | None = None  # None: every active tender, in the pack's order
    undo: bool = False  # seed: [Annulla] is hidden by default


@dataclass(frozen=True)
class ViewLayout:
    sale: SaleLayout = field(default_factory=SaleLayout)
    payment: PaymentLayout = field(default_factory=PaymentLayout)
    sources: tuple[str, ...] = ()  # the files it was read from
    shortcuts: tuple[tuple[str, str], ...] = ()  # (function key, action): ("F2", "park")

    @property
    def keys(self) -> dict[str, str]:
        return dict(self.shortcuts)


DEFAULT_LAYOUT = ViewLayout()


def load_view_layout(pack_path: Path | str, tenders: set[str] | None = None) -> ViewLayout:
    """The merged ViewLayout of a pack chain; `tenders` (the pack's tender codes)
    lets the payment window's tiles be checked."""
    pack = load_pack(pack_path)
    layout = DEFAULT_LAYOUT
    problems: list[Problem] = []
    sources: list[str] = []
    for document in pack.of_kind("ViewLayout"):
        data: dict[str, Any] = document.data
        sources.append(document.file)
        sale = data.get("sale", {})
        changes: dict[str, Any] = {}
        for key in ("columns", "tiles"):
            if key in sale:
                changes[key] = tuple(sale[key])
        if "group_by" in sale:
            changes["group_by"] = sale["group_by"]
        if "customer_address" in sale:
            changes["customer_address"] = sale["customer_address"]
        if "repeat_scan" in sale:
            changes["repeat_scan"] = sale["repeat_scan"]
        if "aggregates" in sale:
            changes["aggregates"] = tuple(
                Aggregate(a["column"], a["function"]) for a in sale["aggregates"]
            )
        new_sale = replace(layout.sale, **changes)
        for index, aggregate in enumerate(new_sale.aggregates):
            if "aggregates" in sale and aggregate.column not in new_sale.columns:
                problems.append(
                    document.problem(
                        f"/sale/aggregates/{index}/column",
                        f"column {aggregate.column} is not visible: add it to sale.columns "
                        "to aggregate it",
                    )
                )
        payment = data.get("payment", {})
        pay_changes: dict[str, Any] = {}
        if "tenders" in payment:
            pay_changes["tenders"] = tuple(payment["tenders"])
            for index, code in enumerate(payment["tenders"]):
                if tenders is not None and code not in tenders:
                    problems.append(
                        document.problem(
                            f"/payment/tenders/{index}",
                            f"unknown tender '{code}' (tenders: {', '.join(sorted(tenders))})",
                        )
                    )
        if "undo" in payment:
            pay_changes["undo"] = payment["undo"]
        shortcuts = layout.shortcuts
        if "shortcuts" in data:  # a later layout's keys replace an earlier one's
            shortcuts = tuple((str(k), str(v)) for k, v in data["shortcuts"].items())
        layout = ViewLayout(
            new_sale, replace(layout.payment, **pay_changes), layout.sources, shortcuts
        )
    if problems:
        raise DataFileError(problems)
    return replace(layout, sources=tuple(sources))
