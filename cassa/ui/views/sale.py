"""The sale screen: a pure function of `SaleModel` (and the layout it follows)."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Any

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.sale import GroupHeader, KeypadContext, LineRow, SaleModel
from cassa.ui.views.notice import notice_bar
from cassa.ui.views.widgets import (
    ACCENT,
    DANGER,
    INK,
    LINE,
    MUTED,
    PANEL,
    PRIMARY,
    SELECTED,
    action,
    keypad,
    tagged,
    tile,
    typed,
)

__all__ = ["sale_screen"]

# column -> (width, right aligned); None width expands
COLUMN_SPECS: dict[str, tuple[int | None, bool]] = {
    "position": (36, False),
    "sku": (130, False),
    "name": (None, False),
    "quantity": (84, True),
    "unit": (44, False),
    "list_price": (96, True),
    "price": (96, True),
    "discount": (90, True),
    "value": (104, True),
    "handled_by": (90, False),
}


# at 1024 px the figures' columns give the name the width it needs
COMPACT_WIDTHS = {"sku": 100, "quantity": 64, "list_price": 78, "price": 78, "value": 88}


def _cell(
    text: str,
    column: str,
    *,
    size: int = 17,
    bold: bool = False,
    color: str = INK,
    compact: bool = False,
) -> ft.Text:
    width, right = COLUMN_SPECS[column]
    if compact and column in COMPACT_WIDTHS:
        width = COMPACT_WIDTHS[column]
    return ft.Text(
        text,
        size=size,
        width=width,
        expand=width is None,
        no_wrap=True,
        overflow=ft.TextOverflow.ELLIPSIS,
        text_align=ft.TextAlign.RIGHT if right else ft.TextAlign.LEFT,
        weight=ft.FontWeight.BOLD if bold else None,
        color=color,
    )


def line_row(
    row: LineRow, columns: tuple[str, ...], select: Any, compact: bool = False
) -> ft.Control:
    values = {
        "position": str(row.position),
        "sku": row.sku,
        "name": f"{row.name} · {row.lot}" if row.lot else row.name,
        "quantity": row.quantity,
        "unit": row.unit,
        "list_price": row.list_price,
        "price": row.price,
        "discount": "",
        "value": row.value,
        "handled_by": row.handled_by,
    }
    first = ft.Row(
        [_cell(values[c], c, bold=c in ("name", "value"), compact=compact) for c in columns],
        spacing=8,
    )
    body: list[ft.Control] = [first]
    if row.discount:
        body.append(
            ft.Row(
                [
                    ft.Container(width=44),
                    ft.Text(
                        row.discount,
                        size=14,
                        color=ACCENT,
                        expand=True,
                        no_wrap=True,
                        overflow=ft.TextOverflow.ELLIPSIS,
                    ),
                ]
            )
        )
    content: ft.Control = ft.Column(body, spacing=2)
    if row.selected:  # a node of its own: a changed identifier does not reach the browser
        content = tagged("selected-line", content)
    return tagged(
        f"line-{row.position}",
        ft.Container(
            content=content,
            padding=ft.Padding.symmetric(horizontal=10, vertical=10),  # 44 px for a finger
            bgcolor=SELECTED if row.selected else "#FFFFFF",
            border=ft.Border.only(bottom=ft.BorderSide(1, LINE)),
            on_click=lambda _: select(row.position),
        ),
        key=ft.ScrollKey(row.line_id),  # type: ignore[call-arg]  # flet's untyped dataclass
    )


def group_header(header: GroupHeader, toggle: Any) -> ft.Control:
    aggregates = "   ".join(f"{label}: {value}" for label, value in header.aggregates)
    return tagged(
        f"group-{header.code or 'none'}",
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(
                        ft.Icons.CHEVRON_RIGHT if header.collapsed else ft.Icons.EXPAND_MORE,
                        color=PRIMARY,
                    ),
                    ft.Text(
                        f"{header.name} ({header.lines})",
                        size=16,
                        weight=ft.FontWeight.BOLD,
                        color=PRIMARY,
                        expand=True,
                    ),
                    ft.Text(aggregates, size=15, weight=ft.FontWeight.W_600, color=PRIMARY),
                ]
            ),
            padding=ft.Padding.symmetric(horizontal=10, vertical=10),  # 44 px for a finger
            bgcolor="#E8EEF7",
            on_click=lambda _: toggle(header.code),
        ),
        key=f"group-{header.code}",
    )


def _header_row(app: TillApp, columns: tuple[str, ...]) -> ft.Control:
    return ft.Container(
        content=ft.Row(
            [
                _cell(app.t(f"column_{c}"), c, size=14, bold=True, color=MUTED, compact=app.compact)
                for c in columns
            ],
            spacing=8,
        ),
        padding=ft.Padding.symmetric(horizontal=10, vertical=6),
        bgcolor=PANEL,
    )


# The search field of each session. It has no on_change handler: a scanner types a
# dozen characters and Enter at once, and one event per character would queue in front
# of the scan. Enter carries the text; the keypad and [Aggiungi] read what was typed.
_SEARCH: weakref.WeakKeyDictionary[TillApp, ft.TextField] = weakref.WeakKeyDictionary()


def _back_to_search(app: TillApp) -> Any:
    """A button a click left the focus on would take a scanner's Enter for a press of
    its own (Elimina!): the focus goes back to the search field at once."""

    async def refocus(_: Any) -> None:
        field = _SEARCH.get(app)
        if field is not None:
            await field.focus()  # type: ignore[no-untyped-call]

    return refocus


def _typed_entry(app: TillApp) -> None:
    """What the keyboard typed in the search field becomes the model's entry."""
    field = _SEARCH.get(app)
    if field is not None and field.value is not None:
        app.sale.entry = field.value


