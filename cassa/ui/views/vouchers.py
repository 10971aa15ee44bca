"""The vouchers and gift cards screen: a number to check, what it is and its history,
and selling a voucher or selling / topping up a gift card as a line of the sale."""

from __future__ import annotations

from typing import Any

import flet as ft

from cassa.ui.app import TillApp
from cassa.ui.views.widgets import (
    DANGER,
    INK,
    MUTED,
    WARNING,
    action,
    back_to_sale,
    card,
    figure_display,
    heading,
    keypad,
    screen_header,
    table,
    tagged,
    typed,
)

__all__ = ["vouchers_screen"]

_VERDICT = {"error": ("#FDECEA", DANGER), "warning": ("#FFF4D6", WARNING)}


def _lookup(app: TillApp) -> ft.Control:
    vouchers = app.vouchers

    def changed(e: Any) -> None:
        vouchers.number = e.control.value or ""

    field = ft.TextField(
        label=app.t("voucher_number_label"),
        value=vouchers.number,
        on_change=changed,
        on_submit=lambda e: vouchers.check(typed(e)),
        autofocus=True,
        text_size=18,
        expand=True,
    )
    controls: list[ft.Control] = [
        ft.Text(app.t("voucher_hint"), size=15, color=MUTED),
        ft.Row([tagged("voucher-number", field, expand=True)]),
        ft.Row(
            [
                tagged(
                    "voucher-check",
                    action(app.t("voucher_check"), lambda _: vouchers.check(), expand=True),
                    expand=True,
                ),
                action(app.t("clear"), lambda _: vouchers.clear(), kind="plain", width=130),
            ],
            spacing=8,
        ),
    ]
    verdict = vouchers.verdict
    if verdict is not None:
        bg, fg = _VERDICT.get(verdict.kind, ("#E6F4EA", "#1E6B3A"))
        controls.append(
            tagged(
                "voucher-verdict",
                ft.Container(
                    content=ft.Text(verdict.text, size=17, weight=ft.FontWeight.BOLD, color=fg),
                    bgcolor=bg,
                    padding=ft.Padding.all(12),
                    border_radius=ft.BorderRadius.all(8),
                ),
            )
        )
    if vouchers.facts:
        controls.append(
            tagged(
                "voucher-facts",
                card(
                    ft.Column(
                        [
                            ft.Row(
                                [
                                    ft.Text(f.label, size=15, color=MUTED, width=130),
                                    ft.Text(
                                        f.value,
                                        size=17,
                                        weight=ft.FontWeight.BOLD,
                                        color=INK,
                                        expand=True,
                                        text_align=ft.TextAlign.RIGHT,
                                    ),
                                ]
                            )
                            for f in vouchers.facts
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
        width=400,
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def _history(app: TillApp) -> ft.Control:
    vouchers = app.vouchers
    body: ft.Control
    if vouchers.found is None:
        body = ft.Container()
    elif vouchers.history:
        body = table(
            [
                app.t("voucher_event"),
                app.t("cards_when"),
                app.t("amount"),
                app.t("cards_document"),
            ],
            [r.cells for r in vouchers.history],
            widths=[None, 132, 90, 150],
            identifier="voucher-history",
        )
    else:
        body = ft.Text(app.t("voucher_no_history"), size=16, color=MUTED)
    return card(
        ft.Column(
            [heading(app.t("voucher_history"), 18), body], spacing=8, scroll=ft.ScrollMode.AUTO
        ),
        expand=True,
    )


def _actions(app: TillApp) -> ft.Control:
    vouchers = app.vouchers
    controls: list[ft.Control] = []
    if vouchers.can_sell:
        controls.append(
            tagged(
                "voucher-sell",
                action(app.t("voucher_sell"), lambda _: vouchers.sell(), height=64),
            )
        )
    if vouchers.can_top_up:
        label = app.t("gift_card_sell" if vouchers.new_gift_card else "gift_card_top_up")
        controls.extend(
            [
                figure_display(
                    "top-up-amount", app.t("top_up_amount"), vouchers.amount or "0", size=26
                ),
                keypad(vouchers.press, enter_label=app.t("ok"), key_width=80),
                tagged("voucher-top-up", action(label, lambda _: vouchers.top_up(), height=64)),
            ]
        )
    return ft.Column(
        controls, spacing=10, width=350, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
    )


def vouchers_screen(app: TillApp) -> ft.Control:
    return ft.Column(
        [
            screen_header(app.t("screen_vouchers"), back_to_sale(app)),
            ft.Row(
                [_lookup(app), _history(app), _actions(app)],
                spacing=16,
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
        ],
        spacing=10,
        expand=True,
    )
