"""The orders screen: the search fields and the orders found, the order picked with what
remains of each line, and its actions: fulfil on a receipt or an invoice, scan to fulfil,
a deposit typed on the keypad, cancel what remains."""

from __future__ import annotations

import flet as ft

from cassa.ui.app import Screen, TillApp
from cassa.ui.views.widgets import (
    INK,
    MUTED,
    PANEL,
    SELECTED,
    PickRow,
    action,
    back_to_sale,
    bound_field,
    figure_display,
    heading,
    keypad,
    pick_list,
    screen_header,
    tagged,
)

__all__ = ["orders_screen"]

# number, state, customer, expected, total, held
_ORDER_WIDTHS: tuple[int | None, ...] = (None, 120, 70, 90, 84, 76)
# #, name, ordered, delivered, cancelled, remaining, now
_LINE_WIDTHS: tuple[int | None, ...] = (30, None, 64, 64, 64, 64, 56)


def _search(app: TillApp) -> ft.Control:
    orders = app.orders

    def find(_: object) -> None:
        orders.search()

    def every_state(_: object) -> None:
        orders.state = ""
        orders.search()

    return ft.Column(
        [
            tagged(
                "order-number",
                bound_field(
                    app.t("order_search_number"), orders.number, orders, "number", on_submit=find
                ),
            ),
            tagged(
                "order-customer",
                bound_field(
                    app.t("order_search_customer"),
                    orders.customer,
                    orders,
                    "customer",
                    on_submit=find,
                ),
            ),
            tagged(
                "order-day",
                bound_field(app.t("order_search_day"), orders.day, orders, "day", on_submit=find),
            ),
            tagged("order-find", action(app.t("order_find"), find)),
            tagged("order-all", action(app.t("order_all"), every_state, kind="quiet")),
        ],
        spacing=10,
        width=260,
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def _found(app: TillApp) -> ft.Control:
    orders = app.orders
    headers = (
        app.t("order_search_number"),
        "",
        app.t("order_search_customer"),
        app.t("order_search_day"),
        app.t("total"),
        app.t("order_deposit"),
    )
    rows = [
        PickRow(
            r.number,
            f"order-{index}",
            (r.number, r.state, r.customer, r.expected, r.total, r.held),
            background=SELECTED if r.selected else None,
        )
        for index, r in enumerate(orders.rows, 1)
    ]
    return pick_list(
        headers,
        rows,
        widths=_ORDER_WIDTHS,
        right={4, 5},
        on_pick=orders.pick,
        empty=app.t("order_empty"),
        identifier="orders-found",
    )


def _lines(app: TillApp) -> ft.Control:
    orders = app.orders
    headers = (
        app.t("column_position"),
        app.t("column_name"),
        app.t("order_ordered"),
        app.t("order_fulfilled"),
        app.t("order_cancelled"),
        app.t("order_remaining"),
        app.t("order_delivering"),
    )
    rows = [
        PickRow(
            r.position,
            f"order-line-{r.position}",
            (
                str(r.position),
                f"{r.name} {r.lot}".strip(),
                f"{r.ordered} {r.unit}",
                r.fulfilled,
                r.cancelled,
                r.remaining,
                r.delivering,
            ),
            bold=bool(r.delivering),
            colour=MUTED if r.done else INK,
            background=PANEL if r.delivering else None,
        )
        for r in orders.lines
    ]
    return pick_list(
        headers,
        rows,
        widths=_LINE_WIDTHS,
        right={2, 3, 4, 5, 6},
        on_pick=lambda _: None,
        empty=app.t("order_pick_one"),
        identifier="order-lines",
    )


def _actions(app: TillApp) -> ft.Control:
    orders = app.orders
    controls: list[ft.Control] = []
    if orders.order is not None and orders.order.active:
        scanned = {"code": ""}
        controls.extend(
            [
                tagged(
                    "order-fulfil-receipt",
                    action(app.t("order_fulfil_receipt"), lambda _: orders.fulfil("receipt")),
                ),
                tagged(
                    "order-fulfil-invoice",
                    action(
                        app.t("order_fulfil_invoice"),
                        lambda _: orders.fulfil("invoice"),
                        kind="plain",
                    ),
                ),
                tagged(
                    "order-scan",
                    bound_field(
                        app.t("order_scan"),
                        "",
                        scanned,
                        "code",
                        on_submit=lambda event: orders.scan(str(event.control.value or "")),
                        disabled=orders.generated() is None,
                    ),
                ),
                figure_display("order-deposit-amount", app.t("order_deposit"), orders.amount),
                keypad(orders.press, enter_label=app.t("order_take_deposit"), key_width=70),
                tagged(
                    "order-cancel",
                    action(app.t("order_cancel"), lambda _: orders.cancel(), kind="quiet"),
                ),
            ]
        )
    if orders.deposits:
        controls.append(heading(app.t("order_deposits"), 17))
        controls.extend(
            ft.Text(f"{number}  {held}  {state}", size=15, color=INK)
            for number, held, state in orders.deposits
        )
    if orders.generated() is not None:
        controls.append(
            tagged("order-pay", action(app.t("back_to_sale"), lambda _: app.go(Screen.SALE)))
        )
    return ft.Column(
        controls,
        spacing=10,
        width=320,
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def orders_screen(app: TillApp) -> ft.Control:
    return ft.Column(
        [
            screen_header(app.t("screen_orders"), back_to_sale(app)),
            ft.Row(
                [
                    _search(app),
                    ft.Column([_found(app), _lines(app)], expand=True, spacing=10),
                    _actions(app),
                ],
                spacing=16,
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
        ],
        spacing=10,
        expand=True,
    )