def _search(app: TillApp, sale: SaleModel) -> ft.Control:
    def submitted(e: Any) -> None:
        sale.submit_entry(typed(e))

    def add(_: Any) -> None:
        _typed_entry(app)
        sale.submit_entry()

    failed = sale.scan_failed
    field = ft.TextField(
        label=app.t("search_label"),
        value=sale.entry,
        on_submit=submitted,
        on_focus=lambda _: app.keyboard.focus(True),
        on_blur=lambda _: app.keyboard.focus(False),
        autofocus=True,
        text_size=20,
        expand=True,
        prefix_icon=ft.Icons.ERROR if failed else ft.Icons.QR_CODE_SCANNER,
        border_color=DANGER if failed else None,
        border_width=3 if failed else None,
        bgcolor="#FDECEA" if failed else None,
    )
    _SEARCH[app] = field
    row = ft.Row(
        [
            field,
            action(
                app.t("add"),
                add,
                kind="dark",
                width=120,
                height=56,
                on_focus=_back_to_search(app),
            ),
        ],
        spacing=8,
    )
    # a failed scan: the field in red and a node the browser sees, until the next scan sells
    return tagged("scan-failed", row) if failed else row


LEAVING_TILES = frozenset(
    {"cash_in_out", "till_summary", "safe", "close_day", "logout", "functions"}
)


def _tile_click(run: Callable[[], object]) -> Callable[[Any], None]:
    def click(_: Any) -> None:
        run()

    return click


def _tiles(app: TillApp, sale: SaleModel) -> ft.Control:
    actions = sale.tile_actions()
    tiles = []
    for name in app.layout.sale.tiles:
        action = actions[name]
        tiles.append(
            tagged(
                f"tile-{name}",
                tile(
                    app.t(f"tile_{name}"),
                    _tile_click(action.run),
                    disabled=action.disabled,
                    locked=action.locked,
                    width=98 if app.compact else 108,
                    height=48 if app.compact else 52,
                    # a tile that leaves the screen must not hand the focus to a field
                    # that is going away: the next screen's taps would be lost to it
                    on_focus=None if name in LEAVING_TILES else _back_to_search(app),
                ),
            )
        )
    return ft.Row(tiles, wrap=True, spacing=6, run_spacing=6)


