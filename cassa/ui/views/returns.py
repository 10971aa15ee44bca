"""The returns screen: the original's number, its lines with what is left to return,
the quantity keypad, the return's total and [Rimborsa], which opens the payment window."""

from __future__ import annotations

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.views.widgets import (
    ACCENT,
    INK,
    MUTED,
    PANEL,
    SELECTED,
    PickRow,
    action,
    back_to_sale,
    bound_field,
    card,
    figure_display,
    heading,
    keypad,
    pick_list,
    screen_header,
    tagged,
)

__all__ = ["returns_screen"]

# #, name, sold, returned, left, on this return, value (None: the rest)
_WIDTHS: tuple[int | None, ...] = (34, None, 76, 76, 84, 84, 96)


def _lookup(app: TillApp) -> ft.Control:
    returns = app.returns
    controls: list[ft.Control] = [
        ft.Text(app.t("return_hint"), size=15, color=MUTED),
        tagged(
            "return-number",
            bound_field(
                app.t("return_number_label"),
                returns.number,
                returns,
                "number",
                on_submit=lambda _: returns.find(),
                autofocus=True,
            ),
        ),
        tagged("return-find", action(app.t("return_find"), lambda _: returns.find())),
    ]
    if returns.facts:
        controls.append(
            tagged(
                "return-original",
                card(
                    ft.Column(
                        [
                            heading(app.t("return_original"), 17),
                            *(
                                ft.Row(
                                    [
                                        ft.Text(label, size=15, color=MUTED, width=90),
                                        ft.Text(
                                            value,
                                            size=16,
                                            weight=ft.FontWeight.BOLD,
                                            color=INK,
                                            expand=True,
                                            text_align=ft.TextAlign.RIGHT,
                                        ),
                                    ]
                                )
                                for label, value in returns.facts
                            ),
                        ],
                        spacing=6,
                    ),
                    padding=12,
                ),
            )
        )
    return ft.Column(
        controls,
        spacing=10,
        width=320,
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def _lines(app: TillApp) -> ft.Control:
    returns = app.returns
    headers = (
        app.t("column_position"),
        app.t("column_name"),
        app.t("return_sold"),
        app.t("return_returned"),
        app.t("return_left"),
        app.t("return_taking"),
        app.t("column_value"),
    )
    rows = [
        PickRow(
            r.position,
            f"return-line-{r.position}",
            (str(r.position), r.name, f"{r.sold} {r.unit}", r.returned, r.left, r.taking, r.value),
            bold=bool(r.taking),
            colour=MUTED if r.exhausted else INK,
            background=SELECTED if r.selected else (PANEL if r.taking else None),
        )
        for r in returns.rows
    ]
    return pick_list(
        headers,
        rows,
        widths=_WIDTHS,
        right={2, 3, 4, 5, 6},
        on_pick=returns.select,
        empty=app.t("return_empty"),
        identifier="return-lines",
    )


def _actions(app: TillApp) -> ft.Control:
    returns = app.returns
    controls: list[ft.Control] = []
    if returns.rows:
        controls.extend(
            [
                figure_display(
                    "return-quantity",
                    app.t("return_quantity"),
                    returns.quantity or app.t("return_quantity_hint"),
                    size=22 if returns.quantity else 15,
                ),
                keypad(returns.press, enter_label=app.t("return_take"), key_width=76),
                ft.Row(
                    [
                        tagged(
                            "return-put-back",
                            action(
                                app.t("return_put_back"),
                                lambda _: returns.put_back(),
                                kind="plain",
                                expand=True,
                            ),
                            expand=True,
                        ),
                    ]
                ),
            ]
        )
    if returns.total:
        controls.extend(
            [
                figure_display("return-total", app.t("return_total"), returns.total, size=22),
                ft.Container(
                    content=figure_display(
                        "return-to-give-back", app.t("to_give_back"), returns.to_give_back
                    ),
                    border=ft.Border.all(2, ACCENT),
                    border_radius=ft.BorderRadius.all(12),
                ),
                tagged(
                    "return-refund",
                    action(
                        app.t("return_refund"),
                        lambda _: returns.refund(),
                        height=64,
                        disabled=not returns.can_refund,
                    ),
                ),
                tagged(
                    "return-cancel",
                    action(app.t("return_cancel"), lambda _: returns.cancel(), kind="quiet"),
                ),
            ]
        )
    return ft.Column(
        controls,
        spacing=10,
        width=340,
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def returns_screen(app: TillApp) -> ft.Control:
    return ft.Column(
        [
            screen_header(app.t("screen_returns"), back_to_sale(app)),
            ft.Row(
                [_lookup(app), _lines(app), _actions(app)],
                spacing=16,
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
        ],
        spacing=10,
        expand=True,
    )
