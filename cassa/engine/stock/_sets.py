"""Sets (seed "Gestione dei set"): an item of type `set` sold as its components.

With "insert components in the document" on, the till puts the components on the
document as a group of lines (`Line.set_group`: the set's SKU and this sale of it). Their
quantity is then blocked ("Impossibile modificare un elemento del set") or, as the set
declares, changing it splits the set: the line leaves the group. Deleting one component
asks the seed's question and deletes them all. With it off the set is one line, and each
of its components leaves stock when it is sold (`set_components`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Connection, select

from cassa.engine.documents import Document, Line
from cassa.engine.errors import CassaError, InvalidInput
from cassa.engine.stock._context import StockContext
from cassa.engine.storage.models import ItemSetComponentRow, table_of
from cassa.i18n import _

__all__ = ["SetComponentBlocked", "SetDeletionAsked", "component_changed", "set_components"]

_COMPONENTS = table_of(ItemSetComponentRow)


class SetComponentBlocked(InvalidInput):
    code = "set_component_blocked"

    def __init__(self) -> None:
        super().__init__(_("An element of the set cannot be changed"))


class SetDeletionAsked(CassaError):
    """The operator must confirm: `delete_line(position, whole_set=True)` deletes the set."""

    code = "set_deletion_asked"

    def __init__(self) -> None:
        super().__init__(
            _(
                "Deleting a component of the set deletes every component of the set. "
                "Do you want to continue?"
            )
        )


def set_of(line: Line) -> str:
    """The SKU of the set a component line belongs to."""
    assert line.set_group is not None
    return line.set_group.rsplit("#", 1)[0]


def component_changed(context: StockContext, document: Document, line: Line) -> Line:
    """A component's quantity or unit is about to change: refused when the set blocks it,
    else the line leaves its set (the set is split)."""
    item = context.catalog.item(set_of(line))
    if item is None or item.component_change != "split":
        raise SetComponentBlocked()
    return line.with_changes(set_group=None)


def set_components(
    connection: Connection, skus: Iterable[str]
) -> dict[str, list[tuple[str, Decimal]]]:
    """Each set's components and their quantity per set, as the catalog holds them now."""
    found: dict[str, list[tuple[str, Decimal]]] = {}
    wanted = sorted(set(skus))
    if not wanted:
        return found
    for row in connection.execute(
        select(_COMPONENTS.c.set_sku, _COMPONENTS.c.component, _COMPONENTS.c.quantity)
        .where(_COMPONENTS.c.set_sku.in_(wanted))
        .order_by(_COMPONENTS.c.set_sku, _COMPONENTS.c.position)
    ):
        found.setdefault(row.set_sku, []).append((row.component, row.quantity))
    return found