def _totals(app: TillApp, sale: SaleModel) -> ft.Control:
    totals = sale.totals

    def figure(label: str, value: str, identifier: str) -> ft.Control:
        return ft.Column(
            [
                ft.Text(label, size=13, color="#C9D6E8"),
                tagged(
                    identifier, ft.Text(value, size=20, weight=ft.FontWeight.BOLD, color="#FFFFFF")
                ),
            ],
            spacing=0,
        )

    return ft.Container(
        content=ft.Row(
            [
                figure(app.t("lines"), str(totals.lines), "lines-count"),
                figure(app.t("total_quantity"), totals.total_quantity, "total-quantity"),
                figure(app.t("discounts"), totals.discount, "discount-total"),
                ft.Container(expand=True),
                ft.Text(app.t("total"), size=22, color="#C9D6E8"),
                tagged(
                    "total",
                    ft.Text(
                        f"{totals.total} {app.till.currency.code}",
                        size=40,
                        weight=ft.FontWeight.BOLD,
                        color="#FFFFFF",
                    ),
                ),
            ],
            spacing=24,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        bgcolor=PRIMARY,
        padding=ft.Padding.symmetric(horizontal=16, vertical=6),
        border_radius=ft.BorderRadius.all(12),
    )


def _customer(app: TillApp, sale: SaleModel) -> ft.Control:
    customer = sale.customer()
    lines: list[ft.Control]
    if customer is None:
        lines = [ft.Text(app.t("no_customer"), size=16, color=MUTED)]
    else:
        lines = [ft.Text(customer.name, size=17, weight=ft.FontWeight.BOLD, no_wrap=True)]
        extra = " · ".join(p for p in (customer.vat_number, customer.loyalty_card) if p)
        if extra:
            lines.append(ft.Text(extra, size=13, color=MUTED))
        if app.layout.sale.customer_address and customer.address:
            lines.append(ft.Text(customer.address, size=13, color=MUTED, no_wrap=True))
    document = sale.document()
    coupons = ", ".join(document.inputs.coupons) if document else ""
    if coupons:
        lines.append(ft.Text(f"{app.t('tile_coupons')}: {coupons}", size=13, color=ACCENT))
    return tagged(
        "customer",
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.PERSON_OUTLINE, color=PRIMARY, size=30),
                    ft.Column(lines, spacing=1, expand=True),
                ]
            ),
            padding=ft.Padding.all(10),
            bgcolor=PANEL,
            border_radius=ft.BorderRadius.all(10),
            on_click=lambda _: sale.open_customers(),
        ),
    )


def _detail(app: TillApp, sale: SaleModel) -> ft.Control:
    detail = sale.detail()
    operator = ft.Text(
        f"{app.t('operator')}: {app.operator_name}", size=13, color=MUTED, no_wrap=True
    )
    if detail is None:
        return ft.Column([operator, ft.Text(app.t("select_line"), size=14, color=MUTED)])
    units = [
        ft.Container(
            content=ft.Text(unit, size=15, weight=ft.FontWeight.BOLD),
            padding=ft.Padding.symmetric(horizontal=12, vertical=8),
            bgcolor=ACCENT if (sale.unit or detail.unit) == unit else "#E3EAF3",
            border_radius=ft.BorderRadius.all(8),
            on_click=lambda _, u=unit: sale.choose_unit(u),
        )
        for unit in detail.units
    ]
    info = " · ".join(
        p
        for p in (detail.sku, detail.ean, f"{app.t('column_list_price')} {detail.list_price}")
        if p
    )
    handled = f"{app.t('handled_by')}: {detail.handled_by}"
    # The lot's values beside the name and [Seleziona proprietà] beside the quantity (seed):
    # no row of their own, so the keypad and Approve stay whole at 768 px.
    values = ", ".join(f"{name}: {value}" for name, value in detail.properties)
    if detail.has_lots and not values:
        values = app.t("no_lot")
    lot = [ft.TextSpan(f"   {values}", ft.TextStyle(size=15, weight=ft.FontWeight.NORMAL))]
    refocus = _back_to_search(app)
    choose = [
        tagged(
            "choose-properties",
            action(
                app.t("choose_properties"),
                lambda _: sale.open_properties(),
                kind="plain",
                size=15,
                on_focus=refocus,
            ),
        )
    ]
    return tagged(
        "line-detail",
        ft.Column(
            [
                operator,
                ft.Text(
                    f"{detail.position}. {detail.name}",
                    spans=lot if values else None,
                    size=17,
                    weight=ft.FontWeight.BOLD,
                    no_wrap=True,
                    overflow=ft.TextOverflow.ELLIPSIS,
                ),
                ft.Text(info, size=13, color=MUTED, no_wrap=True),
                ft.Row(
                    [
                        action(
                            "−",
                            lambda _: sale.change_quantity(-1),
                            kind="plain",
                            width=52,
                            on_focus=refocus,
                        ),
                        ft.Text(
                            f"{detail.quantity} {detail.unit}", size=20, weight=ft.FontWeight.BOLD
                        ),
                        action(
                            "+",
                            lambda _: sale.change_quantity(1),
                            kind="plain",
                            width=52,
                            on_focus=refocus,
                        ),
                        *units,
                        *(choose if detail.has_lots else []),
                    ],
                    spacing=8,
                    run_spacing=6,
                    wrap=True,
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                ft.Row(
                    [
                        action(
                            app.t("delete"),
                            lambda _: sale.delete_line(),
                            kind="danger",
                            width=104,
                            height=44,
                            on_focus=refocus,
                        ),
                        action(
                            app.t("rename"),
                            lambda _: sale.start_rename(),
                            kind="plain",
                            width=104,
                            height=44,
                            disabled=not detail.name_editable,
                            on_focus=refocus,
                        ),
                        ft.Container(  # a finger's 44 px
                            content=ft.TextButton(
                                content=handled,
                                on_click=lambda _: sale.open_handled_by(),
                                on_focus=refocus,
                            ),
                            height=44,
                        ),
                    ],
                    spacing=6,
                ),
            ],
            spacing=6,
        ),
    )


def _keypad_key(app: TillApp) -> Any:
    def on_key(key: str) -> None:
        if app.sale.context is KeypadContext.CODE:
            _typed_entry(app)
        app.sale.press(key)

    return on_key


def _keypad(app: TillApp, sale: SaleModel) -> ft.Control:
    contexts = [
        KeypadContext.CODE,
        KeypadContext.QUANTITY,
        KeypadContext.LINE_DISCOUNT,
        KeypadContext.HEADER_DISCOUNT,
    ]
    if sale.context is KeypadContext.LIST_PRICE:
        contexts.append(KeypadContext.LIST_PRICE)
    chips = [
        tagged(
            f"context-{c.value}",
            ft.Container(
                content=ft.Text(
                    app.t(f"context_{c.value}"),
                    size=14,
                    weight=ft.FontWeight.BOLD,
                    color="#FFFFFF" if sale.context is c else INK,
                ),
                padding=ft.Padding.symmetric(horizontal=10, vertical=12),  # 44 px
                bgcolor=PRIMARY if sale.context is c else "#E3EAF3",
                border_radius=ft.BorderRadius.all(8),
                on_click=lambda _, c=c: sale.set_context(c),
            ),
        )
        for c in contexts
    ]
    shown = sale.entry if sale.context is KeypadContext.CODE else sale.buffer
    suffix = ""
    kinds: list[ft.Control] = []
    if sale.context in (KeypadContext.LINE_DISCOUNT, KeypadContext.HEADER_DISCOUNT):
        other = "price" if sale.context is KeypadContext.LINE_DISCOUNT else "amount"
        suffix = "%" if sale.discount_kind == "percent" else app.till.currency.code
        for kind in ("percent", other):
            kinds.append(
                ft.Container(
                    content=ft.Text(app.t(f"discount_{kind}"), size=14, weight=ft.FontWeight.BOLD),
                    padding=ft.Padding.symmetric(horizontal=10, vertical=6),
                    bgcolor="#FCE8B2" if sale.discount_kind == kind else "#E3EAF3",
                    border_radius=ft.BorderRadius.all(8),
                    on_click=lambda _, k=kind: sale.set_discount_kind(k),
                )
            )
    elif sale.context is KeypadContext.QUANTITY and sale.unit:
        suffix = sale.unit
    display = tagged(
        "keypad-display",
        ft.Container(
            content=ft.Row(
                [
                    ft.Text(app.t(f"context_{sale.context.value}"), size=13, color=MUTED),
                    ft.Text(
                        f"{shown} {suffix}".strip(),
                        size=24,
                        weight=ft.FontWeight.BOLD,
                        text_align=ft.TextAlign.RIGHT,
                        expand=True,
                        no_wrap=True,
                    ),
                ]
            ),
            padding=ft.Padding.symmetric(horizontal=12, vertical=6),
            bgcolor=PANEL,
            border_radius=ft.BorderRadius.all(8),
            height=48,
        ),
    )
    return ft.Column(
        [
            ft.Row(chips, spacing=6, wrap=True, run_spacing=6),
            *([ft.Row(kinds, spacing=6)] if kinds else []),
            display,
            keypad(
                _keypad_key(app),
                enter_label=app.t("enter"),
                key_width=74 if app.compact else 86,
                key_height=48 if app.compact else 54,  # 1024x768 keeps Approve in sight
            ),
        ],
        spacing=8,
    )


@ft.component
def Part(
    build: Callable[[TillApp, SaleModel], ft.Control], app: TillApp, state: object
) -> ft.Control:
    """A piece of the screen rendered again only when `state`, all it reads, changed."""
    return build(app, app.sale)


MemoPart = ft.memo(Part)  # type: ignore[no-untyped-call]


# The receipt's rows in blocks of ten, each a memoized component: a scan renders again
# only the blocks whose rows changed (the last one, and a group's header).
BLOCK = 10


@ft.component
def LineBlock(
    app: TillApp, rows: tuple[object, ...], columns: tuple[str, ...], compact: bool
) -> ft.Control:
    sale = app.sale
    return ft.Column(
        [
            group_header(row, sale.toggle_group)
            if isinstance(row, GroupHeader)
            else line_row(row, columns, sale.select, compact)  # type: ignore[arg-type]
            for row in rows
        ],
        spacing=0,
    )


MemoLineBlock = ft.memo(LineBlock)  # type: ignore[no-untyped-call]
FOLLOW_PAUSES = (0.05, 0.25, 1.0, 0)  # seconds between the repeated scrolls to a new line


@ft.component
def LineList(app: TillApp, rows: tuple[object, ...], columns: tuple[str, ...]) -> ft.Control:
    """The rows, scrolled to the line just changed (not to the end: with groups the new
    line may sit in the middle). A plain scrolling column, not a lazy list: the line to
    scroll to must be built, and blocks of ten keep a scan's update small."""
    blocks: list[ft.Control] = [
        MemoLineBlock(app, rows[start : start + BLOCK], columns, app.compact, key=f"block-{start}")
        for start in range(0, len(rows), BLOCK)
    ]
    column = ft.Column(blocks, spacing=0, scroll=ft.ScrollMode.AUTO, expand=True)
    mounted = ft.use_ref(column)
    mounted.current = column  # the control this render mounts (it takes the old one's place)
    mounted_column = column
    target = next((r.line_id for r in rows if isinstance(r, LineRow) and r.selected), None)

    async def follow() -> None:
        # The browser may receive the scroll before it has built the new line (it then
        # finds no such key and stays put): repeat it as the line's frame comes along.
        for pause in FOLLOW_PAUSES:
            if target is None or mounted.current is not mounted_column:
                return
            await mounted_column.scroll_to(scroll_key=target, duration=0)
            await asyncio.sleep(pause)

    ft.use_effect(follow, [target, rows])
    return column


def _lines(app: TillApp, sale: SaleModel) -> ft.Control:
    columns = app.layout.sale.columns
    rows = tuple(sale.rows)
    body: ft.Control
    if rows:
        body = LineList(app, rows, columns)
    else:
        body = ft.Container(
            content=ft.Text(app.t("empty_document"), size=18, color=MUTED),
            padding=ft.Padding.all(24),
            alignment=ft.Alignment.CENTER,
        )
    return ft.Container(
        content=ft.Column(
            [
                _header_row(app, columns),
                tagged("lines", ft.Container(content=body, expand=True), expand=True),
            ],
            spacing=0,
            expand=True,
        ),
        border=ft.Border.all(1, LINE),
        border_radius=ft.BorderRadius.all(10),
        expand=True,
    )


def _messages(app: TillApp, sale: SaleModel) -> ft.Control:
    messages: list[ft.Control] = [
        ft.Text(m, size=14, color="#8A5A00", no_wrap=True, overflow=ft.TextOverflow.ELLIPSIS)
        for m in sale.messages[:2]
    ]
    return tagged("pricing-messages", ft.Column(messages, spacing=0))


def _approve(app: TillApp, sale: SaleModel) -> ft.Control:
    return tagged(
        "approve",
        action(
            app.t("approve"),
            lambda _: sale.approve(),
            kind="primary",
            height=60,
            width=348 if app.compact else 396,
            disabled=sale.totals.lines == 0,
        ),
    )


def sale_screen(app: TillApp) -> ft.Control:
    """The sale screen; each part is memoized on what it shows, so a scan re-renders the
    new line, the totals and little else (a 100-line receipt stays fast)."""
    sale = app.sale
    locale = app.locale
    document = sale.document()
    detail = sale.detail()
    notice = notice_bar(app)
    left = ft.Column(
        [
            _search(app, sale),
            *([notice] if notice is not None else []),
            ft.Container(
                content=MemoPart(
                    _lines,
                    app,
                    (locale, app.layout.sale.columns, tuple(sale.rows), app.compact),
                    key="lines",
                ),
                expand=True,
            ),
            *(
                [MemoPart(_messages, app, (locale, tuple(sale.messages)), key="messages")]
                if sale.messages
                else []
            ),
            MemoPart(
                _tiles,
                app,
                (
                    locale,
                    app.layout.sale.tiles,
                    sale.totals.lines > 0,
                    document is None,
                    detail is None,
                    sale.totals.has_discount,
                    sale.list_price_locked,
                    app.compact,
                ),
                key="tiles",
            ),
            MemoPart(_totals, app, (locale, sale.totals), key="totals"),
        ],
        spacing=8,
        expand=True,
    )
    customer_state = (
        locale,
        sale.customer(),
        document.inputs.coupons if document else (),
        app.layout.sale.customer_address,
    )
    keypad_state = (
        locale,
        app.compact,
        sale.context,
        sale.entry if sale.context is KeypadContext.CODE else sale.buffer,
        sale.discount_kind,
        sale.unit,
    )
    right = ft.Container(
        content=ft.Column(
            [
                MemoPart(_customer, app, customer_state, key="customer"),
                MemoPart(
                    _detail, app, (locale, detail, sale.unit, app.operator_name), key="detail"
                ),
                ft.Container(expand=True),
                MemoPart(_keypad, app, keypad_state, key="keypad"),
                MemoPart(
                    _approve, app, (locale, sale.totals.lines == 0, app.compact), key="approve"
                ),
            ],
            spacing=10,
        ),
        width=360 if app.compact else 412,
    )
    return ft.Row(
        [left, right], spacing=12, expand=True, vertical_alignment=ft.CrossAxisAlignment.STRETCH
    )
